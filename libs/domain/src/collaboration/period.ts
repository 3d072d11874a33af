import { today } from '../time';

/**
 * When a membership (of a collaboration group or an ACT team) or a caseload place counts: from its first
 * day to its last day, both included; no last day means open-ended. One ended on the day itself stops
 * counting at the moment it was ended (`ended_at`), not at midnight. The same rule in TypeScript and, for
 * queries, in SQL; both are for the current day (the moment is now).
 */
export function isActiveMember(
  member: { validFrom: string; validTo: string | null; endedAt?: Date | null },
  on: string = today(),
  now: Date = new Date(),
): boolean {
  return (
    member.validFrom <= on &&
    (member.validTo === null || member.validTo >= on) &&
    (member.endedAt == null || member.endedAt > now)
  );
}

/** The SQL form of `isActiveMember` for a row alias and a day parameter, e.g. activeOn('m', '$3'). */
export function activeOn(alias: string, day: string): string {
  return `(${alias}.valid_from <= ${day} AND (${alias}.valid_to IS NULL OR ${alias}.valid_to >= ${day}) AND (${alias}.ended_at IS NULL OR ${alias}.ended_at > now()))`;
}

/**
 * When a membership ended on `validTo` stops counting: at once if that is today (the database's clock,
 * as `activeOn` compares), otherwise at the end of that day (no moment recorded).
 */
export function endedAtFor(validTo: string): (() => string) | null {
  return validTo <= today() ? () => 'now()' : null;
}
