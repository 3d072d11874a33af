import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The person's approval of each adopted version of their SIP plan: how (signed on paper, verbally with a
 * named witness), recorded by whom and when. The time is the database's own clock, whatever the insert says
 * (never back-dated); one approval per version; append-only (the trigger refuses any change or removal).
 */
export class SipPlanApprovals1765353600200 implements MigrationInterface {
  name = 'SipPlanApprovals1765353600200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE sip_plan_approval (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_id uuid NOT NULL,
        person_id uuid NOT NULL REFERENCES person(id),
        version int NOT NULL,
        method text NOT NULL CHECK (method IN ('PAPER_SIGNATURE', 'VERBAL_WITH_WITNESS')),
        witness_name text CHECK (witness_name IS NULL OR length(witness_name) BETWEEN 1 AND 200),
        recorded_by uuid NOT NULL REFERENCES staff_member(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        FOREIGN KEY (plan_id, version) REFERENCES sip_plan_version(plan_id, version),
        UNIQUE (plan_id, version),
        CHECK ((method = 'VERBAL_WITH_WITNESS') = (witness_name IS NOT NULL))
      );
      CREATE FUNCTION sip_plan_approval_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          NEW.recorded_at := now();
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'a recorded approval is never changed';
      END $$;
      CREATE TRIGGER sip_plan_approval_append_only BEFORE INSERT OR UPDATE OR DELETE ON sip_plan_approval
        FOR EACH ROW EXECUTE FUNCTION sip_plan_approval_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE sip_plan_approval;
      DROP FUNCTION sip_plan_approval_append_only();
    `);
  }
}
