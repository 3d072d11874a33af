import { Module } from '@nestjs/common';
import { WebhookSubscriptionService } from './webhook-subscription.service';

/**
 * Webhook subscriptions. Delivery (WebhookDeliveryService) is the worker's: it needs a WebhookAudience,
 * which the access policy in libs/auth provides.
 */
@Module({ providers: [WebhookSubscriptionService], exports: [WebhookSubscriptionService] })
export class WebhooksModule {}
