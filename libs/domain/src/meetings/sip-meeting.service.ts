import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../actor';
import { DomainError, DomainErrorReason } from '../errors/domain-error';
import { sql } from '../database/sql';

export enum SipMeetingStatus {
  PLANNED = 'PLANNED',
  HELD = 'HELD',
  CANCELLED = 'CANCELLED',
}

export interface SipMeeting {
  id: string;
  personId: string;
  startsAt: Date;
  location: string;
  status: SipMeetingStatus;
  invitePerson: boolean;
  personAttended: boolean | null;
  minutes: string | null;
  createdBy: string;
  participants: Array<{ staffId: string; attended: boolean | null }>;
  /** Relatives invited (the person agreed that each takes part). */
  relatives: Array<{ relativeId: string; attended: boolean | null }>;
}

const SELECT_MEETING = `
  SELECT m.id, m.person_id AS "personId", m.starts_at AS "startsAt", m.location, m.status, m.invite_person AS "invitePerson",
         m.person_attended AS "personAttended", m.minutes, m.created_by AS "createdBy",
         coalesce((SELECT json_agg(json_build_object('staffId', p.staff_id, 'attended', p.attended) ORDER BY p.staff_id)
                     FROM sip_meeting_participant p WHERE p.meeting_id = m.id), '[]') AS participants,
         coalesce((SELECT json_agg(json_build_object('relativeId', r.relative_id, 'attended', r.attended) ORDER BY r.relative_id)
                     FROM sip_meeting_relative r WHERE r.meeting_id = m.id), '[]') AS relatives
    FROM sip_meeting m`;

/** The meetings of the persons $1, latest first (also part of the overview's one statement, OVERVIEW_BUNDLE_SQL). */
export const MEETINGS_OF_PERSONS_SQL = `${SELECT_MEETING} WHERE m.person_id = ANY($1::uuid[]) ORDER BY m.starts_at DESC`;

/**
 * SIP meetings: planning one summons its participants (and the person, by their channel); moving it
 * summons them again; cancelling it tells those already summoned. The reminders follow from the data
 * (see reminders/reminder-rules.ts): this service only keeps the meeting itself right.
 */
@Injectable()
export class SipMeetingService {
  constructor(private readonly db: DataSource) {}

