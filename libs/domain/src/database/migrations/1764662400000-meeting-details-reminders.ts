import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A summons tells the place and who takes part, so a change to either derives the meeting's reminders
 * again (and summons again): the meeting's location, and its participants being added or removed.
 * (Recording attendance changes neither.)
 */
export class MeetingDetailsReminders1764662400000 implements MigrationInterface {
  name = 'MeetingDetailsReminders1764662400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER sip_meeting_reminders ON sip_meeting;
      CREATE TRIGGER sip_meeting_reminders AFTER INSERT OR DELETE OR UPDATE OF starts_at, status, invite_person, location
        ON sip_meeting FOR EACH ROW EXECUTE FUNCTION reminders_changed();
      CREATE FUNCTION sip_meeting_participant_reminders_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO outbox (topic, ref)
        SELECT 'reconcile', m.person_id FROM sip_meeting m WHERE m.id = (CASE WHEN TG_OP = 'DELETE' THEN OLD.meeting_id ELSE NEW.meeting_id END);
        RETURN NULL;
      END $$;
      CREATE TRIGGER sip_meeting_participant_reminders AFTER INSERT OR DELETE ON sip_meeting_participant
        FOR EACH ROW EXECUTE FUNCTION sip_meeting_participant_reminders_changed();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TRIGGER sip_meeting_participant_reminders ON sip_meeting_participant;
      DROP FUNCTION sip_meeting_participant_reminders_changed();
      DROP TRIGGER sip_meeting_reminders ON sip_meeting;
      CREATE TRIGGER sip_meeting_reminders AFTER INSERT OR DELETE OR UPDATE OF starts_at, status, invite_person
        ON sip_meeting FOR EACH ROW EXECUTE FUNCTION reminders_changed();
    `);
  }
}
