import { INestApplicationContext } from '@nestjs/common';
import { DeliveryChannel, ProtectedIdentity, SipMeetingService } from '../../libs/domain/src';
import { JobQueue, QueueName } from '../../libs/infrastructure/src';
import { Fixtures } from '../support/fixtures';
import { eventually, startWorker } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The printed appointment note reaches its planner as an in-app notification, to print and hand over.
 * For a person with a protected identity it must not carry the meeting's place to a planner who is not
 * authorised for the person's whereabouts (finding 13); an authorised planner gets it, so the check can fail.
 */
describe('printed appointment notes and protected whereabouts (real PostgreSQL, Redis and worker)', () => {
  let db: TestDatabase;
  let worker: INestApplicationContext;
  let f: Fixtures;

  beforeAll(async () => {
    db = await createTestDatabase();
    worker = await startWorker(db);
    f = new Fixtures(db.dataSource);
  });

  afterAll(async () => {
    await worker.get(JobQueue).queue(QueueName.REMINDERS).obliterate({ force: true });
    await worker?.close();
    await db?.drop();
  });

  /** The appointment notes the staff member has been given, oldest first. */
  async function notesTo(staffId: string): Promise<string[]> {
    const rows: Array<{ note: string }> = await db.dataSource.query(
      `SELECT n.params->>'appointmentNote' AS note FROM notification n JOIN delivery d ON d.id = n.delivery_id WHERE n.recipient_staff_id = $1 AND d.channel = $2 ORDER BY n.created_at`,
      [staffId, DeliveryChannel.PRINTED_NOTE],
    );
    return rows.map((r) => r.note);
  }

  it("leaves a protected person's new meeting place off the note for a planner not authorised, and names it for one who is", async () => {
    const s = await f.careSetting();
    await f.persons.setProtectedIdentity(
      s.socialWorker.actor,
      s.person.id,
      ProtectedIdentity.SKYDDAD_FOLKBOKFORING,
      'Skatteverket decision, for the test',
    );
    await db.dataSource.query(`UPDATE person SET phone = NULL WHERE id = $1`, [s.person.id]);
    const meetings = worker.get(SipMeetingService);
    const meeting = await meetings.plan(s.socialWorker.actor, {
      personId: s.person.id,
      startsAt: new Date(Date.now() + 3 * 86_400_000),
      location: 'Skyddsboendet, Hemliga vägen 3',
      participantStaffIds: [s.nurse.staff.id],
      invitePerson: true,
    });
    const [first] = await eventually(async () => {
      const notes = await notesTo(s.socialWorker.staff.id);
      return notes.length > 0 && notes;
    }, 15_000);
    expect(first).toMatch(/^Du är kallad till ett möte .*, plats: din kontaktperson berättar var\. .*Välkommen!$/);
    expect(first).not.toContain('Hemliga');

    // Moved to a new place: the new summons names it only to a planner who may know where the person is.
    await meetings.reschedule(meeting.id, { location: 'Mottagningen, Gömda gatan 9' });
    await eventually(async () => (await notesTo(s.socialWorker.staff.id)).length === 2, 15_000);
    expect((await notesTo(s.socialWorker.staff.id))[1]).not.toContain('Gömda');

    await db.dataSource.query(`UPDATE staff_member SET whereabouts_authorised = true WHERE id = $1`, [
      s.socialWorker.staff.id,
    ]);
    await meetings.reschedule(meeting.id, { location: 'Mottagningen, Dolda gränd 1' });
    await eventually(async () => (await notesTo(s.socialWorker.staff.id)).length === 3, 15_000);
    expect((await notesTo(s.socialWorker.staff.id))[2]).toContain('plats: Mottagningen, Dolda gränd 1.');

    // No other notification about the meeting names any of its places (the in-app reminders name the time only).
    const all: Array<{ kind: string; params: string }> = await db.dataSource.query(
      `SELECT kind, params::text FROM notification WHERE person_id = $1`,
      [s.person.id],
    );
    const unauthorised = all.map((n) => n.params).filter((m) => !m.includes('Dolda gränd'));
    for (const params of unauthorised) expect(params).not.toMatch(/Hemliga|Gömda/);
    expect(all.some((n) => n.kind === 'MEETING_SUMMONS' && !n.params.includes('appointmentNote'))).toBe(true);
  });
});
