import { EntityManager } from 'typeorm';
import { activeOn } from '../collaboration/period';
import { Principal } from '../organisation/organisation.enums';
import { today } from '../time';
import { ReminderRule } from './reminder-rules';
import { sql } from '../database/sql';

export interface Due {
  /** The occurrence's key: recipients come back grouped by it. */
  key: string;
  rule: ReminderRule;
  personId: string;
  subjectId: string;
}

/**
 * Staff queries are correlated with one occurrence, `due` (person_id, subject_id, today), so that the
 * recipients of many occurrences are found in one statement (a burst of reminders falls due together).
 */
const COORDINATOR = `SELECT g.coordinator_staff_id AS staff_id FROM collaboration_group g WHERE g.person_id = due.person_id AND g.coordinator_staff_id IS NOT NULL`;
const membersOf = (principal: Principal | 'ANY' | 'PLAN_RESPONSIBLE') => `
  SELECT m.staff_id FROM collaboration_group g JOIN group_member m ON m.group_id = g.id
   WHERE g.person_id = due.person_id AND ${activeOn('m', 'due.today')}
     AND ${
       principal === 'ANY'
         ? 'true'
         : principal === 'PLAN_RESPONSIBLE'
           ? `m.principal = COALESCE((SELECT overall_responsibility_principal FROM sip_plan WHERE id = due.subject_id), m.principal)`
           : `m.principal = '${principal}'`
     }`;
const MEETING_PARTICIPANTS = `SELECT p.staff_id FROM sip_meeting_participant p WHERE p.meeting_id = due.subject_id`;
const MISSING_VOTERS = `
  SELECT e.staff_id FROM proposal_elector e JOIN proposal pr ON pr.id = e.proposal_id
   WHERE e.proposal_id = due.subject_id AND pr.status = 'OPEN' AND e.choice IS NULL`;
const ACT_TEAM_OR_GROUP = `
  WITH team AS (
    SELECT tm.staff_id FROM act_team_client c JOIN act_team_member tm ON tm.team_id = c.team_id
     WHERE c.person_id = due.person_id AND ${activeOn('c', 'due.today')} AND ${activeOn('tm', 'due.today')})
  SELECT staff_id FROM team
  UNION SELECT staff_id FROM (${membersOf('ANY')}) g WHERE NOT EXISTS (SELECT 1 FROM team)`;

/**
 * Who is told, per rule. The coordinator holds the plan together; the principal that answers for a
 * check or for the plan is told with them. The legal checks the audit found skipped (relatives,
 * violence, LVM) are social services' to do; the children question is every principal's.
 */
const STAFF_RECIPIENTS: Record<ReminderRule, string> = {
  [ReminderRule.FOLLOW_UP_IN_7_DAYS]: `${COORDINATOR} UNION ${membersOf('PLAN_RESPONSIBLE')}`,
  [ReminderRule.FOLLOW_UP_TOMORROW]: `${COORDINATOR} UNION ${membersOf('PLAN_RESPONSIBLE')}`,
  [ReminderRule.FOLLOW_UP_OVERDUE]: `${COORDINATOR} UNION ${membersOf('PLAN_RESPONSIBLE')}`,
  [ReminderRule.MEETING_SUMMONS]: MEETING_PARTICIPANTS,
  [ReminderRule.MEETING_TOMORROW]: MEETING_PARTICIPANTS,
  [ReminderRule.MEETING_IN_2_HOURS]: MEETING_PARTICIPANTS,
  [ReminderRule.MEETING_CANCELLED]: MEETING_PARTICIPANTS,
  [ReminderRule.VOTES_MISSING_48_HOURS]: MISSING_VOTERS,
  [ReminderRule.VOTES_MISSING_24_HOURS]: MISSING_VOTERS,
  // Without a coordinator nobody would hear of it: then the whole group is told.
  [ReminderRule.CONSENT_EXPIRES_IN_30_DAYS]: `${COORDINATOR} UNION SELECT staff_id FROM (${membersOf('ANY')}) g WHERE NOT EXISTS (${COORDINATOR})`,
  [ReminderRule.CONSENT_EXPIRED]: `${COORDINATOR} UNION SELECT staff_id FROM (${membersOf('ANY')}) g WHERE NOT EXISTS (${COORDINATOR})`,
  [ReminderRule.CHILDREN_QUESTION_UNANSWERED]: `${COORDINATOR} UNION ${membersOf('ANY')}`,
  [ReminderRule.RELATIVES_NOT_IDENTIFIED]: `${COORDINATOR} UNION ${membersOf(Principal.MUNICIPALITY)}`,
  [ReminderRule.VIOLENCE_NOT_ASSESSED]: `${COORDINATOR} UNION ${membersOf(Principal.MUNICIPALITY)}`,
  [ReminderRule.LVM_PRE_ASSESSMENT_MISSING]: `${COORDINATOR} UNION ${membersOf(Principal.MUNICIPALITY)}`,
  [ReminderRule.NO_CONTACT]: ACT_TEAM_OR_GROUP,
};

/** A staff recipient with what decides their channels (contact details present, preferences, language). */
export interface StaffRecipient {
  staffId: string;
  hasEmail: boolean;
  hasPhone: boolean;
  /** Null when the staff member has never set preferences (then: e-mail yes, SMS no). */
  wantsEmail: boolean | null;
  wantsSms: boolean | null;
  locale: string | null;
}

/**
 * The staff recipients of occurrences as they are when they fall due (a member who left is not told),
 * by occurrence key: one statement for each rule among them.
 */
export async function staffRecipientsOf(
  tx: EntityManager,
  dues: readonly Due[],
  now = new Date(),
): Promise<Map<string, StaffRecipient[]>> {
  const byKey = new Map<string, StaffRecipient[]>(dues.map((d) => [d.key, []]));
  const rules = [...new Set(dues.map((d) => d.rule))];
  for (const rule of rules) {
    const group = dues.filter((d) => d.rule === rule);
    const rows = await sql<StaffRecipient & { key: string }>(
      tx,
      `SELECT DISTINCT due.key, s.id AS "staffId", s.email IS NOT NULL AS "hasEmail", s.phone IS NOT NULL AS "hasPhone",
              p.email AS "wantsEmail", p.sms AS "wantsSms", p.locale
         FROM (SELECT u.key, u.person_id, u.subject_id, $4::date AS today
                 FROM unnest($1::text[], $2::uuid[], $3::uuid[]) AS u(key, person_id, subject_id)) due
         CROSS JOIN LATERAL (${STAFF_RECIPIENTS[rule]}) r
         JOIN staff_member s ON s.id = r.staff_id
         LEFT JOIN notification_preference p ON p.staff_id = s.id
        WHERE s.active ORDER BY due.key, s.id`,
      [group.map((d) => d.key), group.map((d) => d.personId), group.map((d) => d.subjectId), today(now)],
    );
    for (const { key, ...recipient } of rows) byKey.get(key)!.push(recipient);
  }
  return byKey;
}
