import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { sql } from '@samverka/domain';
import { announce, APP_CONFIG, AppConfig, Metrics, redisConnection } from '@samverka/infrastructure';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { JobRunner } from './job-runner';

/**
 * The worker's own HTTP endpoints for orchestrators: `/health` (the process answers), `/ready`
 * (PostgreSQL and Redis answer and every queue has a running consumer; 503 with the failing parts) and
 * `/metrics` for Prometheus (behind METRICS_TOKEN like the API's).
 */
@Injectable()
export class HealthServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;
  private redis?: Redis;

  constructor(
    private readonly db: DataSource,
    private readonly runner: JobRunner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  async readiness(): Promise<{ ready: boolean; checks: Record<string, boolean> }> {
    const within = <T>(p: Promise<T>) =>
      Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]).catch(
        () => false,
      );
    const checks = {
      postgres: await within(sql(this.db, 'SELECT 1')),
      redis: await within(this.redis!.ping()),
      consumers: this.runner.running,
    };
    return { ready: Object.values(checks).every(Boolean), checks };
  }

  async onApplicationBootstrap(): Promise<void> {
    // Its own connection: during an outage a ping waits (bounded above) instead of failing at once.
    this.redis = redisConnection(this.config, { maxRetriesPerRequest: 1 });
    this.server = createServer((req, res) => {
      const reply = (status: number, body: object) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/health') return reply(200, { status: 'ok' });
      if (req.url === '/ready') {
        void this.readiness().then(
          (r) => reply(r.ready ? 200 : 503, r),
          () => reply(503, { ready: false }),
        );
        return;
      }
      if (req.url === '/metrics') {
        const allowed = this.metrics.allows(req.headers.authorization);
        if (allowed === 'off') return reply(404, { error: 'not found' });
        if (allowed === 'unauthorized') return reply(401, { error: 'unauthorized' });
        void this.metrics.exposition().then(
          ({ contentType, body }) => {
            res.writeHead(200, { 'content-type': contentType });
            res.end(body);
          },
          () => reply(500, { error: 'metrics unavailable' }),
        );
        return;
      }
      reply(404, { error: 'not found' });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.config.WORKER_HEALTH_PORT, resolve));
    announce('Health', `Health on :${this.port}/health, /ready and /metrics`, { port: this.port });
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis?.disconnect();
    // Keep-alive connections (a scraper's, a probe's) would otherwise hold the close open.
    this.server?.closeAllConnections();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }
}
