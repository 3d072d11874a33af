import { SharingCategory } from '../consent/consent.enums';
import { SipPlanStatus } from '../sip-plan/sip-plan.content';
import { addDays, stockholmInstant } from '../time';

/**
 * Every reminder Samverka sends, derived from data: each rule turns the current facts about a person
 * into the occurrences that should exist. When a date or a state changes, the occurrences are derived
 * again; new ones are scheduled and those no longer derived are cancelled. This file holds the rules
 * (when); recipients.ts says to whom and messages.ts what is said.
 */
export enum ReminderRule {
  FOLLOW_UP_IN_7_DAYS = 'FOLLOW_UP_IN_7_DAYS',
  FOLLOW_UP_TOMORROW = 'FOLLOW_UP_TOMORROW',
  FOLLOW_UP_OVERDUE = 'FOLLOW_UP_OVERDUE',
  /** Kallelse: sent when a SIP meeting is planned or moved. */
  MEETING_SUMMONS = 'MEETING_SUMMONS',
  MEETING_TOMORROW = 'MEETING_TOMORROW',
  MEETING_IN_2_HOURS = 'MEETING_IN_2_HOURS',
  MEETING_CANCELLED = 'MEETING_CANCELLED',
  VOTES_MISSING_48_HOURS = 'VOTES_MISSING_48_HOURS',
  VOTES_MISSING_24_HOURS = 'VOTES_MISSING_24_HOURS',
  CONSENT_EXPIRES_IN_30_DAYS = 'CONSENT_EXPIRES_IN_30_DAYS',
  CONSENT_EXPIRED = 'CONSENT_EXPIRED',
  CHILDREN_QUESTION_UNANSWERED = 'CHILDREN_QUESTION_UNANSWERED',
  RELATIVES_NOT_IDENTIFIED = 'RELATIVES_NOT_IDENTIFIED',
  VIOLENCE_NOT_ASSESSED = 'VIOLENCE_NOT_ASSESSED',
  LVM_PRE_ASSESSMENT_MISSING = 'LVM_PRE_ASSESSMENT_MISSING',
  NO_CONTACT = 'NO_CONTACT',
}

/**
 * What an upcoming reminder tells about the person, as a category a consent can withhold ("do not share X
 * with Y"): a follow-up or a plan's consent date shows the plan and its dates, an unanswered question about
 * children or relatives the family, a missing contact the timeline. Meetings and votes show no more than the
 * meeting or proposal itself; the legal checks belong to no category.
 */
export const REMINDER_SHARED_AS: Record<ReminderRule, readonly SharingCategory[]> = {
  [ReminderRule.FOLLOW_UP_IN_7_DAYS]: [SharingCategory.SIP_PLAN],
  [ReminderRule.FOLLOW_UP_TOMORROW]: [SharingCategory.SIP_PLAN],
  [ReminderRule.FOLLOW_UP_OVERDUE]: [SharingCategory.SIP_PLAN],
  [ReminderRule.CONSENT_EXPIRES_IN_30_DAYS]: [SharingCategory.SIP_PLAN],
  [ReminderRule.CONSENT_EXPIRED]: [SharingCategory.SIP_PLAN],
  [ReminderRule.MEETING_SUMMONS]: [],
  [ReminderRule.MEETING_TOMORROW]: [],
  [ReminderRule.MEETING_IN_2_HOURS]: [],
  [ReminderRule.MEETING_CANCELLED]: [],
  [ReminderRule.VOTES_MISSING_48_HOURS]: [],
  [ReminderRule.VOTES_MISSING_24_HOURS]: [],
  [ReminderRule.CHILDREN_QUESTION_UNANSWERED]: [SharingCategory.FAMILY],
  [ReminderRule.RELATIVES_NOT_IDENTIFIED]: [SharingCategory.FAMILY],
  [ReminderRule.VIOLENCE_NOT_ASSESSED]: [],
  [ReminderRule.LVM_PRE_ASSESSMENT_MISSING]: [],
  [ReminderRule.NO_CONTACT]: [SharingCategory.TIMELINE],
};

/** Reminders that matter within hours; all others wait for the end of a recipient's quiet hours. */
export const URGENT_RULES: ReadonlySet<ReminderRule> = new Set([
  ReminderRule.MEETING_IN_2_HOURS,
  ReminderRule.MEETING_CANCELLED,
  ReminderRule.VOTES_MISSING_24_HOURS,
]);

