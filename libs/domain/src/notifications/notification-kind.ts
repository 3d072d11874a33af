import { ProposalCloseReason } from '../decisions/decision.enums';
import { EndingReason, EpisodeKind } from '../episodes/episode.enums';
import { Principal } from '../organisation/organisation.enums';
import { ReminderRule } from '../reminders/reminder-rules';

/** What happened, for notices that are not reminders (reminders have their rule as kind). */
export enum NoticeKind {
  PROPOSAL_OPENED = 'PROPOSAL_OPENED',
  PROPOSAL_APPROVED = 'PROPOSAL_APPROVED',
  PROPOSAL_REJECTED = 'PROPOSAL_REJECTED',
  PROPOSAL_EXPIRED = 'PROPOSAL_EXPIRED',
  PROPOSAL_VOIDED = 'PROPOSAL_VOIDED',
  PROPOSAL_WITHDRAWN = 'PROPOSAL_WITHDRAWN',
  EPISODE_DISCHARGED = 'EPISODE_DISCHARGED',
  EPISODE_ENDED = 'EPISODE_ENDED',
  EMERGENCY_ACCESS = 'EMERGENCY_ACCESS',
  GROUP_MEMBERSHIP_CHANGED = 'GROUP_MEMBERSHIP_CHANGED',
  GROUP_COORDINATOR_CHANGED = 'GROUP_COORDINATOR_CHANGED',
  ACT_TEAM_ENROLMENT = 'ACT_TEAM_ENROLMENT',
  ACT_TEAM_CASE_MANAGER_CHANGED = 'ACT_TEAM_CASE_MANAGER_CHANGED',
  ACT_TEAM_PLACE_ENDED = 'ACT_TEAM_PLACE_ENDED',
  ACT_TEAM_ROSTER_CHANGED = 'ACT_TEAM_ROSTER_CHANGED',
  CONSENT_RECORDED = 'CONSENT_RECORDED',
  CONSENT_WITHDRAWN = 'CONSENT_WITHDRAWN',
  PROTECTED_IDENTITY_CHANGED = 'PROTECTED_IDENTITY_CHANGED',
  REGISTER_MATCH = 'REGISTER_MATCH',
  RELATIVES_CHANGED = 'RELATIVES_CHANGED',
  SIP_PLAN_FOLLOW_UP_HELD = 'SIP_PLAN_FOLLOW_UP_HELD',
}

/** Every kind of notification: a reminder rule or a notice. Stored and sent as this code; each client words it. */
export const NotificationKind = { ...ReminderRule, ...NoticeKind } as const;
export type NotificationKind = ReminderRule | NoticeKind;

export function isNotificationKind(value: string): value is NotificationKind {
  return value in NotificationKind;
}

/** How a membership (of the collaboration group, or of an ACT team's roster) changed. */
export enum MembershipChange {
  JOINED = 'JOINED',
  /** Ended today: no longer counts. */
  LEFT = 'LEFT',
  /** Ends on a later day (`validTo`). */
  LEAVING = 'LEAVING',
  /** Now votes for its principal. */
  VOTING = 'VOTING',
  /** No longer votes for its principal. */
  NOT_VOTING = 'NOT_VOTING',
}

/**
 * The parameters a notification's kind is worded with, by the client, in its language. None names the
 * person; a proposal's title is the plan's data (withheld with it by a consent limitation), an appointment
 * note is the text for the person, already in the person's language.
 */
export interface NotificationParams {
  proposalTitle?: string;
  closeReason?: ProposalCloseReason;
  endingReason?: EndingReason;
  episodeKind?: EpisodeKind;
  principal?: Principal;
  votingRepresentative?: boolean;
  membershipChange?: MembershipChange;
  /** Calendar days (YYYY-MM-DD). */
  validFrom?: string;
  validTo?: string;
  /** The day a reminder is about (a follow-up, a consent's last day). */
  date?: string;
  /** The moment a reminder is about (a meeting, a vote's deadline), ISO 8601. */
  startsAt?: string;
  /** For a printed appointment note: its text, in the person's language, to print and hand over. */
  appointmentNote?: string;
}
