import { Injectable, Logger } from '@nestjs/common';
import { reminderJobId, ReminderDispatcher, ReminderScheduler } from '@samverka/domain';
import { Batcher, JobName, JobPayloads } from '@samverka/infrastructure';
import { DelayedError, Job } from 'bullmq';
import { JobHandler } from '../runtime/job-handler.decorator';
import { JobRunner } from '../runtime/job-runner';

type Occurrence = JobPayloads[JobName.REMINDER_DUE];

@Injectable()
export class RemindersProcessor {
  private readonly logger = new Logger('Reminders');
  /**
   * Occurrences falling due together are fired together: one transaction costs the same few statements
   * for one occurrence or many (`ReminderDispatcher.fireMany`). Two batches at a time keep both the
   * database and this process busy.
   */
  private readonly firing = new Batcher<Occurrence, number | null>(
    async (occurrences) => {
      const made = await this.dispatcher.fireMany(occurrences);
      return occurrences.map((o) => made.get(reminderJobId(o.ref, o.generation)) ?? null);
    },
    { maxBatch: 50, maxInFlight: 2 },
  );

  constructor(
    private readonly dispatcher: ReminderDispatcher,
    private readonly scheduler: ReminderScheduler,
    private readonly runner: JobRunner,
  ) {}

  private readonly stopping = () => this.runner.stopping;

  @JobHandler(JobName.REMINDER_DUE)
  async due({ ref, generation }: Occurrence): Promise<{ deliveries: number | null }> {
    return { deliveries: await this.firing.run({ ref, generation }) };
  }

  /** Every occurrence due at one moment (and any left over from before): fired in large batches. */
  @JobHandler(JobName.REMINDERS_DUE_AT)
  async dueAt({ dueAt }: JobPayloads[JobName.REMINDERS_DUE_AT]): Promise<{ fired: number }> {
    const { fired, done } = await this.dispatcher.fireDue(new Date(dueAt), this.stopping);
    // Stopping: the job fails this attempt and is taken up again (by the next worker) for the rest.
    if (!done) throw new Error(`Worker stopping after firing ${fired} due reminders; the rest are fired on retry`);
    return { fired };
  }

  @JobHandler(JobName.DELIVER_EMAIL_BATCH)
  emailBatch({ deliveryIds }: JobPayloads[JobName.DELIVER_EMAIL_BATCH]) {
    return this.dispatcher.sendEmails(deliveryIds, this.stopping);
  }

  @JobHandler(JobName.DELIVER_EMAIL)
  email({ deliveryId }: JobPayloads[JobName.DELIVER_EMAIL], job: Job, token?: string) {
    return this.deliver(deliveryId, job, token);
  }

  @JobHandler(JobName.DELIVER_SMS)
  sms({ deliveryId }: JobPayloads[JobName.DELIVER_SMS], job: Job, token?: string) {
    return this.deliver(deliveryId, job, token);
  }

  @JobHandler(JobName.REMINDER_RECONCILE_ALL)
  async reconcileAll(): Promise<{ persons: number }> {
    const persons = await this.scheduler.requestFullReconcile();
    this.logger.log(`Nightly: reminders of ${persons} persons to be derived again`);
    return { persons };
  }

  /** Quiet hours move the job to when they end; a failure on the last attempt marks the delivery failed. */
  private async deliver(deliveryId: string, job: Job, token?: string) {
    const number = job.attemptsMade + 1;
    const outcome = await this.dispatcher.send(deliveryId, { number, last: number >= (job.opts.attempts ?? 1) });
    if (!outcome.sent && outcome.reason === 'quiet-hours') {
      await job.moveToDelayed(outcome.until.getTime(), token);
      throw new DelayedError();
    }
    return outcome;
  }
}
