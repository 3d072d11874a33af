/**
 * npm run bench:discharge: the whole joint-decision path, many times, through the real API (HTTP),
 * the real BullMQ queue and the real worker process, followed by randomised interleavings; every
 * episode is then audited from the stored history. Prints the latency from the last AGREE vote to
 * the episode being DISCHARGED, and one RESULT line.
 *
 * Knobs: BENCH_RUNS (500), BENCH_CONCURRENCY (8), BENCH_INTERLEAVINGS (200), BENCH_DATABASE_URL,
 * BENCH_PROFILE=1 (V8 CPU profile of the API and the worker over the measured window, summarised),
 * BENCH_DIST (the built servers to run, default dist/: point it at another checkout's dist/ for a baseline).
 * Both servers run under scripts/bench/lib/instrument.js, which counts their SQL statements.
 */
import 'reflect-metadata';
import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import {
  CareEpisodeService,
  DomainModule,
  EpisodeKind,
  openDatabase,
  OrganisationKind,
  Principal,
  Profession,
} from '../../libs/domain/src';
import { AppConfig, loadConfig } from '../../libs/infrastructure/src';
import { Fixtures, TestStaff } from '../../test/support/fixtures';
import { auditDischarges, runScenario } from '../../test/support/interleavings';
import { cpuShares, cpuSnapshot, formatCpuShares } from './lib/machine-cpu';

