import { INestApplicationContext } from '@nestjs/common';
import { ReminderScheduler } from '../../libs/domain/src';
import { Fixtures } from '../support/fixtures';
import { startDomain } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The nightly catch-up (REMINDER_RECONCILE_ALL) queues every person with scheduled reminders or an open case for
 * derivation once, and says how many it queued: the number the worker logs (it said "undefined" while the count
 * was read from an INSERT's answer, which carries rows and no count).
 */
describe('the nightly reminder catch-up', () => {
  let db: TestDatabase;
  let domain: INestApplicationContext;

  beforeAll(async () => {
    db = await createTestDatabase();
    domain = await startDomain(db);
  });

  afterAll(async () => {
    await domain?.close();
    await db?.drop();
  });

  it('queues each person with scheduled reminders once and answers how many it queued', async () => {
    const f = new Fixtures(db.dataSource);
    // Two persons with an open case each (the fixtures' care setting has no episode of its own).
    for (const s of [await f.careSetting(), await f.careSetting()])
      await db.ownerQuery(
        `INSERT INTO reminder (key, rule, person_id, subject_id, due_at) VALUES ($1, 'FOLLOW_UP_TOMORROW', $2, $2, now() + interval '1 day')`,
        [`FOLLOW_UP_TOMORROW.${s.person.id}.catch-up`, s.person.id],
      );
    const queuedRows = async () =>
      (await db.ownerQuery<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'reconcile'`))[0].n;
    const before = await queuedRows();
    const queued = await domain.get(ReminderScheduler).requestFullReconcile();
    expect(queued).toBeGreaterThanOrEqual(2);
    expect((await queuedRows()) - before).toBe(queued);
  });
});
