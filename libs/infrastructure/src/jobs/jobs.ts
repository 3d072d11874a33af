/**
 * Every background job, the queue it runs on and its payload. One queue per kind of work so that
 * each can be tuned (concurrency, retries) on its own.
 */
export enum QueueName {
  HOUSEKEEPING = 'housekeeping',
  DECISIONS = 'decisions',
  DISCHARGE = 'discharge',
  /** Reminder occurrences falling due: each one finds its recipients and records its deliveries. */
  REMINDERS = 'reminders',
  /**
   * E-mail: a firing's e-mails go as one batch job; one that fails or waits for quiet hours to end gets a job of
   * its own, so that one failing recipient never holds up another.
   */
  EMAIL = 'email',
  SMS = 'sms',
  /** One webhook delivery per job: a slow partner never holds up another. */
  WEBHOOKS = 'webhooks',
}

export enum JobName {
  /** Removes access-log entries older than the retention period (at least five years). */
  ACCESS_LOG_RETENTION = 'access-log-retention',
  /** Closes one proposal at its deadline (delayed job, id = proposal id). */
  PROPOSAL_DEADLINE = 'proposal-deadline',
  /** Safety net: closes every overdue proposal and re-enqueues discharge requests whose job was lost. */
  DECISION_SWEEP = 'decision-sweep',
  /** Decides one discharge request (id = request id). */
  DISCHARGE_EXECUTE = 'discharge-execute',
  /** One reminder occurrence is due (id = the occurrence's opaque ref and generation: never its key, which names rule and person). */
  REMINDER_DUE = 'reminder-due',
  /**
   * Every occurrence due at one moment (id = the moment, `remindersDueJobId`): a burst falling due together is
   * one delayed job, fired in large set-based batches, instead of one job per occurrence.
   */
  REMINDERS_DUE_AT = 'reminders-due-at',
  /** Sends one e-mail delivery (id = delivery id). */
  DELIVER_EMAIL = 'deliver-email',
  /** Sends the e-mails one firing made, together over the pooled SMTP connections (id = the first delivery's id). */
  DELIVER_EMAIL_BATCH = 'deliver-email-batch',
  /** Sends one SMS delivery (id = delivery id). */
  DELIVER_SMS = 'deliver-sms',
  /** Nightly: derives every person's reminders again, so changed settings and the calendar are caught up. */
  REMINDER_RECONCILE_ALL = 'reminder-reconcile-all',
  /** One attempt to deliver a webhook (id = delivery id; BullMQ retries it with backoff). */
  DELIVER_WEBHOOK = 'deliver-webhook',
}

export interface JobPayloads {
  [JobName.ACCESS_LOG_RETENTION]: Record<string, never>;
  [JobName.PROPOSAL_DEADLINE]: { proposalId: string };
  [JobName.DECISION_SWEEP]: Record<string, never>;
  [JobName.DISCHARGE_EXECUTE]: { requestId: string };
  [JobName.REMINDER_DUE]: { ref: string; generation: number };
  [JobName.REMINDERS_DUE_AT]: { dueAt: number };
  [JobName.DELIVER_EMAIL]: { deliveryId: string };
  [JobName.DELIVER_EMAIL_BATCH]: { deliveryIds: string[] };
  [JobName.DELIVER_SMS]: { deliveryId: string };
  [JobName.REMINDER_RECONCILE_ALL]: Record<string, never>;
  [JobName.DELIVER_WEBHOOK]: { deliveryId: string };
}

/**
 * What a job carries: its payload, and the id of the HTTP request that enqueued it, if one did (for the
 * logs; `httpRequestId`, since `requestId` is a discharge request's id in DISCHARGE_EXECUTE).
 */
export type JobData<P> = P & { httpRequestId?: string };

export const QUEUE_OF_JOB: Record<JobName, QueueName> = {
  [JobName.ACCESS_LOG_RETENTION]: QueueName.HOUSEKEEPING,
  [JobName.PROPOSAL_DEADLINE]: QueueName.DECISIONS,
  [JobName.DECISION_SWEEP]: QueueName.DECISIONS,
  [JobName.DISCHARGE_EXECUTE]: QueueName.DISCHARGE,
  [JobName.REMINDER_DUE]: QueueName.REMINDERS,
  [JobName.REMINDERS_DUE_AT]: QueueName.REMINDERS,
  [JobName.DELIVER_EMAIL]: QueueName.EMAIL,
  [JobName.DELIVER_EMAIL_BATCH]: QueueName.EMAIL,
  [JobName.DELIVER_SMS]: QueueName.SMS,
  [JobName.REMINDER_RECONCILE_ALL]: QueueName.HOUSEKEEPING,
  [JobName.DELIVER_WEBHOOK]: QueueName.WEBHOOKS,
};

/** Jobs the worker schedules itself, with their repeat pattern (cron, Europe/Stockholm). */
export const REPEATING_JOBS: Array<{ name: JobName; pattern: string }> = [
  { name: JobName.ACCESS_LOG_RETENTION, pattern: '17 3 * * *' },
  { name: JobName.DECISION_SWEEP, pattern: '* * * * *' },
  { name: JobName.REMINDER_RECONCILE_ALL, pattern: '7 2 * * *' },
];
