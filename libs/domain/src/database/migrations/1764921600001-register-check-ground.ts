import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Being in the register is itself sensitive: an answer that reveals a person is registered (an identity
 * number already held, a search that finds them) is logged against that person on the ground REGISTER_CHECK.
 */
export class RegisterCheckGround1764921600001 implements MigrationInterface {
  name = 'RegisterCheckGround1764921600001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE access_log DROP CONSTRAINT access_log_ground_check;
      ALTER TABLE access_log ADD CONSTRAINT access_log_ground_check
        CHECK (ground IN ('GROUP_MEMBERSHIP','ACT_TEAM','CONSENT','EMERGENCY','LIMITED_VIEW','AUDIT','REGISTER_CHECK'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE access_log DROP CONSTRAINT access_log_ground_check;
      ALTER TABLE access_log ADD CONSTRAINT access_log_ground_check
        CHECK (ground IN ('GROUP_MEMBERSHIP','ACT_TEAM','CONSENT','EMERGENCY','LIMITED_VIEW','AUDIT'));
    `);
  }
}
