/** Built once: creating a formatter costs about 100 µs, formatting with one about 2 µs (it runs on every request). */
const STOCKHOLM_DATE = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in Sweden (YYYY-MM-DD): membership periods and follow-up dates are Swedish calendar days. */
export function today(now: Date = new Date()): string {
  return STOCKHOLM_DATE.format(now);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const STOCKHOLM_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Stockholm',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Minutes Stockholm is ahead of UTC at `instant` (60 in winter, 120 in summer). */
function stockholmOffsetMinutes(instant: Date): number {
  const parts = Object.fromEntries(STOCKHOLM_PARTS.formatToParts(instant).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant of a Swedish wall-clock time on a Swedish calendar day (`2026-12-01`, `08:00`). */
export function stockholmInstant(date: string, time: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  // The offset at the wall time read as UTC is right except within an hour of a DST switch; a second pass fixes that.
  let instant = wall - stockholmOffsetMinutes(new Date(wall)) * 60_000;
  instant = wall - stockholmOffsetMinutes(new Date(instant)) * 60_000;
  return new Date(instant);
}

/** Swedish wall-clock time of day (`HH:MM`) at `instant`. */
export function stockholmTimeOfDay(instant: Date): string {
  const parts = Object.fromEntries(STOCKHOLM_PARTS.formatToParts(instant).map((p) => [p.type, p.value]));
  return `${parts.hour}:${parts.minute}`;
}
