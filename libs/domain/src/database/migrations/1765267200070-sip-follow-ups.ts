import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Follow-ups of a SIP plan recorded as held (held on the day they are recorded: the check ties the day to
 * the insert's own clock, so none is back-dated, and the log is append-only), and relatives the person
 * agreed to invited to SIP meetings.
 */
export class SipFollowUps1765267200070 implements MigrationInterface {
  name = 'SipFollowUps1765267200070';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sip_plan_follow_up (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id uuid NOT NULL REFERENCES sip_plan(id),
        person_id uuid NOT NULL REFERENCES person(id),
        held_on date NOT NULL DEFAULT (now() AT TIME ZONE 'Europe/Stockholm')::date,
        recorded_by uuid NOT NULL REFERENCES staff_member(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 4000),
        next_follow_up_on date NOT NULL,
        CHECK (held_on = (recorded_at AT TIME ZONE 'Europe/Stockholm')::date),
        CHECK (next_follow_up_on > held_on)
      );
      CREATE INDEX sip_plan_follow_up_plan_idx ON sip_plan_follow_up (plan_id, recorded_at DESC);
      CREATE FUNCTION sip_plan_follow_up_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          IF NEW.recorded_at < now() - interval '1 minute' THEN RAISE EXCEPTION 'a follow-up is recorded when it is held'; END IF;
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'a recorded follow-up is never changed';
      END $$;
      CREATE TRIGGER sip_plan_follow_up_append_only BEFORE INSERT OR UPDATE OR DELETE ON sip_plan_follow_up
        FOR EACH ROW EXECUTE FUNCTION sip_plan_follow_up_append_only();

      CREATE TABLE sip_meeting_relative (
        meeting_id uuid NOT NULL REFERENCES sip_meeting(id) ON DELETE CASCADE,
        relative_id uuid NOT NULL REFERENCES relative(id) ON DELETE CASCADE,
        attended boolean,
        PRIMARY KEY (meeting_id, relative_id)
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE sip_meeting_relative;
      DROP TABLE sip_plan_follow_up;
      DROP FUNCTION sip_plan_follow_up_append_only();
    `);
  }
}
