import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS = `'PLAN_ADOPTED','MEETING_PLANNED','MEETING_MOVED','MEETING_CANCELLED','PROPOSAL_OPENED','PROPOSAL_CLOSED',
  'DISCHARGE_EXECUTED','DISCHARGE_REFUSED','MEMBERSHIP_CHANGED','CONSENT_RECORDED','CONSENT_WITHDRAWN'`;

/**
 * Signed webhooks for integration clients (issue 13 §2).
 *
 * - webhook_subscription: a client's endpoint, the event kinds it wants and its Standard Webhooks secret
 *   (kept readable: the sender needs it to sign, as every Standard Webhooks sender does); a rotated-out
 *   secret signs alongside the new one for a day, so the partner can switch without losing a message.
 * - webhook_event: written by triggers on the tables the events are about, in the same transaction as the
 *   change, so no code path can skip one and a rolled-back change leaves none. Ids and the kind only.
 * - webhook_delivery: one per (event, subscription), unique, so a second fan-out adds nothing.
 * - webhook_attempt: every attempt (status code or error class, duration, time); append-only.
 */
export class Webhooks1765400001000 implements MigrationInterface {
  name = 'Webhooks1765400001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_subscription (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        client_id uuid NOT NULL REFERENCES staff_member(id),
        url text NOT NULL CHECK (length(url) BETWEEN 10 AND 2000),
        event_kinds text[] NOT NULL CHECK (cardinality(event_kinds) > 0 AND event_kinds <@ ARRAY[${KINDS}]),
        secret text NOT NULL CHECK (secret ~ '^whsec_[A-Za-z0-9+/=]{32,}$'),
        previous_secret text CHECK (previous_secret ~ '^whsec_[A-Za-z0-9+/=]{32,}$'),
        previous_secret_until timestamptz,
        active boolean NOT NULL DEFAULT true,
        created_by uuid NOT NULL REFERENCES staff_member(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        secret_rotated_at timestamptz,
        disabled_at timestamptz,
        disabled_by uuid REFERENCES staff_member(id),
        CHECK (active = (disabled_at IS NULL)),
        CHECK ((previous_secret IS NULL) = (previous_secret_until IS NULL))
      );
      CREATE INDEX webhook_subscription_client_idx ON webhook_subscription (client_id, created_at DESC);
      CREATE INDEX webhook_subscription_active_idx ON webhook_subscription USING gin (event_kinds) WHERE active;

