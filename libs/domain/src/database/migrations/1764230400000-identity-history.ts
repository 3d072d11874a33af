import { MigrationInterface, QueryRunner } from 'typeorm';

/** A person's identity number can change (a samordningsnummer becomes a personnummer): earlier ones are kept. */
export class IdentityHistory1764230400000 implements MigrationInterface {
  name = 'IdentityHistory1764230400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE person_identity_history (
        id bigserial PRIMARY KEY,
        person_id uuid NOT NULL REFERENCES person(id),
        identity_kind text NOT NULL,
        identity_number text,
        replaced_at timestamptz NOT NULL DEFAULT now(),
        replaced_by uuid NOT NULL REFERENCES staff_member(id)
      );
      CREATE INDEX person_identity_history_person_idx ON person_identity_history (person_id, replaced_at DESC);
      -- Earlier numbers still identify the person: looking one up must find them.
      CREATE INDEX person_identity_history_number_idx ON person_identity_history (identity_number) WHERE identity_number IS NOT NULL;
      CREATE TRIGGER person_identity_history_immutable BEFORE UPDATE OR DELETE ON person_identity_history
        FOR EACH ROW EXECUTE FUNCTION refuse_change();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE person_identity_history`);
  }
}
