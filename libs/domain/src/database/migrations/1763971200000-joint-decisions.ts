import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Care episodes, proposals with their electorate and votes, discharge requests, and the database
 * guards that make "no discharge without the collaboration group's agreement" hold on every path.
 */
export class JointDecisions1763971200000 implements MigrationInterface {
  name = 'JointDecisions1763971200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE care_episode (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        person_id uuid NOT NULL REFERENCES person(id),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        principal text NOT NULL CHECK (principal IN ('MUNICIPALITY','REGION')),
        kind text NOT NULL CHECK (kind IN ('PSYCHIATRY','ADDICTION_CARE','SOCIAL_SERVICES','PRIMARY_CARE')),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','DISCHARGED','ENDED')),
        started_on date NOT NULL,
        ended_at timestamptz,
        discharge_decision_id uuid,
        ending_reason text CHECK (ending_reason IN ('DIED','MOVED_OUT_OF_AREA','CONSENT_WITHDRAWN')),
        ending_evidence text,
        ended_by uuid REFERENCES staff_member(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'ACTIVE') = (ended_at IS NULL)),
        CHECK ((status = 'DISCHARGED') = (discharge_decision_id IS NOT NULL)),
        CHECK ((status = 'ENDED') = (ending_reason IS NOT NULL AND ending_evidence IS NOT NULL))
      );
      -- One active involvement per organisation and person.
      CREATE UNIQUE INDEX care_episode_active_key ON care_episode (person_id, organisation_id) WHERE status = 'ACTIVE';

      CREATE TABLE proposal (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        group_id uuid NOT NULL REFERENCES collaboration_group(id),
        person_id uuid NOT NULL REFERENCES person(id),
        type text NOT NULL CHECK (type IN ('DISCHARGE','CHANGE_OVERALL_RESPONSIBILITY','HOUSING_PLACEMENT',
          'COMPULSORY_CARE_APPLICATION','PLAN_REVISION','OTHER')),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        rationale text NOT NULL CHECK (length(rationale) BETWEEN 1 AND 8000),
        proposed_by uuid NOT NULL REFERENCES staff_member(id),
        opened_at timestamptz NOT NULL DEFAULT now(),
        deadline timestamptz NOT NULL,
        episode_id uuid REFERENCES care_episode(id),
        membership_version int NOT NULL,
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','APPROVED','REJECTED','EXPIRED','VOIDED')),
        closed_at timestamptz,
        close_reason text,
        approval_valid_until timestamptz,
        used_at timestamptz,
        CHECK ((type = 'DISCHARGE') = (episode_id IS NOT NULL)),
        CHECK (deadline > opened_at),
        CHECK ((status = 'OPEN') = (closed_at IS NULL)),
        CHECK (approval_valid_until IS NULL OR (status = 'APPROVED' AND type = 'DISCHARGE')),
        CHECK (used_at IS NULL OR approval_valid_until IS NOT NULL)
      );
      CREATE INDEX proposal_group_idx ON proposal (group_id, status);
      CREATE INDEX proposal_person_idx ON proposal (person_id, opened_at DESC);
      CREATE INDEX proposal_open_deadline_idx ON proposal (deadline) WHERE status = 'OPEN';
      CREATE INDEX proposal_episode_idx ON proposal (episode_id) WHERE episode_id IS NOT NULL;
      -- One open discharge proposal per episode at a time.
      CREATE UNIQUE INDEX proposal_open_discharge_key ON proposal (episode_id) WHERE status = 'OPEN';
      ALTER TABLE care_episode ADD CONSTRAINT care_episode_decision_fkey FOREIGN KEY (discharge_decision_id) REFERENCES proposal(id);
      -- A decision discharges at most one episode, once.
      CREATE UNIQUE INDEX care_episode_decision_key ON care_episode (discharge_decision_id) WHERE discharge_decision_id IS NOT NULL;

      -- The electorate, fixed when the proposal opens, with each elector's current vote.
      CREATE TABLE proposal_elector (
        proposal_id uuid NOT NULL REFERENCES proposal(id),
        staff_id uuid NOT NULL REFERENCES staff_member(id),
        principal text NOT NULL CHECK (principal IN ('MUNICIPALITY','REGION')),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        profession text NOT NULL,
        choice text CHECK (choice IN ('AGREE','DISAGREE')),
        comment text,
        voted_at timestamptz,
        PRIMARY KEY (proposal_id, staff_id),
        CHECK (choice IS DISTINCT FROM 'DISAGREE' OR length(trim(comment)) > 0)
      );

      -- Every vote and vote change, never altered.
      CREATE TABLE vote_event (
        id bigserial PRIMARY KEY,
        proposal_id uuid NOT NULL REFERENCES proposal(id),
        staff_id uuid NOT NULL REFERENCES staff_member(id),
        organisation_id uuid NOT NULL REFERENCES organisation(id),
        profession text NOT NULL,
        choice text NOT NULL CHECK (choice IN ('AGREE','DISAGREE')),
        comment text,
        cast_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        FOREIGN KEY (proposal_id, staff_id) REFERENCES proposal_elector(proposal_id, staff_id)
      );
      CREATE INDEX vote_event_proposal_idx ON vote_event (proposal_id, id);

      CREATE TABLE discharge_request (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        episode_id uuid NOT NULL REFERENCES care_episode(id),
        requested_by uuid NOT NULL REFERENCES staff_member(id),
        requested_at timestamptz NOT NULL DEFAULT now(),
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','EXECUTED','REJECTED')),
        decided_at timestamptz,
        decision_id uuid REFERENCES proposal(id),
        reason text,
        CHECK ((status = 'PENDING') = (decided_at IS NULL)),
        CHECK (status <> 'EXECUTED' OR decision_id IS NOT NULL),
        CHECK (status <> 'REJECTED' OR reason IS NOT NULL)
      );
      CREATE INDEX discharge_request_pending_idx ON discharge_request (requested_at) WHERE status = 'PENDING';
      CREATE INDEX discharge_request_episode_idx ON discharge_request (episode_id);

      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        recipient_staff_id uuid NOT NULL REFERENCES staff_member(id),
        person_id uuid NOT NULL REFERENCES person(id),
        kind text NOT NULL,
        message text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      );
      CREATE INDEX notification_recipient_idx ON notification (recipient_staff_id, created_at DESC);

      -- THE RULE, held by the database: an episode becomes DISCHARGED only by consuming an approved,
      -- unused, unexpired DISCHARGE decision for that very episode. The check and the consumption are
      -- one statement, so two transactions can never spend the same decision.
      CREATE FUNCTION care_episode_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          IF NEW.status <> 'ACTIVE' THEN
            RAISE EXCEPTION 'a care episode starts ACTIVE' USING ERRCODE = 'check_violation';
          END IF;
          RETURN NEW;
        END IF;
        IF OLD.status <> 'ACTIVE' THEN
          RAISE EXCEPTION 'an ended care episode cannot change' USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.status = 'DISCHARGED' THEN
          UPDATE proposal SET used_at = now()
           WHERE id = NEW.discharge_decision_id AND type = 'DISCHARGE' AND status = 'APPROVED'
             AND episode_id = NEW.id AND used_at IS NULL AND approval_valid_until > now();
          IF NOT FOUND THEN
            RAISE EXCEPTION 'discharge refused: no approved, unused, unexpired decision of the collaboration group for this episode'
              USING ERRCODE = 'check_violation';
          END IF;
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER care_episode_guard BEFORE INSERT OR UPDATE ON care_episode
        FOR EACH ROW EXECUTE FUNCTION care_episode_guard();

      -- Proposals: APPROVED only with the whole electorate agreeing, both principals in it, before the
      -- deadline and under the membership it opened with; closed proposals never change (except that an
      -- approved discharge decision is marked used, once).
      CREATE FUNCTION proposal_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        electors int; agreeing int; principals int; current_version int;
      BEGIN
        IF OLD.status <> 'OPEN' THEN
          IF NEW.status = OLD.status AND OLD.used_at IS NULL AND NEW.used_at IS NOT NULL
             AND (to_jsonb(NEW) - 'used_at') = (to_jsonb(OLD) - 'used_at') THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION 'a closed proposal cannot change' USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.status = 'APPROVED' THEN
          SELECT count(*), count(*) FILTER (WHERE choice = 'AGREE'), count(DISTINCT principal)
            INTO electors, agreeing, principals FROM proposal_elector WHERE proposal_id = NEW.id;
          SELECT membership_version INTO current_version FROM collaboration_group WHERE id = NEW.group_id;
          IF electors = 0 OR agreeing <> electors OR principals < 2 OR now() > NEW.deadline
             OR current_version <> NEW.membership_version THEN
            RAISE EXCEPTION 'approval refused: not every member of the electorate agrees' USING ERRCODE = 'check_violation';
          END IF;
        END IF;
        IF NEW.status = 'REJECTED' AND NOT EXISTS (SELECT 1 FROM proposal_elector WHERE proposal_id = NEW.id AND choice = 'DISAGREE') THEN
          RAISE EXCEPTION 'a proposal is rejected only by a DISAGREE vote' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER proposal_guard BEFORE UPDATE ON proposal FOR EACH ROW EXECUTE FUNCTION proposal_guard();

      CREATE FUNCTION proposal_open_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (SELECT status FROM proposal WHERE id = NEW.proposal_id) <> 'OPEN' THEN
          RAISE EXCEPTION 'votes can only change while the proposal is open' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER proposal_elector_open BEFORE UPDATE ON proposal_elector FOR EACH ROW EXECUTE FUNCTION proposal_open_guard();
      CREATE TRIGGER vote_event_open BEFORE INSERT ON vote_event FOR EACH ROW EXECUTE FUNCTION proposal_open_guard();
      CREATE TRIGGER vote_event_immutable BEFORE UPDATE OR DELETE ON vote_event FOR EACH ROW EXECUTE FUNCTION refuse_change();
      CREATE TRIGGER proposal_elector_no_delete BEFORE DELETE ON proposal_elector FOR EACH ROW EXECUTE FUNCTION refuse_change();

      -- A discharge request ends exactly once.
      CREATE FUNCTION discharge_request_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.status <> 'PENDING' THEN
          RAISE EXCEPTION 'a decided discharge request cannot change' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER discharge_request_guard BEFORE UPDATE ON discharge_request FOR EACH ROW EXECUTE FUNCTION discharge_request_guard();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE notification, discharge_request, vote_event, proposal_elector;
      ALTER TABLE care_episode DROP CONSTRAINT care_episode_decision_fkey;
      DROP TABLE proposal, care_episode;
      DROP FUNCTION discharge_request_guard(), proposal_open_guard(), proposal_guard(), care_episode_guard();
    `);
  }
}
