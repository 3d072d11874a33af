import { instantOf, localDate, localDateTime } from '../../apps/web/src/lib/local-time';

/**
 * The web client's date and time fields speak Swedish time whatever the browser's zone (the zone these tests run
 * in is the machine's): what a field shows for a moment is what Intl writes for Europe/Stockholm, and the value
 * typed in means that Swedish moment.
 */
describe('date and time fields in Swedish time', () => {
  const stockholm = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Stockholm',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const intlField = (moment: Date) => stockholm.format(moment).replace(' ', 'T');
  // Every 7 hours and 13 minutes across two years, both summer-time changes of each included.
  const moments = Array.from({ length: 2500 }, (_, i) => new Date(Date.UTC(2025, 0, 1, 0, 7) + i * 433 * 60_000));
  const changes = [
    new Date('2026-03-29T00:59:00Z'),
    new Date('2026-03-29T01:00:00Z'),
    new Date('2026-10-25T00:30:00Z'),
    new Date('2026-10-25T01:30:00Z'),
  ];

  it('shows a moment as Intl writes it for Europe/Stockholm', () => {
    for (const moment of [...moments, ...changes]) expect(localDateTime(moment)).toBe(intlField(moment));
  });

  it('reads a typed value back as the same Swedish moment (the earlier one in the repeated autumn hour)', () => {
    for (const moment of [...moments, ...changes]) {
      const typed = localDateTime(moment);
      const read = new Date(instantOf(typed));
      expect(localDateTime(read)).toBe(typed);
      const repeated =
        moment.getTime() >= Date.parse('2026-10-25T01:00:00Z') && moment.getTime() < Date.parse('2026-10-25T02:00:00Z');
      expect(read.getTime()).toBe(Math.floor(moment.getTime() / 60_000) * 60_000 - (repeated ? 3_600_000 : 0));
    }
    expect(instantOf('2026-12-07T10:00')).toBe('2026-12-07T09:00:00.000Z');
    expect(instantOf('2026-07-01T10:00')).toBe('2026-07-01T08:00:00.000Z');
    // 02:30 on the spring change does not exist on Swedish clocks: read as winter time.
    expect(instantOf('2026-03-29T02:30')).toBe('2026-03-29T01:30:00.000Z');
    expect(instantOf('not a time')).toBe('not a time');
  });

  it("gives today's date in Sweden", () => {
    expect(localDate(new Date('2026-12-06T23:30:00Z'))).toBe('2026-12-07');
    expect(localDate(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
    expect(localDate(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
  });
});
