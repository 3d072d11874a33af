import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's protection level changes only as a recorded, reviewable act:
 *
 * - protected_identity_change: who changed it, from what to what, why and when (the database's clock,
 *   whatever the insert says); afterwards only its review may be added, once (also dated by the database);
 * - person.protected_identity changes only together with such a record, in the same transaction.
 */
export class ProtectedIdentityChanges1764921600000 implements MigrationInterface {
  name = 'ProtectedIdentityChanges1764921600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE protected_identity_change (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        from_level text NOT NULL CHECK (from_level IN ('NONE','SEKRETESSMARKERING','SKYDDAD_FOLKBOKFORING','FINGERADE_PERSONUPPGIFTER')),
        to_level text NOT NULL CHECK (to_level IN ('NONE','SEKRETESSMARKERING','SKYDDAD_FOLKBOKFORING','FINGERADE_PERSONUPPGIFTER')),
        reason text NOT NULL CHECK (length(trim(reason)) >= 10),
        changed_by uuid NOT NULL REFERENCES staff_member(id),
        changed_at timestamptz NOT NULL DEFAULT now(),
        reviewed_at timestamptz,
        reviewed_by uuid REFERENCES staff_member(id),
        review_note text,
        CHECK (from_level <> to_level),
        CHECK ((reviewed_at IS NULL) = (reviewed_by IS NULL))
      );
      CREATE INDEX protected_identity_change_person_idx ON protected_identity_change (person_id, changed_at);
      CREATE INDEX protected_identity_change_unreviewed_idx ON protected_identity_change (changed_at) WHERE reviewed_at IS NULL;

      CREATE FUNCTION protected_identity_change_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          NEW.changed_at := now();
          RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE' AND OLD.reviewed_at IS NULL AND NEW.reviewed_by IS NOT NULL
           AND (to_jsonb(NEW) - 'reviewed_at' - 'reviewed_by' - 'review_note') = (to_jsonb(OLD) - 'reviewed_at' - 'reviewed_by' - 'review_note') THEN
          NEW.reviewed_at := now();
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'a protection change can only be reviewed, once' USING ERRCODE = 'restrict_violation';
      END $$;
      CREATE TRIGGER protected_identity_change_guard BEFORE INSERT OR UPDATE OR DELETE ON protected_identity_change
        FOR EACH ROW EXECUTE FUNCTION protected_identity_change_guard();

      CREATE FUNCTION person_protection_recorded() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.protected_identity IS DISTINCT FROM OLD.protected_identity AND NOT EXISTS (
            SELECT 1 FROM protected_identity_change c
             WHERE c.person_id = NEW.id AND c.from_level = OLD.protected_identity AND c.to_level = NEW.protected_identity AND c.changed_at = now()) THEN
          RAISE EXCEPTION 'a protection level changes only with its recorded reason' USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER person_protection_recorded BEFORE UPDATE OF protected_identity ON person
        FOR EACH ROW EXECUTE FUNCTION person_protection_recorded();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER person_protection_recorded ON person;
      DROP FUNCTION person_protection_recorded();
      DROP TABLE protected_identity_change;
      DROP FUNCTION protected_identity_change_guard();
    `);
  }
}
