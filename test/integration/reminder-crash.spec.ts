import { CONCURRENCY } from '../../apps/worker/src/runtime/job-runner';
import { EMAIL_SENDS_IN_FLIGHT } from '../../libs/domain/src';
import { QueueName } from '../../libs/infrastructure/src';
import { planMeetings } from '../support/reminder-load';
import { eventually } from '../support/test-context';
import { TestDatabase } from '../support/test-database';
import { deliveryScene, DeliveryScene } from '../support/delivery-scene';

const MEETINGS = 1000;
/**
 * At most this many sends per channel can be cut short by a kill: e-mails handed to SMTP and not yet recorded
 * (batched e-mail, ReminderDispatcher), and the SMS consumers' concurrency (apps/worker job-runner).
 */
const EMAIL_IN_FLIGHT = EMAIL_SENDS_IN_FLIGHT;
const SMS_IN_FLIGHT = CONCURRENCY[QueueName.SMS];

/**
 * A worker process is killed (SIGKILL) in the middle of delivering 1,000 due reminders, each with an
 * e-mail and an SMS; a new worker process takes over. Nothing is lost, and the only copies are the
 * sends the killed worker had handed to a channel but not yet recorded as sent (the receivers drop
 * them by idempotency key).
 */
describe('reminder delivery across a killed worker (worker processes, real PostgreSQL, Redis, SMTP and SMS servers)', () => {
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

  it('SIGKILL mid-delivery: every e-mail and SMS arrives, copies only of the sends in flight, every delivery ends SENT', async () => {
    // The real path from the data: 1,000 meetings planned three days ahead (SQL, with the outbox rows
    // the triggers write) while no worker runs; the worker's relay derives each summons, due at once.
    await planMeetings(db.dataSource, MEETINGS, { startsAt: new Date(Date.now() + 3 * 86_400_000), staffCount: 20 });

    const t0 = Date.now();
    const first = await scene.startWorker({ NOTIFY_ATTEMPTS: '5', NOTIFY_BACKOFF_MS: '200' });
    const received = () => smtp.received.length + sms.received.length;
    await eventually(async () => received() >= 300, 60_000, 2);
    await first.kill();
    const killedAt = Date.now();
    // A statement the dead worker sent just before the kill still runs to its end; a message already
    // in a socket still reaches its sink. Both settle within a moment.
    await new Promise((r) => setTimeout(r, 500));

    const receivedAtKill = new Map<string, string>([
      ...smtp.received.map((m) => [m.key, 'EMAIL'] as const),
      ...sms.received.map((m) => [m.key, 'SMS'] as const),
    ]);
    const sentAtKill = new Set(
      (
        await db.dataSource.query(
          `SELECT idempotency_key FROM delivery WHERE status = 'SENT' AND channel IN ('EMAIL', 'SMS')`,
        )
      ).map((r: { idempotency_key: string }) => r.idempotency_key),
    );
    // In flight: the receiver has it, the database does not yet say SENT.
    const inFlight = [...receivedAtKill.keys()].filter((k) => !sentAtKill.has(k));
    expect(receivedAtKill.size).toBeGreaterThan(0);
    expect(receivedAtKill.size).toBeLessThan(2 * MEETINGS);

    const second = await scene.startWorker({ NOTIFY_ATTEMPTS: '5', NOTIFY_BACKOFF_MS: '200' });
    await eventually(
      async () => {
        const [row] = await db.dataSource.query(
          `SELECT count(*) FILTER (WHERE d.status = 'SENT')::int AS sent, count(*)::int AS total
             FROM delivery d WHERE d.channel IN ('EMAIL', 'SMS')`,
        );
        return row.total === 2 * MEETINGS && row.sent === row.total;
      },
      // The killed worker's active jobs come back when BullMQ finds them stalled (lock 30 s, check every 30 s): 60 to 90 s.
      170_000,
      250,
    );
    const recoveredAt = Date.now();
    await second.stop();
    // What brought the killed worker's jobs back: BullMQ's stalled-job check, or the relay's once-a-minute sweep.
    const recovery = second
      .output()
      .split('\n')
      .filter((line) => /Sweep|rebuilt|stalled/i.test(line))
      .map((line) => line.replace(/^\[Nest\] \d+\s+-\s+/, ''));

    const summonses: Array<{ key: string; status: string; email: number; sms: number; in_app: number }> =
      await db.dataSource.query(
        `SELECT r.key, r.status,
              count(*) FILTER (WHERE d.channel = 'EMAIL')::int AS email,
              count(*) FILTER (WHERE d.channel = 'SMS')::int AS sms,
              count(*) FILTER (WHERE d.channel = 'IN_APP')::int AS in_app
         FROM reminder r LEFT JOIN delivery d ON d.reminder_key = r.key
        WHERE r.rule = 'MEETING_SUMMONS' GROUP BY r.key, r.status`,
      );
    expect(summonses).toHaveLength(MEETINGS);
    expect(summonses.filter((s) => s.status !== 'FIRED' || s.email !== 1 || s.sms !== 1 || s.in_app !== 1)).toEqual([]);
    const [{ due_still_scheduled }] = await db.dataSource.query(
      `SELECT count(*)::int AS due_still_scheduled FROM reminder WHERE status = 'SCHEDULED' AND due_at <= now()`,
    );
    expect(due_still_scheduled).toBe(0);
    const statuses = await db.dataSource.query(
      `SELECT channel, status, count(*)::int AS n FROM delivery GROUP BY channel, status ORDER BY channel`,
    );
    expect(statuses).toEqual([
      { channel: 'EMAIL', status: 'SENT', n: MEETINGS },
      { channel: 'IN_APP', status: 'SENT', n: MEETINGS },
      { channel: 'SMS', status: 'SENT', n: MEETINGS },
    ]);
    const [{ notifications }] = await db.dataSource.query(
      `SELECT count(*)::int AS notifications FROM notification WHERE kind = 'MEETING_SUMMONS'`,
    );
    expect(notifications).toBe(MEETINGS);

    // Every expected message reached its receiver, by idempotency key.
    const expected = async (channel: string) =>
      new Set(
        (await db.dataSource.query(`SELECT idempotency_key FROM delivery WHERE channel = $1`, [channel])).map(
          (r: { idempotency_key: string }) => r.idempotency_key,
        ),
      );
    const emailKeys = await expected('EMAIL');
    const smsKeys = await expected('SMS');
    expect(new Set(smtp.received.map((m) => m.key))).toEqual(emailKeys);
    expect(new Set(sms.received.map((m) => m.key))).toEqual(smsKeys);

    // Copies: only keys that were in flight at the kill, at most one each, at most the channel's concurrency.
    const copies = (messages: Array<{ key: string }>) => {
      const seen = new Map<string, number>();
      for (const m of messages) seen.set(m.key, (seen.get(m.key) ?? 0) + 1);
      return [...seen].filter(([, n]) => n > 1);
    };
    const emailCopies = copies(smtp.received);
    const smsCopies = copies(sms.received);
    const inFlightSet = new Set(inFlight);
    for (const [key, n] of [...emailCopies, ...smsCopies]) {
      expect(inFlightSet.has(key)).toBe(true);
      expect(n).toBe(2);
    }
    expect(emailCopies.length + smsCopies.length).toBeLessThanOrEqual(inFlight.length);
    expect(emailCopies.length).toBeLessThanOrEqual(EMAIL_IN_FLIGHT);
    expect(smsCopies.length).toBeLessThanOrEqual(SMS_IN_FLIGHT);
    console.log(
      `reminder crash: ${receivedAtKill.size} of ${2 * MEETINGS} messages had arrived at the kill, ${inFlight.length} in flight ` +
        `(${inFlight.filter((k) => receivedAtKill.get(k) === 'EMAIL').length} e-mail, ${inFlight.filter((k) => receivedAtKill.get(k) === 'SMS').length} SMS); ` +
        `copies received: ${emailCopies.length} e-mail, ${smsCopies.length} SMS; killed ${killedAt - t0} ms after the first start, all sent ${recoveredAt - killedAt} ms after the kill; new worker: ${recovery.join(' | ') || 'no sweep or rebuild'}`,
    );
  }, 240_000);
});
