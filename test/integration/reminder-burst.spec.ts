import { INestApplicationContext } from '@nestjs/common';
import { deliveryJobId, ReminderDispatcher, remindersDueJobId, ReminderScheduler } from '../../libs/domain/src';
import { JobName, JobQueue, QueueName } from '../../libs/infrastructure/src';
import { startSmtpSink } from '../support/message-sinks';
import { planMeetings } from '../support/reminder-load';
import { startDomain } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const MEETINGS = 600;

/**
 * A burst of occurrences due at one moment is one delayed job (named by the moment only), fired in large
 * set-based batches exactly once, and its e-mails go in batch jobs over pooled SMTP connections, each recorded
 * as sent, none twice. Real PostgreSQL, Redis and SMTP server; the jobs' handlers are called directly.
 */
describe('a burst of reminders due at one moment (real PostgreSQL, Redis, SMTP server)', () => {
  let db: TestDatabase;
  let domain: INestApplicationContext;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    db = await createTestDatabase({ SMTP_URL: smtp.url });
    domain = await startDomain(db);
  });

  afterAll(async () => {
    for (const q of [QueueName.REMINDERS, QueueName.EMAIL])
      await domain?.get(JobQueue).queue(q).obliterate({ force: true });
    await domain?.close();
    await db?.drop();
    await smtp?.close();
  });

  it('one job for the moment; fired once in batches; e-mails sent once in batches, a stale one left to its own job', async () => {
    const dueAt = new Date(Math.ceil((Date.now() + 60_000) / 1000) * 1000);
    const load = await planMeetings(db.dataSource, MEETINGS, {
      startsAt: new Date(dueAt.getTime() + 2 * 3_600_000),
      staffCount: 20,
      sms: false,
      outbox: false,
    });
    await db.dataSource.query(
      `INSERT INTO reminder (key, rule, person_id, subject_id, due_at)
       SELECT 'MEETING_IN_2_HOURS.' || s || '.burst', 'MEETING_IN_2_HOURS', p, s, $3 FROM unnest($1::uuid[], $2::uuid[]) AS t(p, s)`,
      [load.personIds, load.meetingIds, dueAt],
    );
    const scheduler = domain.get(ReminderScheduler);
    const dispatcher = domain.get(ReminderDispatcher);
    const reminders = domain.get(JobQueue).queue(QueueName.REMINDERS);
    const emails = domain.get(JobQueue).queue(QueueName.EMAIL);

    // Rebuilt from PostgreSQL (the path after Redis lost its data): one delayed job, the moment its only content.
    expect(await scheduler.rebuildQueues()).toMatchObject({ reminders: MEETINGS });
    await scheduler.rebuildQueues();
    const queued = await reminders.getJobs(['delayed', 'waiting']);
    expect(queued.map((j) => [j.id, j.name, j.data])).toEqual([
      [remindersDueJobId(dueAt), JobName.REMINDERS_DUE_AT, { dueAt: dueAt.getTime() }],
    ]);

    // The job's work, as when it runs at the due moment (and once more, as a job run twice).
    expect(await dispatcher.fireDue(dueAt)).toEqual({ fired: MEETINGS, done: true });
    expect(await dispatcher.fireDue(dueAt)).toEqual({ fired: 0, done: true });
    const [fired] = await db.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'FIRED')::int AS fired,
              (SELECT count(*)::int FROM notification WHERE kind = 'MEETING_IN_2_HOURS') AS notifications,
              (SELECT count(*)::int FROM delivery WHERE channel = 'EMAIL' AND status = 'PENDING') AS emails
         FROM reminder WHERE due_at = $1`,
      [dueAt],
    );
    expect(fired).toEqual({ fired: MEETINGS, notifications: MEETINGS, emails: MEETINGS });

    // The e-mails wait in batch jobs holding delivery ids only.
    const batches = await emails.getJobs(['waiting']);
    expect(batches.every((j) => j.name === JobName.DELIVER_EMAIL_BATCH && /^emails\.[0-9a-f-]{36}$/.test(j.id!))).toBe(
      true,
    );
    const ids = batches.flatMap((j) => (j.data as { deliveryIds: string[] }).deliveryIds);
    expect(new Set(ids).size).toBe(MEETINGS);

    // One has waited longer than a batch may send (the sweep may have handed it to a job of its own).
    const [stale] = ids;
    await db.dataSource.query(`UPDATE delivery SET created_at = now() - interval '5 minutes' WHERE id = $1`, [stale]);
    // Queues rebuilt meanwhile: an e-mail its batch may still send gets a job of its own that waits until the
    // batch no longer would (never both at once); the stale one's goes at once.
    await scheduler.rebuildQueues();
    expect(await emails.getJobState(deliveryJobId(ids[1]))).toBe('delayed');
    expect(await emails.getJobState(deliveryJobId(stale))).toBe('waiting');
    const outcomes = await Promise.all(batches.map((j) => dispatcher.sendEmails(j.data.deliveryIds)));
    expect(outcomes.reduce((n, o) => n + o.sent, 0)).toBe(MEETINGS - 1);
    expect(outcomes.reduce((n, o) => n + o.handedOver, 0)).toBe(1);
    expect(await emails.getJobState(deliveryJobId(stale))).toBe('waiting');

    // Sent again (a batch job run twice): nothing more.
    const again = await Promise.all(batches.map((j) => dispatcher.sendEmails(j.data.deliveryIds)));
    expect(again.reduce((n, o) => n + o.sent, 0)).toBe(0);

    const sent: Array<{ idempotency_key: string; attempts: number }> = await db.dataSource.query(
      `SELECT idempotency_key, attempts FROM delivery WHERE channel = 'EMAIL' AND status = 'SENT'`,
    );
    expect(sent).toHaveLength(MEETINGS - 1);
    expect(sent.every((d) => d.attempts === 1)).toBe(true);
    expect(smtp.received).toHaveLength(MEETINGS - 1);
    expect(new Set(smtp.received.map((m) => m.key))).toEqual(new Set(sent.map((d) => d.idempotency_key)));
  }, 120_000);
});
