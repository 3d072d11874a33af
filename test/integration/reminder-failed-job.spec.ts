import { INestApplicationContext } from '@nestjs/common';
import { UnrecoverableError, Worker } from 'bullmq';
import { reminderJobId, ReminderScheduler } from '../../libs/domain/src';
import { JobQueue, queuePrefix, QueueName, redisConnection } from '../../libs/infrastructure/src';
import { Fixtures } from '../support/fixtures';
import { eventually, startDomain } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * A reminder job that fails for good (here: it gives up at once, as after every attempt of a long
 * database outage) must not block the sweep, which hands the still-scheduled occurrence to BullMQ again
 * under the same job id. Real PostgreSQL and Redis; a stand-in consumer that always fails.
 */
describe('a reminder job that failed for good is handed over again (real PostgreSQL and Redis)', () => {
  let db: TestDatabase;
  let domain: INestApplicationContext;

  beforeAll(async () => {
    db = await createTestDatabase();
    domain = await startDomain(db);
  });

  afterAll(async () => {
    await domain?.get(JobQueue).queue(QueueName.REMINDERS).obliterate({ force: true });
    await domain?.close();
    await db?.drop();
  });

  it('the failed job leaves Redis, and the next sweep queues the occurrence again', async () => {
    const s = await new Fixtures(db.dataSource).careSetting();
    const key = `NO_CONTACT.${s.person.id}.test-failed-job`;
    const [{ ref }] = await db.dataSource.query(
      `INSERT INTO reminder (key, rule, person_id, subject_id, due_at) VALUES ($1, 'NO_CONTACT', $2, $2, now() - interval '5 minutes') RETURNING job_ref AS ref`,
      [key, s.person.id],
    );
    const scheduler = domain.get(ReminderScheduler);
    const queue = domain.get(JobQueue).queue(QueueName.REMINDERS);
    const jobId = reminderJobId(ref, 1);

    expect(await scheduler.requeueOverdue()).toMatchObject({ reminders: 1 });
    expect(await queue.getJobState(jobId)).toBe('waiting');

    const connection = redisConnection(db.config);
    const failing = new Worker(
      QueueName.REMINDERS,
      async () => {
        // Fails without retries: the state the job is in after its last attempt.
        throw new UnrecoverableError('PostgreSQL is down');
      },
      { connection, prefix: queuePrefix(db.config) },
    );
    try {
      await eventually(async () => (await queue.getJobState(jobId)) === 'unknown');
    } finally {
      await failing.close();
      connection.disconnect();
    }

    expect(await scheduler.requeueOverdue()).toMatchObject({ reminders: 1 });
    expect(await queue.getJobState(jobId)).toBe('waiting');
  });
});
