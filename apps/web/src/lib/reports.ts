// Report figures computed from the caseload the signed-in user may see. Pure, so they are tested alone.
import type { ReportDataQuery } from '../api/generated';

type Entry = ReportDataQuery['caseload']['edges'][number]['node'];

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

export interface Reports {
  persons: number;
  byPlanStatus: Map<string, number>;
  byGender: Map<string, number>;
  followUps: { onTime: number; overdue: number; noDate: number };
  /** Moves (a placement that followed an earlier one) per calendar month "YYYY-MM", oldest first, the last `months` months. */
  movesByMonth: Array<{ month: string; moves: number }>;
}

export function computeReports(entries: readonly Entry[], today: string, months = 12): Reports {
  const moveMonths: string[] = [];
  for (const e of entries) {
    const placements = [...e.person.housingHistory].sort((a, b) => a.startedOn.localeCompare(b.startedOn));
    // The first placement on record is where the person was found, not a move.
    for (const p of placements.slice(1)) moveMonths.push(p.startedOn.slice(0, 7));
  }
  const moves = countBy(moveMonths, (m) => m);
  const [year, month] = today.split('-').map(Number);
  const movesByMonth = Array.from({ length: months }, (_, i) => {
    const d = new Date(Date.UTC(year, month - 1 - (months - 1 - i), 1));
    const key = d.toISOString().slice(0, 7);
    return { month: key, moves: moves.get(key) ?? 0 };
  });
  return {
    persons: entries.length,
    byPlanStatus: countBy(entries, (e) => e.planStatus ?? 'NONE'),
    byGender: countBy(entries, (e) => e.person.legalGender),
    followUps: {
      onTime: entries.filter((e) => e.nextFollowUpOn && !e.followUpOverdue).length,
      overdue: entries.filter((e) => e.followUpOverdue).length,
      noDate: entries.filter((e) => !e.nextFollowUpOn).length,
    },
    movesByMonth,
  };
}
