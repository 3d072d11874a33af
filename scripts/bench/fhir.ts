// npm run bench:fhir: the FHIR API's Patient/$everything for BENCH_FHIR_PERSONS persons (100), against the
// GraphQL patient overview for the same persons as the same staff members, in one run against one API
// process, run as deployed (NODE_ENV=production, the application role, secrets of the run), on the overview
// benchmark's synthetic data set (scripts/bench/lib/dataset.js). Both workloads send
// the same number of requests at the same concurrency, one after the other, after a warm-up pass each.
// Prints `RESULT fhir ratio=<FHIR req/s ÷ overview req/s> p95_ms=<FHIR p95> ...`.
// Knobs: BENCH_DATABASE_URL, BENCH_PERSONS/BENCH_STAFF (data set), BENCH_FHIR_PERSONS, BENCH_FHIR_PASSES (5),
// BENCH_CONNECTIONS (8), BENCH_API_PORT (a free port).
// TypeScript run through scripts/run-ts.js; the API it measures is the compiled dist/ (built first when stale).
import { ChildProcess, fork } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { Client } from 'pg';
import { today } from '../../libs/domain/src/time';
import { datasetSpec, ensureDataset, provisionRoles, withClient } from './lib/dataset';
import { ensureBuild, root } from './lib/ensure-build';

interface Pair {
  personId: string;
  staffId: string;
}

interface Figures {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  bytesPerAnswer: number;
}

const env = process.env;
const settings = {
  databaseUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/samverka_bench',
  redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  persons: Number(env.BENCH_FHIR_PERSONS ?? 100),
  passes: Math.max(1, Number(env.BENCH_FHIR_PASSES ?? 5)),
  connections: Math.max(1, Number(env.BENCH_CONNECTIONS ?? 8)),
  port: Number(env.BENCH_API_PORT ?? 0),
};

/** A port nothing listens on now (other benchmarks may be running on the usual ones). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// The overview as the web client's person page reads it (person, plan, group, housing, contacts).
const OVERVIEW_QUERY =
  'query($id: ID!) { patientOverview(personId: $id) { person { id givenName familyName identityNumber protectedIdentity } ' +
  'sipPlan { id status followUpOn version personGoals needs { id area description } interventions { id description responsiblePrincipal status } } ' +
  'roster { role principal votingRepresentative staff { id givenName familyName profession organisation { id name principal } } } ' +
  'recentContacts { id occurredAt kind summary staff { id profession } } currentHousing { kind startedOn address } } }';

const log = (...args: unknown[]) => console.log(...args);

/** One (staff member, person) pair per person: the first active member of the person's group, persons in id order. */
async function loadPairs(day: string): Promise<Pair[]> {
  return withClient(
    settings.databaseUrl,
    async (c: Client) =>
      (
        await c.query<Pair>(
          `SELECT DISTINCT ON (g.person_id) g.person_id AS "personId", m.staff_id AS "staffId"
           FROM group_member m JOIN collaboration_group g ON g.id = m.group_id
          WHERE m.valid_from <= $1 AND (m.valid_to IS NULL OR m.valid_to >= $1)
          ORDER BY g.person_id, m.staff_id LIMIT $2`,
          [day, settings.persons],
        )
      ).rows,
  );
}

/** What TokenService signs for a local login: HS256, issuer samverka, audience samverka-api, sub = staff id. */
async function signTokens(staffIds: string[], secret: string): Promise<Map<string, string>> {
  const key = new TextEncoder().encode(secret);
  const tokens = new Map<string, string>();
  for (const id of staffIds) {
    tokens.set(
      id,
      await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(id)
        .setIssuer('samverka')
        .setAudience('samverka-api')
        .setIssuedAt()
        .setExpirationTime('2h')
        .sign(key),
    );
  }
  return tokens;
}

