import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The caseload reads, for each of a staff member's ~400 persons, the membership that puts the person there and the
 * current SIP plan's status and follow-up date. Both came from a heap row apiece, scattered over the table: 400 + 400
 * random page visits per caseload: cheap while the tables fit in PostgreSQL's buffers, some 800 reads from outside them
 * at 100,000 persons (EXPLAIN (ANALYZE, BUFFERS) of CASELOAD_SQL on the npm run bench:growth data sets: 1,022 pages
 * read per caseload at 100,000 persons). With the columns the caseload reads in the indexes it already uses, both are
 * index-only scans (162 pages read, most of them for the latest contact). Same names and keys as before.
 */
export class CaseloadCoveringIndexes1765497600200 implements MigrationInterface {
  name = 'CaseloadCoveringIndexes1765497600200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX group_member_staff_idx;
      CREATE INDEX group_member_staff_idx ON group_member (staff_id, group_id) INCLUDE (valid_from, valid_to, ended_at);
      DROP INDEX sip_plan_current_key;
      CREATE UNIQUE INDEX sip_plan_current_key ON sip_plan (person_id) INCLUDE (id, status, follow_up_on)
        WHERE status <> 'CLOSED';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX sip_plan_current_key;
      CREATE UNIQUE INDEX sip_plan_current_key ON sip_plan (person_id) WHERE status <> 'CLOSED';
      DROP INDEX group_member_staff_idx;
      CREATE INDEX group_member_staff_idx ON group_member (staff_id, group_id);
    `);
  }
}
