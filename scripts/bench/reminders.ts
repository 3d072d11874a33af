/**
 * npm run bench:reminders: reminders through the real worker process (apps/worker, its outbox relay,
 * BullMQ, PostgreSQL), delivered in-app and to a local SMTP server.
 *
 *  1. Idle: one reminder at a time (a SIP meeting planned two hours and a few seconds ahead; its
 *     "in two hours" reminder falls due a moment later), BENCH_IDLE_RUNS times: lateness.
 *  2. Burst: BENCH_REMINDERS occurrences falling due at the same moment. The meetings are written with
 *     SQL, the occurrences inserted directly with the same due time, and the sentinel key removed so
 *     that the worker's relay rebuilds its queues from PostgreSQL (the path taken after Redis data loss).
 *     Time to deliver all, lateness p50/p99 per channel (in-app: notification.created_at; e-mail: arrival
 *     at the SMTP server) minus the due time, and copies (one key received twice).
 *  3. Baseline: BullMQ's own throughput for a no-op job, same Redis, same concurrency as the reminders queue.
 *
 * The load average before and after is printed: the machine is shared, and the figures move with it.
 *
 * Knobs: BENCH_REMINDERS (10000), BENCH_STAFF (100), BENCH_IDLE_RUNS (20), BENCH_LEAD_S (45: how far
 * ahead the burst is due, enough to set it up), BENCH_POOL_SIZE (the worker's DATABASE_POOL_SIZE,
 * default as configured), BENCH_WORKERS (1: how many worker processes share the queues, as a deployment may run
 * several), BENCH_DATABASE_URL, REDIS_URL, BENCH_PROFILE=1 (V8's CPU profile of each worker over its whole run,
 * summarised at the end).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { CONCURRENCY } from '../../apps/worker/src/runtime/job-runner';
import { openDatabase } from '../../libs/domain/src';
import { loadConfig, queuePrefix, QueueName } from '../../libs/infrastructure/src';
import { startSmtpSink } from '../../test/support/message-sinks';
import { planMeetings } from '../../test/support/reminder-load';
import { spawnWorker, WorkerProcess } from '../../test/support/worker-process';
import { cpuShares, cpuSnapshot, formatCpuShares } from './lib/machine-cpu';

const REMINDERS = Number(process.env.BENCH_REMINDERS ?? 10_000);
const STAFF = Number(process.env.BENCH_STAFF ?? 100);
const IDLE_RUNS = Number(process.env.BENCH_IDLE_RUNS ?? 20);
const LEAD_MS = Number(process.env.BENCH_LEAD_S ?? 45) * 1000;
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/samverka_bench_reminders';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS, shared with the .js benchmarks
const { summariseProfile } = require('./lib/profile-summary') as { summariseProfile: (file: string) => string };
const PROFILE = process.env.BENCH_PROFILE === '1';
const WORKERS = Math.max(1, Number(process.env.BENCH_WORKERS ?? 1));
const PROFILE_DIR = join(tmpdir(), 'samverka-bench-profiles', `reminders-${process.pid}`);
/** The reminders queue's concurrency, for the no-op baseline. */
const REMINDERS_CONCURRENCY = CONCURRENCY[QueueName.REMINDERS];
const HOUR = 3_600_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
const stats = (values: number[]) =>
  `p50 ${Math.round(percentile(values, 50))} ms, p99 ${Math.round(percentile(values, 99))} ms, max ${Math.round(Math.max(...values))} ms (n=${values.length})`;

async function dropDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
}

async function dropKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** The key the rules give an occurrence (rule.subject.dueStamp), so the rows look as the relay would write them. */
const occurrenceKey = (rule: string, subjectId: string, dueAt: Date) =>
  `${rule}.${subjectId}.${dueAt
    .toISOString()
    .replace(/[:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z')}`;

