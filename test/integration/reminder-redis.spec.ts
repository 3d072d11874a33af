import { INestApplicationContext } from '@nestjs/common';
import { Redis } from 'ioredis';
import { HealthServer } from '../../apps/worker/src/runtime/health.server';
import { remindersDueJobId } from '../../libs/domain/src';
import { JobQueue, QueueName } from '../../libs/infrastructure/src';
import { startSmtpSink } from '../support/message-sinks';
import { planMeetings } from '../support/reminder-load';
import { eventually, startWorker } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { startThrowawayRedis, ThrowawayRedis } from '../support/throwaway-redis';

const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Redis holds only the schedule's copy; PostgreSQL holds the schedule. A Redis of this file's own
 * (its own redis-server, no persistence) is flushed, and stopped for longer than BullMQ's drain delay
 * and started again empty: the same worker, never restarted, rebuilds its queues from PostgreSQL and
 * delivers every reminder, in-app and by e-mail.
 */
describe('reminders through Redis data loss and a Redis outage (own redis-server, real PostgreSQL, worker, SMTP)', () => {
  let redis: ThrowawayRedis;
  let db: TestDatabase;
  let worker: INestApplicationContext;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

  beforeAll(async () => {
    redis = await startThrowawayRedis();
    smtp = await startSmtpSink();
    db = await createTestDatabase({
      REDIS_URL: redis.url,
      SMTP_URL: smtp.url,
      NOTIFY_ATTEMPTS: '5',
      NOTIFY_BACKOFF_MS: '200',
    });
    worker = await startWorker(db);
  });

  afterAll(async () => {
    await worker?.close();
    await db?.drop();
    await smtp?.close();
    await redis?.close();
  });

  /** Occurrences of `rule` for these meetings, with how many in-app notifications and e-mails (by key) they made. */
  async function delivered(rule: string, meetingIds: string[]) {
    const rows: Array<{ key: string; status: string; generation: number; notified: number; email_key: string | null }> =
      await db.dataSource.query(
        `SELECT r.key, r.status, r.generation,
              (SELECT count(*)::int FROM delivery d JOIN notification n ON n.delivery_id = d.id WHERE d.reminder_key = r.key) AS notified,
              (SELECT d.idempotency_key FROM delivery d WHERE d.reminder_key = r.key AND d.channel = 'EMAIL') AS email_key
         FROM reminder r WHERE r.rule = $1 AND r.subject_id = ANY($2::uuid[])`,
        [rule, meetingIds],
      );
    const mailed = new Set(smtp.received.map((m) => m.key));
    return {
      rows,
      complete:
        rows.length === meetingIds.length &&
        rows.every((r) => r.status === 'FIRED' && r.notified === 1 && r.email_key && mailed.has(r.email_key)),
    };
  }

  it('FLUSHALL before reminders fall due: the relay sees the schedule is gone, rebuilds it from PostgreSQL, and none is lost', async () => {
    const soon = await planMeetings(db.dataSource, 20, {
      startsAt: new Date(Date.now() + 2 * HOUR + 12_000),
      staffCount: 4,
      sms: false,
    });
    const later = await planMeetings(db.dataSource, 5, {
      startsAt: new Date(Date.now() + 3 * 86_400_000),
      staffCount: 2,
      sms: false,
    });
    // The summonses fire at once; the "in two hours" reminders of `soon` wait as delayed jobs.
    await eventually(
      async () => (await delivered('MEETING_SUMMONS', [...soon.meetingIds, ...later.meetingIds])).complete,
      20_000,
    );
    const reminders = worker.get(JobQueue).queue(QueueName.REMINDERS);
    // Each due moment has one delayed job, shared by the occurrences due then.
    const scheduled: Array<{ due_at: Date }> = await db.dataSource.query(
      `SELECT due_at FROM reminder WHERE status = 'SCHEDULED' AND subject_id = ANY($1::uuid[])`,
      [[...soon.meetingIds, ...later.meetingIds]],
    );
    expect(scheduled.length).toBeGreaterThanOrEqual(20 + 2 * 5);
    for (const r of scheduled) expect(await reminders.getJobState(remindersDueJobId(r.due_at))).toBe('delayed');

    const admin = new Redis(redis.url);
    await admin.flushall();
    admin.disconnect();
    const flushedAt = Date.now();
    const firstDue = Math.min(...scheduled.map((r) => new Date(r.due_at).getTime()));
    expect(flushedAt).toBeLessThan(firstDue);
    expect(await reminders.getJobState(remindersDueJobId(scheduled[0].due_at))).toBe('unknown');

    // Every scheduled occurrence is a delayed job again, and those due in seconds are delivered.
    await eventually(async () => {
      for (const r of scheduled)
        if (
          (await reminders.getJobState(remindersDueJobId(r.due_at))) !== 'delayed' &&
          new Date(r.due_at).getTime() > Date.now()
        )
          return false;
      return true;
    }, 10_000);
    await eventually(async () => (await delivered('MEETING_IN_2_HOURS', soon.meetingIds)).complete, 30_000, 100);
    const laterOnes = scheduled.filter((r) => new Date(r.due_at).getTime() > Date.now() + 60_000);
    expect(laterOnes.length).toBeGreaterThanOrEqual(2 * 5);
    for (const r of laterOnes) expect(await reminders.getJobState(remindersDueJobId(r.due_at))).toBe('delayed');
    // Nothing was sent twice: e-mail keys at the receiver are unique.
    expect(new Set(smtp.received.map((m) => m.key)).size).toBe(smtp.received.length);
  }, 60_000);

  it('Redis down for 8 s and back empty: /ready says so, and the same worker resumes and delivers what was planned during and after', async () => {
    const health = worker.get(HealthServer);
    const ready = async () => {
      const response = await fetch(`http://127.0.0.1:${health.port}/ready`);
      return {
        status: response.status,
        body: (await response.json()) as { checks?: { redis: boolean; postgres: boolean } },
      };
    };
    expect(await ready()).toMatchObject({ status: 200, body: { checks: { redis: true, postgres: true } } });

    await redis.stop();
    const stoppedAt = Date.now();
    await eventually(
      async () => {
        const r = await ready();
        return r.status === 503 && r.body.checks?.redis === false && r.body.checks.postgres === true;
      },
      10_000,
      200,
    );
    // Planned during the outage: the summons is due at once, "in two hours" a few seconds after Redis is back.
    const during = await planMeetings(db.dataSource, 10, {
      startsAt: new Date(Date.now() + 2 * HOUR + 14_000),
      staffCount: 2,
      sms: false,
    });
    await sleep(Math.max(0, stoppedAt + 8_000 - Date.now()));
    expect((await ready()).body.checks?.redis).toBe(false);
    await redis.start();
    const restartedAt = Date.now();

    await eventually(async () => (await ready()).status === 200, 30_000, 200);
    const readyAgainMs = Date.now() - restartedAt;
    const after = await planMeetings(db.dataSource, 10, {
      startsAt: new Date(Date.now() + 2 * HOUR + 3_000),
      staffCount: 2,
      sms: false,
    });
    const all = [...during.meetingIds, ...after.meetingIds];
    await eventually(async () => (await delivered('MEETING_SUMMONS', all)).complete, 45_000, 200);
    const summonedMs = Date.now() - restartedAt;
    await eventually(async () => (await delivered('MEETING_IN_2_HOURS', all)).complete, 45_000, 200);
    console.log(
      `redis outage: ready again ${readyAgainMs} ms after the restart; summonses of ${all.length} meetings delivered ${summonedMs} ms after, "in two hours" ${Date.now() - restartedAt} ms after`,
    );
    expect(new Set(smtp.received.map((m) => m.key)).size).toBe(smtp.received.length);
  }, 120_000);
});
