import { planMeetings } from '../support/reminder-load';
import { eventually } from '../support/test-context';
import { TestDatabase } from '../support/test-database';
import { deliveryScene, DeliveryScene } from '../support/delivery-scene';

const MEETINGS = 400;

/**
 * SIGTERM (a deploy, a scale-down) while the worker delivers: the jobs in flight finish, the process
 * exits cleanly, the rest stays queued for the next worker, and nothing is sent twice.
 */
describe('graceful worker shutdown during delivery (worker processes, real PostgreSQL, Redis, SMTP and SMS servers)', () => {
  let scene: DeliveryScene;
  let db: TestDatabase;
  let smtp: DeliveryScene['smtp'];
  let sms: DeliveryScene['sms'];

  beforeAll(async () => {
    scene = await deliveryScene();
    ({ db, smtp, sms } = scene);
  });

  afterAll(async () => {
    await scene?.close();
  });

  it('SIGTERM mid-delivery: in-flight sends finish and are recorded before the process exits, the next worker sends the rest once', async () => {
    await planMeetings(db.dataSource, MEETINGS, { startsAt: new Date(Date.now() + 3 * 86_400_000), staffCount: 10 });

    const first = await scene.startWorker();
    await eventually(async () => smtp.received.length + sms.received.length >= 100, 60_000, 2);
    await first.stop();
    // The shutdown hooks run on SIGTERM and the process exits by itself with code 0 (libs/infrastructure/src/platform/shutdown.ts).
    expect(first.output()).toContain('Stopped: jobs in flight finished');
    expect(first.child.exitCode).toBe(0);

    // After a graceful stop nothing is half-done: every message a receiver has is recorded as sent.
    const sent = new Set(
      (
        await db.dataSource.query(
          `SELECT idempotency_key FROM delivery WHERE status = 'SENT' AND channel IN ('EMAIL', 'SMS')`,
        )
      ).map((r: { idempotency_key: string }) => r.idempotency_key),
    );
    const received = [...smtp.received, ...sms.received].map((m) => m.key);
    expect(received.filter((k) => !sent.has(k))).toEqual([]);
    expect(received.length).toBeLessThan(2 * MEETINGS);

    const second = await scene.startWorker();
    await eventually(
      async () => {
        const [row] = await db.dataSource.query(
          `SELECT count(*) FILTER (WHERE status = 'SENT')::int AS sent, count(*)::int AS total FROM delivery WHERE channel IN ('EMAIL', 'SMS')`,
        );
        return row.total === 2 * MEETINGS && row.sent === row.total;
      },
      // The second worker derives what the first did not get to (300 persons' reminders through the outbox) and
      // sends 600 messages: about 20 s on a quiet machine, over a minute on two cores shared by several test runs.
      150_000,
      250,
    );
    await second.stop();
    expect(second.output()).toContain('Stopped: jobs in flight finished');
    const all = [...smtp.received, ...sms.received].map((m) => m.key);
    expect(all).toHaveLength(2 * MEETINGS);
    expect(new Set(all).size).toBe(2 * MEETINGS);
  }, 240_000);
});
