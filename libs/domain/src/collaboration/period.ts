import { today } from '../time';

/**
 * When a membership (of a collaboration group or an ACT team) or a caseload place counts: from its first
 * day to its last day, both included; no last day means open-ended. The same rule in TypeScript and, for
 * queries, in SQL.
 */
export function isActiveMember(member: { validFrom: string; validTo: string | null }, on: string = today()): boolean {
  return member.validFrom <= on && (member.validTo === null || member.validTo >= on);
}

/** The SQL form of `isActiveMember` for a row alias and a day parameter, e.g. activeOn('m', '$3'). */
export function activeOn(alias: string, day: string): string {
  return `(${alias}.valid_from <= ${day} AND (${alias}.valid_to IS NULL OR ${alias}.valid_to >= ${day}))`;
}
