import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { HealthServer } from '../../apps/worker/src/runtime/health.server';
import { JobName, JobQueue } from '../../libs/infrastructure/src';
import { TEST_REDIS_URL } from '../support/env';
import { dropQueueKeys } from '../support/reminder-load';
import { startTestApi, TestApi } from '../support/test-api';
import { eventually, startWorker } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const TOKEN = 'metrics-test-token-0123456789';

/** `name{labels} value` lines of the text exposition, as a map from the series to its value. */
function parse(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

/** Prometheus metrics of the API (GET /metrics) and the worker (its health port), behind METRICS_TOKEN. */
describe('metrics for Prometheus (API and worker, real PostgreSQL and Redis)', () => {
  let db: TestDatabase;
  let api: TestApi;
  let worker: INestApplicationContext | undefined;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase({ METRICS_TOKEN: TOKEN });
    api = await startTestApi(db);
    base = api.url.replace(/\/graphql$/, '');
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await dropQueueKeys(TEST_REDIS_URL, db.config.QUEUE_PREFIX);
    await db?.drop();
  });

  const scrape = async (url: string, token: string | null = TOKEN) => {
    const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
  };

  it('refuses a scrape without the token or with another', async () => {
    expect((await scrape(`${base}/metrics`, null)).status).toBe(401);
    expect((await scrape(`${base}/metrics`, `${TOKEN}-not`)).status).toBe(401);
  });

  it('API: process, HTTP by route pattern, GraphQL by operation, database pool, queues and the access log backlog', async () => {
    await api.gql(`query Probe { __typename }`);
    await api.gql(`query Probe { __typename }`);
    // Refused (no login): counted as an error of its operation. A document that does not validate has no operation yet.
    await api.gql(`query Who { me { id } }`);
    await api.gql(`query Broken { nothingHere }`);
    const personId = randomUUID();
    await fetch(`${base}/documents/persons/${personId}/sip-plan.pdf`);
    // A delayed job shows as delayed in its queue.
    await api.app
      .get(JobQueue)
      .enqueue(
        JobName.PROPOSAL_DEADLINE,
        { proposalId: randomUUID() },
        { jobId: `metrics-${randomUUID()}`, delay: 3_600_000 },
      );

    const { status, type, text } = await scrape(`${base}/metrics`);
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parse(text);
    expect(m.get('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(
      m.get('samverka_http_request_duration_seconds_count{method="POST",route="/graphql",status="200"}'),
    ).toBeGreaterThanOrEqual(2);
    // A route's pattern, never the id in the path.
    expect(
      m.get(
        'samverka_http_request_duration_seconds_count{method="GET",route="/documents/persons/:personId/sip-plan.pdf",status="401"}',
      ),
    ).toBe(1);
    expect(text).not.toContain(personId);
    expect(m.get('samverka_graphql_operations_total{operation="Probe",type="query",result="ok"}')).toBe(2);
    expect(m.get('samverka_graphql_operations_total{operation="Who",type="query",result="error"}')).toBe(1);
    expect(m.get('samverka_graphql_operations_total{operation="anonymous",type="unknown",result="error"}')).toBe(1);
    expect(m.get('samverka_db_pool_max')).toBe(5);
    expect(m.get('samverka_db_pool_connections')).toBeGreaterThan(0);
    expect(m.get('samverka_db_pool_waiting')).toBe(0);
    expect(m.has('samverka_db_pool_idle')).toBe(true);
    expect(m.get('samverka_queue_jobs{queue="decisions",state="delayed"}')).toBe(1);
    expect(m.get('samverka_queue_jobs{queue="discharge",state="failed"}')).toBe(0);
    expect(m.get('samverka_access_log_unsealed_oldest_seconds')).toBeGreaterThanOrEqual(0);
  });

  it('worker: jobs processed and failed by queue and job, and the relay lag, on its health port', async () => {
    worker = await startWorker(db);
    const port = worker.get(HealthServer).port;
    await worker.get(JobQueue).enqueue(JobName.DECISION_SWEEP, {}, { jobId: `metrics-sweep-${randomUUID()}` });
    const url = `http://127.0.0.1:${port}/metrics`;
    expect((await scrape(url, null)).status).toBe(401);
    const m = await eventually(
      async () => {
        const series = parse((await scrape(url)).text);
        return (
          (series.get('samverka_jobs_processed_total{queue="decisions",job="decision-sweep"}') ?? 0) >= 1 && series
        );
      },
      20_000,
      100,
    );
    expect(m.get('samverka_outbox_relay_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(m.has('samverka_db_pool_waiting')).toBe(true);
    expect(m.get('process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });
});