async function main(): Promise<void> {
  await dropDatabase(DATABASE_URL);
  const prefix = `bench-reminders-${randomBytes(3).toString('hex')}`;
  const smtp = await startSmtpSink();
  const config = loadConfig({
    ...process.env,
    DATABASE_URL,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    SEED_DEMO_DATA: 'false',
    DATABASE_POOL_SIZE: '4',
  });
  const db = await openDatabase(config, { migrate: true });
  // The queues' keys, under their hash tag (the relay's sentinel among them).
  const keys = queuePrefix(config);
  const redis = new Redis(REDIS_URL);
  const env: Record<string, string> = {
    DATABASE_URL,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    SMTP_URL: smtp.url,
    LOG_LEVEL: 'warn',
    NOTIFY_ATTEMPTS: '5',
    NOTIFY_BACKOFF_MS: '500',
  };
  if (process.env.BENCH_POOL_SIZE) env.DATABASE_POOL_SIZE = process.env.BENCH_POOL_SIZE;
  let workers: WorkerProcess[] = [];
  try {
    // BENCH_PROFILE=1: V8's profile of the whole worker run (written when it stops), summarised at the end.
    for (let i = 0; i < WORKERS; i++)
      workers.push(await spawnWorker(env, undefined, PROFILE ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : []));
    console.log(
      `load average at the start: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
    console.log(
      `worker process${WORKERS > 1 ? 'es' : ''} ${workers.map((w) => w.pid).join(', ')} ready; database ${new URL(DATABASE_URL).pathname.slice(1)}, queue prefix ${prefix}, pool ${env.DATABASE_POOL_SIZE ?? 'default'}`,
    );

    // 1. Idle: one meeting at a time; its "in two hours" reminder is due 1.5 s after it is planned.
    const idleInApp: number[] = [];
    const idleEmail: number[] = [];
    for (let i = 0; i < IDLE_RUNS; i++) {
      const { meetingIds } = await planMeetings(db, 1, {
        startsAt: new Date(Date.now() + 2 * HOUR + 1_500),
        staffCount: 1,
        sms: false,
      });
      const deadline = Date.now() + 30_000;
      for (;;) {
        const [row] = await db.query(
          `SELECT r.due_at, n.created_at, d.idempotency_key FROM reminder r
             JOIN delivery d ON d.reminder_key = r.key AND d.channel = 'EMAIL'
             JOIN delivery a ON a.reminder_key = r.key AND a.channel = 'IN_APP' JOIN notification n ON n.delivery_id = a.id
            WHERE r.rule = 'MEETING_IN_2_HOURS' AND r.subject_id = $1`,
          [meetingIds[0]],
        );
        const mail = row && smtp.received.find((m) => m.key === row.idempotency_key);
        if (row && mail) {
          idleInApp.push(new Date(row.created_at).getTime() - new Date(row.due_at).getTime());
          idleEmail.push(mail.at - new Date(row.due_at).getTime());
          break;
        }
        if (Date.now() > deadline) throw new Error('an idle reminder was not delivered within 30 s');
        await sleep(5);
      }
    }
    console.log(
      `idle, one reminder at a time: in-app lateness ${stats(idleInApp)}; e-mail lateness ${stats(idleEmail)}`,
    );

    // 2. Burst: REMINDERS occurrences due at one moment, `LEAD_MS` from now.
    const dueAt = new Date(Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000);
    const setupStarted = Date.now();
    const load = await planMeetings(db, REMINDERS, {
      startsAt: new Date(dueAt.getTime() + 2 * HOUR),
      staffCount: STAFF,
      sms: false,
      outbox: false,
    });
    await db.query(
      `INSERT INTO reminder (key, rule, person_id, subject_id, due_at)
       SELECT k, 'MEETING_IN_2_HOURS', p, s, $4 FROM unnest($1::text[], $2::uuid[], $3::uuid[]) AS t(k, p, s)`,
      [
        load.meetingIds.map((id) => occurrenceKey('MEETING_IN_2_HOURS', id, dueAt)),
        load.personIds,
        load.meetingIds,
        dueAt,
      ],
    );
    const smtpBefore = smtp.received.length;
    // The relay notices the missing sentinel within a second and hands every scheduled occurrence to BullMQ.
    await redis.del(`${keys}:reminders:schedule-sentinel`);
    for (;;) {
      if (await redis.exists(`${keys}:reminders:schedule-sentinel`)) break;
      await sleep(50);
    }
    const queuedAt = Date.now();
    const delayed = await redis.zcard(`${keys}:reminders:delayed`);
    console.log(
      `burst: ${REMINDERS} meetings and occurrences written in ${queuedAt - setupStarted} ms (queues rebuilt, ${delayed} delayed reminder jobs); due in ${dueAt.getTime() - queuedAt} ms`,
    );
    if (queuedAt >= dueAt.getTime())
      throw new Error(`setup took longer than BENCH_LEAD_S (${LEAD_MS / 1000} s); raise it`);

    const expectedInApp = REMINDERS;
    const deadline = dueAt.getTime() + 180_000;
    // The machine's CPU from the due moment until the last e-mail arrived (read to within the 250 ms polling).
    await sleep(Math.max(0, dueAt.getTime() - Date.now()));
    const cpuAtDue = cpuSnapshot();
    let lastProgress = 0;
    for (;;) {
      await sleep(250);
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM notification WHERE kind = 'MEETING_IN_2_HOURS' AND created_at >= $1`,
        [new Date(dueAt.getTime() - 1000)],
      );
      const mails = smtp.received.length - smtpBefore;
      if (Date.now() - lastProgress > 5000 && Date.now() > dueAt.getTime()) {
        lastProgress = Date.now();
        console.log(`  +${((Date.now() - dueAt.getTime()) / 1000).toFixed(1)} s: ${n} in-app, ${mails} e-mails`);
      }
      if (n >= expectedInApp && mails >= REMINDERS) break;
      if (Date.now() > deadline) {
        console.log(`gave up 180 s after the due time: ${n} in-app, ${mails} e-mails`);
        break;
      }
    }
    const cpuAtEnd = cpuSnapshot();
    await sleep(1000); // copies, if any, arrive late

    const rows: Array<{ key: string; in_app_at: Date | null; notifications: number; email_key: string | null }> =
      await db.query(
        `SELECT r.key,
              (SELECT min(n.created_at) FROM delivery d JOIN notification n ON n.delivery_id = d.id WHERE d.reminder_key = r.key) AS in_app_at,
              (SELECT count(*)::int FROM delivery d JOIN notification n ON n.delivery_id = d.id WHERE d.reminder_key = r.key) AS notifications,
              (SELECT d.idempotency_key FROM delivery d WHERE d.reminder_key = r.key AND d.channel = 'EMAIL') AS email_key
         FROM reminder r WHERE r.due_at = $1 AND r.rule = 'MEETING_IN_2_HOURS'`,
        [dueAt],
      );
    const mailByKey = new Map<string, number[]>();
    for (const m of smtp.received.slice(smtpBefore)) mailByKey.set(m.key, [...(mailByKey.get(m.key) ?? []), m.at]);
    const inAppLate: number[] = [];
    const emailLate: number[] = [];
    const reminderLate: number[] = [];
    let delivered = 0;
    let duplicates = 0;
    for (const r of rows) {
      duplicates += Math.max(0, r.notifications - 1);
      const mails = r.email_key ? (mailByKey.get(r.email_key) ?? []) : [];
      duplicates += Math.max(0, mails.length - 1);
      if (!r.in_app_at || mails.length === 0) continue;
      delivered++;
      const a = new Date(r.in_app_at).getTime() - dueAt.getTime();
      const e = Math.min(...mails) - dueAt.getTime();
      inAppLate.push(a);
      emailLate.push(e);
      reminderLate.push(Math.max(a, e));
    }
    const totalS = Math.max(...reminderLate) / 1000;
    console.log(
      `burst: ${delivered} of ${REMINDERS} reminders delivered in-app and by e-mail within ${totalS.toFixed(1)} s of their due time; ${duplicates} copies`,
    );
    console.log(`  lateness in-app ${stats(inAppLate)}`);
    console.log(`  lateness e-mail ${stats(emailLate)}`);
    console.log(`  lateness (both channels arrived) ${stats(reminderLate)}`);
    const shares = cpuShares(cpuAtDue, cpuAtEnd, {
      [WORKERS > 1 ? `${WORKERS} workers` : 'worker']: workers.map((w) => w.pid),
      'this benchmark (SMTP sink)': [process.pid],
    });
    console.log(`  ${formatCpuShares(shares, { count: REMINDERS, unit: 'reminder' })}`);
    const [{ statements }] = await db
      .query(
        `SELECT coalesce(sum(calls), 0)::bigint AS statements FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      )
      .catch(() => [{ statements: null }]);
    if (statements !== null) console.log(`  statements run in the bench database: ${statements}`);

    await Promise.all(workers.map((w) => w.stop()));
    if (PROFILE) {
      for (const file of readdirSync(PROFILE_DIR).filter((f) => f.endsWith('.cpuprofile')))
        console.log(
          `CPU profile of the worker (${join(PROFILE_DIR, file)}):\n${summariseProfile(join(PROFILE_DIR, file))}`,
        );
    }
    workers = [];

    // 3. Baseline: a no-op job through BullMQ, same Redis, same concurrency, same number of jobs.
    const noopPrefix = `${prefix}-noop`;
    const queue = new Queue('noop', {
      connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
      prefix: noopPrefix,
    });
    for (let i = 0; i < REMINDERS; i += 1000) {
      await queue.addBulk(
        Array.from({ length: Math.min(1000, REMINDERS - i) }, (_, j) => ({
          name: 'noop',
          data: { i: i + j },
          opts: { removeOnComplete: true },
        })),
      );
    }
    let done = 0;
    const started = Date.now();
    const noop = new Worker('noop', async () => undefined, {
      connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
      prefix: noopPrefix,
      concurrency: REMINDERS_CONCURRENCY,
    });
    noop.on('completed', () => done++);
    while (done < REMINDERS) await sleep(10);
    const noopPerS = Math.round(REMINDERS / ((Date.now() - started) / 1000));
    await noop.close();
    await queue.obliterate({ force: true });
    await queue.close();
    console.log(
      `baseline: BullMQ no-op jobs, concurrency ${REMINDERS_CONCURRENCY}: ${noopPerS} jobs/s; the burst ran ${Math.round(delivered / totalS)} reminders/s (one delayed job for the due moment, fired in batches; e-mails in batch jobs)`,
    );

    const p99 = Math.round(percentile(reminderLate, 99));
    console.log(
      `targets: all ${REMINDERS} delivered once within 5 s: ${delivered === REMINDERS && duplicates === 0 && totalS < 5 ? 'met' : 'MISSED'}; idle p99 lateness < 1 s: ${Math.max(percentile(idleInApp, 99), percentile(idleEmail, 99)) < 1000 ? 'met' : 'MISSED'}`,
    );
    console.log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')}`,
    );
    console.log(
      `RESULT reminders delivered=${delivered} duplicates=${duplicates} total_s=${totalS.toFixed(1)} lateness_p99_ms=${p99} noop_jobs_per_s=${noopPerS}`,
    );
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await dropKeys(redis, `${prefix}*`);
    await dropKeys(redis, `${keys}*`);
    redis.disconnect();
    await db.destroy();
    await smtp.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
