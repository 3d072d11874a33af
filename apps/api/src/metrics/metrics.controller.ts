// GET /metrics for Prometheus: the process, HTTP requests by route, GraphQL operations by name, the
// database pool, the job queues and the access log's unsealed backlog. Protected by METRICS_TOKEN (README,
// "Metrics"); it reads no person's data, so it needs no login.
import { Controller, Get, Headers, Injectable, Module, OnModuleInit, Res } from '@nestjs/common';
import { Public } from '@samverka/auth';
import { sql } from '@samverka/domain';
import { Metrics } from '@samverka/infrastructure';
import type { Response } from 'express';
import { DataSource } from 'typeorm';

@Public()
@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    const allowed = this.metrics.allows(authorization);
    if (allowed === 'off') {
      res.status(404).json({ statusCode: 404, message: 'Not Found' });
      return;
    }
    if (allowed === 'unauthorized') {
      res.status(401).setHeader('www-authenticate', 'Bearer').json({ statusCode: 401, message: 'Unauthorized' });
      return;
    }
    const { contentType, body } = await this.metrics.exposition();
    res.status(200).type(contentType).send(body);
  }
}

/** The API's own gauges, read at scrape time. */
@Injectable()
export class ApiGauges implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.metrics.trackQueues();
    // Entries are chained every second; an old unsealed one means the sealer is stuck (the chain is not growing).
    this.metrics.gaugeFromQuery(
      'samverka_access_log_unsealed_oldest_seconds',
      'Age of the oldest access-log entry not yet chained (0: none)',
      async () => {
        const [row] = await sql<{ age: number }>(
          this.db,
          `SELECT coalesce(extract(epoch FROM now() - (SELECT occurred_at FROM access_log WHERE chain_seq IS NULL ORDER BY id LIMIT 1)), 0)::float8 AS age`,
        );
        return row.age;
      },
    );
  }
}

@Module({ controllers: [MetricsController], providers: [ApiGauges] })
export class MetricsModule {}
