import { addDays, stockholmInstant, stockholmTimeOfDay, today } from '../time';

/**
 * When a non-urgent message may go out to someone with quiet hours (Swedish local time, `HH:MM`,
 * possibly over midnight): null when now is fine, else the end of the quiet period.
 */
export function quietUntil(quiet: { from: string; to: string } | null, now: Date): Date | null {
  if (!quiet || quiet.from === quiet.to) return null;
  const time = stockholmTimeOfDay(now);
  const overMidnight = quiet.from > quiet.to;
  const inside = overMidnight ? time >= quiet.from || time < quiet.to : time >= quiet.from && time < quiet.to;
  if (!inside) return null;
  const day = today(now);
  const endsTomorrow = overMidnight && time >= quiet.from;
  return stockholmInstant(endsTomorrow ? addDays(day, 1) : day, quiet.to);
}
