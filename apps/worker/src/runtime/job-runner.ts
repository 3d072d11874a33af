import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import {
  announce,
  APP_CONFIG,
  AppConfig,
  boundedWait,
  JobData,
  Metrics,
  queuePrefix,
  JobName,
  JobQueue,
  QUEUE_OF_JOB,
  QueueName,
  redisConnection,
  REPEATING_JOBS,
} from '@samverka/infrastructure';
import { Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { JOB_HANDLER } from './job-handler.decorator';

type Handler = (payload: unknown, job: Job, token?: string) => Promise<unknown>;

/** Per-queue concurrency: each kind of work is tuned on its own. */
export const CONCURRENCY: Record<QueueName, number> = {
  [QueueName.HOUSEKEEPING]: 1,
  [QueueName.DECISIONS]: 2,
  // Row locks make concurrent discharges safe; more than a few only queue up on the same rows.
  [QueueName.DISCHARGE]: 4,
  // Due reminders are fired in batches (RemindersProcessor): enough jobs at once to fill them.
  [QueueName.REMINDERS]: 64,
  // E-mail and SMS wait mostly on the network.
  [QueueName.EMAIL]: 16,
  [QueueName.SMS]: 16,
  // Webhooks wait on partners' endpoints (up to WEBHOOK_TIMEOUT_MS each).
  [QueueName.WEBHOOKS]: 16,
};

/**
 * Starts one BullMQ worker per queue and routes each job to its @JobHandler. Boot fails when a job
 * name has no handler or two, so a job can never sit in a queue that nothing consumes.
 */
@Injectable()
export class JobRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Worker');
  private readonly workers: Worker[] = [];
  private readonly connections: Redis[] = [];
  private readonly handlers = new Map<JobName, Handler>();
  /** Set when the worker starts to stop: a long job ends early and leaves the rest to the next worker. */
  stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly jobs: JobQueue,
    private readonly pino: PinoLogger,
    private readonly metrics: Metrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.collectHandlers();
    for (const queue of Object.values(QueueName)) {
      const connection = redisConnection(this.config);
      this.connections.push(connection);
      const worker = new Worker(queue, (job, token) => this.run(job, token), {
        connection,
        prefix: queuePrefix(this.config),
        concurrency: CONCURRENCY[queue],
        // A killed worker's jobs are taken up again within about 15 s (a 10 s lock, checked every 5 s);
        // a job run twice is harmless here (firing is idempotent, sends carry their idempotency key).
        // Only a job that keeps killing workers is given up.
        lockDuration: 10_000,
        stalledInterval: 5_000,
        maxStalledCount: 5,
      });
      worker.on('failed', (job, error) => {
        // Class and code only: a message may quote personal data. Job ids hold ids only.
        const code = (error as { code?: string }).code;
        this.metrics.jobsFailed.inc({ queue, job: job?.name ?? 'unknown' });
        this.logger.warn({
          event: 'job.failed',
          ...jobFields(queue, job),
          attempt: job?.attemptsMade,
          error: error.name,
          ...(code ? { code } : {}),
          msg: `${queue}/${job?.name} job ${job?.id} failed (attempt ${job?.attemptsMade}): ${error.name}${code ? ` (${code})` : ''}`,
        });
      });
      // A job whose worker died (its lock lapsed) is taken up again: the recovery is worth a line.
      worker.on('stalled', (jobId, previous) => {
        this.metrics.jobsStalled.inc({ queue });
        this.logger.warn({
          event: 'job.stalled',
          queue,
          jobId,
          previous,
          msg: `${queue} job ${jobId} stalled (was ${previous}); taken up again`,
        });
      });
      worker.on('error', (error) =>
        this.logger.error(`${queue} worker error: ${error.name}: ${error.message.split('\n')[0]}`),
      );
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    await this.upsertSchedulers();
    this.logger.log(`Consuming ${Object.values(QueueName).join(', ')} (${this.handlers.size} job types)`);
  }

  /** The repeating jobs live in Redis; after Redis has lost its data they are put back from here. */
  async upsertSchedulers(): Promise<void> {
    for (const { name, pattern } of REPEATING_JOBS) {
      await this.jobs
        .queue(QUEUE_OF_JOB[name])
        .upsertJobScheduler(name, { pattern, tz: 'Europe/Stockholm' }, { name, data: {} });
    }
  }

  /** Ready when every queue has a running consumer. */
  get running(): boolean {
    return this.workers.length > 0 && this.workers.every((w) => w.isRunning());
  }

  /**
   * Graceful: each worker stops taking jobs and waits for those in flight to finish (at most
   * SHUTDOWN_GRACE_MS), before the queues they enqueue into and the database close.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const finished = await boundedWait(
      Promise.all(this.workers.map((w) => w.close())).then(() => true),
      this.config.SHUTDOWN_GRACE_MS,
      false,
    );
    this.connections.forEach((c) => c.disconnect());
    if (!this.workers.length) return;
    if (finished) announce('Worker', 'Stopped: jobs in flight finished, the rest stay queued');
    // Cut off: their locks lapse and another worker takes them up again (stalled-job check); handlers are idempotent.
    else
      announce(
        'Worker',
        `Stopped: jobs still running after ${this.config.SHUTDOWN_GRACE_MS} ms were cut off and will be taken up again`,
        { event: 'shutdown.jobs_cut_off' },
      );
  }

  private collectHandlers(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const name = this.reflector.get<JobName | undefined>(JOB_HANDLER, instance[method] as () => unknown);
        if (!name) continue;
        if (this.handlers.has(name)) throw new Error(`Job ${name} has two handlers`);
        this.handlers.set(name, (instance[method] as Handler).bind(instance));
      }
    }
    const missing = Object.values(JobName).filter((name) => !this.handlers.has(name));
    if (missing.length) throw new Error(`No handler for job(s): ${missing.join(', ')}`);
  }

  /**
   * Runs a job in its own log context: every line its handler logs names the queue, the job and, when an
   * HTTP request enqueued it, that request's id. Its end is logged with how long it took.
   */
  private async run(job: Job, token?: string): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new Error(`No handler for job ${job.name}`);
    return this.pino.runInContext(
      async () => {
        const started = performance.now();
        const result = await handler(job.data, job, token);
        this.metrics.jobsProcessed.inc({ queue: job.queueName, job: job.name });
        this.logger.log({
          event: 'job.completed',
          ms: Math.round(performance.now() - started),
          msg: `${job.queueName}/${job.name} job done`,
        });
        return result;
      },
      { bindings: jobFields(job.queueName, job) },
    );
  }
}

/** What identifies a job in the log: queue, name, id (ids only, never personal data) and the enqueuing request's id. */
function jobFields(queue: string, job: Job | undefined): Record<string, unknown> {
  const requestId = (job?.data as JobData<object> | undefined)?.httpRequestId;
  return { queue, job: job?.name, jobId: job?.id, ...(typeof requestId === 'string' ? { requestId } : {}) };
}
