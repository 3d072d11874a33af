import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A retention anchor lets the entries it covers be deleted, so recording one must not be a way to
 * erase the access log: an anchor must name a sealed entry by its own hash, that entry must be older
 * than the legal minimum retention (five years, patientdatalagen), and anchors only move forward.
 */
export class AccessLogAnchorGuard1764576000000 implements MigrationInterface {
  name = 'AccessLogAnchorGuard1764576000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION access_log_anchor_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        anchored access_log;
      BEGIN
        SELECT * INTO anchored FROM access_log WHERE chain_seq = NEW.chain_seq;
        IF NOT FOUND OR anchored.hash IS DISTINCT FROM NEW.hash THEN
          RAISE EXCEPTION 'a retention anchor must name a sealed access-log entry and its hash' USING ERRCODE = 'restrict_violation';
        END IF;
        IF anchored.occurred_at >= now() - interval '1825 days' OR NEW.purged_before >= now() - interval '1825 days' THEN
          RAISE EXCEPTION 'access-log entries are kept at least five years; retention may not anchor a newer entry' USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.chain_seq <= coalesce((SELECT max(chain_seq) FROM access_log_anchor), 0) THEN
          RAISE EXCEPTION 'a retention anchor may only move forward' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER access_log_anchor_guard BEFORE INSERT ON access_log_anchor FOR EACH ROW EXECUTE FUNCTION access_log_anchor_guard();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER access_log_anchor_guard ON access_log_anchor; DROP FUNCTION access_log_anchor_guard()`);
  }
}
