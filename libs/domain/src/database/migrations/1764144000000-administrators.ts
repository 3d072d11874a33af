import { MigrationInterface, QueryRunner } from 'typeorm';

/** Administrators maintain the directory (organisations, units, staff, ACT teams); nobody else may. */
export class Administrators1764144000000 implements MigrationInterface {
  name = 'Administrators1764144000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff_member ADD COLUMN administrator boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE staff_member DROP COLUMN administrator`);
  }
}
