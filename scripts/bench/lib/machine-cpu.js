'use strict';
// Where a benchmark's CPU went, from /proc: each process's user + system time and the machine's busy time, read
// before and after the measured window. On 2 cores the servers, PostgreSQL, Redis and the benchmark's own load
// generator (and SMTP sink) all share the same two, so every figure is printed with what the machine had to give.
const fs = require('node:fs');
const os = require('node:os');

/** Linux's USER_HZ: /proc counts CPU time in ticks of 10 ms. */
const TICK_MS = 10;

/**
 * @typedef {{ at: number, machineMs: number | null, byPid: Map<number, { comm: string, ms: number }> }} CpuSnapshot
 *   machineMs: busy time of the whole machine (all cores), null without /proc; byPid: every process's CPU time.
 * @typedef {{ name: string, ms: number, cores: number }} CpuPart
 * @typedef {{ seconds: number, cores: number, machine: number | null, parts: CpuPart[] }} CpuShares
 */

/** CPU time (ms) this machine has been busy, all cores, from /proc/stat; null where there is no /proc. */
function machineBusyMs() {
  try {
    // cpu user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait.
    const ticks = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return (ticks.reduce((a, b) => a + b, 0) - ticks[3] - ticks[4]) * TICK_MS;
  } catch {
    return null;
  }
}

/**
 * Waits (up to BENCH_QUIET_TIMEOUT s, default 60) until the machine uses less than 0.25 cores, so that a measurement
 * starts on a quiet machine; says so through `log` while it waits, and measures anyway after the timeout.
 * @param {(line: string) => void} log
 */
async function waitForQuietMachine(log) {
  if (machineBusyMs() === null) return;
  const deadline = Date.now() + Number(process.env.BENCH_QUIET_TIMEOUT ?? 60) * 1000;
  let told = false;
  for (;;) {
    const before = Number(machineBusyMs());
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const cores = (Number(machineBusyMs()) - before) / 1000;
    if (cores < 0.25) return;
    if (Date.now() > deadline) {
      log(`WARNING: the machine is still busy (${cores.toFixed(2)} cores used by other processes); measuring anyway`);
      return;
    }
    if (!told) log(`waiting for other processes to quieten (${cores.toFixed(2)} cores busy) ...`);
    told = true;
  }
}

/** Every process's CPU time and the machine's busy time, now. @returns {CpuSnapshot} */
function cpuSnapshot() {
  /** @type {CpuSnapshot['byPid']} */
  const byPid = new Map();
  const machineMs = machineBusyMs();
  try {
    for (const name of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        byPid.set(Number(name), { comm, ms: (Number(fields[11]) + Number(fields[12])) * TICK_MS }); // utime, stime
      } catch {
        // the process ended while we looked
      }
    }
  } catch {
    // no /proc (not Linux): nothing to report
  }
  return { at: performance.now(), machineMs, byPid };
}

/**
 * CPU time (ms) a process used between two snapshots: one that started in between (a pool's new connection) counts
 * from 0, one that ended in between is not seen.
 * @param {CpuSnapshot} before @param {CpuSnapshot} after @param {number} pid
 */
function usedBetween(before, after, pid) {
  const a = after.byPid.get(pid);
  const b = before.byPid.get(pid);
  return a ? a.ms - (b && b.comm === a.comm ? b.ms : 0) : 0;
}

/**
 * What the named processes (`named`: label → pids), PostgreSQL (every `postgres` process), Redis and the rest
 * (`other`: the machine's busy time less all of these) used between two snapshots.
 * @param {CpuSnapshot} before @param {CpuSnapshot} after @param {Record<string, number[]>} named
 * @returns {CpuShares}
 */
function cpuShares(before, after, named) {
  const seconds = (after.at - before.at) / 1000;
  const claimed = new Set(Object.values(named).flat());
  /** @param {string} comm */
  const byComm = (comm) =>
    [...after.byPid]
      .filter(([pid, p]) => p.comm === comm && !claimed.has(pid))
      .reduce((a, [pid]) => a + usedBetween(before, after, pid), 0);
  const parts = Object.entries(named).map(([name, pids]) => ({
    name,
    ms: pids.reduce((a, pid) => a + usedBetween(before, after, pid), 0),
  }));
  parts.push({ name: 'postgres', ms: byComm('postgres') }, { name: 'redis', ms: byComm('redis-server') });
  const machineMs = after.machineMs !== null && before.machineMs !== null ? after.machineMs - before.machineMs : null;
  if (machineMs !== null)
    parts.push({ name: 'other', ms: Math.max(0, machineMs - parts.reduce((a, p) => a + p.ms, 0)) });
  return {
    seconds,
    cores: os.cpus().length,
    machine: machineMs === null ? null : machineMs / 1000 / seconds,
    parts: parts.map((p) => ({ ...p, cores: p.ms / 1000 / seconds })),
  };
}

/**
 * One line: each part's cores and its CPU per unit of work (`per`, e.g. 500 runs), and the machine's busy cores, e.g.
 * `CPU in the measured window (cores; of 2): api 0.63 (20.6 ms/run), ...; machine busy 1.79 of 2`.
 * @param {CpuShares} shares @param {{ count: number, unit: string }} per
 */
function formatCpuShares(shares, per) {
  const parts = shares.parts
    .map((p) => `${p.name} ${p.cores.toFixed(2)} (${(p.ms / per.count).toFixed(1)} ms/${per.unit})`)
    .join(', ');
  const machine =
    shares.machine === null ? 'machine busy unknown' : `machine busy ${shares.machine.toFixed(2)} of ${shares.cores}`;
  return `CPU in the measured window (cores; of ${shares.cores}): ${parts}; ${machine}`;
}

module.exports = { machineBusyMs, waitForQuietMachine, cpuSnapshot, usedBetween, cpuShares, formatCpuShares };