/** What the rules read about one person (loaded by ReminderScheduler). */
export interface ReminderFacts {
  personId: string;
  plans: Array<{ id: string; status: SipPlanStatus; followUpOn: string | null; consentValidUntil: string | null }>;
  /** Recorded consents (not withdrawn) that end on a date; `recordedAt`: when entered in Samverka. */
  consents: Array<{ id: string; validTo: string; recordedAt?: Date | null }>;
  /** `announced`: a digest of what a summons tells (place, participants, whether the person is summoned), so that a change to any of them summons again. */
  meetings: Array<{
    id: string;
    startsAt: Date;
    status: 'PLANNED' | 'HELD' | 'CANCELLED';
    summoned: boolean;
    announced: string;
  }>;
  openProposals: Array<{ id: string; deadline: Date }>;
  /** The earliest start of the person's active care episodes; null when no case is open. */
  caseStartedOn: string | null;
  /** When that episode was entered in Samverka (an imported case's start lies long before). */
  caseRecordedAt?: Date | null;
  childrenQuestionAnswered: boolean;
  relativesIdentified: boolean;
  violenceAssessed: boolean;
  /** The earliest LVM report not yet followed by a pre-assessment. */
  lvmReportWithoutPreAssessmentOn: string | null;
  /** When that report was entered in Samverka. */
  lvmReportRecordedAt?: Date | null;
  lastContactAt: Date | null;
  /** When that contact was entered in Samverka. */
  lastContactRecordedAt?: Date | null;
  /** When the person came onto an ACT caseload, and the shortest alert interval of those teams. */
  actTeam: { since: string; noContactDays: number } | null;
}

export interface ReminderSettings {
  timeOfDay: string;
  caseCheckDays: number;
  lvmPreAssessmentDays: number;
  noContactDays: number;
}

