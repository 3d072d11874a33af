import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Four reads of the overview, the caseload and live events had no index and scanned their whole table, at a cost that grows
 * with the register, not with the person (test/integration/overview-indexes.spec.ts now fails on any such read):
 * - every consent of a person, withdrawn ones included (CONSENTS_OF_PERSONS_SQL): the only index on person_id
 *   covered consents in force alone. At 100,000 persons this read took 17 ms of an overview's 17.5 ms of
 *   PostgreSQL time (npm run bench:growth). One index on person_id serves both kinds of read; the partial one goes.
 * - every care episode of a person, latest first (EPISODES_OF_PERSONS_SQL): the only index by person covered
 *   active episodes alone.
 * - an ACT team's clients on a day (the caseload of a team member): the only index by team covered current
 *   enrolments alone, and a day's enrolments include ended ones.
 * - the emergency accesses to a person (whom a live event about the person concerns, AccessPolicy.concerned): the
 *   one index leads with the staff member.
 */
export class PersonReadIndexes1765497600000 implements MigrationInterface {
  name = 'PersonReadIndexes1765497600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX consent_person_idx;
      CREATE INDEX consent_person_idx ON consent (person_id);
      CREATE INDEX care_episode_person_idx ON care_episode (person_id, started_on DESC);
      CREATE INDEX act_team_client_team_idx ON act_team_client (team_id);
      CREATE INDEX emergency_access_person_idx ON emergency_access (person_id, expires_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP INDEX emergency_access_person_idx;
      DROP INDEX act_team_client_team_idx;
      DROP INDEX care_episode_person_idx;
      DROP INDEX consent_person_idx;
      CREATE INDEX consent_person_idx ON consent (person_id) WHERE withdrawn_at IS NULL;
    `);
  }
}
