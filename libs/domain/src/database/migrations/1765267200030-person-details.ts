import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A relative can be ended (no longer involved) without being deleted: the day it ended is the day it was
 * recorded, never earlier, and an ended relative is not changed again. The person gets a child-impact note
 * (how the person's situation affects their children) beside the children question.
 */
export class PersonDetails1765267200030 implements MigrationInterface {
  name = 'PersonDetails1765267200030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE relative ADD COLUMN ended_on date NULL;
      ALTER TABLE person ADD COLUMN child_impact_note text NULL CHECK (length(child_impact_note) <= 4000);
      CREATE FUNCTION relative_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF OLD.ended_on IS NOT NULL THEN
          RAISE EXCEPTION 'an ended relative is not changed' USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.person_id <> OLD.person_id THEN
          RAISE EXCEPTION 'a relative stays with their person' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER relative_guard BEFORE UPDATE ON relative FOR EACH ROW EXECUTE FUNCTION relative_guard();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER relative_guard ON relative;
      DROP FUNCTION relative_guard();
      ALTER TABLE person DROP COLUMN child_impact_note;
      ALTER TABLE relative DROP COLUMN ended_on;
    `);
  }
}
