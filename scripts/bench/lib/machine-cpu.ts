// Where a benchmark's CPU went, from /proc: each process's user + system time and the machine's busy time, read
// before and after the measured window. The TypeScript benchmarks (discharge, reminders) print it, so that a figure
// can be read against what the machine had to give: on 2 cores, the servers, PostgreSQL, Redis and the benchmark's
// own load generator (and SMTP sink) all share the same two.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Linux's USER_HZ: /proc counts CPU time in ticks of 10 ms. */
const TICK_MS = 10;

export interface CpuSnapshot {
  at: number;
  /** Busy time of the whole machine (all cores), ms; null without /proc/stat. */
  machineMs: number | null;
  byPid: Map<number, { comm: string; ms: number }>;
}

/** Every process's CPU time and the machine's busy time, now. */
export function cpuSnapshot(): CpuSnapshot {
  const byPid = new Map<number, { comm: string; ms: number }>();
  let machineMs: number | null = null;
  try {
    // cpu user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait.
    const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    machineMs = (ticks.reduce((a, b) => a + b, 0) - ticks[3] - ticks[4]) * TICK_MS;
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        byPid.set(Number(name), { comm, ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS });
      } catch {
        // the process ended while we looked
      }
    }
  } catch {
    // no /proc (not Linux): nothing to report
  }
  return { at: performance.now(), machineMs, byPid };
}

export interface CpuShares {
  seconds: number;
  cores: number;
  machine: number | null;
  /** CPU-seconds per second of each named part, then `postgres` (every postgres process), `redis` and `other`. */
  parts: Array<{ name: string; cores: number; ms: number }>;
}

/**
 * What the named processes (`named`: label → pids), PostgreSQL, Redis and the rest used between two snapshots.
 * A process that ended in between is not seen (its time is left in `other`).
 */
export function cpuShares(before: CpuSnapshot, after: CpuSnapshot, named: Record<string, number[]>): CpuShares {
  const seconds = (after.at - before.at) / 1000;
  // A process that started in the window (a pool's new connection) counts from 0.
  const used = (pid: number) => {
    const a = after.byPid.get(pid);
    const b = before.byPid.get(pid);
    return a ? a.ms - (b && b.comm === a.comm ? b.ms : 0) : 0;
  };
  const claimed = new Set(Object.values(named).flat());
  const byComm = (comm: string) =>
    [...after.byPid].filter(([pid, p]) => p.comm === comm && !claimed.has(pid)).reduce((a, [pid]) => a + used(pid), 0);
  const parts = Object.entries(named).map(([name, pids]) => ({ name, ms: pids.reduce((a, pid) => a + used(pid), 0) }));
  parts.push({ name: 'postgres', ms: byComm('postgres') }, { name: 'redis', ms: byComm('redis-server') });
  const machineMs = after.machineMs !== null && before.machineMs !== null ? after.machineMs - before.machineMs : null;
  if (machineMs !== null)
    parts.push({ name: 'other', ms: Math.max(0, machineMs - parts.reduce((a, p) => a + p.ms, 0)) });
  return {
    seconds,
    cores: cpus().length,
    machine: machineMs === null ? null : machineMs / 1000 / seconds,
    parts: parts.map((p) => ({ ...p, cores: p.ms / 1000 / seconds })),
  };
}

/**
 * One line: each part's cores and its CPU per unit of work (`per`, e.g. 500 runs), and the machine's busy cores, e.g.
 * `CPU in the measured window (cores; of 2): api 0.63 (20.6 ms/run), ...; machine busy 1.79 of 2`.
 */
export function formatCpuShares(shares: CpuShares, per: { count: number; unit: string }): string {
  const parts = shares.parts
    .map((p) => `${p.name} ${p.cores.toFixed(2)} (${(p.ms / per.count).toFixed(1)} ms/${per.unit})`)
    .join(', ');
  const machine =
    shares.machine === null ? 'machine busy unknown' : `machine busy ${shares.machine.toFixed(2)} of ${shares.cores}`;
  return `CPU in the measured window (cores; of ${shares.cores}): ${parts}; ${machine}`;
}