export interface Occurrence {
  /** Names the rule, the subject and the due moment: deterministic, and new when a date moves. */
  key: string;
  rule: ReminderRule;
  subjectId: string;
  dueAt: Date;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * An approaching-event reminder more than this late is not derived (a meeting planned this morning for
 * this afternoon gets its summons, not yesterday's "tomorrow" note). Occurrences delayed by an outage
 * shorter than this are still sent.
 */
const LATE_LIMIT = HOUR;
/**
 * History entered after the fact (a partner importing a person's earlier case: old LVM reports, past
 * contacts, an earlier consent): a condition that fell due more than this long before its record was
 * entered is history, not a task, and is not derived.
 */
export const HISTORY_LIMIT = DAY;
/**
 * A condition already due when its record is entered waits this long before it is sent, so that the
 * record that resolves it, entered moments later (the pre-assessment after its LVM report, in one import),
 * cancels it instead of leaving a false alarm.
 */
export const SETTLE_AFTER_RECORD = 5 * 60_000;

/** Compact UTC time for keys and job ids (BullMQ ids may not contain ':'). */
function stamp(at: Date): string {
  return at
    .toISOString()
    .replace(/[:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The occurrences that should exist now. An approaching-event reminder whose moment has passed
 * (the next stage or the event itself is already due, or it is over LATE_LIMIT late) is not derived:
 * a "tomorrow" note after the meeting helps no one. Conditions (overdue, expired, not done) are derived for as long as they hold.
 */
export function deriveReminders(facts: ReminderFacts, settings: ReminderSettings, now: Date): Occurrence[] {
  const out: Occurrence[] = [];
  const at = (date: string) => stockholmInstant(date, settings.timeOfDay);
  const add = (rule: ReminderRule, subjectId: string, dueAt: Date, staleAt: Date | null = null) => {
    if (staleAt && (staleAt.getTime() <= now.getTime() || dueAt.getTime() < now.getTime() - LATE_LIMIT)) return;
    out.push({ key: `${rule}.${subjectId}.${stamp(dueAt)}`, rule, subjectId, dueAt });
  };
  /**
   * A condition caused by a record entered at `recordedAt` (unknown: as `add`): none when it fell due long
   * before the record (HISTORY_LIMIT); sent no sooner than SETTLE_AFTER_RECORD after it. Keyed by the
   * nominal moment, so deriving it again later changes nothing.
   */
  const addSince = (rule: ReminderRule, subjectId: string, dueAt: Date, recordedAt: Date | null | undefined) => {
    if (!recordedAt) return add(rule, subjectId, dueAt);
    if (dueAt.getTime() < recordedAt.getTime() - HISTORY_LIMIT) return;
    const settled = recordedAt.getTime() + SETTLE_AFTER_RECORD;
    out.push({
      key: `${rule}.${subjectId}.${stamp(dueAt)}`,
      rule,
      subjectId,
      dueAt: dueAt.getTime() < settled ? new Date(settled) : dueAt,
    });
  };
  /**
   * A warning that is still worth giving late: a consent that ends in less than 30 days (recorded so, or
   * shortened) is warned of at once. Keyed by the nominal moment, so it is one occurrence however often
   * it is derived.
   */
  const warn = (rule: ReminderRule, subjectId: string, dueAt: Date, staleAt: Date) => {
    if (staleAt.getTime() <= now.getTime()) return;
    out.push({
      key: `${rule}.${subjectId}.${stamp(dueAt)}`,
      rule,
      subjectId,
      dueAt: dueAt.getTime() < now.getTime() ? now : dueAt,
    });
  };

  for (const plan of facts.plans) {
    if (plan.status === SipPlanStatus.CLOSED) continue;
    if (plan.followUpOn) {
      add(
        ReminderRule.FOLLOW_UP_IN_7_DAYS,
        plan.id,
        at(addDays(plan.followUpOn, -7)),
        at(addDays(plan.followUpOn, -1)),
      );
      add(ReminderRule.FOLLOW_UP_TOMORROW, plan.id, at(addDays(plan.followUpOn, -1)), at(plan.followUpOn));
      add(ReminderRule.FOLLOW_UP_OVERDUE, plan.id, at(addDays(plan.followUpOn, 1)));
    }
    if (plan.consentValidUntil) {
      warn(
        ReminderRule.CONSENT_EXPIRES_IN_30_DAYS,
        plan.id,
        at(addDays(plan.consentValidUntil, -30)),
        at(addDays(plan.consentValidUntil, 1)),
      );
      add(ReminderRule.CONSENT_EXPIRED, plan.id, at(addDays(plan.consentValidUntil, 1)));
    }
  }

  for (const consent of facts.consents) {
    warn(
      ReminderRule.CONSENT_EXPIRES_IN_30_DAYS,
      consent.id,
      at(addDays(consent.validTo, -30)),
      at(addDays(consent.validTo, 1)),
    );
    addSince(ReminderRule.CONSENT_EXPIRED, consent.id, at(addDays(consent.validTo, 1)), consent.recordedAt);
  }

  for (const meeting of facts.meetings) {
    const starts = meeting.startsAt;
    if (meeting.status === 'PLANNED') {
      // The summons is due at once; its key carries the meeting time and what it announces, so moving the
      // meeting, or changing its place or participants, summons everyone again.
      if (starts.getTime() > now.getTime())
        out.push(immediate(ReminderRule.MEETING_SUMMONS, meeting.id, starts, now, meeting.announced));
      add(
        ReminderRule.MEETING_TOMORROW,
        meeting.id,
        new Date(starts.getTime() - DAY),
        new Date(starts.getTime() - 2 * HOUR),
      );
      add(ReminderRule.MEETING_IN_2_HOURS, meeting.id, new Date(starts.getTime() - 2 * HOUR), starts);
    } else if (meeting.status === 'CANCELLED' && meeting.summoned && starts.getTime() > now.getTime()) {
      out.push(immediate(ReminderRule.MEETING_CANCELLED, meeting.id, starts, now));
    }
  }

  for (const proposal of facts.openProposals) {
    const deadline = proposal.deadline.getTime();
    add(
      ReminderRule.VOTES_MISSING_48_HOURS,
      proposal.id,
      new Date(deadline - 48 * HOUR),
      new Date(deadline - 24 * HOUR),
    );
    add(ReminderRule.VOTES_MISSING_24_HOURS, proposal.id, new Date(deadline - 24 * HOUR), proposal.deadline);
  }

  if (facts.caseStartedOn) {
    const checkDue = at(addDays(facts.caseStartedOn, settings.caseCheckDays));
    if (!facts.childrenQuestionAnswered)
      addSince(ReminderRule.CHILDREN_QUESTION_UNANSWERED, facts.personId, checkDue, facts.caseRecordedAt);
    if (!facts.relativesIdentified)
      addSince(ReminderRule.RELATIVES_NOT_IDENTIFIED, facts.personId, checkDue, facts.caseRecordedAt);
    if (!facts.violenceAssessed)
      addSince(ReminderRule.VIOLENCE_NOT_ASSESSED, facts.personId, checkDue, facts.caseRecordedAt);
  }
  if (facts.lvmReportWithoutPreAssessmentOn) {
    const due = at(addDays(facts.lvmReportWithoutPreAssessmentOn, settings.lvmPreAssessmentDays));
    addSince(ReminderRule.LVM_PRE_ASSESSMENT_MISSING, facts.personId, due, facts.lvmReportRecordedAt);
  }

  // Without an open case or a place on an ACT caseload nobody is expected to be in contact.
  const inCareSince = facts.actTeam?.since ?? facts.caseStartedOn;
  if (inCareSince) {
    const days = facts.actTeam?.noContactDays ?? settings.noContactDays;
    const since = facts.lastContactAt ?? at(inCareSince);
    // Counted from the last contact, or else from the start of care: the record of whichever that is.
    const recordedAt = facts.lastContactAt ? facts.lastContactRecordedAt : facts.actTeam ? null : facts.caseRecordedAt;
    addSince(ReminderRule.NO_CONTACT, facts.personId, new Date(since.getTime() + days * DAY), recordedAt);
  }
  return out;
}

/** A notice due at once (a summons, a cancellation); keyed by the meeting time it announces (and, for a summons, what else it tells). */
function immediate(rule: ReminderRule, subjectId: string, announced: Date, now: Date, details?: string): Occurrence {
  return {
    key: `${rule}.${subjectId}.${stamp(announced)}${details ? `.${details}` : ''}`,
    rule,
    subjectId,
    dueAt: now,
  };
}