  async plan(
    actor: Actor,
    input: {
      personId: string;
      startsAt: Date;
      location: string;
      participantStaffIds: string[];
      participantRelativeIds?: string[] | null;
      invitePerson: boolean;
    },
  ): Promise<SipMeeting> {
    this.assertFuture(input.startsAt);
    return this.db.transaction(async (tx) => {
      await this.assertStaff(tx, input.participantStaffIds);
      await this.assertRelatives(tx, input.personId, input.participantRelativeIds ?? []);
      const [{ id }] = await sql<{ id: string }>(
        tx,
        `INSERT INTO sip_meeting (person_id, starts_at, location, invite_person, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [input.personId, input.startsAt, input.location.trim(), input.invitePerson, actor.staffId],
      );
      await this.setParticipants(tx, id, input.participantStaffIds);
      await this.setRelatives(tx, id, input.participantRelativeIds ?? []);
      return this.load(tx, id);
    });
  }

  async reschedule(
    meetingId: string,
    input: {
      startsAt?: Date | null;
      location?: string | null;
      participantStaffIds?: string[] | null;
      participantRelativeIds?: string[] | null;
    },
  ): Promise<SipMeeting> {
    if (input.startsAt) this.assertFuture(input.startsAt);
    return this.db.transaction(async (tx) => {
      const meeting = await this.lockPlanned(tx, meetingId);
      if (input.participantStaffIds) {
        await this.assertStaff(tx, input.participantStaffIds);
        await sql(tx, `DELETE FROM sip_meeting_participant WHERE meeting_id = $1`, [meeting.id]);
        await this.setParticipants(tx, meeting.id, input.participantStaffIds);
      }
      if (input.participantRelativeIds) {
        await this.assertRelatives(tx, meeting.personId, input.participantRelativeIds);
        await sql(tx, `DELETE FROM sip_meeting_relative WHERE meeting_id = $1`, [meeting.id]);
        await this.setRelatives(tx, meeting.id, input.participantRelativeIds);
      }
      await sql(
        tx,
        `UPDATE sip_meeting SET starts_at = coalesce($2, starts_at), location = coalesce($3, location), updated_at = now() WHERE id = $1`,
        [meeting.id, input.startsAt ?? null, input.location?.trim() || null],
      );
      return this.load(tx, meeting.id);
    });
  }

  async cancel(meetingId: string): Promise<SipMeeting> {
    return this.db.transaction(async (tx) => {
      await this.lockPlanned(tx, meetingId);
      await sql(tx, `UPDATE sip_meeting SET status = 'CANCELLED', updated_at = now() WHERE id = $1`, [meetingId]);
      return this.load(tx, meetingId);
    });
  }

  /** Records that the meeting was held: minutes and who attended. */
  async recordHeld(
    meetingId: string,
    input: {
      minutes: string;
      attendedStaffIds: string[];
      attendedRelativeIds?: string[] | null;
      personAttended: boolean;
    },
  ): Promise<SipMeeting> {
    return this.db.transaction(async (tx) => {
      const meeting = await this.lockPlanned(tx, meetingId);
      const unknown = input.attendedStaffIds.filter((id) => !meeting.participants.some((p) => p.staffId === id));
      if (unknown.length)
        throw DomainError.invalid(
          'attendedStaffIds',
          'Only participants of the meeting can be recorded as attending',
          DomainErrorReason.ATTENDEE_NOT_PARTICIPANT,
        );
      const relatives = input.attendedRelativeIds ?? [];
      if (relatives.some((id) => !meeting.relatives.some((r) => r.relativeId === id))) {
        throw DomainError.invalid(
          'attendedRelativeIds',
          'Only relatives invited to the meeting can be recorded as attending',
        );
      }
      await sql(
        tx,
        `UPDATE sip_meeting_participant SET attended = (staff_id = ANY($2::uuid[])) WHERE meeting_id = $1`,
        [meetingId, input.attendedStaffIds],
      );
      await sql(
        tx,
        `UPDATE sip_meeting_relative SET attended = (relative_id = ANY($2::uuid[])) WHERE meeting_id = $1`,
        [meetingId, relatives],
      );
      await sql(
        tx,
        `UPDATE sip_meeting SET status = 'HELD', minutes = $2, person_attended = $3, updated_at = now() WHERE id = $1`,
        [meetingId, input.minutes, input.personAttended],
      );
      return this.load(tx, meetingId);
    });
  }

  /** The meetings of many persons in one statement, latest first. */
  forPersons(personIds: readonly string[]): Promise<SipMeeting[]> {
    return sql<SipMeeting>(this.db, MEETINGS_OF_PERSONS_SQL, [personIds]);
  }

  /** The meeting's person, for the access check before anything else is read. */
  async personOf(meetingId: string): Promise<string | null> {
    const [row] = await sql<{ person_id: string }>(this.db, `SELECT person_id FROM sip_meeting WHERE id = $1`, [
      meetingId,
    ]);
    return row?.person_id ?? null;
  }

  private async load(tx: EntityManager, id: string): Promise<SipMeeting> {
    const [meeting] = await sql<SipMeeting>(tx, `${SELECT_MEETING} WHERE m.id = $1`, [id]);
    return meeting;
  }

  private async lockPlanned(tx: EntityManager, id: string): Promise<SipMeeting> {
    await sql(tx, `SELECT 1 FROM sip_meeting WHERE id = $1 FOR UPDATE`, [id]);
    const meeting = await this.load(tx, id);
    if (!meeting) throw DomainError.notFound('meeting');
    if (meeting.status !== SipMeetingStatus.PLANNED)
      throw DomainError.invalidState(
        `The meeting is ${meeting.status.toLowerCase()}`,
        DomainErrorReason.MEETING_CLOSED,
        { status: meeting.status },
      );
    return meeting;
  }

  private assertFuture(startsAt: Date): void {
    if (startsAt.getTime() <= Date.now())
      throw DomainError.invalid(
        'startsAt',
        'A meeting is planned for a time in the future',
        DomainErrorReason.MEETING_IN_PAST,
      );
  }

  private async assertStaff(tx: EntityManager, ids: string[]): Promise<void> {
    if (ids.length === 0)
      throw DomainError.invalid(
        'participantStaffIds',
        'A meeting needs at least one participant from staff',
        DomainErrorReason.PARTICIPANT_REQUIRED,
      );
    const [{ n }] = await sql<{ n: number }>(
      tx,
      `SELECT count(*)::int AS n FROM staff_member WHERE id = ANY($1::uuid[]) AND active`,
      [[...new Set(ids)]],
    );
    if (n !== new Set(ids).size)
      throw DomainError.invalid(
        'participantStaffIds',
        'Every participant must be an active staff member',
        DomainErrorReason.PARTICIPANT_NOT_ACTIVE,
      );
  }

  /** SIP: a relative takes part only where the person agreed to it (Relative.mayParticipate), only the person's own, and only while involved. */
  private async assertRelatives(tx: EntityManager, personId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const unique = [...new Set(ids)];
    const rows = await sql<{ id: string; may_participate: boolean; ended: boolean }>(
      tx,
      `SELECT id, may_participate, ended_on IS NOT NULL AS ended FROM relative WHERE id = ANY($1::uuid[]) AND person_id = $2`,
      [unique, personId],
    );
    if (rows.length !== unique.length)
      throw DomainError.invalid('participantRelativeIds', 'No such relative of the person');
    if (rows.some((r) => r.ended))
      throw DomainError.invalid('participantRelativeIds', 'The relative is no longer involved');
    if (rows.some((r) => !r.may_participate))
      throw DomainError.invalid('participantRelativeIds', 'The person has not agreed that this relative takes part');
  }

  private async setRelatives(tx: EntityManager, meetingId: string, relativeIds: string[]): Promise<void> {
    if (relativeIds.length === 0) return;
    await sql(
      tx,
      `INSERT INTO sip_meeting_relative (meeting_id, relative_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [meetingId, [...new Set(relativeIds)]],
    );
  }

  private async setParticipants(tx: EntityManager, meetingId: string, staffIds: string[]): Promise<void> {
    await sql(
      tx,
      `INSERT INTO sip_meeting_participant (meeting_id, staff_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`,
      [meetingId, [...new Set(staffIds)]],
    );
  }
}
