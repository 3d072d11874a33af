// The on-call cover day by day: who covers which hours, and the gaps nobody covers (from now on).
// Pure, so that it is tested on its own; days are calendar days in the browser's time zone.

export interface Shift {
  startsAt: string;
  endsAt: string;
  name: string;
}

export interface DayCover {
  day: Date;
  shifts: Array<{ name: string; from: Date; to: Date }>;
  /** Uncovered time within the day, not counting time already past. */
  gaps: Array<{ from: Date; to: Date }>;
}

export function coverByDay(shifts: readonly Shift[], now: Date, days = 7): DayCover[] {
  const parsed = shifts
    .map((s) => ({ name: s.name, from: new Date(s.startsAt), to: new Date(s.endsAt) }))
    .sort((a, b) => a.from.getTime() - b.from.getTime());
  return Array.from({ length: days }, (_, i) => {
    const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() + i);
    const end = new Date(now.getFullYear(), now.getMonth(), now.getDate() + i + 1);
    const inDay = parsed
      .filter((s) => s.from < end && s.to > day)
      .map((s) => ({ name: s.name, from: s.from < day ? day : s.from, to: s.to > end ? end : s.to }));
    const gaps: DayCover['gaps'] = [];
    let covered = day > now ? day : now < end ? now : end;
    for (const s of inDay) {
      if (s.from > covered) gaps.push({ from: covered, to: s.from });
      if (s.to > covered) covered = s.to;
    }
    if (covered < end) gaps.push({ from: covered, to: end });
    return { day, shifts: inDay, gaps };
  });
}
