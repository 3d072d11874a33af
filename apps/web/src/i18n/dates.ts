// Dates as the screens show them, in Swedish ("7 dec. 2026", "5 mars 2026 08:04") and British English
// ("7 Dec 2026", "5 Mar 2026, 08:04"): the same text as Intl.DateTimeFormat gives for sv-SE and en-GB with
// { day: 'numeric', month: 'short', year: 'numeric' } and { dateStyle: 'medium', timeStyle: 'short' }
// (test/unit/web-dates.spec.ts compares them), written out here because the first Intl.DateTimeFormat a fresh
// browser tab makes loads the locale's and the time zone's data: 60 to 300 ms on the development machine,
// on every first load, for three fixed formats in two languages. Times are Swedish time (Europe/Stockholm), the
// zone the API's own days are counted in (libs/domain/src/time.ts), whatever the browser's zone: the API renders
// a signed-in page's first screen itself (apps/web/src/server-entry.tsx), and the browser must write every date
// exactly as the server did or React throws the server's markup away.
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

const HOUR = 3_600_000;

/** 01:00 UTC on the last Sunday of `month` (0-based) of `year`: when Europe's summer time starts or ends. */
function lastSundayAt1Utc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
}

/**
 * The moment moved by Sweden's offset from UTC (CET +1, CEST +2 from the last Sunday of March to the last
 * Sunday of October, at 01:00 UTC), so that its UTC fields read Swedish wall-clock time. Written out for the
 * same reason as the formats: no Intl time zone data to load.
 */
export function swedishWallClock(moment: Date): Date {
  const t = moment.getTime();
  const year = moment.getUTCFullYear();
  const summer = t >= lastSundayAt1Utc(year, 2) && t < lastSundayAt1Utc(year, 9);
  return new Date(t + (summer ? 2 : 1) * HOUR);
}

/** Today's date in Sweden as YYYY-MM-DD (the API's today, libs/domain/src/time.ts). */
export function swedishToday(now: Date = new Date()): string {
  return swedishWallClock(now).toISOString().slice(0, 10);
}

/** The Swedish day of a moment. */
export function formatDay(language: Language, moment: Date): string {
  const at = swedishWallClock(moment);
  return `${at.getUTCDate()} ${MONTHS[language][at.getUTCMonth()]} ${at.getUTCFullYear()}`;
}

/** The Swedish day and time of a moment, to the minute. */
export function formatDateTime(language: Language, moment: Date): string {
  const at = swedishWallClock(moment);
  const time = `${twoDigits(at.getUTCHours())}:${twoDigits(at.getUTCMinutes())}`;
  return `${formatDay(language, moment)}${language === 'sv' ? ' ' : ', '}${time}`;
}
