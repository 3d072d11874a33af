import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A membership (of a collaboration group or an ACT team) or a caseload place ended today stops counting
 * the moment it is ended, not at midnight: `ended_at` records that moment (see period.ts). An end set
 * for a later day still counts to the end of that day, as before.
 */
export class MembershipEndsAtOnce1764835200000 implements MigrationInterface {
  name = 'MembershipEndsAtOnce1764835200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE group_member ADD COLUMN ended_at timestamptz;
      ALTER TABLE act_team_member ADD COLUMN ended_at timestamptz;
      ALTER TABLE act_team_client ADD COLUMN ended_at timestamptz;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE act_team_client DROP COLUMN ended_at;
      ALTER TABLE act_team_member DROP COLUMN ended_at;
      ALTER TABLE group_member DROP COLUMN ended_at;
    `);
  }
}
