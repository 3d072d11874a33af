// Dates as the screens show them, in Swedish ("7 dec. 2026", "5 mars 2026 08:04") and British English
// ("7 Dec 2026", "5 Mar 2026, 08:04"): the same text as Intl.DateTimeFormat gives for sv-SE and en-GB with
// { day: 'numeric', month: 'short', year: 'numeric' } and { dateStyle: 'medium', timeStyle: 'short' }
// (test/unit/web-dates.spec.ts compares them), written out here because the first Intl.DateTimeFormat a fresh
// browser tab makes loads the locale's and the time zone's data: 60 to 300 ms on the development machine,
// on every first load, for three fixed formats in two languages. Times are the browser's local time, as Intl's.
/** The languages of the client (i18n.tsx's Language). */
type Language = 'sv' | 'en';

const MONTHS: Record<Language, string[]> = {
  sv: ['jan.', 'feb.', 'mars', 'apr.', 'maj', 'juni', 'juli', 'aug.', 'sep.', 'okt.', 'nov.', 'dec.'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'],
};

const twoDigits = (n: number) => String(n).padStart(2, '0');

/** A calendar day ("2026-11-20"), whatever the browser's time zone. */
export function formatCalendarDay(language: Language, isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${day} ${MONTHS[language][month - 1]} ${year}`;
}

/** The local day of a moment. */
export function formatDay(language: Language, moment: Date): string {
  return `${moment.getDate()} ${MONTHS[language][moment.getMonth()]} ${moment.getFullYear()}`;
}

/** The local day and time of a moment, to the minute. */
export function formatDateTime(language: Language, moment: Date): string {
  const time = `${twoDigits(moment.getHours())}:${twoDigits(moment.getMinutes())}`;
  return `${formatDay(language, moment)}${language === 'sv' ? ' ' : ', '}${time}`;
}
