import { TEST_REDIS_URL } from '../support/env';
import { canRunAsPid1, spawnService, ServiceProcess } from '../support/api-process';
import { dropQueueKeys } from '../support/reminder-load';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * SIGTERM (a deploy, a scale-down, `docker stop`) to the API and the worker as real processes: each closes
 * its HTTP server, subscriptions, queues, Redis connections and database pools and exits with code 0 by
 * itself, rather than re-raising the signal (which PID 1 in a container would ignore until Docker kills it).
 * The time to exit is printed; the target is 2 s. The assertion is a generous bound, since
 * the figure depends on the machine.
 */
describe('graceful shutdown of the API and the worker processes (real PostgreSQL and Redis)', () => {
  let db: TestDatabase;
  const started: ServiceProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    for (const p of started) await p.kill();
    if (db) await dropQueueKeys(TEST_REDIS_URL, db.config.QUEUE_PREFIX);
    await db?.drop();
  });

  const env = () => ({
    DATABASE_URL: db.url,
    DATABASE_OWNER_URL: db.ownerUrl,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: db.config.QUEUE_PREFIX,
    ACCESS_LOG_CHECKPOINT_FILE: db.config.ACCESS_LOG_CHECKPOINT_FILE!,
    TOKEN_SECRET: 'test-secret-test-secret-test-secret-0000',
  });

  const pid1 = canRunAsPid1();
  const cases: Array<['api' | 'worker', boolean]> = [
    ['api', false],
    ['worker', false],
    ...(pid1
      ? ([
          ['api', true],
          ['worker', true],
        ] as Array<['api' | 'worker', boolean]>)
      : []),
  ];
  if (!pid1)
    process.stdout.write(
      'graceful shutdown: cannot create a PID namespace here (unshare --pid needs root); the PID 1 cases are not run\n',
    );

  it.each(cases)(
    '%s (as PID 1: %s): exits with code 0 soon after SIGTERM, with its connections in use',
    async (service, asPid1) => {
      const proc = await spawnService(service, env(), { asPid1 });
      started.push(proc);
      if (service === 'api') {
        // Connections in use: a request served, a keep-alive connection left open, a subscription socket open.
        const base = `http://127.0.0.1:${proc.port}`;
        expect((await fetch(`${base}/ready`)).status).toBe(200);
        const { WebSocket } = await import('ws');
        const socket = new WebSocket(`ws://127.0.0.1:${proc.port}/graphql`, 'graphql-transport-ws');
        await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
        socket.on('error', () => undefined);
      } else {
        expect((await fetch(`http://127.0.0.1:${proc.port}/ready`)).status).toBe(200);
      }
      const exit = await proc.terminate();
      process.stdout.write(
        `graceful shutdown: ${service}${asPid1 ? ' as PID 1' : ''} exited (code ${exit.code}, signal ${exit.signal}) ${exit.ms} ms after SIGTERM\n`,
      );
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(proc.output()).toContain('Shut down');
      // Generous: the 2 s target plus room for a busy machine; a hang until a kill (10 s in Docker) fails.
      expect(exit.ms).toBeLessThan(8000);
    },
    120_000,
  );
});
