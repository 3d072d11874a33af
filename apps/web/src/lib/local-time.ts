// Date and time fields (date, datetime-local) in Swedish time, as the screens show every date (i18n/dates.ts) and
// as the API counts its days (libs/domain/src/time.ts), whatever the browser's own time zone: a meeting typed in
// as 10:00 is shown as 10:00, and "today" in a form is the API's today. The API speaks ISO instants.
import { swedishToday, swedishWallClock } from '../i18n/dates';

const HOUR = 3_600_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** "YYYY-MM-DDTHH:mm" in Swedish time, for a datetime-local field. */
export function localDateTime(date: Date): string {
  const at = swedishWallClock(date);
  return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}T${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}`;
}

/**
 * The instant a datetime-local value means in Swedish time, as ISO; the value itself when it is not one (the API
 * names the field). In the autumn's repeated hour the first (summer-time) instant; a time the spring change skips
 * is read as winter time (an hour later on the clock).
 */
export function instantOf(local: string): string {
  const parts = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!parts) return local;
  const [year, month, day, hour, minute] = parts.slice(1).map(Number);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  if (Number.isNaN(wall)) return local;
  const instant = [2, 1]
    .map((offset) => wall - offset * HOUR)
    .find((t) => swedishWallClock(new Date(t)).getTime() === wall);
  return new Date(instant ?? wall - HOUR).toISOString();
}

/** Today's date (YYYY-MM-DD) in Sweden, for date fields. */
export function localDate(date = new Date()): string {
  return swedishToday(date);
}
