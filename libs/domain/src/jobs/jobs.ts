/**
 * Every background job, the queue it runs on and its payload. One queue per kind of work so that
 * each can be tuned (concurrency, retries) on its own.
 */
export enum QueueName {
  HOUSEKEEPING = 'housekeeping',
  DECISIONS = 'decisions',
  DISCHARGE = 'discharge',
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
}

export interface JobPayloads {
  [JobName.ACCESS_LOG_RETENTION]: Record<string, never>;
  [JobName.PROPOSAL_DEADLINE]: { proposalId: string };
  [JobName.DECISION_SWEEP]: Record<string, never>;
  [JobName.DISCHARGE_EXECUTE]: { requestId: string };
}

export const QUEUE_OF_JOB: Record<JobName, QueueName> = {
  [JobName.ACCESS_LOG_RETENTION]: QueueName.HOUSEKEEPING,
  [JobName.PROPOSAL_DEADLINE]: QueueName.DECISIONS,
  [JobName.DECISION_SWEEP]: QueueName.DECISIONS,
  [JobName.DISCHARGE_EXECUTE]: QueueName.DISCHARGE,
};

/** Jobs the worker schedules itself, with their repeat pattern (cron, Europe/Stockholm). */
export const REPEATING_JOBS: Array<{ name: JobName; pattern: string }> = [
  { name: JobName.ACCESS_LOG_RETENTION, pattern: '17 3 * * *' },
  { name: JobName.DECISION_SWEEP, pattern: '* * * * *' },
];
