import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders derived from data. PostgreSQL is the source of truth: every write that can move a
 * reminder (a follow-up date, a meeting, a proposal, a consent date, a legal check, a contact) writes
 * an outbox row in the same transaction, by trigger, so no code path can forget it. The worker's relay
 * turns outbox rows into reminder occurrences and BullMQ jobs; every delivery is recorded.
 */
export class Reminders1764316800000 implements MigrationInterface {
  name = 'Reminders1764316800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- SIP meetings: the person, the principals (summoned) and others (invited) meet to plan.
      CREATE TABLE sip_meeting (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        starts_at timestamptz NOT NULL,
        location text NOT NULL CHECK (length(location) BETWEEN 1 AND 200),
        status text NOT NULL DEFAULT 'PLANNED' CHECK (status IN ('PLANNED','HELD','CANCELLED')),
        invite_person boolean NOT NULL DEFAULT true,
        person_attended boolean,
        minutes text CHECK (length(minutes) <= 20000),
        created_by uuid NOT NULL REFERENCES staff_member(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX sip_meeting_person_idx ON sip_meeting (person_id, starts_at DESC);

      CREATE TABLE sip_meeting_participant (
        meeting_id uuid NOT NULL REFERENCES sip_meeting(id) ON DELETE CASCADE,
        staff_id uuid NOT NULL REFERENCES staff_member(id),
        attended boolean,
        PRIMARY KEY (meeting_id, staff_id)
      );

      -- Legal checks the audit found skipped. The children question is person.children_status.
      CREATE TABLE case_check (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        kind text NOT NULL CHECK (kind IN ('RELATIVES_IDENTIFIED','VIOLENCE_ASSESSED','LVM_REPORT','LVM_PRE_ASSESSMENT')),
        done_on date NOT NULL,
        recorded_by uuid NOT NULL REFERENCES staff_member(id),
        note text CHECK (length(note) <= 4000),
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX case_check_person_idx ON case_check (person_id, kind);

      -- ACT teams do not drop people: each team says after how many days without contact it is told.
      ALTER TABLE act_team ADD COLUMN no_contact_alert_days int NOT NULL DEFAULT 7 CHECK (no_contact_alert_days BETWEEN 1 AND 90);

      CREATE TABLE notification_preference (
        staff_id uuid PRIMARY KEY REFERENCES staff_member(id),
        email boolean NOT NULL DEFAULT true,
        sms boolean NOT NULL DEFAULT false,
        locale text NOT NULL DEFAULT 'sv' CHECK (locale IN ('sv','en')),
        -- Non-urgent reminders wait until quiet hours end (Swedish local time); both or neither.
        quiet_from time,
        quiet_to time,
        CHECK ((quiet_from IS NULL) = (quiet_to IS NULL))
      );

      -- One occurrence of a reminder rule. The key names the rule, the subject and the due moment, so
      -- a moved date is a new occurrence and the old one is cancelled.
      CREATE TABLE reminder (
        key text PRIMARY KEY CHECK (key ~ '^[A-Za-z0-9._-]+$'),
        rule text NOT NULL,
        person_id uuid NOT NULL REFERENCES person(id),
        subject_id uuid NOT NULL,
        due_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'SCHEDULED' CHECK (status IN ('SCHEDULED','FIRED','CANCELLED')),
        -- Raised when a cancelled occurrence comes back, so that its job id is new.
        generation int NOT NULL DEFAULT 1,
        fired_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'FIRED') = (fired_at IS NOT NULL))
      );
      CREATE INDEX reminder_person_idx ON reminder (person_id) WHERE status = 'SCHEDULED';
      CREATE INDEX reminder_due_idx ON reminder (due_at) WHERE status = 'SCHEDULED';

      -- One message to one recipient on one channel. The idempotency key is derived from the
      -- occurrence, recipient and channel: it is the e-mail Message-ID and the SMS Idempotency-Key.
      CREATE TABLE delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        reminder_key text NOT NULL REFERENCES reminder(key),
        recipient_staff_id uuid REFERENCES staff_member(id),
        recipient_person_id uuid REFERENCES person(id),
        channel text NOT NULL CHECK (channel IN ('IN_APP','EMAIL','SMS','PRINTED_NOTE')),
        idempotency_key text NOT NULL UNIQUE,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','SENT','FAILED')),
        attempts int NOT NULL DEFAULT 0,
        -- The error's class only: a message may quote personal data.
        last_error text,
        sent_at timestamptz,
        failed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (num_nonnulls(recipient_staff_id, recipient_person_id) = 1),
        CHECK ((status = 'SENT') = (sent_at IS NOT NULL)),
        CHECK ((status = 'FAILED') = (failed_at IS NOT NULL))
      );
      CREATE INDEX delivery_reminder_idx ON delivery (reminder_key);
      CREATE INDEX delivery_pending_idx ON delivery (created_at) WHERE status = 'PENDING';
      CREATE INDEX delivery_failed_idx ON delivery (failed_at DESC) WHERE status = 'FAILED';

