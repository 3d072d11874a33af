import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The systematic log review: an auditor marks an entry of a random sample reviewed and notes what was found.
 * One review per entry, append-only: the application may only add and read (roles.ts), and the database
 * refuses a change or removal whoever asks. The time is the database's clock. No foreign key to the log, so
 * retention can still remove old entries; the review of a removed entry is kept.
 */
export class AccessLogReview1765353600100 implements MigrationInterface {
  name = 'AccessLogReview1765353600100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE access_log_review (
        entry_id bigint PRIMARY KEY,
        reviewed_at timestamptz NOT NULL DEFAULT now(),
        reviewed_by uuid NOT NULL REFERENCES staff_member(id),
        finding text CHECK (finding IS NULL OR length(finding) BETWEEN 1 AND 2000)
      );
      CREATE FUNCTION access_log_review_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.reviewed_at := now();
        RETURN NEW;
      END $$;
      CREATE TRIGGER access_log_review_stamp BEFORE INSERT ON access_log_review FOR EACH ROW EXECUTE FUNCTION access_log_review_stamp();
      CREATE FUNCTION access_log_review_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'a log review is never changed or removed' USING ERRCODE = 'integrity_constraint_violation';
      END $$;
      CREATE TRIGGER access_log_review_immutable BEFORE UPDATE OR DELETE ON access_log_review FOR EACH ROW EXECUTE FUNCTION access_log_review_immutable();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE access_log_review;
      DROP FUNCTION access_log_review_immutable();
      DROP FUNCTION access_log_review_stamp();
    `);
  }
}
