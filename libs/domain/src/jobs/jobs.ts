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
  /** One e-mail per job, so that one failing recipient never holds up another. */
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
  /** Sends one e-mail delivery (id = delivery id). */
  DELIVER_EMAIL = 'deliver-email',
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
  [JobName.DELIVER_EMAIL]: { deliveryId: string };
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
  [JobName.DELIVER_EMAIL]: QueueName.EMAIL,
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
