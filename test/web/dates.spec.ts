import { formatCalendarDay, formatDateTime, formatDay, swedishToday } from '../../apps/web/src/i18n/dates';

/**
 * The web client writes dates out itself (apps/web/src/i18n/dates.ts) instead of making Intl.DateTimeFormats,
 * whose first construction in a fresh tab is slow: the text must be what Intl gives for the same locale and
 * options, for every month, both languages, any day and time, in Swedish time (Europe/Stockholm) whatever the zone it runs in.
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

  it.each(locales)('%s: the Swedish day of a moment', (language, locale) => {
    const intl = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      timeZone: 'Europe/Stockholm',
    });
    for (const moment of moments) expect(formatDay(language, moment)).toBe(intl.format(moment));
  });

  it.each(locales)('%s: the Swedish day and time of a moment', (language, locale) => {
    const intl = new Intl.DateTimeFormat(locale, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'Europe/Stockholm',
    });
    for (const moment of moments) expect(formatDateTime(language, moment)).toBe(intl.format(moment));
  });

  it('writes Swedish time, winter and summer, across the changes of clock', () => {
    expect(formatDateTime('sv', new Date('2026-03-05T07:04:00Z'))).toBe('5 mars 2026 08:04');
    expect(formatDateTime('en', new Date('2026-09-30T21:59:00Z'))).toBe('30 Sept 2026, 23:59');
    // Summer time starts at 01:00 UTC on 29 March 2026 and ends at 01:00 UTC on 25 October 2026.
    expect(formatDateTime('sv', new Date('2026-03-29T00:59:00Z'))).toBe('29 mars 2026 01:59');
    expect(formatDateTime('sv', new Date('2026-03-29T01:00:00Z'))).toBe('29 mars 2026 03:00');
    expect(formatDateTime('sv', new Date('2026-10-25T00:59:00Z'))).toBe('25 okt. 2026 02:59');
    expect(formatDateTime('sv', new Date('2026-10-25T01:00:00Z'))).toBe('25 okt. 2026 02:00');
    expect(swedishToday(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
  });
});