const RUNS = Number(process.env.BENCH_RUNS ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const INTERLEAVINGS = Number(process.env.BENCH_INTERLEAVINGS ?? 200);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/samverka_bench_discharge';
const PORT = Number(process.env.BENCH_API_PORT ?? 3911);
const PROFILE = process.env.BENCH_PROFILE === '1';
const root = join(__dirname, '../..');
const DIST = resolve(process.env.BENCH_DIST ?? join(root, 'dist'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureBuild } = require('./lib/ensure-build') as { ensureBuild: () => void };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { summariseProfile } = require('./lib/profile-summary') as { summariseProfile: (file: string) => string };

interface Stats {
  statements: number;
  requests: number;
  byText: Array<[string, number]>;
  cpu: { user: number; system: number };
}

/** A server started under the instrumentation preload: ask it for statistics or a CPU profile over IPC. */
interface Instrumented {
  child: ChildProcess;
  ask: <T = Stats>(cmd: string, extra?: Record<string, unknown>) => Promise<T>;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function recreateDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.end();
}

function startProcess(label: string, script: string, env: NodeJS.ProcessEnv, readyText: string): Promise<Instrumented> {
  const child = fork(join(DIST, script), [], {
    execArgv: ['--enable-source-maps', '-r', join(__dirname, 'lib/instrument.js')],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, (m: { error?: string }) => void>();
  child.on('message', (m: { id: number; error?: string }) => {
    pending.get(m.id)?.(m);
    pending.delete(m.id);
  });
  const ask = <T>(cmd: string, extra: Record<string, unknown> = {}) =>
    new Promise<T>((ok, fail) => {
      const id = nextId++;
      pending.set(id, (m) => (m.error ? fail(new Error(`${label}: ${m.error}`)) : ok(m as T)));
      child.send({ id, cmd, ...extra });
    });
  return new Promise((ready, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(readyText)) ready({ child, ask });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[${label}] ${chunk}`));
    child.on('exit', (code) => reject(new Error(`${label} exited (${code}) before it was ready:\n${output}`)));
  });
}

/** Statements between two snapshots, by text, most frequent first. */
function statementDelta(before: Stats, after: Stats): Array<[string, number]> {
  const was = new Map(before.byText);
  return after.byText
    .map(([text, n]): [string, number] => [text, n - (was.get(text) ?? 0)])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
}

const short = (sql: string) => sql.replace(/\s+/g, ' ').slice(0, 150);

async function main(): Promise<void> {
  if (!process.env.BENCH_DIST) ensureBuild();

  await recreateDatabase(DATABASE_URL);
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  const env = {
    DATABASE_URL,
    QUEUE_PREFIX: prefix,
    SEED_DEMO_DATA: 'false',
    PORT: String(PORT),
    LOG_LEVEL: 'warn',
    DATABASE_POOL_SIZE: '10',
    WORKER_HEALTH_PORT: '0',
  };
  const config: AppConfig = loadConfig({ ...process.env, ...env, DATABASE_POOL_SIZE: '20' });
  const dataSource: DataSource = await openDatabase(config, { migrate: true });
  const api = await startProcess('api', 'apps/api/src/main.js', env, 'API ready');
  const worker = await startProcess('worker', 'apps/worker/src/main.js', env, 'Worker ready');
  const domain = await NestFactory.createApplicationContext(DomainModule.forRoot({ config, dataSource }), {
    logger: ['error'],
  });
  await domain.init();
  const f = new Fixtures(dataSource);
  const url = `http://127.0.0.1:${PORT}/graphql`;

  const gql = async (token: string, query: string, variables: Record<string, unknown>) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const login = async (s: TestStaff) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($i: LoginInput!) { login(input: $i) { token } }',
        variables: { i: { username: s.username, password: s.password } },
      }),
    });
    return ((await response.json()) as any).data.login.token as string;
  };

  try {
    const municipality = await f.org(Principal.MUNICIPALITY, OrganisationKind.DISTRICT_SOCIAL_SERVICES);
    const psychiatry = await f.org(Principal.REGION, OrganisationKind.PSYCHIATRIC_CLINIC);
    // One pair of voters per concurrent lane, so lanes do not share staff.
    const lanes = await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        const social = await f.staff(municipality, Profession.SOCIAL_WORKER);
        const psych = await f.staff(psychiatry, Profession.PSYCHIATRIST);
        return { social, psych, socialToken: await login(social), psychToken: await login(psych) };
      }),
    );
    const episodes = domain.get(CareEpisodeService);
    const latencies: number[] = [];
    const parts = { vote: [] as number[], request: [] as number[], worker: [] as number[] };
    const episodeIds: string[] = [];
    let next = 0;

    // Setup (not measured): a person, a group with a voter of each principal, their consent, and the clinic's episode, per run.
    const scenes: Array<{ lane: (typeof lanes)[number]; personId: string; episodeId: string }> = [];
    await Promise.all(
      lanes.map(async (lane) => {
        // One scene more than RUNS: the probe run.
        while (next < RUNS + 1) {
          next++;
          const person = await f.person(lane.social);
          await f.collaboration.addMember(person.id, {
            staffId: lane.psych.staff.id,
            role: 'psychiatrist',
            votingRepresentative: true,
          });
          // The person consents to sharing within the group, so the region's psychiatrist may act on the person.
          await f.consentToGroup(lane.social, person.id);
          const episode = await episodes.open(lane.psych.actor, person.id, { kind: EpisodeKind.PSYCHIATRY });
          scenes.push({ lane, personId: person.id, episodeId: episode.id });
        }
      }),
    );
    type Lane = (typeof lanes)[number];
    type Step = 'open' | 'first vote' | 'last vote' | 'request' | 'until discharged';
    /** Statements each step sent, API and worker (filled by the one probe run before the measured window). */
    const probe = new Map<Step, { api: Array<[string, number]>; worker: Array<[string, number]> }>();
    const snapshot = async () => ({ api: await api.ask('stats'), worker: await worker.ask('stats') });

    // The path over HTTP: open the proposal, everyone agrees, request the discharge, wait until it is discharged.
    const runPath = async (lane: Lane, scene: (typeof scenes)[number], probing: boolean) => {
      let mark = probing ? await snapshot() : null;
      const step = async (name: Step) => {
        if (!mark) return;
        const now = await snapshot();
        probe.set(name, { api: statementDelta(mark.api, now.api), worker: statementDelta(mark.worker, now.worker) });
        mark = now;
      };
      const episode = { id: scene.episodeId };
      const { openProposal } = await gql(
        lane.psychToken,
        'mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }',
        {
          i: {
            personId: scene.personId,
            type: 'DISCHARGE',
            title: 'Avsluta aktualitet',
            rationale: 'benchmark',
            deadline: new Date(Date.now() + 3_600_000).toISOString(),
            episodeId: episode.id,
          },
        },
      );
      await step('open');
      const vote = (token: string) =>
        gql(token, 'mutation($i: CastVoteInput!) { castVote(input: $i) { status } }', {
          i: { proposalId: openProposal.id, choice: 'AGREE' },
        });
      await vote(lane.socialToken);
      await step('first vote');
      const lastVoteAt = Date.now();
      const { castVote } = await vote(lane.psychToken);
      const votedAt = Date.now();
      if (castVote.status !== 'APPROVED') throw new Error(`expected APPROVED, got ${castVote.status}`);
      await step('last vote');
      await gql(lane.psychToken, 'mutation($id: ID!) { requestDischarge(episodeId: $id) { id } }', {
        id: episode.id,
      });
      const requestedAt = Date.now();
      await step('request');
      // The episode's ended_at is stamped in the transaction that discharges it, so how often this polls does not change the figure.
      for (;;) {
        const [row] = await dataSource.query(`SELECT status, ended_at FROM care_episode WHERE id = $1`, [episode.id]);
        if (row.status === 'DISCHARGED') {
          const endedAt = new Date(row.ended_at).getTime();
          await step('until discharged');
          return {
            total: endedAt - lastVoteAt,
            vote: votedAt - lastVoteAt,
            request: requestedAt - votedAt,
            worker: endedAt - requestedAt,
          };
        }
        if (row.status !== 'ACTIVE') throw new Error(`episode ended as ${row.status}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    // One run alone first (not counted in the figures), to count the statements each step sends.
    const probeScene = scenes.pop()!;
    await runPath(probeScene.lane, probeScene, true);

    const before = await snapshot();
    const machineBefore = cpuSnapshot();
    const profileDir = join(tmpdir(), 'samverka-bench-profiles');
    if (PROFILE) {
      mkdirSync(profileDir, { recursive: true });
      await api.ask('profile-start');
      await worker.ask('profile-start');
    }
    const started = Date.now();
    await Promise.all(
      lanes.map(async (lane) => {
        for (const scene of scenes.filter((sc) => sc.lane === lane)) {
          episodeIds.push(scene.episodeId);
          const run = await runPath(lane, scene, false);
          latencies.push(run.total);
          parts.vote.push(run.vote);
          parts.request.push(run.request);
          parts.worker.push(run.worker);
        }
      }),
    );
    const fullPathSeconds = (Date.now() - started) / 1000;
    const machineAfter = cpuSnapshot();
    const after = await snapshot();
    const profiles: string[] = [];
    if (PROFILE) {
      for (const [name, server] of [
        ['api', api],
        ['worker', worker],
      ] as const) {
        const file = join(profileDir, `discharge-${name}-${process.pid}.cpuprofile`);
        await server.ask('profile-stop', { file });
        profiles.push(`CPU profile of the ${name} over the measured window (${file}):\n${summariseProfile(file)}`);
      }
    }

    // Randomised interleavings through the same queue and worker process.
    const setting = {
      municipalityVoter: lanes[0].social,
      regionVoter: lanes[0].psych,
      regionVoter2: await f.staff(psychiatry, Profession.NURSE),
      spare: [
        await f.staff(municipality, Profession.PEER_SUPPORT_WORKER),
        await f.staff(psychiatry, Profession.PSYCHOLOGIST),
      ],
    };
    const scenarioEpisodes: string[] = [];
    for (let i = 0; i < INTERLEAVINGS; i += CONCURRENCY) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(CONCURRENCY, INTERLEAVINGS - i) }, (_, k) =>
          runScenario(domain, f, 7000 + i + k, setting),
        ),
      );
      scenarioEpisodes.push(...batch.map((o) => o.episodeId));
      const unexpected = batch.flatMap((o) => o.unexpectedErrors);
      if (unexpected.length) throw new Error(`unexpected errors: ${unexpected.join(', ')}`);
    }
    for (let waited = 0; ; waited += 100) {
      const [pending] = await dataSource.query(
        `SELECT count(*)::int AS n FROM discharge_request WHERE status = 'PENDING'`,
      );
      if (pending.n === 0) break;
      if (waited > 60_000) throw new Error(`${pending.n} discharge requests still pending after 60 s`);
      await new Promise((r) => setTimeout(r, 100));
    }

    const audit = await auditDischarges(dataSource, [...episodeIds, probeScene.episodeId, ...scenarioEpisodes]);
    const sorted = [...latencies].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p95 = percentile(sorted, 95);
    const p99 = percentile(sorted, 99);
    const fullDischarged = (await auditDischarges(dataSource, episodeIds)).discharged;
    console.log(
      `full path: ${latencies.length} runs at concurrency ${CONCURRENCY} in ${fullPathSeconds.toFixed(1)} s (${(latencies.length / fullPathSeconds).toFixed(1)} runs/s), ${fullDischarged} discharged`,
    );
    console.log(`last AGREE vote → DISCHARGED: p50 ${p50} ms, p95 ${p95} ms, p99 ${p99} ms, max ${sorted.at(-1)} ms`);
    const median = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        50,
      );
    console.log(
      `  of which (p50): last vote round trip ${median(parts.vote)} ms, discharge request round trip ${median(parts.request)} ms, worker done ${median(parts.worker)} ms after that response (negative: before it)`,
    );
    const measured = scenes.length;
    const cpuMs = (s0: Stats, s1: Stats) => (s1.cpu.user + s1.cpu.system - s0.cpu.user - s0.cpu.system) / 1000;
    console.log(
      `  per run, measured window: API ${((after.api.statements - before.api.statements) / measured).toFixed(1)} statements, ${((after.api.requests - before.api.requests) / measured).toFixed(1)} HTTP requests, ${(cpuMs(before.api, after.api) / measured).toFixed(1)} ms CPU; worker ${((after.worker.statements - before.worker.statements) / measured).toFixed(1)} statements, ${(cpuMs(before.worker, after.worker) / measured).toFixed(1)} ms CPU`,
    );
    const shares = cpuShares(machineBefore, machineAfter, {
      api: [api.child.pid!],
      worker: [worker.child.pid!],
      'this benchmark (load generator)': [process.pid],
    });
    console.log(`  ${formatCpuShares(shares, { count: measured, unit: 'run' })}`);
    for (const [name, counts] of probe) {
      const total = (xs: Array<[string, number]>) => xs.reduce((a, [, n]) => a + n, 0);
      console.log(`  statements, one run alone: ${name}: API ${total(counts.api)}, worker ${total(counts.worker)}`);
      if (process.env.BENCH_VERBOSE === '1')
        for (const [who, xs] of [
          ['api', counts.api],
          ['worker', counts.worker],
        ] as const)
          for (const [text, n] of xs) console.log(`    ${who} ${n}x ${short(text)}`);
    }
    for (const p of profiles) console.log(p);
    console.log(
      `interleavings: ${INTERLEAVINGS}, of which discharged ${audit.discharged - fullDischarged}; audited episodes ${audit.episodes}; request problems ${audit.requestProblems.length}`,
    );
    for (const v of audit.violations) console.log(`VIOLATION ${v}`);
    for (const p of audit.requestProblems) console.log(`REQUEST PROBLEM ${p}`);
    console.log(
      `RESULT discharge runs=${latencies.length} violations=${audit.violations.length} p50_ms=${p50} p95_ms=${p95}`,
    );
    process.exitCode = audit.violations.length || audit.requestProblems.length ? 1 : 0;
  } finally {
    await domain.close();
    api.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
