import { ReminderRule, URGENT_RULES } from './reminder-rules';

/**
 * What reminders sent outside the app say, in Swedish or English: to staff in their chosen language, to
 * the person in theirs. E-mail and SMS to staff leave Samverka's protection (mail servers, phones on a
 * desk), so they say only that there is a reminder and link to the app: never a name, a diagnosis, a
 * check or a decision. In-app notifications are stored as codes with parameters; the app words them.
 */
export type Locale = 'sv' | 'en';

const FORMATS: Record<Locale, Intl.DateTimeFormat> = {
  sv: new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Stockholm',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
  }),
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
    ? {
        subject: urgent ? 'Samverka: urgent reminder' : 'Samverka: new reminder',
        text: `You have a new reminder in Samverka.\n\nOpen it here: ${link}\n\nThis message holds no details, for the person's privacy.`,
      }
    : {
        subject: urgent ? 'Samverka: brådskande påminnelse' : 'Samverka: ny påminnelse',
        text: `Du har en ny påminnelse i Samverka.\n\nÖppna den här: ${link}\n\nMeddelandet innehåller inga detaljer, av hänsyn till personens integritet.`,
      };
}

export function staffSms(rule: ReminderRule, locale: Locale, link: string): string {
  const urgent = URGENT_RULES.has(rule);
  return locale === 'en'
    ? `Samverka: ${urgent ? 'urgent ' : ''}reminder. ${link}`
    : `Samverka: ${urgent ? 'brådskande ' : ''}påminnelse. ${link}`;
}

/** Whom the person calls about a meeting (its planner, or the coordinator if the planner has left), and who will be there. */
export interface MeetingPeople {
  contact?: { name: string; phone: string | null } | null;
  /** Given names of the staff taking part (no profession or organisation: a phone on a table may be read by others). */
  participants?: readonly string[];
}

function list(names: readonly string[], locale: Locale): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} ${locale === 'en' ? 'and' : 'och'} ${names[names.length - 1]}`;
}

/**
 * To the person: what the meeting is for (their plan, said plainly: no diagnosis, no care), when and where,
 * who will be there (staff by given name) and whom to call. Sent by SMS, or printed as an appointment note
 * that staff hand over (the note on the methadone bottle). Without a place (`location` null: a protected
 * identity, and staff who may not know where the person goes), the person's contact person tells it.
 */
export function personMeetingText(
  rule: ReminderRule,
  locale: Locale,
  meeting: { startsAt: Date; location: string | null } & MeetingPeople,
): string {
  const when = formatMoment(meeting.startsAt, locale);
  const summons = rule === ReminderRule.MEETING_SUMMONS;
  const who = summons && meeting.participants?.length ? meeting.participants : [];
  const contact = meeting.contact;
  if (locale === 'en') {
    const where = meeting.location ?? 'a place your contact person will tell you';
    if (rule === ReminderRule.MEETING_CANCELLED)
      return `Your meeting on ${when} (${where}) is cancelled. Your contact person will get in touch.`;
    const call = contact
      ? contact.phone
        ? ` Questions? Call ${contact.name}, ${contact.phone}.`
        : ` Questions? Ask ${contact.name}.`
      : '';
    const there = who.length ? ` You will meet ${list(who, locale)}.` : '';
    return `${summons ? 'You are invited to a meeting about your plan (SIP)' : 'Reminder: you have a meeting'} on ${when} at ${where}.${there}${call} Welcome!`;
  }
  const where = meeting.location ?? 'din kontaktperson berättar var';
  if (rule === ReminderRule.MEETING_CANCELLED)
    return `Ditt möte ${when} (${where}) är inställt. Din kontaktperson hör av sig.`;
  const call = contact
    ? contact.phone
      ? ` Frågor? Ring ${contact.name}, ${contact.phone}.`
      : ` Frågor? Fråga ${contact.name}.`
    : '';
  const there = who.length ? ` Du träffar ${list(who, locale)}.` : '';
  return `${summons ? 'Du är kallad till ett möte om din plan (SIP)' : 'Påminnelse: du har ett möte'} ${when}, plats: ${where}.${there}${call} Välkommen!`;
}
