import { SharingCategory } from '../consent/consent.enums';
import { REMINDER_SHARED_AS, ReminderRule } from '../reminders/reminder-rules';

/**
 * What a notification's text tells about the person, as categories a consent can withhold: a reminder's
 * text what its rule tells (a follow-up date is the plan's), a proposal's its title (joint decisions are
 * the plan's), a follow-up held its plan's. Other kinds name nothing of the person's data.
 */
export function notificationSharedAs(kind: string): readonly SharingCategory[] {
  if (kind in REMINDER_SHARED_AS) return REMINDER_SHARED_AS[kind as ReminderRule];
  return kind.startsWith('PROPOSAL_') || kind.startsWith('SIP_PLAN_') ? [SharingCategory.SIP_PLAN] : [];
}
