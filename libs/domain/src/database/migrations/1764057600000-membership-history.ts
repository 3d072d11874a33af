import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change of a collaboration group's membership, numbered by the group's membership version
 * and timed inside the group lock, so that the order of membership changes and joint decisions can
 * be audited afterwards.
 */
export class MembershipHistory1764057600000 implements MigrationInterface {
  name = 'MembershipHistory1764057600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE group_membership_change (
        group_id uuid NOT NULL REFERENCES collaboration_group(id),
        membership_version int NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        changed_by uuid REFERENCES staff_member(id),
        PRIMARY KEY (group_id, membership_version)
      );
      CREATE TRIGGER group_membership_change_immutable BEFORE UPDATE OR DELETE ON group_membership_change
        FOR EACH ROW EXECUTE FUNCTION refuse_change();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE group_membership_change`);
  }
}
