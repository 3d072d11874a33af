import { startTestApi, TestApi } from '../support/test-api';
import { eventually } from '../support/test-context';
import { startThrowawayRedis, ThrowawayRedis } from '../support/throwaway-redis';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/** The API's probes for an orchestrator: /health (the process answers) and /ready (its dependencies do too). */
describe('health and readiness of the API', () => {
  let redis: ThrowawayRedis;
  let db: TestDatabase;
  let api: TestApi;
  let base: string;

  beforeAll(async () => {
    // A Redis of this test's own, so that stopping it disturbs no other test.
    redis = await startThrowawayRedis();
    db = await createTestDatabase({ REDIS_URL: redis.url });
    api = await startTestApi(db);
    base = api.url.replace(/\/graphql$/, '');
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
    await redis?.close();
  });

  const probe = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, { headers });
    return { status: response.status, body: await response.json() };
  };

  it('answers /health and /ready without a login, naming each dependency, and nothing about anyone', async () => {
    expect(await probe('/health')).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok' }) });
    const ready = await probe('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ok', info: { postgres: { status: 'up' }, redis: { status: 'up' } } });
    // A browser opening them gets the probe's answer, not the web client's page.
    expect((await probe('/health', { accept: 'text/html' })).body).toMatchObject({ status: 'ok' });
  });

  it('is unready while Redis is away (503, naming Redis) and ready again when it is back; alive throughout', async () => {
    await redis.stop();
    const away = await probe('/ready');
    expect(away.status).toBe(503);
    expect(away.body).toMatchObject({
      status: 'error',
      error: { redis: { status: 'down' } },
      info: { postgres: { status: 'up' } },
    });
    expect((await probe('/health')).status).toBe(200);

    await redis.start();
    // The probe's connection comes back by itself, when ioredis next retries.
    const back = await eventually(async () => {
      const answer = await probe('/ready');
      return answer.status === 200 && answer;
    }, 30_000);
    expect(back.body).toMatchObject({ status: 'ok' });
  });
});
