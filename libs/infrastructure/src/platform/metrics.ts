import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { JobQueue } from '../jobs/job-queue.service';
import { QueueName } from '../jobs/jobs';

/** A gauge read at scrape time gives up after this long: a hung Redis or PostgreSQL must not hang the scrape. */
const COLLECT_TIMEOUT_MS = 2000;

function within<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), COLLECT_TIMEOUT_MS)),
  );
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The states of a queue worth watching: work piling up (waiting, delayed), in progress, and given up (failed). */
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

export type MetricsAccess = 'ok' | 'unauthorized' | 'off';

/**
 * Whether a scrape may read the metrics: with METRICS_TOKEN set, only with `Authorization: Bearer <token>`
 * (compared in constant time); without it, never in production (the endpoint answers 404 there), freely elsewhere.
 */
export function metricsAccess(
  config: Pick<AppConfig, 'METRICS_TOKEN' | 'NODE_ENV'>,
  authorization: string | undefined,
): MetricsAccess {
  const token = config.METRICS_TOKEN;
  if (!token) return config.NODE_ENV === 'production' ? 'off' : 'ok';
  const given = Buffer.from(/^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'unauthorized';
}

/**
 * The Prometheus metrics of one process (prom-client), in a registry of its own so that several
 * applications in one process (tests) do not collide. Labels never hold personal data or ids: routes,
 * operation names, queues and job names only.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'samverka_http_request_duration_seconds',
    help: 'HTTP requests by route pattern, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly graphqlOperations = new Counter({
    name: 'samverka_graphql_operations_total',
    help: 'GraphQL operations by operation name, type (query, mutation, subscription) and result (ok, error)',
    labelNames: ['operation', 'type', 'result'] as const,
    registers: [this.registry],
  });

  readonly loginLockouts = new Counter({
    name: 'samverka_login_lockouts_total',
    help: 'Logins refused because a username or client address is locked after repeated failures',
    labelNames: ['scope'] as const,
    registers: [this.registry],
  });

  readonly rateLimitRefusals = new Counter({
    name: 'samverka_rate_limit_refusals_total',
    help: 'Requests refused over the per-user or per-client rate',
    labelNames: ['scope'] as const,
    registers: [this.registry],
  });

  readonly jobsProcessed = new Counter({
    name: 'samverka_jobs_processed_total',
    help: 'Jobs this worker ran to completion, by queue and job name',
    labelNames: ['queue', 'job'] as const,
    registers: [this.registry],
  });

  readonly jobsFailed = new Counter({
    name: 'samverka_jobs_failed_total',
    help: 'Job attempts that failed in this worker (each retry counts), by queue and job name',
    labelNames: ['queue', 'job'] as const,
    registers: [this.registry],
  });

  readonly jobsStalled = new Counter({
    name: 'samverka_jobs_stalled_total',
    help: 'Jobs found stalled (their worker died) and taken up again, by queue',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  /** Distinct GraphQL operation names counted so far: a client choosing names must not grow the label set without bound. */
  private readonly operationNames = new Set<string>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly jobs: JobQueue,
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.trackDatabasePool();
  }

  /** An operation name as a label: known-shaped names, at most 200 distinct, the rest as `other`. */
  operationLabel(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.operationNames.has(name)) return name;
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name) || this.operationNames.size >= 200) return 'other';
    this.operationNames.add(name);
    return name;
  }

  /** The connection pool of TypeORM's pg driver: connections open, idle, and requests waiting for one. */
  private trackDatabasePool(): void {
    const pool = () => (this.db.driver as unknown as { master?: Pool }).master;
    const gauge = (name: string, help: string, read: (p: Pool) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          const p = pool();
          if (p) this.set(read(p));
        },
      });
    gauge('samverka_db_pool_connections', 'PostgreSQL connections open in this process pool', (p) => p.totalCount);
    gauge('samverka_db_pool_idle', 'PostgreSQL connections idle in this process pool', (p) => p.idleCount);
    gauge(
      'samverka_db_pool_waiting',
      'Queries waiting for a free PostgreSQL connection in this process pool',
      (p) => p.waitingCount,
    );
    gauge(
      'samverka_db_pool_max',
      'The size limit of this process pool (DATABASE_POOL_SIZE)',
      () => this.config.DATABASE_POOL_SIZE,
    );
  }

  /** Jobs per queue and state, read from Redis at scrape time (the API exposes these; one process is enough). */
  trackQueues(): void {
    const jobs = this.jobs;
    const failedScrapes = new Counter({
      name: 'samverka_queue_scrape_errors_total',
      help: 'Scrapes that could not read the queue counts from Redis',
      registers: [this.registry],
    });
    new Gauge({
      name: 'samverka_queue_jobs',
      help: 'Jobs in each BullMQ queue by state (waiting, active, delayed, failed)',
      labelNames: ['queue', 'state'] as const,
      registers: [this.registry],
      async collect() {
        this.reset();
        try {
          const counts = await within(
            Promise.all(
              Object.values(QueueName).map(
                async (queue) => [queue, await jobs.queue(queue).getJobCounts(...QUEUE_STATES)] as const,
              ),
            ),
          );
          for (const [queue, byState] of counts)
            for (const state of QUEUE_STATES) this.set({ queue, state }, byState[state] ?? 0);
        } catch {
          failedScrapes.inc();
        }
      },
    });
  }

  /** A gauge whose value is read (from the database, say) at scrape time; left unset when the read fails or takes too long. */
  gaugeFromQuery(name: string, help: string, read: () => Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.reset();
        const value = await within(read()).catch(() => undefined);
        if (value !== undefined) this.set(value);
      },
    });
  }

  /** Whether a scrape with this Authorization header may read the metrics (metricsAccess). */
  allows(authorization: string | undefined): MetricsAccess {
    return metricsAccess(this.config, authorization);
  }

  /** The text exposition format and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
