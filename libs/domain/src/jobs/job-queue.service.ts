import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { JobsOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { redisConnection } from '../platform/redis';
import { JobName, JobPayloads, QUEUE_OF_JOB, QueueName } from './jobs';

/** Enqueues typed jobs. The API and the worker both enqueue; only the worker consumes. */
@Injectable()
export class JobQueue implements OnModuleDestroy {
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
        prefix: this.config.QUEUE_PREFIX,
        defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 500 }, removeOnComplete: 1000, removeOnFail: 5000 },
      });
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** A `jobId` makes a second enqueue of the same work a no-op. */
  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: JobsOptions = {}): Promise<void> {
    await this.queue(QUEUE_OF_JOB[name]).add(name, payload, options);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    this.connections.forEach((c) => c.disconnect());
  }
}
