import { formatCalendarDay, formatDateTime, formatDay } from '../../apps/web/src/i18n/dates';

/**
 * The web client writes dates out itself (apps/web/src/i18n/dates.ts) instead of making Intl.DateTimeFormats,
 * whose first construction in a fresh tab is slow: the text must be what Intl gives for the same locale and
 * options, for every month, both languages, any day and time (local time, as Intl's default time zone).
 */
describe('the web client’s dates read as Intl writes them', () => {
  const locales = [
    ['sv', 'sv-SE'],
    ['en', 'en-GB'],
  ] as const;
  // Every 37 hours and 11 minutes across two years: every month, many days, hours and minutes.
  const moments = Array.from(
    { length: 480 },
    (_, i) => new Date(Date.UTC(2025, 0, 1, 0, 7) + i * (37 * 60 + 11) * 60_000),
  );

  it.each(locales)('%s: calendar days', (language, locale) => {
    const intl = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
    for (const moment of moments) {
      const iso = moment.toISOString().slice(0, 10);
      expect(formatCalendarDay(language, iso)).toBe(intl.format(new Date(`${iso}T12:00:00Z`)));
    }
  });

  it.each(locales)('%s: the local day of a moment', (language, locale) => {
    const intl = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric' });
    for (const moment of moments) expect(formatDay(language, moment)).toBe(intl.format(moment));
  });

  it.each(locales)('%s: the local day and time of a moment', (language, locale) => {
    const intl = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    for (const moment of moments) expect(formatDateTime(language, moment)).toBe(intl.format(moment));
  });

  it('writes local time (the browser’s zone; here the test process’s)', () => {
    expect(formatDateTime('sv', new Date(2026, 2, 5, 8, 4))).toBe('5 mars 2026 08:04');
    expect(formatDateTime('en', new Date(2026, 8, 30, 23, 59))).toBe('30 Sept 2026, 23:59');
  });
});
