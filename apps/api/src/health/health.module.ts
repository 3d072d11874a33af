// Endpoints for the orchestrator and the load balancer (@nestjs/terminus): /health says the process answers
// (restart it if not), /ready that PostgreSQL and Redis answer too (send it no requests if not). Neither
// needs a login or tells anything about a person; each check gives up after two seconds, so a hung
// dependency makes the API unready instead of hanging the probe.
import { Controller, Get, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule } from '@nestjs/terminus';
import { Public } from '@samverka/auth';
import { sql } from '@samverka/domain';
import { APP_CONFIG, AppConfig, redisConnection } from '@samverka/infrastructure';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';

const CHECK_TIMEOUT_MS = 2000;

/** `work` within CHECK_TIMEOUT_MS, or a rejection naming the wait. */
function within<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>(
    (_, reject) =>
      (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)),
  );
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

@Injectable()
export class DependencyChecks implements OnApplicationShutdown {
  /** Its own connection, which fails fast: during an outage a probe must answer, not queue behind the app's retries. */
  private readonly redis: Redis;

  constructor(
    private readonly db: DataSource,
    private readonly indicators: HealthIndicatorService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.redis = redisConnection(config, { maxRetriesPerRequest: 1, lazyConnect: true, enableOfflineQueue: false });
  }

  async postgres() {
    const check = this.indicators.check('postgres');
    try {
      await within(sql(this.db, 'SELECT 1'));
      return check.up();
    } catch (error) {
      return check.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  async redisUp() {
    const check = this.indicators.check('redis');
    try {
      if (this.redis.status === 'wait' || this.redis.status === 'end') await within(this.redis.connect());
      await within(this.redis.ping());
      return check.up();
    } catch (error) {
      return check.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

/** Probes answer without a login: they read no person's data and say only whether the parts answer. */
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: DependencyChecks,
  ) {}

  /** Liveness: the process runs and answers. */
  @Get('health')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Readiness: PostgreSQL and Redis answer; 503 with the failing one otherwise. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.checks.postgres(), () => this.checks.redisUp()]);
  }
}

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DependencyChecks],
})
export class HealthModule {}
