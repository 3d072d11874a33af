import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consent to sharing between the principals, emergency access, auditors, and a tamper-evident access log.
 *
 * The access log is chained in a separate sealing step rather than in the insert: every API request
 * appends its entry without waiting for any other (a chain in an insert trigger would have to hold one
 * lock per insert until commit, serialising every request behind the previous one's commit). The
 * sealer (`seal_access_log`, run every second by the API under an advisory lock so only one instance
 * seals) gives the committed, unsealed entries their place in the chain in id order: chain_seq,
 * prev_hash and hash = sha256(prev_hash || the entry's canonical text). Until it has run, an entry is
 * append-only (the database refuses any change to it) but not yet chained: that is the unsealed window.
 */
export class ConsentAndAudit1764403200000 implements MigrationInterface {
  name = 'ConsentAndAudit1764403200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- The organisation that registered the person: its principal holds the person's record, and staff
      -- of the other principal see it only with the person's consent.
      ALTER TABLE person ADD COLUMN home_organisation_id uuid REFERENCES organisation(id);
      UPDATE person p SET home_organisation_id = coalesce(
        (SELECT s.organisation_id FROM collaboration_group g JOIN staff_member s ON s.id = g.coordinator_staff_id WHERE g.person_id = p.id),
        (SELECT s.organisation_id FROM collaboration_group g JOIN group_member m ON m.group_id = g.id JOIN staff_member s ON s.id = m.staff_id
          WHERE g.person_id = p.id ORDER BY m.created_at LIMIT 1),
        (SELECT id FROM organisation ORDER BY created_at LIMIT 1));
      ALTER TABLE person ALTER COLUMN home_organisation_id SET NOT NULL;

      ALTER TABLE staff_member ADD COLUMN auditor boolean NOT NULL DEFAULT false;
      -- Explicitly authorised to see the address and whereabouts of persons with a protected identity.
      ALTER TABLE staff_member ADD COLUMN whereabouts_authorised boolean NOT NULL DEFAULT false;
      -- Manages the staff and units of their own organisation (the global administrator manages all).
      ALTER TABLE staff_member ADD COLUMN organisation_administrator boolean NOT NULL DEFAULT false;
      -- An integration client: a service account of one organisation that signs in with an API key.
      ALTER TABLE staff_member ADD COLUMN service_account boolean NOT NULL DEFAULT false;
      CREATE TABLE api_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        staff_id uuid NOT NULL REFERENCES staff_member(id),
        prefix text NOT NULL UNIQUE,
        -- sha256 of the whole key: the key is 32 random bytes, so a slow hash adds nothing; the key itself is never stored.
        key_hash bytea NOT NULL,
        scopes text[] NOT NULL CHECK (scopes <@ ARRAY['DIRECTORY_READ','DIRECTORY_WRITE']),
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by uuid NOT NULL REFERENCES staff_member(id)
      );

      CREATE TABLE consent (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        purpose text NOT NULL CHECK (purpose IN ('SIP','SHARING')),
        scope text NOT NULL CHECK (scope IN ('WHOLE_GROUP','NAMED_ORGANISATIONS')),
        organisation_ids uuid[] NOT NULL DEFAULT '{}',
        -- "do not share X with Y": [{"organisationId": ..., "category": ...}]
        limitations jsonb NOT NULL DEFAULT '[]',
        given_how text NOT NULL CHECK (given_how IN ('WRITTEN','VERBAL_WITH_WITNESS')),
        witness_name text,
        valid_from date NOT NULL,
        valid_to date,
        recorded_by uuid NOT NULL REFERENCES staff_member(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        withdrawn_at timestamptz,
        withdrawn_by uuid REFERENCES staff_member(id),
        withdrawal_note text,
        CHECK (valid_to IS NULL OR valid_to >= valid_from),
        CHECK (given_how <> 'VERBAL_WITH_WITNESS' OR length(trim(coalesce(witness_name, ''))) > 0),
        CHECK (scope <> 'NAMED_ORGANISATIONS' OR cardinality(organisation_ids) > 0),
        CHECK ((withdrawn_at IS NULL) = (withdrawn_by IS NULL))
      );
      CREATE INDEX consent_person_idx ON consent (person_id) WHERE withdrawn_at IS NULL;
      -- A consent is evidence: only its withdrawal may be added, once; nothing else changes and nothing is deleted.
      CREATE FUNCTION consent_only_withdraw() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR OLD.withdrawn_at IS NOT NULL OR NEW.withdrawn_at IS NULL
           OR (to_jsonb(NEW) - 'withdrawn_at' - 'withdrawn_by' - 'withdrawal_note') <> (to_jsonb(OLD) - 'withdrawn_at' - 'withdrawn_by' - 'withdrawal_note') THEN
          RAISE EXCEPTION 'a consent can only be withdrawn, once' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER consent_immutable BEFORE UPDATE OR DELETE ON consent FOR EACH ROW EXECUTE FUNCTION consent_only_withdraw();

      CREATE TABLE emergency_access (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        staff_id uuid NOT NULL REFERENCES staff_member(id),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        reason text NOT NULL CHECK (length(trim(reason)) >= 10),
        opened_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        reviewed_at timestamptz,
        reviewed_by uuid REFERENCES staff_member(id),
        review_note text,
        CHECK (expires_at > opened_at),
        CHECK ((reviewed_at IS NULL) = (reviewed_by IS NULL))
      );
      CREATE INDEX emergency_access_active_idx ON emergency_access (staff_id, person_id, expires_at);
      CREATE INDEX emergency_access_unreviewed_idx ON emergency_access (opened_at) WHERE reviewed_at IS NULL;

      -- The access log: who (staff, organisation, unit, role), which person, what (action and entity),
      -- when, from where, and on what ground; then its place in the hash chain.
      ALTER TABLE access_log
        ADD COLUMN role text NOT NULL DEFAULT '',
        ADD COLUMN entity text NOT NULL DEFAULT '',
        ADD COLUMN ground text NOT NULL DEFAULT 'GROUP_MEMBERSHIP'
          CHECK (ground IN ('GROUP_MEMBERSHIP','ACT_TEAM','CONSENT','EMERGENCY','LIMITED_VIEW','AUDIT')),
        ADD COLUMN client_address text,
        ADD COLUMN chain_seq bigint UNIQUE,
        ADD COLUMN prev_hash bytea,
        ADD COLUMN hash bytea;
      ALTER TABLE access_log ALTER COLUMN role DROP DEFAULT, ALTER COLUMN entity DROP DEFAULT, ALTER COLUMN ground DROP DEFAULT;
      CREATE INDEX access_log_unsealed_idx ON access_log (id) WHERE chain_seq IS NULL;
      CREATE INDEX access_log_staff_idx ON access_log (staff_id, occurred_at);

      -- Where the chain starts after retention removed its oldest entries: the last removed entry's
      -- place and hash. Only entries at or before the latest anchor may ever be deleted.
      CREATE TABLE access_log_anchor (
        chain_seq bigint PRIMARY KEY,
        hash bytea NOT NULL,
        purged_before timestamptz NOT NULL,
        anchored_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TRIGGER access_log_anchor_immutable BEFORE UPDATE OR DELETE ON access_log_anchor
        FOR EACH ROW EXECUTE FUNCTION refuse_change();

      -- The chain's head as last sealed: a deleted tail shows as a head that no longer exists.
      CREATE TABLE access_log_head (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        chain_seq bigint NOT NULL,
        hash bytea NOT NULL,
        sealed_at timestamptz NOT NULL
      );

      -- The canonical text an entry's hash covers (every column but the hash itself).
      CREATE FUNCTION access_log_content(e access_log, seq bigint) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
        SELECT convert_to(concat_ws('|', seq, e.id, to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
          e.staff_id, e.organisation_id, coalesce(e.unit_id::text, ''), e.role, e.person_id, e.action, e.entity, e.ground,
          coalesce(e.client_address, '')), 'UTF8')
      $$;

      DROP TRIGGER access_log_immutable ON access_log;
      -- Entries never change, except that the sealer fills in an unsealed entry's place in the chain, once;
      -- and only entries covered by a retention anchor may be deleted.
      CREATE FUNCTION access_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.chain_seq IS NOT NULL AND OLD.chain_seq <= (SELECT max(chain_seq) FROM access_log_anchor) THEN RETURN OLD; END IF;
          RAISE EXCEPTION 'access-log entries are removed only by retention, after anchoring' USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.chain_seq IS NULL AND NEW.chain_seq IS NOT NULL AND NEW.hash IS NOT NULL
           AND (to_jsonb(NEW) - 'chain_seq' - 'prev_hash' - 'hash') = (to_jsonb(OLD) - 'chain_seq' - 'prev_hash' - 'hash') THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'access_log rows are immutable' USING ERRCODE = 'restrict_violation';
      END $$;
      CREATE TRIGGER access_log_guard BEFORE UPDATE OR DELETE ON access_log FOR EACH ROW EXECUTE FUNCTION access_log_guard();
      CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

      -- Seals up to max_rows committed entries in id order; returns how many. One sealer at a time
      -- (a transaction-scoped advisory lock; a second caller returns 0 at once).
      CREATE FUNCTION seal_access_log(max_rows int) RETURNS int LANGUAGE plpgsql AS $$
      DECLARE
        last_seq bigint;
        last_hash bytea;
        next_hash bytea;
        r access_log;
        n int := 0;
      BEGIN
        IF NOT pg_try_advisory_xact_lock(hashtext('samverka.access_log.seal')) THEN RETURN 0; END IF;
        SELECT chain_seq, hash INTO last_seq, last_hash FROM access_log_head;
        IF last_seq IS NULL THEN
          SELECT chain_seq, hash INTO last_seq, last_hash FROM access_log_anchor ORDER BY chain_seq DESC LIMIT 1;
        END IF;
        last_seq := coalesce(last_seq, 0);
        last_hash := coalesce(last_hash, '\\x'::bytea);
        FOR r IN SELECT * FROM access_log WHERE chain_seq IS NULL ORDER BY id LIMIT max_rows LOOP
          last_seq := last_seq + 1;
          next_hash := sha256(last_hash || access_log_content(r, last_seq));
          UPDATE access_log SET chain_seq = last_seq, prev_hash = last_hash, hash = next_hash WHERE id = r.id;
          last_hash := next_hash;
          n := n + 1;
        END LOOP;
        IF n > 0 THEN
          INSERT INTO access_log_head (chain_seq, hash, sealed_at) VALUES (last_seq, last_hash, now())
            ON CONFLICT (singleton) DO UPDATE SET chain_seq = EXCLUDED.chain_seq, hash = EXCLUDED.hash, sealed_at = EXCLUDED.sealed_at;
        END IF;
        RETURN n;
      END $$;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP FUNCTION seal_access_log(int);
      DROP TRIGGER access_log_no_truncate ON access_log;
      DROP TRIGGER access_log_guard ON access_log;
      DROP FUNCTION access_log_guard();
      DROP FUNCTION access_log_content(access_log, bigint);
      DROP TABLE access_log_head, access_log_anchor, emergency_access, consent, api_key;
      DROP FUNCTION consent_only_withdraw();
      ALTER TABLE access_log DROP COLUMN role, DROP COLUMN entity, DROP COLUMN ground, DROP COLUMN client_address,
        DROP COLUMN chain_seq, DROP COLUMN prev_hash, DROP COLUMN hash;
      CREATE TRIGGER access_log_immutable BEFORE UPDATE ON access_log FOR EACH ROW EXECUTE FUNCTION refuse_change();
      ALTER TABLE staff_member DROP COLUMN auditor, DROP COLUMN whereabouts_authorised, DROP COLUMN organisation_administrator, DROP COLUMN service_account;
      ALTER TABLE person DROP COLUMN home_organisation_id;
    `);
  }
}
