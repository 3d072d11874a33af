/**
 * Every background job, the queue it runs on and its payload. One queue per kind of work so that
 * each can be tuned (concurrency, retries) on its own.
 */
export enum QueueName {
  HOUSEKEEPING = 'housekeeping',
}

export enum JobName {
  /** Removes access-log entries older than the retention period (at least five years). */
  ACCESS_LOG_RETENTION = 'access-log-retention',
}

export interface JobPayloads {
  [JobName.ACCESS_LOG_RETENTION]: Record<string, never>;
}

export const QUEUE_OF_JOB: Record<JobName, QueueName> = {
  [JobName.ACCESS_LOG_RETENTION]: QueueName.HOUSEKEEPING,
};

/** Jobs the worker schedules itself, with their repeat pattern (cron, Europe/Stockholm). */
export const REPEATING_JOBS: Array<{ name: JobName; pattern: string }> = [
  { name: JobName.ACCESS_LOG_RETENTION, pattern: '17 3 * * *' },
];