function waitForPort(port: number, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise<void>((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null)
        return reject(new Error(`the API exited with code ${child.exitCode} before listening`));
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on port ${port} after ${timeoutMs / 1000} s`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

const requests = {
  /** The FHIR export of one person: must be a searchset holding the Patient. */
  fhir: async (pair: Pair, token: string): Promise<number> => {
    const response = await fetch(`http://127.0.0.1:${settings.port}/fhir/R4/Patient/${pair.personId}/$everything`, {
      headers: { accept: 'application/fhir+json', authorization: `Bearer ${token}` },
    });
    const text = await response.text();
    if (response.status !== 200 || !text.includes('"resourceType":"Patient"'))
      throw new Error(`$everything: HTTP ${response.status} ${text.slice(0, 300)}`);
    return text.length;
  },
  /** The GraphQL overview of the same person: must answer without errors. */
  overview: async (pair: Pair, token: string): Promise<number> => {
    const response = await fetch(`http://127.0.0.1:${settings.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: OVERVIEW_QUERY, variables: { id: pair.personId } }),
    });
    const text = await response.text();
    if (response.status !== 200 || !text.startsWith('{"data":{"patientOverview":{'))
      throw new Error(`patientOverview: HTTP ${response.status} ${text.slice(0, 300)}`);
    return text.length;
  },
};

/** Every pair `passes` times at `connections` concurrent requests; latencies in ms. */
async function run(
  kind: keyof typeof requests,
  pairs: Pair[],
  tokens: Map<string, string>,
  passes: number,
): Promise<Figures> {
  const queue: Pair[] = [];
  for (let p = 0; p < passes; p++) queue.push(...pairs);
  const latencies: number[] = [];
  let bytes = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < queue.length) {
      const pair = queue[next++];
      const t0 = process.hrtime.bigint();
      bytes += await requests[kind](pair, tokens.get(pair.staffId)!);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: settings.connections }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return {
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    bytesPerAnswer: bytes / latencies.length,
  };
}

async function main() {
  const started = Date.now();
  ensureBuild(log);
  const dataset = await ensureDataset(settings.databaseUrl, datasetSpec(), log);
  const roles = await provisionRoles(settings.databaseUrl);
  if (!dataset.reused) log(`dataset: load took ${dataset.loadSeconds.toFixed(1)} s`);
  const pairs = await loadPairs(today());
  if (pairs.length < settings.persons)
    log(`WARNING: the data set has only ${pairs.length} persons with a group member`);
  // 256 bits, as production requires of its secrets.
  const secret = crypto.randomBytes(32).toString('base64url');
  const checkpointFile = path.join(os.tmpdir(), `samverka-bench-fhir-checkpoint-${process.pid}`);
  const tokens = await signTokens([...new Set(pairs.map((p) => p.staffId))], secret);
  if (!settings.port) settings.port = await freePort();

  const child = fork(path.join(root, 'dist/apps/api/src/main.js'), [], {
    cwd: root,
    env: {
      ...env,
      NODE_ENV: 'production',
      PORT: String(settings.port),
      // As deployed: the application role, with the owner's URL beside it (the API checks the roles at start).
      DATABASE_URL: roles.app,
      DATABASE_OWNER_URL: roles.owner,
      REDIS_URL: settings.redisUrl,
      QUEUE_PREFIX: 'samverka-bench',
      SEED_DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      TOKEN_SECRET: secret,
      ACCESS_LOG_KEY: env.ACCESS_LOG_KEY || crypto.randomBytes(32).toString('base64url'),
      ACCESS_LOG_CHECKPOINT_FILE: checkpointFile,
      // All load comes from one address and a few staff members: the limits would measure themselves.
      RATE_LIMIT_PER_CLIENT_PER_MINUTE: '0',
      RATE_LIMIT_PER_USER_PER_MINUTE: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    await waitForPort(settings.port, child);
    if (child.exitCode !== null) throw new Error('the API exited at start');
    log(
      `${pairs.length} persons, each read by a member of their group; ${settings.passes} passes of each workload at ${settings.connections} concurrent requests; ` +
        `machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
    );
    // Warm-up: one pass of each, which also checks every answer.
    await run('overview', pairs, tokens, 1);
    await run('fhir', pairs, tokens, 1);
    const overview = await run('overview', pairs, tokens, settings.passes);
    const fhir = await run('fhir', pairs, tokens, settings.passes);
    const fixed = (n: number, d = 1) => n.toFixed(d);
    for (const [name, f] of <Array<[string, Figures]>>[
      ['patientOverview (GraphQL)', overview],
      ['Patient/$everything (FHIR)', fhir],
    ]) {
      log(
        `${name.padEnd(28)} ${fixed(f.rps).padStart(7)} req/s  p50 ${fixed(f.p50)} ms  p95 ${fixed(f.p95)} ms  p99 ${fixed(f.p99)} ms  ${f.requests} requests, ${Math.round(f.bytesPerAnswer)} bytes/answer`,
      );
    }
    log(`total bench time ${((Date.now() - started) / 1000).toFixed(0)} s`);
    log(
      `RESULT fhir ratio=${(fhir.rps / overview.rps).toFixed(2)} p95_ms=${Math.round(fhir.p95)} overview_p95_ms=${Math.round(overview.p95)} rps=${Math.round(fhir.rps)} overview_rps=${Math.round(overview.rps)}`,
    );
  } finally {
    const exited = new Promise<void>((resolve) =>
      child.exitCode !== null ? resolve() : child.once('exit', () => resolve()),
    );
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    fs.rmSync(checkpointFile, { force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`bench:fhir FAILED: ${error?.stack ?? error}`);
    process.exit(1);
  },
);
