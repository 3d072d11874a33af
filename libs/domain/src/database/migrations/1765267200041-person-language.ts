import { MigrationInterface, QueryRunner } from 'typeorm';

/** The language messages to the person (SMS, printed appointment notes) are written in: Swedish unless the person prefers English. */
export class PersonLanguage1765267200041 implements MigrationInterface {
  name = 'PersonLanguage1765267200041';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE person ADD COLUMN preferred_language text NOT NULL DEFAULT 'sv' CHECK (preferred_language IN ('sv','en'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE person DROP COLUMN preferred_language`);
  }
}
