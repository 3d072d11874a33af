import { ReminderRule, URGENT_RULES } from './reminder-rules';

/**
 * What reminders sent outside the app say, in Swedish or English: to staff in their chosen language, to
 * the person in theirs. E-mail and SMS to staff leave Samverka's protection (mail servers, phones on a
 * desk), so they say only that there is a reminder and link to the app: never a name, a diagnosis, a
 * check or a decision. In-app notifications are stored as codes with parameters; the app words them.
 */
export type Locale = 'sv' | 'en';

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
