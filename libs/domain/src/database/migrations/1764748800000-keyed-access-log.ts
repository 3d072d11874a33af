import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The access log can be neither back-dated nor rewritten undetected.
 *
 * - Time comes from the database only: an entry's occurred_at is stamped on insert whatever the writer
 *   supplied, and the sealer stamps sealed_at. Retention judges age by sealed_at (the app cannot set it).
 * - The chain is keyed: hash = HMAC-SHA256(ACCESS_LOG_KEY, prev_hash || content || sealed_at). The key
 *   lives outside the database (the application's environment) and reaches it only as a parameter of
 *   the sealing, retention and verification calls, so whoever holds the owner role but not the key cannot
 *   recompute a chain they rewrote. Entries sealed before this migration keep their unkeyed sha256
 *   (key_version NULL); the first keyed entry's HMAC covers the last of them, so they stay covered too.
 * - Sealing and retention are SECURITY DEFINER functions of the owner: the application role may only
 *   INSERT and SELECT the log (see database/roles.ts), never UPDATE or DELETE it.
 */
export class KeyedAccessLog1764748800000 implements MigrationInterface {
  name = 'KeyedAccessLog1764748800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE EXTENSION IF NOT EXISTS pgcrypto;

      -- The log's only clock. A function of the owner, so that tests (as owner) can stand in for time.
      CREATE FUNCTION access_log_clock() RETURNS timestamptz LANGUAGE sql STABLE SET search_path = pg_catalog AS $$ SELECT now() $$;

      ALTER TABLE access_log ADD COLUMN sealed_at timestamptz, ADD COLUMN key_version smallint;
      ALTER TABLE access_log_anchor ADD COLUMN sealed_at timestamptz, ADD COLUMN mac bytea;

      -- Whatever the writer supplied, an entry is dated by the database and starts unsealed.
      CREATE FUNCTION access_log_stamp() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      BEGIN
        NEW.occurred_at := access_log_clock();
        NEW.chain_seq := NULL; NEW.prev_hash := NULL; NEW.hash := NULL; NEW.sealed_at := NULL; NEW.key_version := NULL;
        RETURN NEW;
      END $$;
      CREATE TRIGGER access_log_stamp BEFORE INSERT ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_stamp();

      -- What a keyed entry's HMAC covers: the unkeyed content, when it was sealed and with which key version.
      CREATE FUNCTION access_log_content_v1(e access_log) RETURNS bytea LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
        SELECT access_log_content(e, e.chain_seq)
          || convert_to(concat_ws('|', '', to_char(e.sealed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), 'v' || e.key_version), 'UTF8')
      $$;

      -- What an anchor's MAC covers: the removed chain's last place, hash and sealing time.
      CREATE FUNCTION access_log_anchor_content(seq bigint, hash bytea, sealed_at timestamptz) RETURNS bytea LANGUAGE sql IMMUTABLE
        SET search_path = public, pg_temp AS $$
        SELECT convert_to(concat_ws('|', 'anchor', seq, encode(hash, 'hex'), to_char(sealed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')), 'UTF8')
      $$;

      -- Entries never change, except that the sealer fills in an unsealed entry's place in the chain once;
      -- only entries covered by a retention anchor may be deleted.
      CREATE OR REPLACE FUNCTION access_log_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.chain_seq IS NOT NULL AND OLD.chain_seq <= (SELECT max(chain_seq) FROM access_log_anchor) THEN RETURN OLD; END IF;
          RAISE EXCEPTION 'access-log entries are removed only by retention, after anchoring' USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.chain_seq IS NULL AND NEW.chain_seq IS NOT NULL AND NEW.hash IS NOT NULL
           AND (to_jsonb(NEW) - 'chain_seq' - 'prev_hash' - 'hash' - 'sealed_at' - 'key_version')
             = (to_jsonb(OLD) - 'chain_seq' - 'prev_hash' - 'hash' - 'sealed_at' - 'key_version') THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'access_log rows are immutable' USING ERRCODE = 'restrict_violation';
      END $$;

      -- The unkeyed sealer is gone: nothing may extend the chain without the key.
      DROP FUNCTION seal_access_log(int);

      -- Seals up to max_rows committed entries in id order with the key; answers how many and the head.
      -- One sealer at a time (a second caller gets 0 at once).
      CREATE FUNCTION seal_access_log_keyed(max_rows int, log_key bytea)
        RETURNS TABLE (sealed int, head_seq bigint, head_hash bytea)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        stamp timestamptz := access_log_clock();
        last_seq bigint;
        last_hash bytea;
        r access_log;
        n int := 0;
      BEGIN
        IF length(coalesce(log_key, '')) < 32 THEN
          RAISE EXCEPTION 'the access-log key must hold at least 256 bits' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF NOT pg_try_advisory_xact_lock(hashtext('samverka.access_log.seal')) THEN
          RETURN QUERY SELECT 0, NULL::bigint, NULL::bytea;
          RETURN;
        END IF;
        SELECT h.chain_seq, h.hash INTO last_seq, last_hash FROM access_log_head h;
        IF last_seq IS NULL THEN
          SELECT a.chain_seq, a.hash INTO last_seq, last_hash FROM access_log_anchor a ORDER BY a.chain_seq DESC LIMIT 1;
        END IF;
        last_seq := coalesce(last_seq, 0);
        last_hash := coalesce(last_hash, '\\x'::bytea);
        FOR r IN SELECT * FROM access_log e WHERE e.chain_seq IS NULL ORDER BY e.id LIMIT max_rows LOOP
          last_seq := last_seq + 1;
          r.chain_seq := last_seq;
          r.sealed_at := stamp;
          r.key_version := 1;
          r.prev_hash := last_hash;
          r.hash := hmac(last_hash || access_log_content_v1(r), log_key, 'sha256');
          UPDATE access_log e SET chain_seq = r.chain_seq, prev_hash = r.prev_hash, hash = r.hash, sealed_at = r.sealed_at, key_version = 1
           WHERE e.id = r.id;
          last_hash := r.hash;
          n := n + 1;
        END LOOP;
        IF n > 0 THEN
          INSERT INTO access_log_head AS h (chain_seq, hash, sealed_at) VALUES (last_seq, last_hash, stamp)
            ON CONFLICT (singleton) DO UPDATE SET chain_seq = EXCLUDED.chain_seq, hash = EXCLUDED.hash, sealed_at = EXCLUDED.sealed_at;
        END IF;
        RETURN QUERY SELECT n, last_seq, last_hash;
      END $$;

      -- Retention: removes the sealed prefix of entries sealed before the cutoff (at least five years by
      -- the database clock, never by a row's own date), after recording its last entry as the anchor
      -- with a MAC. Answers how many entries were removed.
      CREATE FUNCTION purge_access_log(keep_days int, log_key bytea) RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        cutoff timestamptz := access_log_clock() - make_interval(days => greatest(keep_days, 1825));
        up_to bigint;
        last_entry access_log;
        removed bigint;
      BEGIN
        IF length(coalesce(log_key, '')) < 32 THEN
          RAISE EXCEPTION 'the access-log key must hold at least 256 bits' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('samverka.access_log.purge'));
        SELECT max(e.chain_seq) INTO up_to FROM access_log e WHERE e.key_version = 1 AND e.sealed_at < cutoff;
        IF up_to IS NULL OR up_to <= coalesce((SELECT max(a.chain_seq) FROM access_log_anchor a), 0) THEN RETURN 0; END IF;
        SELECT * INTO last_entry FROM access_log e WHERE e.chain_seq = up_to;
        INSERT INTO access_log_anchor (chain_seq, hash, purged_before, sealed_at, mac)
          VALUES (up_to, last_entry.hash, cutoff, last_entry.sealed_at,
                  hmac(access_log_anchor_content(up_to, last_entry.hash, last_entry.sealed_at), log_key, 'sha256'));
        DELETE FROM access_log e WHERE e.chain_seq <= up_to;
        GET DIAGNOSTICS removed = ROW_COUNT;
        RETURN removed;
      END $$;

      -- An anchor names a keyed entry sealed more than five years ago by the database clock, with that
      -- sealing time, and only moves forward.
      CREATE OR REPLACE FUNCTION access_log_anchor_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
      DECLARE
        anchored access_log;
      BEGIN
        SELECT * INTO anchored FROM access_log WHERE chain_seq = NEW.chain_seq;
        IF NOT FOUND OR anchored.hash IS DISTINCT FROM NEW.hash THEN
          RAISE EXCEPTION 'a retention anchor must name a sealed access-log entry and its hash' USING ERRCODE = 'restrict_violation';
        END IF;
        IF anchored.key_version IS DISTINCT FROM 1 OR anchored.sealed_at IS DISTINCT FROM NEW.sealed_at
           OR anchored.sealed_at >= access_log_clock() - interval '1825 days' OR NEW.purged_before > access_log_clock() - interval '1825 days' THEN
          RAISE EXCEPTION 'access-log entries are kept at least five years; retention may not anchor a newer entry' USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.chain_seq <= coalesce((SELECT max(chain_seq) FROM access_log_anchor), 0) THEN
          RAISE EXCEPTION 'a retention anchor may only move forward' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$;

      -- Only the application role may call these (granted after every migration run, database/roles.ts).
      REVOKE ALL ON FUNCTION seal_access_log_keyed(int, bytea), purge_access_log(int, bytea) FROM PUBLIC;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION purge_access_log(int, bytea);
      DROP FUNCTION seal_access_log_keyed(int, bytea);
      DROP TRIGGER access_log_stamp ON access_log;
      DROP FUNCTION access_log_stamp();
      DROP FUNCTION access_log_content_v1(access_log);
      DROP FUNCTION access_log_anchor_content(bigint, bytea, timestamptz);
      ALTER TABLE access_log DROP COLUMN sealed_at, DROP COLUMN key_version;
      ALTER TABLE access_log_anchor DROP COLUMN sealed_at, DROP COLUMN mac;
      DROP FUNCTION access_log_clock();
    `);
  }
}