      CREATE TABLE webhook_event (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN (${KINDS})),
        person_id uuid NOT NULL REFERENCES person(id),
        -- Ids only (the person, the plan, meeting, proposal, episode, group or consent): never personal data.
        data jsonb NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        -- Set in the transaction that has made the event's deliveries.
        fanned_out_at timestamptz
      );
      CREATE INDEX webhook_event_pending_idx ON webhook_event (occurred_at, id) WHERE fanned_out_at IS NULL;

      CREATE TABLE webhook_delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_id uuid NOT NULL REFERENCES webhook_event(id),
        subscription_id uuid NOT NULL REFERENCES webhook_subscription(id),
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','DELIVERED','FAILED','STOPPED')),
        attempts int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        -- When the next attempt is due: the sweep hands over again a pending delivery well past it.
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        stop_reason text CHECK (stop_reason IN ('ACCESS_ENDED','SUBSCRIPTION_DISABLED')),
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        UNIQUE (event_id, subscription_id),
        CHECK ((status = 'PENDING') = (finished_at IS NULL)),
        CHECK ((status = 'STOPPED') = (stop_reason IS NOT NULL))
      );
      CREATE INDEX webhook_delivery_pending_idx ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING';
      CREATE INDEX webhook_delivery_subscription_idx ON webhook_delivery (subscription_id, created_at DESC, id DESC);

      CREATE TABLE webhook_attempt (
        id bigserial PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES webhook_delivery(id),
        number int NOT NULL CHECK (number >= 1),
        attempted_at timestamptz NOT NULL,
        duration_ms int NOT NULL CHECK (duration_ms >= 0),
        status_code int CHECK (status_code BETWEEN 100 AND 599),
        -- The error's class or code only (a timeout, a refused connection): never a response body.
        error text CHECK (length(error) BETWEEN 1 AND 100),
        CHECK (num_nonnulls(status_code, error) >= 1)
      );
      CREATE INDEX webhook_attempt_delivery_idx ON webhook_attempt (delivery_id, id);
      CREATE TRIGGER webhook_attempt_immutable BEFORE DELETE OR UPDATE ON webhook_attempt FOR EACH ROW EXECUTE FUNCTION refuse_change();

      -- One function for every table an event is about: which change is which kind is decided here, once.
      -- An event is written only while some active subscription wants its kind.
      CREATE FUNCTION webhook_capture() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        k text;
        p uuid;
        d jsonb;
      BEGIN
        IF TG_TABLE_NAME = 'sip_plan' THEN
          IF NEW.status = 'ACTIVE' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'ACTIVE') THEN
            k := 'PLAN_ADOPTED';
          END IF;
          p := NEW.person_id;
          d := jsonb_build_object('personId', NEW.person_id, 'planId', NEW.id, 'version', NEW.version);
        ELSIF TG_TABLE_NAME = 'sip_meeting' THEN
          IF TG_OP = 'INSERT' THEN
            k := 'MEETING_PLANNED';
          ELSIF NEW.status = 'CANCELLED' AND OLD.status <> 'CANCELLED' THEN
            k := 'MEETING_CANCELLED';
          ELSIF NEW.status = 'PLANNED' AND NEW.starts_at IS DISTINCT FROM OLD.starts_at THEN
            k := 'MEETING_MOVED';
          END IF;
          p := NEW.person_id;
          d := jsonb_build_object('personId', NEW.person_id, 'meetingId', NEW.id);
        ELSIF TG_TABLE_NAME = 'proposal' THEN
          IF TG_OP = 'INSERT' THEN
            k := 'PROPOSAL_OPENED';
          ELSIF OLD.status = 'OPEN' AND NEW.status <> 'OPEN' THEN
            k := 'PROPOSAL_CLOSED';
          END IF;
          p := NEW.person_id;
          d := jsonb_build_object('personId', NEW.person_id, 'proposalId', NEW.id);
        ELSIF TG_TABLE_NAME = 'discharge_request' THEN
          IF OLD.status = 'PENDING' AND NEW.status = 'EXECUTED' THEN
            k := 'DISCHARGE_EXECUTED';
          ELSIF OLD.status = 'PENDING' AND NEW.status = 'REJECTED' THEN
            k := 'DISCHARGE_REFUSED';
          END IF;
          SELECT person_id INTO p FROM care_episode WHERE id = NEW.episode_id;
          d := jsonb_build_object('personId', p, 'episodeId', NEW.episode_id, 'dischargeRequestId', NEW.id);
        ELSIF TG_TABLE_NAME = 'group_membership_change' THEN
          k := 'MEMBERSHIP_CHANGED';
          SELECT person_id INTO p FROM collaboration_group WHERE id = NEW.group_id;
          d := jsonb_build_object('personId', p, 'groupId', NEW.group_id, 'membershipVersion', NEW.membership_version);
        ELSIF TG_TABLE_NAME = 'consent' THEN
          IF TG_OP = 'INSERT' THEN
            k := 'CONSENT_RECORDED';
          ELSIF OLD.withdrawn_at IS NULL AND NEW.withdrawn_at IS NOT NULL THEN
            k := 'CONSENT_WITHDRAWN';
          END IF;
          p := NEW.person_id;
          d := jsonb_build_object('personId', NEW.person_id, 'consentId', NEW.id);
        END IF;
        IF k IS NOT NULL AND p IS NOT NULL
           AND EXISTS (SELECT 1 FROM webhook_subscription s WHERE s.active AND s.event_kinds @> ARRAY[k]) THEN
          INSERT INTO webhook_event (kind, person_id, data) VALUES (k, p, d);
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER sip_plan_webhooks AFTER INSERT OR UPDATE OF status ON sip_plan FOR EACH ROW EXECUTE FUNCTION webhook_capture();
      CREATE TRIGGER sip_meeting_webhooks AFTER INSERT OR UPDATE OF status, starts_at ON sip_meeting FOR EACH ROW EXECUTE FUNCTION webhook_capture();
      CREATE TRIGGER proposal_webhooks AFTER INSERT OR UPDATE OF status ON proposal FOR EACH ROW EXECUTE FUNCTION webhook_capture();
      CREATE TRIGGER discharge_request_webhooks AFTER UPDATE OF status ON discharge_request FOR EACH ROW EXECUTE FUNCTION webhook_capture();
      CREATE TRIGGER group_membership_change_webhooks AFTER INSERT ON group_membership_change FOR EACH ROW EXECUTE FUNCTION webhook_capture();
      CREATE TRIGGER consent_webhooks AFTER INSERT OR UPDATE OF withdrawn_at ON consent FOR EACH ROW EXECUTE FUNCTION webhook_capture();

      -- The worker's relay listens on the outbox channel already: a new event wakes it the same way.
      CREATE TRIGGER webhook_event_wake AFTER INSERT ON webhook_event FOR EACH STATEMENT EXECUTE FUNCTION outbox_wake();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER sip_plan_webhooks ON sip_plan;
      DROP TRIGGER sip_meeting_webhooks ON sip_meeting;
      DROP TRIGGER proposal_webhooks ON proposal;
      DROP TRIGGER discharge_request_webhooks ON discharge_request;
      DROP TRIGGER group_membership_change_webhooks ON group_membership_change;
      DROP TRIGGER consent_webhooks ON consent;
      DROP FUNCTION webhook_capture();
      DROP TABLE webhook_attempt;
      DROP TABLE webhook_delivery;
      DROP TABLE webhook_event;
      DROP TABLE webhook_subscription;
    `);
  }
}
