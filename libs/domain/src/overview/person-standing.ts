import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ConsentPurpose } from '../consent/consent.enums';
import { addDays, today } from '../time';
import { sql } from '../database/sql';

/**
 * "Where do we stand" with a person, as the overview's first screen and the caseload show it: the rules
 * that turn the person's data into the few facts staff read at a glance (days since the last contact,
 * the state of the sharing consent, the next meeting, the votes the reader owes). Each rule lives here
 * once; the API only exposes them and the client only shows them.
 */

/**
 * Whole Swedish calendar days from the day of `instant` to `day` (both in Stockholm). The same rule in SQL
 * (`DAYS_SINCE_SQL`) for the caseload's filter and sort, which must agree with the figure shown.
 */
export function daysSince(instant: Date | null, day: string = today()): number | null {
  if (!instant) return null;
  const from = Date.parse(`${today(instant)}T00:00:00Z`);
  return Math.round((Date.parse(`${day}T00:00:00Z`) - from) / 86_400_000);
}

/** The SQL form of `daysSince` for a timestamptz expression and a date parameter. */
export function daysSinceSql(instant: string, day: string): string {
  return `(${day}::date - (${instant} AT TIME ZONE 'Europe/Stockholm')::date)`;
}

/** How the person's consent to sharing between the principals stands today. */
export enum ConsentStanding {
  /** A consent is in force and does not end within CONSENT_ENDS_SOON_DAYS. */
  IN_FORCE = 'IN_FORCE',
  /** In force, but every consent in force ends within CONSENT_ENDS_SOON_DAYS: ask the person again. */
  ENDS_SOON = 'ENDS_SOON',
  /** None in force: the latest was withdrawn. */
  WITHDRAWN = 'WITHDRAWN',
  /** None in force: the latest has ended (or has not begun yet). */
  NOT_IN_FORCE = 'NOT_IN_FORCE',
  /** None was ever recorded. */
  NONE = 'NONE',
}

/** The same horizon as the reminder CONSENT_EXPIRES_IN_30_DAYS. */
export const CONSENT_ENDS_SOON_DAYS = 30;

export interface ConsentFacts {
  purpose: ConsentPurpose | string;
  validFrom: string;
  validTo: string | null;
  withdrawnAt: Date | null;
  recordedAt: Date;
}

/** The standing of the person's sharing consent on `day`, and the last day it is in force (null: until withdrawn). */
export function consentStanding(
  consents: readonly ConsentFacts[],
  day: string = today(),
): { state: ConsentStanding; validUntil: string | null } {
  const sharing = consents.filter((c) => c.purpose === ConsentPurpose.SHARING);
  if (sharing.length === 0) return { state: ConsentStanding.NONE, validUntil: null };
  const inForce = sharing.filter(
    (c) => c.withdrawnAt === null && c.validFrom <= day && (c.validTo === null || c.validTo >= day),
  );
  if (inForce.length > 0) {
    const open = inForce.some((c) => c.validTo === null);
    const validUntil = open
      ? null
      : inForce
          .map((c) => c.validTo!)
          .sort()
          .at(-1)!;
    const soon = validUntil !== null && validUntil <= addDays(day, CONSENT_ENDS_SOON_DAYS);
    return { state: soon ? ConsentStanding.ENDS_SOON : ConsentStanding.IN_FORCE, validUntil };
  }
  const latest = [...sharing].sort((a, b) => b.recordedAt.getTime() - a.recordedAt.getTime())[0];
  return {
    state: latest.withdrawnAt ? ConsentStanding.WITHDRAWN : ConsentStanding.NOT_IN_FORCE,
    validUntil: latest.validTo,
  };
}

/** The next SIP meeting still to be held: planned and not yet begun. */
export function nextMeeting<M extends { startsAt: Date; status: string }>(
  meetings: readonly M[],
  now: Date = new Date(),
): M | null {
  return (
    meetings
      .filter((m) => m.status === 'PLANNED' && m.startsAt.getTime() >= now.getTime())
      .sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())[0] ?? null
  );
}

/** Whether a follow-up date has passed (the day itself is not overdue). */
export function followUpOverdue(followUpOn: string | null, day: string = today()): boolean {
  return followUpOn !== null && followUpOn < day;
}

/** An open proposal still waits for this elector's vote. */
export function voteMissing(
  proposal: { status: string },
  electors: ReadonlyArray<{ staffId: string; choice: string | null }>,
  staffId: string,
): boolean {
  return proposal.status === 'OPEN' && electors.some((e) => e.staffId === staffId && e.choice === null);
}

/** Every consent of the persons $1 (also part of the overview's one statement, OVERVIEW_BUNDLE_SQL). */
export const CONSENTS_OF_PERSONS_SQL = `SELECT person_id AS "personId", purpose, to_char(valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(valid_to, 'YYYY-MM-DD') AS "validTo",
    withdrawn_at AS "withdrawnAt", recorded_at AS "recordedAt"
  FROM consent WHERE person_id = ANY($1::uuid[])`;

/** The batch reads behind the standing that no other loader makes: one statement for any number of persons. */
@Injectable()
export class PersonStandingQueries {
  constructor(private readonly db: DataSource) {}

  /** Every consent of the persons, withdrawn ones included (what consentStanding reads). */
  async consents(personIds: readonly string[]): Promise<Array<ConsentFacts & { personId: string }>> {
    return sql<ConsentFacts & { personId: string }>(this.db, CONSENTS_OF_PERSONS_SQL, [personIds]);
  }
}
