import { ReminderRule, URGENT_RULES } from './reminder-rules';

/**
 * What reminders say, in Swedish with English as the fallback. E-mail and SMS to staff leave Samverka's
 * protection (mail servers, phones on a desk), so they say only that there is a reminder and link to
 * the app: never a name, a diagnosis, a check or a decision. In-app texts stay inside access control.
 */
export type Locale = 'sv' | 'en';

const TITLES: Record<ReminderRule, Record<Locale, string>> = {
  [ReminderRule.FOLLOW_UP_IN_7_DAYS]: { sv: 'SIP-uppföljning om 7 dagar', en: 'SIP follow-up in 7 days' },
  [ReminderRule.FOLLOW_UP_TOMORROW]: { sv: 'SIP-uppföljning i morgon', en: 'SIP follow-up tomorrow' },
  [ReminderRule.FOLLOW_UP_OVERDUE]: { sv: 'SIP-uppföljningen är försenad', en: 'SIP follow-up is overdue' },
  [ReminderRule.MEETING_SUMMONS]: { sv: 'Kallelse till SIP-möte', en: 'Summons to a SIP meeting' },
  [ReminderRule.MEETING_TOMORROW]: { sv: 'SIP-möte i morgon', en: 'SIP meeting tomorrow' },
  [ReminderRule.MEETING_IN_2_HOURS]: { sv: 'SIP-möte om två timmar', en: 'SIP meeting in two hours' },
  [ReminderRule.MEETING_CANCELLED]: { sv: 'SIP-mötet är inställt', en: 'The SIP meeting is cancelled' },
  [ReminderRule.VOTES_MISSING_48_HOURS]: { sv: 'Din röst saknas, 48 timmar kvar', en: 'Your vote is missing, 48 hours left' },
  [ReminderRule.VOTES_MISSING_24_HOURS]: { sv: 'Din röst saknas, 24 timmar kvar', en: 'Your vote is missing, 24 hours left' },
  [ReminderRule.CONSENT_EXPIRES_IN_30_DAYS]: { sv: 'Samtycket upphör snart', en: 'Consent expires soon' },
  [ReminderRule.CONSENT_EXPIRED]: { sv: 'Samtycket har upphört', en: 'Consent has expired' },
  [ReminderRule.CHILDREN_QUESTION_UNANSWERED]: { sv: 'Frågan om barn är inte besvarad', en: 'The question about children is unanswered' },
  [ReminderRule.RELATIVES_NOT_IDENTIFIED]: { sv: 'Anhöriga är inte identifierade', en: 'Relatives are not identified' },
  [ReminderRule.VIOLENCE_NOT_ASSESSED]: { sv: 'Våldsutsatthet är inte bedömd', en: 'Exposure to violence is not assessed' },
  [ReminderRule.LVM_PRE_ASSESSMENT_MISSING]: { sv: 'LVM-anmälan saknar förhandsbedömning', en: 'An LVM report lacks a pre-assessment' },
  [ReminderRule.NO_CONTACT]: { sv: 'Ingen kontakt på länge', en: 'No contact for a long time' },
};

const FORMATS: Record<Locale, Intl.DateTimeFormat> = {
  sv: new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Stockholm', weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }),
};

export function asLocale(value: string | null | undefined): Locale {
  return value === 'en' ? 'en' : 'sv';
}

export function formatMoment(at: Date, locale: Locale): string {
  return FORMATS[locale].format(at);
}

/** The in-app text: the title and the date it is about (the person is shown by the app, with access checks). */
export function inAppText(rule: ReminderRule, locale: Locale, about: { date?: string | null; startsAt?: Date | null }): string {
  const title = TITLES[rule][locale];
  if (about.startsAt) return `${title}: ${formatMoment(about.startsAt, locale)}`;
  if (about.date) return `${title} (${about.date})`;
  return title;
}

export function staffEmail(rule: ReminderRule, locale: Locale, link: string): { subject: string; text: string } {
  const urgent = URGENT_RULES.has(rule);
  return locale === 'en'
    ? { subject: urgent ? 'Samverka: urgent reminder' : 'Samverka: new reminder', text: `You have a new reminder in Samverka.\n\nOpen it here: ${link}\n\nThis message holds no details, for the person's privacy.` }
    : { subject: urgent ? 'Samverka: brådskande påminnelse' : 'Samverka: ny påminnelse', text: `Du har en ny påminnelse i Samverka.\n\nÖppna den här: ${link}\n\nMeddelandet innehåller inga detaljer, av hänsyn till personens integritet.` };
}

export function staffSms(rule: ReminderRule, locale: Locale, link: string): string {
  const urgent = URGENT_RULES.has(rule);
  return locale === 'en' ? `Samverka: ${urgent ? 'urgent ' : ''}reminder. ${link}` : `Samverka: ${urgent ? 'brådskande ' : ''}påminnelse. ${link}`;
}

/**
 * To the person: when and where, nothing about why. Sent by SMS, or printed as an appointment note that
 * staff hand over (the note on the methadone bottle). Without a place (`location` null: a protected
 * identity, and staff who may not know where the person goes), the person's contact person tells it.
 */
export function personMeetingText(rule: ReminderRule, locale: Locale, meeting: { startsAt: Date; location: string | null }): string {
  const when = formatMoment(meeting.startsAt, locale);
  if (locale === 'en') {
    const where = meeting.location ?? 'a place your contact person will tell you';
    if (rule === ReminderRule.MEETING_CANCELLED) return `Your meeting on ${when} (${where}) is cancelled. Your contact person will get in touch.`;
    return `${rule === ReminderRule.MEETING_SUMMONS ? 'You are invited to a meeting' : 'Reminder: you have a meeting'} on ${when} at ${where}. Welcome!`;
  }
  const where = meeting.location ?? 'din kontaktperson berättar var';
  if (rule === ReminderRule.MEETING_CANCELLED) return `Ditt möte ${when} (${where}) är inställt. Din kontaktperson hör av sig.`;
  return `${rule === ReminderRule.MEETING_SUMMONS ? 'Du är kallad till ett möte' : 'Påminnelse: du har ett möte'} ${when}, plats: ${where}. Välkommen!`;
}

export function printedNoteNotice(locale: Locale, note: string): string {
  return locale === 'en' ? `Appointment note to print and hand over: ${note}` : `Lapp att skriva ut och lämna till personen: ${note}`;
}
