import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { queuePrefix, redisConnection } from '../platform/redis';
import { currentRequestId } from '../platform/request-context';
import { JobData, JobName, JobPayloads, QUEUE_OF_JOB, QueueName } from './jobs';

/**
 * The id of the HTTP request that enqueues a job travels in the job's data (never its id, which stays
 * deterministic), so that the worker's log lines for the job can be matched with the API's for the request.
 */
function withRequestId<P extends object>(payload: P): JobData<P> {
  const httpRequestId = currentRequestId();
  return httpRequestId ? { ...payload, httpRequestId } : payload;
}

/** Enqueues typed jobs. The API and the worker both enqueue; only the worker consumes. */
@Injectable()
export class JobQueue implements OnApplicationShutdown {
  private readonly logger = new Logger('JobQueue');
  private readonly queues = new Map<QueueName, Queue>();
  /** BullMQ does not close a connection it was given, so the queue's owner does. */
  private readonly connections: Redis[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      const connection = redisConnection(this.config);
      this.connections.push(connection);
      queue = new Queue(name, {
        connection,
        prefix: queuePrefix(this.config),
        defaultJobOptions: this.defaultsFor(name),
      });
      // Without a listener BullMQ prints whole stacks during a Redis outage; ioredis reconnects by itself.
      queue.on('error', (error: Error & { code?: string }) =>
        this.logger.warn(`Queue ${name}: ${error.name}${error.code ? ` (${error.code})` : ''}`),
      );
      this.queues.set(name, queue);
    }
    return queue;
  }

  /**
   * Reminder, e-mail, SMS and webhook jobs are removed from Redis when they end, failed or not: PostgreSQL records
   * the outcome (reminder, delivery), and the sweep hands over again, under the same job id, whatever is
   * still due. BullMQ ignores an add whose id it still keeps as failed, so a kept failed job (a database
   * outage through every attempt, a job that stalled too often) would have blocked that for good.
   */
  private defaultsFor(name: QueueName): JobsOptions {
    switch (name) {
      case QueueName.EMAIL:
      case QueueName.SMS:
        return {
          attempts: this.config.NOTIFY_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.config.NOTIFY_BACKOFF_MS },
          removeOnComplete: true,
          removeOnFail: true,
        };
      case QueueName.WEBHOOKS:
        // Like e-mail: PostgreSQL holds each attempt and the outcome; the sweep hands over again what is still pending.
        return {
          attempts: this.config.WEBHOOK_ATTEMPTS,
          backoff: { type: 'exponential', delay: this.config.WEBHOOK_BACKOFF_MS },
          removeOnComplete: true,
          removeOnFail: true,
        };
      case QueueName.REMINDERS:
        return {
          attempts: 10,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: true,
          removeOnFail: true,
        };
      default:
        return {
          attempts: 5,
          backoff: { type: 'exponential', delay: 500 },
          removeOnComplete: 1000,
          removeOnFail: 5000,
        };
    }
  }

  /** A `jobId` makes a second enqueue of the same work a no-op. */
  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: JobsOptions = {}): Promise<void> {
    await this.queue(QUEUE_OF_JOB[name]).add(name, withRequestId(payload), options);
  }

  /** Enqueues many jobs of one kind in one round trip; each names its own deterministic id. */
  async enqueueMany<N extends JobName>(
    name: N,
    jobs: Array<{ payload: JobPayloads[N]; jobId: string; delay?: number }>,
  ): Promise<void> {
    if (jobs.length === 0) return;
    await this.queue(QUEUE_OF_JOB[name]).addBulk(
      jobs.map((j) => ({ name, data: withRequestId(j.payload), opts: { jobId: j.jobId, delay: j.delay } })),
    );
  }

  /** Removes waiting or delayed jobs; a job already running is left to find that its work is gone. */
  async removeMany(name: JobName, jobIds: string[]): Promise<void> {
    const queue = this.queue(QUEUE_OF_JOB[name]);
    await Promise.all(jobIds.map((id) => queue.remove(id)));
  }

  /** Last: consumers stop first (beforeApplicationShutdown), and a job finishing then may still enqueue. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.connections.forEach((c) => c.disconnect());
  }
}
