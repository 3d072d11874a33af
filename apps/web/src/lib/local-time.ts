// Date and time fields (datetime-local) speak the browser's own time zone; the API speaks ISO instants.

/** "YYYY-MM-DDTHH:mm" in the browser's time zone, for a datetime-local field. */
export function localDateTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The instant a datetime-local value means, as ISO; the value itself when it is not a date (the API names the field). */
export function instantOf(local: string): string {
  const when = new Date(local);
  return Number.isNaN(when.getTime()) ? local : when.toISOString();
}

/** Today's date as YYYY-MM-DD in the browser's time zone. */
export function localDate(date = new Date()): string {
  return localDateTime(date).slice(0, 10);
}
