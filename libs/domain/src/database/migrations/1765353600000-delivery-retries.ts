import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A failed e-mail or SMS sent again by an administrator is a new delivery that names the one it retries:
 * a failed delivery stays as it was (deliveries are a record), and is no longer listed as failed once retried.
 */
export class DeliveryRetries1765353600000 implements MigrationInterface {
  name = 'DeliveryRetries1765353600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE delivery ADD COLUMN retry_of uuid UNIQUE REFERENCES delivery(id);
      ALTER TABLE delivery ADD COLUMN retried_by uuid REFERENCES staff_member(id);
      ALTER TABLE delivery ADD CONSTRAINT delivery_retry_by CHECK ((retry_of IS NULL) = (retried_by IS NULL));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE delivery DROP CONSTRAINT delivery_retry_by, DROP COLUMN retried_by, DROP COLUMN retry_of`,
    );
  }
}
