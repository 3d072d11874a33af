import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each reminder occurrence gets an opaque id of its own for its BullMQ job. The occurrence's key names the
 * rule and the subject (for the legal checks: the person), and job ids and payloads are shown by the queue
 * dashboard and kept in Redis, where "LVM report without pre-assessment" beside a person id must not be.
 */
export class OpaqueReminderJobIds1765008000000 implements MigrationInterface {
  name = 'OpaqueReminderJobIds1765008000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE reminder ADD COLUMN job_ref uuid NOT NULL DEFAULT gen_random_uuid();
      CREATE UNIQUE INDEX reminder_job_ref_idx ON reminder (job_ref);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reminder DROP COLUMN job_ref`);
  }
}
