import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Browser sessions: the cookie holds a random token and only its SHA-256 hash is stored, so a copy of
 * this table signs nobody in. Sign-out and deactivation set revoked_at; a session is refused once it
 * has been idle too long or has reached its absolute lifetime (see libs/auth/src/session.service.ts).
 */
export class StaffSessions1765094400000 implements MigrationInterface {
  name = 'StaffSessions1765094400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE staff_session (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        token_hash bytea NOT NULL UNIQUE,
        staff_id uuid NOT NULL REFERENCES staff_member (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX staff_session_open ON staff_session (staff_id) WHERE revoked_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE staff_session`);
  }
}
