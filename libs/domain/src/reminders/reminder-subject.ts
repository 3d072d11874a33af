import { ReminderRule } from './reminder-rules';

/** What a reminder is about: the thing that happens, which the reminder comes before or after. */
export enum ReminderSubject {
  SIP_MEETING = 'SIP_MEETING',
  FOLLOW_UP = 'FOLLOW_UP',
  DECISION = 'DECISION',
  CONSENT = 'CONSENT',
  CASE_CHECK = 'CASE_CHECK',
  CONTACT = 'CONTACT',
}

export const REMINDER_SUBJECT: Record<ReminderRule, ReminderSubject> = {
  [ReminderRule.FOLLOW_UP_IN_7_DAYS]: ReminderSubject.FOLLOW_UP,
  [ReminderRule.FOLLOW_UP_TOMORROW]: ReminderSubject.FOLLOW_UP,
  [ReminderRule.FOLLOW_UP_OVERDUE]: ReminderSubject.FOLLOW_UP,
  [ReminderRule.MEETING_SUMMONS]: ReminderSubject.SIP_MEETING,
  [ReminderRule.MEETING_TOMORROW]: ReminderSubject.SIP_MEETING,
  [ReminderRule.MEETING_IN_2_HOURS]: ReminderSubject.SIP_MEETING,
  [ReminderRule.MEETING_CANCELLED]: ReminderSubject.SIP_MEETING,
  [ReminderRule.VOTES_MISSING_48_HOURS]: ReminderSubject.DECISION,
  [ReminderRule.VOTES_MISSING_24_HOURS]: ReminderSubject.DECISION,
  [ReminderRule.CONSENT_EXPIRES_IN_30_DAYS]: ReminderSubject.CONSENT,
  [ReminderRule.CONSENT_EXPIRED]: ReminderSubject.CONSENT,
  [ReminderRule.CHILDREN_QUESTION_UNANSWERED]: ReminderSubject.CASE_CHECK,
  [ReminderRule.RELATIVES_NOT_IDENTIFIED]: ReminderSubject.CASE_CHECK,
  [ReminderRule.VIOLENCE_NOT_ASSESSED]: ReminderSubject.CASE_CHECK,
  [ReminderRule.LVM_PRE_ASSESSMENT_MISSING]: ReminderSubject.CASE_CHECK,
  [ReminderRule.NO_CONTACT]: ReminderSubject.CONTACT,
};

/**
 * When the thing a reminder is about happens, read from its subject as it is now (one statement for any
 * number of reminders): a meeting's start and a vote's deadline as moments; a follow-up date, the last day
 * of a consent and the day of the latest contact as days. The legal checks have none: the reminder's own
 * moment is their deadline. Reads the reminder row as `r`.
 */
export const REMINDER_EVENT_SQL = {
  eventAt: `CASE WHEN r.rule LIKE 'MEETING\\_%' THEN (SELECT starts_at FROM sip_meeting WHERE id = r.subject_id)
                 WHEN r.rule LIKE 'VOTES\\_MISSING\\_%' THEN (SELECT deadline FROM proposal WHERE id = r.subject_id) END`,
  eventOn: `CASE WHEN r.rule LIKE 'FOLLOW\\_UP\\_%' THEN (SELECT to_char(follow_up_on, 'YYYY-MM-DD') FROM sip_plan WHERE id = r.subject_id)
                 WHEN r.rule LIKE 'CONSENT\\_%' THEN coalesce((SELECT to_char(valid_to, 'YYYY-MM-DD') FROM consent WHERE id = r.subject_id),
                                                         (SELECT to_char(consent_valid_until, 'YYYY-MM-DD') FROM sip_plan WHERE id = r.subject_id))
                 WHEN r.rule = 'NO_CONTACT' THEN (SELECT to_char(max(occurred_at) AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD') FROM contact_entry WHERE person_id = r.person_id) END`,
} as const;
