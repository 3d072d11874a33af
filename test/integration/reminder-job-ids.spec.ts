import { INestApplicationContext } from '@nestjs/common';
import { ReminderRule, ReminderScheduler } from '../../libs/domain/src';
import { JobQueue, QueueName } from '../../libs/infrastructure/src';
import { Fixtures } from '../support/fixtures';
import { startDomain } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The queue dashboard shows every job's id and payload, and Redis keeps them: neither may pair a reminder
 * rule that tells a health or social fact (an LVM report, violence, children) with a person id (finding 15).
 * Job ids stay deterministic per occurrence, so enqueueing again is still a no-op. Real PostgreSQL and Redis.
 */
describe('reminder jobs name no rule and no person (real PostgreSQL and Redis)', () => {
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

  it('job ids and payloads are opaque, and the same occurrence always gets the same job', async () => {
    const f = new Fixtures(db.dataSource);
    const s = await f.careSetting();
    // A case opened long ago (the children question is not answered yet) and an LVM report without a pre-assessment,
    // each entered in Samverka when it happened (history entered later raises no reminders).
    await db.dataSource.query(
      `INSERT INTO care_episode (person_id, organisation_id, principal, kind, started_on, created_at) VALUES ($1, $2, 'MUNICIPALITY', 'SOCIAL_SERVICES', '2026-01-05', '2026-01-05T09:00:00Z')`,
      [s.person.id, s.municipality.id],
    );
    await db.dataSource.query(
      `INSERT INTO case_check (person_id, kind, done_on, recorded_by, created_at) VALUES ($1, 'LVM_REPORT', '2026-01-10', $2, '2026-01-10T09:00:00Z')`,
      [s.person.id, s.socialWorker.staff.id],
    );
    const scheduler = domain.get(ReminderScheduler);
    const changes = await db.dataSource.transaction((tx) => scheduler.reconcile(tx, s.person.id));
    await scheduler.apply(changes);

    const rules: string[] = (
      await db.dataSource.query(`SELECT rule FROM reminder WHERE person_id = $1`, [s.person.id])
    ).map((r: { rule: string }) => r.rule);
    expect(rules).toEqual(
      expect.arrayContaining([
        ReminderRule.CHILDREN_QUESTION_UNANSWERED,
        ReminderRule.VIOLENCE_NOT_ASSESSED,
        ReminderRule.LVM_PRE_ASSESSMENT_MISSING,
      ]),
    );
    const queue = domain.get(JobQueue).queue(QueueName.REMINDERS);
    const jobs = await queue.getJobs(['delayed', 'waiting']);
    // One job per occurrence due now, one per due moment for those due later.
    const dueTimes: Date[] = (
      await db.dataSource.query(`SELECT due_at FROM reminder WHERE person_id = $1 AND status = 'SCHEDULED'`, [
        s.person.id,
      ])
    ).map((r: { due_at: Date }) => r.due_at);
    const later = new Set(dueTimes.filter((d) => d.getTime() > Date.now()).map((d) => d.getTime()));
    expect(jobs.length).toBe(dueTimes.filter((d) => d.getTime() <= Date.now()).length + later.size);
    for (const job of jobs) {
      const shown = `${job.id} ${JSON.stringify(job.data)}`;
      expect(shown).not.toContain(s.person.id);
      for (const rule of Object.values(ReminderRule)) expect(shown).not.toContain(rule);
      expect(job.id).toMatch(/^(reminder\.[0-9a-f-]{36}\.g1|reminders-due\.\d+)$/);
    }

    // Deterministic: rebuilding the queues from PostgreSQL adds no second job for any occurrence.
    await scheduler.rebuildQueues();
    await scheduler.requeueOverdue(0);
    expect((await queue.getJobs(['delayed', 'waiting'])).map((j) => j.id).sort()).toEqual(jobs.map((j) => j.id).sort());
  });
});
