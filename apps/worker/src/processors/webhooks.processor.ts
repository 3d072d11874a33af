import { Injectable } from '@nestjs/common';
import { WebhookDeliveryService } from '@samverka/domain';
import { JobName, JobPayloads } from '@samverka/infrastructure';
import { JobHandler } from '../runtime/job-handler.decorator';

/** Thrown so that BullMQ retries the job after its backoff; carries no personal data (the delivery id is the job's id). */
export class WebhookAttemptFailed extends Error {
  constructor(
    readonly statusCode: number | null,
    readonly failure: string | null,
  ) {
    super(`Webhook attempt failed (${statusCode ?? failure})`);
    this.name = 'WebhookAttemptFailed';
  }
}

@Injectable()
export class WebhooksProcessor {
  constructor(private readonly webhooks: WebhookDeliveryService) {}

  @JobHandler(JobName.DELIVER_WEBHOOK)
  async deliver({ deliveryId }: JobPayloads[JobName.DELIVER_WEBHOOK]) {
    const result = await this.webhooks.attempt(deliveryId);
    if (result.outcome === 'retry') throw new WebhookAttemptFailed(result.statusCode, result.error);
    return result;
  }
}
