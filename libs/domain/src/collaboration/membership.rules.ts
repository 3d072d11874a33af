import { NoticeKind } from '../notifications/notification-kind';
import { Actor } from '../actor';
import { DomainError } from '../errors/domain-error';
import { Principal } from '../organisation/organisation.enums';
import { today } from '../time';

/*
 * Who may change a collaboration group, and from when. CollaborationService checks these on every path
 * that changes a membership; before it, the access policy has required a relation to the person with
 * the right to write (never emergency access).
 */

/**
 * A membership change takes effect today or later: never back-dated, nor dated to a day already past
 * (a back-dated end would remove a vote already cast and reopen a decision without it).
 */
export function assertNotBackDated(field: 'validFrom' | 'validTo', date: string, on: string = today()): void {
  if (date < on)
    throw DomainError.invalid(
      field,
      `${field} may not be before today (${on}): a membership change is never back-dated`,
    );
}

/**
 * A membership is ended by the member or by staff of the member's own organisation; never by another
 * organisation, not even the coordinator's (it could otherwise remove a dissenting principal's vote).
 */
export function assertMayEndMembership(actor: Actor, member: { staffId: string; organisationId: string }): void {
  if (actor.staffId === member.staffId || actor.organisationId === member.organisationId) return;
  throw DomainError.forbidden("Only the member or staff of the member's own organisation can end a membership");
}

/**
 * The coordinator (samordnare) is handed over by the coordinator or by staff of the coordinator's own
 * organisation; another organisation cannot take the role (the coordinator is the one told of emergency
 * accesses and identity-number matches, so taking it would divert those notices). When the coordinator is
 * no longer an active member of the group, any member with write access may designate the next one.
 */
export function assertMayDesignateCoordinator(
  actor: Actor,
  current: { staffId: string; organisationId: string; activeMember: boolean } | null,
): void {
  if (
    !current ||
    !current.activeMember ||
    actor.staffId === current.staffId ||
    actor.organisationId === current.organisationId
  )
    return;
  throw DomainError.forbidden(
    "Only the coordinator or staff of the coordinator's own organisation can hand over the coordinator's role",
  );
}

/**
 * A principal names its own voting representatives: the member or staff of the member's own organisation
 * may mark or unmark a member, never another organisation (it could otherwise take away a dissenting
 * principal's vote, or give itself a second one). Only staff of the municipality or the region vote for a
 * principal, and only while their membership is active.
 */
export function assertMayChangeVotingRepresentation(
  actor: Actor,
  member: { staffId: string; organisationId: string; principal: Principal; active: boolean },
  voting: boolean,
): void {
  if (actor.staffId !== member.staffId && actor.organisationId !== member.organisationId) {
    throw DomainError.forbidden(
      "Only the member or staff of the member's own organisation can change who votes for a principal",
    );
  }
  if (!member.active) throw DomainError.invalidState('The membership is not active');
  if (voting && member.principal === Principal.OTHER) {
    throw DomainError.invalid(
      'votingRepresentative',
      'Only staff of the municipality or the region can vote for a principal',
    );
  }
}

/** What the group is told of each change (no personal data: the person is the notification's link). */
export const GROUP_CHANGED = NoticeKind.GROUP_MEMBERSHIP_CHANGED;
export const COORDINATOR_CHANGED = NoticeKind.GROUP_COORDINATOR_CHANGED;
