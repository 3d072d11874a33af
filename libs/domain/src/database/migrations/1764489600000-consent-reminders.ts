import { MigrationInterface, QueryRunner } from 'typeorm';

/** A recorded consent's end date is reminded of (30 days before, and the day after); withdrawing it cancels that. */
export class ConsentReminders1764489600000 implements MigrationInterface {
  name = 'ConsentReminders1764489600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TRIGGER consent_reminders AFTER INSERT OR UPDATE OF withdrawn_at ON consent FOR EACH ROW EXECUTE FUNCTION reminders_changed();
      -- Consents recorded before this trigger existed are derived now.
      INSERT INTO outbox (topic, ref) SELECT DISTINCT 'reconcile', person_id FROM consent WHERE withdrawn_at IS NULL AND valid_to IS NOT NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER consent_reminders ON consent`);
  }
}