      -- In-app notifications made by a delivery point back to it: one delivery, one notification.
      ALTER TABLE notification ADD COLUMN delivery_id uuid UNIQUE REFERENCES delivery(id);
      CREATE INDEX notification_unread_idx ON notification (recipient_staff_id) WHERE read_at IS NULL;

      -- The transactional outbox: 'reconcile' asks for a person's reminders to be derived again.
      -- Rows are deleted in the transaction that has derived them and handed the jobs to BullMQ.
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        topic text NOT NULL CHECK (topic IN ('reconcile')),
        ref uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX outbox_ref_idx ON outbox (ref);

      CREATE FUNCTION outbox_wake() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('samverka_outbox', '');
        RETURN NULL;
      END $$;
      CREATE TRIGGER outbox_wake AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_wake();

      -- Any write to data a reminder is derived from asks for the person's reminders to be recomputed.
      CREATE FUNCTION reminders_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'person' THEN
          INSERT INTO outbox (topic, ref) VALUES ('reconcile', NEW.id);
          RETURN NULL;
        END IF;
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO outbox (topic, ref) VALUES ('reconcile', NEW.person_id);
        END IF;
        IF TG_OP <> 'INSERT' AND (TG_OP = 'DELETE' OR OLD.person_id IS DISTINCT FROM NEW.person_id) THEN
          INSERT INTO outbox (topic, ref) VALUES ('reconcile', OLD.person_id);
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER sip_plan_reminders AFTER INSERT OR DELETE OR UPDATE OF status, follow_up_on, consent_valid_until, overall_responsibility_principal
        ON sip_plan FOR EACH ROW EXECUTE FUNCTION reminders_changed();
      CREATE TRIGGER sip_meeting_reminders AFTER INSERT OR DELETE OR UPDATE OF starts_at, status, invite_person
        ON sip_meeting FOR EACH ROW EXECUTE FUNCTION reminders_changed();
      CREATE TRIGGER proposal_reminders AFTER INSERT OR UPDATE OF status, deadline
        ON proposal FOR EACH ROW EXECUTE FUNCTION reminders_changed();
      CREATE TRIGGER person_reminders AFTER UPDATE OF children_status
        ON person FOR EACH ROW EXECUTE FUNCTION reminders_changed();
      CREATE TRIGGER relative_reminders AFTER INSERT OR DELETE ON relative FOR EACH ROW EXECUTE FUNCTION reminders_changed();
      CREATE TRIGGER case_check_reminders AFTER INSERT OR DELETE OR UPDATE ON case_check FOR EACH ROW EXECUTE FUNCTION reminders_changed();
      CREATE TRIGGER contact_entry_reminders AFTER INSERT OR DELETE OR UPDATE OF occurred_at ON contact_entry FOR EACH ROW EXECUTE FUNCTION reminders_changed();
      CREATE TRIGGER care_episode_reminders AFTER INSERT OR UPDATE OF status ON care_episode FOR EACH ROW EXECUTE FUNCTION reminders_changed();
      CREATE TRIGGER act_team_client_reminders AFTER INSERT OR UPDATE ON act_team_client FOR EACH ROW EXECUTE FUNCTION reminders_changed();

      -- A team's alert interval moves the no-contact reminder of everyone on its caseload.
      CREATE FUNCTION act_team_reminders_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO outbox (topic, ref) SELECT 'reconcile', c.person_id FROM act_team_client c WHERE c.team_id = NEW.id;
        RETURN NULL;
      END $$;
      CREATE TRIGGER act_team_reminders AFTER UPDATE OF no_contact_alert_days ON act_team FOR EACH ROW EXECUTE FUNCTION act_team_reminders_changed();

      -- Deliveries are a record: once sent or failed they do not change again.
      CREATE FUNCTION delivery_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          RAISE EXCEPTION 'deliveries are kept' USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.status <> 'PENDING' THEN
          RAISE EXCEPTION 'a delivery that is % cannot change', OLD.status USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER delivery_guard BEFORE UPDATE OR DELETE ON delivery FOR EACH ROW EXECUTE FUNCTION delivery_guard();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER act_team_reminders ON act_team;
      DROP TRIGGER act_team_client_reminders ON act_team_client;
      DROP TRIGGER care_episode_reminders ON care_episode;
      DROP TRIGGER contact_entry_reminders ON contact_entry;
      DROP TRIGGER relative_reminders ON relative;
      DROP TRIGGER person_reminders ON person;
      DROP TRIGGER proposal_reminders ON proposal;
      DROP TRIGGER sip_plan_reminders ON sip_plan;
      DROP FUNCTION act_team_reminders_changed();
      ALTER TABLE notification DROP COLUMN delivery_id;
      DROP TABLE outbox, delivery, reminder, notification_preference, case_check, sip_meeting_participant, sip_meeting;
      DROP FUNCTION reminders_changed(), outbox_wake(), delivery_guard();
      ALTER TABLE act_team DROP COLUMN no_contact_alert_days;
    `);
  }
}
