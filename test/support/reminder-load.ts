import { DataSource } from 'typeorm';
import { OrganisationKind, Principal, Profession } from '../../libs/domain/src';
import { Fixtures } from './fixtures';

export interface MeetingLoad {
  staffIds: string[];
  personIds: string[];
  meetingIds: string[];
}

/**
 * Many SIP meetings at once, written with SQL as the meeting service would write them (meeting and
 * participants in one transaction, so the outbox trigger asks for each person's reminders to be
 * derived): each meeting has one staff participant, who wants e-mail and SMS, and does not invite the
 * person. `staffCount` staff share the meetings round-robin. Synthetic data only.
 */
export async function planMeetings(
  db: DataSource,
  count: number,
  options: { startsAt: Date; staffCount?: number; sms?: boolean; outbox?: boolean },
): Promise<MeetingLoad> {
  const f = new Fixtures(db);
  const organisation = await f.org(Principal.MUNICIPALITY, OrganisationKind.DISTRICT_SOCIAL_SERVICES);
  const staffIds: string[] = [];
  for (let i = 0; i < (options.staffCount ?? 10); i++)
    staffIds.push((await f.staff(organisation, Profession.SOCIAL_WORKER)).staff.id);
  await db.query(
    `UPDATE staff_member s SET email = 'staff-' || t.n || '@example.test', phone = '+4670' || lpad(t.n::text, 7, '0')
       FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n) WHERE s.id = t.id`,
    [staffIds],
  );
  await db.query(
    `INSERT INTO notification_preference (staff_id, email, sms, locale) SELECT id, true, $2, 'sv' FROM unnest($1::uuid[]) AS t(id)
     ON CONFLICT (staff_id) DO UPDATE SET email = true, sms = $2`,
    [staffIds, options.sms ?? true],
  );
  return db.transaction(async (tx) => {
    const persons: Array<{ id: string }> = await tx.query(
      `INSERT INTO person (identity_kind, temporary_reference, given_name, family_name, birth_year, legal_gender, home_organisation_id)
       SELECT 'UNIDENTIFIED', 'LOAD-' || gen_random_uuid(), 'Alex', 'Testsson ' || g, 1980, 'UNKNOWN', $2 FROM generate_series(1, $1) g
       RETURNING id`,
      [count, organisation.id],
    );
    const personIds = persons.map((p) => p.id);
    const meetings: Array<{ id: string }> = await tx.query(
      `WITH m AS (
         INSERT INTO sip_meeting (person_id, starts_at, location, invite_person, created_by)
         SELECT p.id, $2, 'Farsta, room 3', false, ($3::uuid[])[1 + (p.n - 1) % cardinality($3::uuid[])]
           FROM unnest($1::uuid[]) WITH ORDINALITY AS p(id, n)
         RETURNING id, created_by)
       INSERT INTO sip_meeting_participant (meeting_id, staff_id) SELECT id, created_by FROM m RETURNING meeting_id AS id`,
      [personIds, options.startsAt, staffIds],
    );
    // Without the outbox rows no reminder is derived: the caller writes the occurrences itself.
    if (options.outbox === false) await tx.query(`DELETE FROM outbox WHERE ref = ANY($1::uuid[])`, [personIds]);
    return { staffIds, personIds, meetingIds: meetings.map((m) => m.id) };
  });
}

/**
 * Every key of a QUEUE_PREFIX removed (the queues' under its hash tag `{prefix}:`, the rate limits' under
 * `prefix:`), so a test leaves nothing in the shared Redis.
 */
export async function dropQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    for (const pattern of [`${prefix}:*`, `{${prefix}}:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        // One key per command (pipelined): in a Redis Cluster a multi-key UNLINK must stay within one slot.
        if (keys.length) await keys.reduce((pipeline, key) => pipeline.unlink(key), redis.pipeline()).exec();
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}
