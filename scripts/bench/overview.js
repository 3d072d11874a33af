'use strict';
// npm run bench:overview: the patient overview, measured over HTTP at 32 connections against the
// real API and against a hand-written node:http + pg baseline that runs the same SQL statements; then each
// in an open loop (BENCH_OPEN_RATE, 60 requests/s, arriving on schedule whatever the answers) for the latency
// at a realistic load, which the closed loop's queueing hides (RESULT overview-open ... p99_ms=...).
// npm run bench:audit (scripts/bench/audit.js, BENCH_AUDIT=1): the same query and load against the API
// twice, with access logging on and with it off (ACCESS_LOG_BENCHMARK_OFF, refused in production).
// See docs/PERFORMANCE.md for what it does, the knobs, and the figures.
const { fork } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { isDeepStrictEqual } = require('node:util');
const { ensureBuild, root } = require('./lib/ensure-build');
const { cpuSnapshot, usedBetween, waitForQuietMachine } = require('./lib/machine-cpu');
const { summariseProfile } = require('./lib/profile-summary');

const env = process.env;
/** Audit mode: "api" is the API with access logging, "raw" the same API with logging switched off. */
const audit = env.BENCH_AUDIT === '1';
const label = audit ? { api: 'logging-on', raw: 'logging-off' } : { api: 'api', raw: 'raw' };
const settings = {
  databaseUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/samverka_bench',
  redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  connections: Number(env.BENCH_CONNECTIONS ?? 32),
  warmupSeconds: Number(env.BENCH_WARMUP ?? 5),
  durationSeconds: Number(env.BENCH_DURATION ?? 20),
  poolSize: Number(env.DATABASE_POOL_SIZE ?? 10),
  apiPort: Number(env.BENCH_API_PORT ?? 3901),
  rawPort: Number(env.BENCH_RAW_PORT ?? 3902),
  sampleSize: Number(env.BENCH_SAMPLE ?? 50),
  rounds: Math.max(1, Number(env.BENCH_ROUNDS ?? 1)),
  activeStaff: Math.max(1, Number(env.BENCH_ACTIVE_STAFF ?? 64)),
  profile: env.BENCH_PROFILE === '1',
  /** Open-loop phase: requests arrive at this fixed rate (per second) whatever the answers, 0 to skip it. */
  openRate: audit ? 0 : Number(env.BENCH_OPEN_RATE ?? 60),
  openSeconds: Number(env.BENCH_OPEN_SECONDS ?? 20),
  profileDir: env.BENCH_PROFILE_DIR ?? path.join(os.tmpdir(), 'samverka-bench-profiles'),
};

const OVERVIEW_QUERY =
  'query($id: ID!) { patientOverview(personId: $id) { person { id givenName familyName identityNumber protectedIdentity } ' +
  'sipPlan { id status followUpOn version interventions { id description responsiblePrincipal status } } ' +
  'roster { role principal votingRepresentative staff { id givenName familyName profession organisation { id name principal } } } ' +
  'recentContacts { id occurredAt kind summary staff { id profession } } currentHousing { kind startedOn } } }';

const log = (...args) => console.log(...args);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small seeded PRNG, so both servers get the same request sequence in every run. */
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items, random) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/**
 * The request sequence: every (staff member, person) pair where the staff member is an active member
 * of the person's group, each once. Staff members work in sessions: the sequence takes them
 * BENCH_ACTIVE_STAFF at a time (in random order) and shuffles the caseloads of those together, so a
 * signed-in worker's requests come close together (as a UI's do), while every request reads another person.
 */
async function loadPairs(withClient, today) {
  const rows = await withClient(
    settings.databaseUrl,
    async (c) =>
      (
        await c.query(
          `SELECT g.person_id, m.staff_id FROM group_member m JOIN collaboration_group g ON g.id = m.group_id
          WHERE m.valid_from <= $1 AND (m.valid_to IS NULL OR m.valid_to >= $1) ORDER BY m.staff_id, g.person_id`,
          [today],
        )
      ).rows,
  );
  const random = mulberry32(20251123);
  const caseloads = new Map();
  for (const r of rows) {
    if (!caseloads.has(r.staff_id)) caseloads.set(r.staff_id, []);
    caseloads.get(r.staff_id).push({ personId: r.person_id, staffId: r.staff_id });
  }
  const staff = shuffle([...caseloads.keys()], random);
  const pairs = [];
  for (let i = 0; i < staff.length; i += settings.activeStaff) {
    pairs.push(
      ...shuffle(
        staff.slice(i, i + settings.activeStaff).flatMap((id) => caseloads.get(id)),
        random,
      ),
    );
  }
  return pairs;
}

/**
 * The (staff, person) pairs whose answers must be identical from both servers: some persons with a
 * protected identity, unidentified ones, samordningsnummer and reserve numbers, the rest spread over the sequence.
 */
async function chooseSample(withClient, pairs) {
  const special = await withClient(settings.databaseUrl, async (c) =>
    (
      await c.query(`
        (SELECT id FROM person WHERE protected_identity <> 'NONE' ORDER BY id LIMIT 5) UNION ALL
        (SELECT id FROM person WHERE identity_kind = 'UNIDENTIFIED' ORDER BY id LIMIT 5) UNION ALL
        (SELECT id FROM person WHERE identity_kind = 'SAMORDNINGSNUMMER' ORDER BY id LIMIT 3) UNION ALL
        (SELECT id FROM person WHERE identity_kind = 'RESERVE_NUMBER' ORDER BY id LIMIT 3)`)
    ).rows.map((r) => r.id),
  );
  const firstPair = new Map();
  for (const pair of pairs) if (!firstPair.has(pair.personId)) firstPair.set(pair.personId, pair);
  const sample = special
    .map((id) => firstPair.get(id))
    .filter(Boolean)
    .slice(0, settings.sampleSize);
  const rest = settings.sampleSize - sample.length;
  const step = Math.max(1, Math.floor(pairs.length / Math.max(1, rest)));
  for (let i = 0; i < pairs.length && sample.length < settings.sampleSize; i += step) sample.push(pairs[i]);
  return sample;
}

async function signTokens(staffIds, secret) {
  const { SignJWT } = require('jose');
  const key = new TextEncoder().encode(secret);
  const tokens = new Map();
  for (const id of staffIds) {
    // What TokenService.login signs: HS256, issuer samverka, audience samverka-api, sub = staff id.
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(id)
      .setIssuer('samverka')
      .setAudience('samverka-api')
      .setIssuedAt()
      .setExpirationTime('4h')
      .sign(key);
    tokens.set(id, token);
  }
  return tokens;
}

function waitForPort(port, child, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null)
        return reject(new Error(`server exited with code ${child.exitCode} before listening`));
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(undefined);
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

/** Starts a server under the instrumentation preload, with an IPC channel for statistics and profiling. */
async function startServer(name, modulePath, port, extraEnv, applicationName) {
  const output = [];
  const child = fork(modulePath, [], {
    cwd: root,
    execArgv: ['-r', path.join(__dirname, 'lib/instrument.js')],
    env: { ...env, ...extraEnv, PORT: String(port), DATABASE_POOL_SIZE: String(settings.poolSize) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const keep = (chunk) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', (chunk) => {
    keep(chunk);
    process.stderr.write(`[${name}] ${chunk}`);
  });
  let nextId = 1;
  const pending = new Map();
  child.on('message', (/** @type {any} */ message) => {
    const resolve = pending.get(message.id);
    if (resolve) {
      pending.delete(message.id);
      resolve(message);
    }
  });
  const ask = (cmd, extra = {}) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, (m) => (m.error ? reject(new Error(`${name}: ${m.error}`)) : resolve(m)));
      child.send({ id, cmd, ...extra });
    });
  try {
    await waitForPort(port, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${name} did not start: ${/** @type {Error} */ (error).message}\n${output.join('').slice(-4000)}`, {
      cause: error,
    });
  }
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await ask('exit').catch(() => undefined);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { name, child, ask, stop, output, applicationName };
}

async function post(port, body, token) {
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body,
  });
  return { status: response.status, text: await response.text() };
}

const bodyFor = (personId) => `{"query":${JSON.stringify(OVERVIEW_QUERY)},"variables":{"id":"${personId}"}}`;
const OK_PREFIX = '{"data":{"patientOverview":{';

/** autocannon at `connections`, each request the next (staff, person) pair of the shared sequence. */
function load(port, seconds, pairs, tokens, cursor) {
  const autocannon = require('autocannon');
  let bad = 0;
  let firstBad = null;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: settings.connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: '/graphql',
            setupRequest: (request) => {
              const pair = pairs[cursor.next++ % pairs.length];
              return {
                ...request,
                headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.get(pair.staffId)}` },
                body: bodyFor(pair.personId),
              };
            },
            onResponse: (status, body) => {
              if (status !== 200 || !body.startsWith(OK_PREFIX)) {
                bad++;
                firstBad ??= `${status} ${body.slice(0, 500)}`;
              }
            },
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve({ ...result, bad, firstBad })),
    );
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false });
  });
}

/**
 * Open loop: request i is sent at start + i / rate, whether or not earlier ones were answered, and its
 * latency counts from that planned moment (so a server that falls behind shows its queue in the figures,
 * not a slower arrival rate). Answers p50, p99 and the rate achieved (answers per second of the window).
 */
async function openLoop(port, seconds, rate, pairs, tokens, cursor) {
  const http = require('node:http');
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const latencies = [];
  let bad = 0;
  let firstBad = null;
  const total = Math.round(seconds * rate);
  const start = performance.now() + 50;
  const send = (planned, pair) =>
    new Promise((resolve) => {
      const body = bodyFor(pair.personId);
      const request = http.request(
        {
          host: '127.0.0.1',
          port,
          path: '/graphql',
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: `Bearer ${tokens.get(pair.staffId)}`,
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => {
            if (response.statusCode !== 200 || !text.startsWith(OK_PREFIX)) {
              bad++;
              firstBad ??= `${response.statusCode} ${text.slice(0, 300)}`;
            } else latencies.push(performance.now() - planned);
            resolve(undefined);
          });
        },
      );
      request.on('error', (error) => {
        bad++;
        firstBad ??= error.message;
        resolve(undefined);
      });
      request.end(body);
    });
  const pending = [];
  for (let i = 0; i < total; i++) {
    const planned = start + (i * 1000) / rate;
    const wait = planned - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(send(planned, pairs[cursor.next++ % pairs.length]));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)];
  return {
    rate,
    sent: total,
    answered: latencies.length,
    bad,
    firstBad,
    achieved: latencies.length / elapsed,
    p50: at(50),
    p99: at(99),
  };
}

const IDENTITY_MISS = 'identity: staff and organisation lookup (TypeORM, on cache miss)';

/** Names the statements seen, from the constants the servers import (and TypeORM's identity lookup). */
function statementNamer() {
  const { OVERVIEW_SQL, OVERVIEW_BUNDLE_SQL } = require(
    path.join(root, 'dist/libs/domain/src/overview/overview.queries'),
  );
  const { AUTHORISE_AND_LOG_SQL } = require(path.join(root, 'dist/libs/auth/src/access.policy'));
  const { SEAL_SQL } = require(path.join(root, 'dist/libs/domain/src/access/access-log.service'));
  /** @type {Map<string, string>} */
  const known = new Map([
    [AUTHORISE_AND_LOG_SQL, 'AUTHORISE_AND_LOG_SQL (access check and access log)'],
    [OVERVIEW_BUNDLE_SQL, 'OVERVIEW_BUNDLE_SQL (the overview in one statement)'],
    [SEAL_SQL, 'SEAL_SQL (the access-log sealer, every second, not per request)'],
    ...Object.entries(OVERVIEW_SQL).map(([key, sql]) => /** @type {[string, string]} */ ([sql, `OVERVIEW_SQL.${key}`])),
  ]);
  return (sql) => {
    if (known.has(sql)) return known.get(sql);
    if (/FROM "staff_member" "s" .*"s"."active"/.test(sql)) return IDENTITY_MISS;
    return `other: ${sql.replace(/\s+/g, ' ').trim().slice(0, 90)}`;
  };
}

function statsDelta(before, after, name) {
  const was = new Map(before.byText);
  const perStatement = new Map();
  for (const [sql, count] of after.byText) {
    const delta = count - (was.get(sql) ?? 0);
    if (delta > 0) perStatement.set(name(sql), (perStatement.get(name(sql)) ?? 0) + delta);
  }
  return { statements: after.statements - before.statements, requests: after.requests - before.requests, perStatement };
}

/** The pids of the PostgreSQL backends serving one application_name (the server's pool). */
async function backendPids(withClient, applicationName) {
  return withClient(settings.databaseUrl, async (c) =>
    (
      await c.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1', [
        applicationName,
      ])
    ).rows.map((r) => r.pid),
  );
}

async function windowSnapshot(server, withClient) {
  const [stats, backends] = await Promise.all([server.ask('stats'), backendPids(withClient, server.applicationName)]);
  return { stats, backends, bench: process.cpuUsage(), machine: cpuSnapshot(), at: process.hrtime.bigint() };
}

/** The processes other than ours that used the most CPU between two snapshots. */
function busiestOthers(before, after, ours, seconds) {
  const others = [];
  for (const [pid, now] of after.machine.byPid) {
    if (ours.has(pid)) continue;
    const ms = usedBetween(before.machine, after.machine, pid);
    if (ms > 0) others.push({ pid, comm: now.comm, cores: ms / 1000 / seconds });
  }
  return others.sort((a, b) => b.cores - a.cores).slice(0, 4);
}

/** Where the CPU went in the window, in ms per request and in cores. */
function cpuDelta(before, after, requests, serverPid) {
  const seconds = Number(after.at - before.at) / 1e9;
  const ours = new Set([process.pid, serverPid, ...after.backends]);
  const serverMs =
    (after.stats.cpu.user + after.stats.cpu.system - before.stats.cpu.user - before.stats.cpu.system) / 1000;
  const benchMs = (after.bench.user + after.bench.system - before.bench.user - before.bench.system) / 1000;
  // The pool's backends, including connections it opened in the window; null when they are not visible here
  // (PostgreSQL on another host or in another namespace).
  const postgresMs = after.backends.every((pid) => after.machine.byPid.has(pid))
    ? after.backends.reduce((sum, pid) => sum + usedBetween(before.machine, after.machine, pid), 0)
    : null;
  const machineMs =
    before.machine.machineMs !== null && after.machine.machineMs !== null
      ? after.machine.machineMs - before.machine.machineMs
      : null;
  const other = machineMs === null ? null : machineMs - serverMs - benchMs - (postgresMs ?? 0);
  return {
    seconds,
    serverMsPerRequest: serverMs / requests,
    postgresMsPerRequest: postgresMs === null ? null : postgresMs / requests,
    serverCores: serverMs / 1000 / seconds,
    postgresCores: postgresMs === null ? null : postgresMs / 1000 / seconds,
    benchCores: benchMs / 1000 / seconds,
    machineCores: machineMs === null ? null : machineMs / 1000 / seconds,
    otherCores: other === null ? null : other / 1000 / seconds,
    busiestOthers: busiestOthers(before, after, ours, seconds),
  };
}

function figures(result, delta, cpu) {
  const ok = result.requests.total - result.non2xx - result.bad;
  return {
    cpu,
    rps: ok / (result.duration || settings.durationSeconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx + result.bad,
    sqlPerRequest: delta.requests > 0 ? delta.statements / delta.requests : NaN,
    delta,
  };
}

async function measure(server, port, pairs, tokens, cursor, withClient) {
  log(`${server.name}: warm-up ${settings.warmupSeconds} s at ${settings.connections} connections`);
  const warm = await load(port, settings.warmupSeconds, pairs, tokens, cursor);
  if (warm.bad > 0 || warm.non2xx > 0)
    throw new Error(`${server.name}: ${warm.bad + warm.non2xx} bad responses in the warm-up; first: ${warm.firstBad}`);
  await sleep(500);
  const before = await windowSnapshot(server, withClient);
  const profileFile = path.join(settings.profileDir, `${server.name}-${process.pid}.cpuprofile`);
  if (settings.profile) {
    fs.mkdirSync(settings.profileDir, { recursive: true });
    await server.ask('profile-start');
  }
  log(`${server.name}: measuring ${settings.durationSeconds} s at ${settings.connections} connections`);
  const result = await load(port, settings.durationSeconds, pairs, tokens, cursor);
  await sleep(500);
  const after = await windowSnapshot(server, withClient);
  if (settings.profile) await server.ask('profile-stop', { file: profileFile });
  if (result.bad > 0)
    throw new Error(`${server.name}: ${result.bad} responses were not an overview; first: ${result.firstBad}`);
  const delta = statsDelta(before.stats, after.stats, statementNamer());
  const f = figures(result, delta, cpuDelta(before, after, delta.requests, server.child.pid));
  if (settings.profile) f.profile = { file: profileFile, summary: summariseProfile(profileFile) };
  if (settings.openRate > 0) {
    log(`${server.name}: open loop, ${settings.openRate} requests/s for ${settings.openSeconds} s`);
    f.open = await openLoop(port, settings.openSeconds, settings.openRate, pairs, tokens, cursor);
    if (f.open.bad > 0)
      throw new Error(`${server.name}: ${f.open.bad} bad responses in the open loop; first: ${f.open.firstBad}`);
  }
  return f;
}

async function fetchSample(port, sample, tokens) {
  const bodies = [];
  for (const pair of sample) {
    const { status, text } = await post(port, bodyFor(pair.personId), tokens.get(pair.staffId));
    if (status !== 200) throw new Error(`HTTP ${status} for the sample request: ${text.slice(0, 500)}`);
    bodies.push(JSON.parse(text));
  }
  return bodies;
}

function compareSamples(sample, apiBodies, rawBodies) {
  let mismatches = 0;
  for (let i = 0; i < sample.length; i++) {
    if (!apiBodies[i].data || apiBodies[i].errors)
      throw new Error(`the API answered the sample with errors: ${JSON.stringify(apiBodies[i]).slice(0, 500)}`);
    if (!isDeepStrictEqual(apiBodies[i], rawBodies[i])) {
      mismatches++;
      if (mismatches <= 3) {
        console.error(`MISMATCH for person ${sample[i].personId} (staff ${sample[i].staffId}):`);
        console.error(`  api: ${JSON.stringify(apiBodies[i]).slice(0, 3000)}`);
        console.error(`  raw: ${JSON.stringify(rawBodies[i]).slice(0, 3000)}`);
      }
    }
  }
  return mismatches;
}

const fixed = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

function printStatements(api, raw) {
  const names = [...new Set([...api.delta.perStatement.keys(), ...raw.delta.perStatement.keys()])];
  const per = (f, n) => (f.delta.requests > 0 ? (f.delta.perStatement.get(n) ?? 0) / f.delta.requests : 0);
  names.sort((a, b) => per(api, b) - per(api, a));
  log('SQL statements per request (counted at the pg client during the measured window):');
  log(`  ${'statement'.padEnd(58)} ${'api'.padStart(7)} ${'raw'.padStart(7)}`);
  for (const n of names)
    log(`  ${n.padEnd(58)} ${fixed(per(api, n), 3).padStart(7)} ${fixed(per(raw, n), 3).padStart(7)}`);
  log(`  ${'total'.padEnd(58)} ${fixed(api.sqlPerRequest, 3).padStart(7)} ${fixed(raw.sqlPerRequest, 3).padStart(7)}`);
  log(`  (requests counted by the servers in the window: api ${api.delta.requests}, raw ${raw.delta.requests})`);
  const missRate = (f) => fixed((100 * (f.delta.perStatement.get(IDENTITY_MISS) ?? 0)) / f.delta.requests, 1);
  log(
    `  identity lookups: api ${missRate(api)}% of requests, raw ${missRate(raw)}% (both read the staff member on every request)`,
  );
}

async function main() {
  const started = Date.now();
  ensureBuild(log);
  const { datasetSpec, ensureDataset, provisionRoles, withClient } = require('./lib/dataset');
  const spec = datasetSpec();
  const dataset = await ensureDataset(settings.databaseUrl, spec, log);
  const roles = await provisionRoles(settings.databaseUrl);
  if (!dataset.reused) log(`dataset: load took ${dataset.loadSeconds.toFixed(1)} s`);

  const { today } = require(path.join(root, 'dist/libs/domain/src/time'));
  const pairs = await loadPairs(withClient, today());
  const staffIds = [...new Set(pairs.map((p) => p.staffId))];
  // 256 bits, as production requires of its secrets.
  const secret = crypto.randomBytes(32).toString('base64url');
  const tokens = await signTokens(staffIds, secret);
  const sample = await chooseSample(withClient, pairs);
  log(
    `requests rotate over ${pairs.length} (staff, person) pairs: ${staffIds.length} staff members, ${new Set(pairs.map((p) => p.personId)).size} persons; ` +
      `${settings.activeStaff} staff members in session at a time`,
  );
  log(
    `machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; ` +
      `pool ${settings.poolSize}, ${settings.connections} connections, warm-up ${settings.warmupSeconds} s, measured ${settings.durationSeconds} s`,
  );

  const serverEnv = {
    // The logging switch is refused in production, so the audit comparison runs both phases as 'test'.
    NODE_ENV: audit ? 'test' : 'production',
    // As deployed: the application role, with the owner's URL beside it (the API checks the roles at start).
    DATABASE_URL: roles.app,
    DATABASE_OWNER_URL: roles.owner,
    REDIS_URL: settings.redisUrl,
    QUEUE_PREFIX: 'samverka-bench',
    SEED_DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    TOKEN_SECRET: secret,
    // Production also requires the access log's key (and its checkpoint file outside the database: per phase, below).
    ACCESS_LOG_KEY: accessLogKey(),
    // All load comes from one address, so the per-client rate limit is off; the per-user limit stays on.
    RATE_LIMIT_PER_CLIENT_PER_MINUTE: '0',
  };
  const prepareDatabase = () =>
    withClient(settings.databaseUrl, async (c) => {
      // Same starting point for both servers: an empty access log and nothing dirty to write back.
      await resetAccessLog(c);
      await c.query('CHECKPOINT');
    });

  const apiModule = path.join(root, 'dist/apps/api/src/main.js');
  const servers = audit
    ? {
        api: { module: apiModule, port: settings.apiPort, applicationName: 'samverka', env: {} },
        raw: {
          module: apiModule,
          port: settings.rawPort,
          applicationName: 'samverka',
          env: { ACCESS_LOG_BENCHMARK_OFF: 'true' },
        },
      }
    : {
        api: { module: apiModule, port: settings.apiPort, applicationName: 'samverka', env: {} },
        raw: {
          module: path.join(__dirname, 'raw-overview-server.js'),
          port: settings.rawPort,
          applicationName: 'samverka-bench-raw',
          env: {},
        },
      };
  /** One server, alone on the machine: start, answer the sample, warm up, measure, stop. */
  const phase = async (name, round) => {
    const s = servers[name];
    await prepareDatabase();
    await waitForQuietMachine(log);
    // Each phase its own checkpoint file: the access log is emptied between phases, so an earlier phase's checkpoints would not match.
    const checkpointFile = path.join(os.tmpdir(), `samverka-bench-checkpoint-${process.pid}-${name}-${Date.now()}`);
    const server = await startServer(
      label[name],
      s.module,
      s.port,
      { ...serverEnv, ACCESS_LOG_CHECKPOINT_FILE: checkpointFile, ...s.env },
      s.applicationName,
    );
    try {
      const ready = await server.ask('stats');
      const answers = await fetchSample(s.port, sample, tokens);
      const other = round[name === 'api' ? 'raw' : 'api'];
      if (other) {
        const [apiAnswers, rawAnswers] = name === 'api' ? [answers, other.answers] : [other.answers, answers];
        const mismatches = compareSamples(sample, apiAnswers, rawAnswers);
        if (mismatches > 0)
          throw new Error(
            `the raw baseline's answer differs from the API's for ${mismatches} of ${sample.length} sampled persons`,
          );
        const persons = apiAnswers.map((a) => a.data.patientOverview.person);
        log(
          `check: ${label.api} and ${label.raw} answers are deep-equal for all ${sample.length} sampled (staff, person) pairs ` +
            `(${persons.filter((p) => p.protectedIdentity !== 'NONE').length} with a protected identity, ` +
            `${persons.filter((p) => p.identityNumber === null).length} unidentified)`,
        );
      }
      // The same request sequence for both servers, from its start.
      const figures = await measure(server, s.port, pairs, tokens, { next: 0 }, withClient);
      // Every statement the server ran for requests (sample, warm-up, measurement), startup excluded.
      const end = await server.ask('stats');
      const statements = new Set(statsDelta(ready, end, (sql) => sql).perStatement.keys());
      if (audit) {
        figures.log = {
          ...(await accessLogAfterPhase(withClient, name === 'api')),
          requests: end.requests - ready.requests,
        };
        if (name === 'api' && figures.log.entries !== figures.log.requests) {
          throw new Error(
            `logging on: ${figures.log.requests} overview requests but ${figures.log.entries} access-log entries`,
          );
        }
      }
      return { answers, figures, statements };
    } finally {
      await server.stop();
    }
  };

  // The servers run one after the other, never at the same time; with several rounds the order alternates.
  const rounds = [];
  for (let r = 0; r < settings.rounds; r++) {
    const order = r % 2 === 0 ? ['api', 'raw'] : ['raw', 'api'];
    if (settings.rounds > 1) log(`round ${r + 1} of ${settings.rounds}: ${order.map((n) => label[n]).join(' then ')}`);
    const round = {};
    for (const name of order) round[name] = await phase(name, round);
    const onlyApi = [...round.api.statements].filter((sql) => !round.raw.statements.has(sql));
    const onlyRaw = [...round.raw.statements].filter((sql) => !round.api.statements.has(sql));
    if (audit) {
      // The one intended difference: the access decision with and without its INSERT into the access log.
      const { AUTHORISE_AND_LOG_SQL } = require(path.join(root, 'dist/libs/auth/src/access.policy'));
      if (onlyApi.length !== 1 || onlyApi[0] !== AUTHORISE_AND_LOG_SQL || onlyRaw.length !== 1) {
        throw new Error(
          `logging on and off should differ only in the access decision statement; they differ in ${onlyApi.length + onlyRaw.length}`,
        );
      }
      log(`check: logging on and off ran the same statements but for the access decision (with / without its INSERT)`);
    } else if (onlyApi.length > 0 || onlyRaw.length > 0) {
      const show = (list) => list.map((sql) => `\n    ${sql.replace(/\s+/g, ' ').trim().slice(0, 300)}`).join('');
      throw new Error(
        `the two servers ran different SQL statements, so the baseline no longer mirrors the API ` +
          `(update scripts/bench/raw-overview-server.js).\n  only the API:${show(onlyApi)}\n  only the baseline:${show(onlyRaw)}`,
      );
    }
    if (!audit) log(`check: both servers ran the same ${round.api.statements.size} distinct SQL statements`);
    rounds.push({
      api: round.api.figures,
      raw: round.raw.figures,
      ratio: round.api.figures.rps / round.raw.figures.rps,
    });
  }
  // The round with the median ratio (the only round when there is one); every round is printed.
  const chosen = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor((rounds.length - 1) / 2)];
  const apiFigures = chosen.api;
  const rawFigures = chosen.raw;

  log('');
  if (rounds.length > 1) {
    rounds.forEach((r, i) =>
      log(
        `round ${i + 1}: ratio ${fixed(r.ratio)}  ${label.api} ${fixed(r.api.rps, 1)} req/s p99 ${fixed(r.api.p99, 1)} ms  ${label.raw} ${fixed(r.raw.rps, 1)} req/s p99 ${fixed(r.raw.p99, 1)} ms`,
      ),
    );
    log(`figures below: round ${rounds.indexOf(chosen) + 1} (median ratio)`);
  }
  for (const [name, f] of [
    [label.api, apiFigures],
    [label.raw, rawFigures],
  ]) {
    log(
      `${name.padEnd(4)} ${fixed(f.rps, 1).padStart(8)} req/s   p50 ${fixed(f.p50, 1)} ms   p99 ${fixed(f.p99, 1)} ms   ` +
        `${f.total} requests, ${f.errors} errors   ${fixed(f.sqlPerRequest)} SQL statements/request`,
    );
  }
  log('CPU in the measured window (ms per request; cores = CPU seconds per second, of ' + os.cpus().length + '):');
  for (const [name, f] of [
    ['api', apiFigures],
    ['raw', rawFigures],
  ]) {
    const c = f.cpu;
    const cores = (n) => (n === null ? 'n/a' : n.toFixed(2));
    log(
      `  ${name.padEnd(4)} server ${fixed(c.serverMsPerRequest)} ms/req (${cores(c.serverCores)} cores)   ` +
        `postgres ${c.postgresMsPerRequest === null ? 'n/a' : fixed(c.postgresMsPerRequest)} ms/req (${cores(c.postgresCores)} cores)   ` +
        `load generator ${cores(c.benchCores)} cores   machine busy ${cores(c.machineCores)} cores, of which other processes ${cores(c.otherCores)}`,
    );
  }
  log(
    `  the API spends ${fixed(apiFigures.cpu.serverMsPerRequest / rawFigures.cpu.serverMsPerRequest, 1)}x the baseline's server CPU per request ` +
      `(raw/api ${fixed(rawFigures.cpu.serverMsPerRequest / apiFigures.cpu.serverMsPerRequest)}); the API's Node.js thread can serve at most about ` +
      `${Math.round(1000 / apiFigures.cpu.serverMsPerRequest)} requests/s on one core`,
  );
  for (const [name, f] of [
    ['api', apiFigures],
    ['raw', rawFigures],
  ]) {
    if (f.cpu.otherCores !== null && f.cpu.otherCores > 0.25) {
      const who = f.cpu.busiestOthers.map((p) => `${p.comm} (pid ${p.pid}) ${p.cores.toFixed(2)}`).join(', ');
      log(
        `WARNING: other processes used ${f.cpu.otherCores.toFixed(2)} cores during the ${name} window (busiest: ${who}), ` +
          `so its figures (and the ratio) are depressed; rerun on a quiet machine or with BENCH_ROUNDS=3`,
      );
    }
  }
  printStatements(apiFigures, rawFigures);
  const apart = [...new Set([...apiFigures.delta.perStatement.keys(), ...rawFigures.delta.perStatement.keys()])].filter(
    (n) => {
      if (n.startsWith('identity:')) return false; // depends on the cache, hence on timing
      const per = (f) => (f.delta.perStatement.get(n) ?? 0) / f.delta.requests;
      return Math.abs(per(apiFigures) - per(rawFigures)) > 0.05;
    },
  );
  if (apart.length > 0)
    log(`WARNING: the servers ran these statements at different rates per request: ${apart.join('; ')}`);
  if (settings.profile) {
    for (const [name, f] of [
      ['api', apiFigures],
      ['raw', rawFigures],
    ])
      log(`CPU profile of ${name} during the measured window (${f.profile.file}):\n${f.profile.summary}`);
  }
  if (apiFigures.errors > 0 || rawFigures.errors > 0)
    log(`WARNING: errors during the measurement (api ${apiFigures.errors}, raw ${rawFigures.errors})`);
  log(`total bench time ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (audit) {
    const on = apiFigures.log;
    log(
      `access log: ${on.entries} entries written in the logging-on phase (${on.requests} requests answered), ` +
        `all sealed ${on.sealSeconds.toFixed(1)} s after the load stopped, chain ${on.chainOk ? 'verified' : 'BROKEN'}; ` +
        `logging-off phase wrote ${rawFigures.log.entries}`,
    );
    log(
      `RESULT audit ratio_with_logging=${fixed(apiFigures.rps / rawFigures.rps)} rps_on=${Math.round(apiFigures.rps)} rps_off=${Math.round(rawFigures.rps)}`,
    );
    return;
  }
  if (settings.openRate > 0) {
    for (const [name, f] of [
      [label.api, apiFigures],
      [label.raw, rawFigures],
    ]) {
      log(
        `${name.padEnd(4)} open loop at ${f.open.rate}/s: achieved ${fixed(f.open.achieved, 1)}/s   p50 ${fixed(f.open.p50, 1)} ms   p99 ${fixed(f.open.p99, 1)} ms   (${f.open.answered} of ${f.open.sent} answered)`,
      );
    }
    log(
      `RESULT overview-open rate=${apiFigures.open.rate} achieved=${fixed(apiFigures.open.achieved, 1)} p50_ms=${fixed(apiFigures.open.p50, 1)} p99_ms=${fixed(apiFigures.open.p99, 1)} ` +
        `raw_p50_ms=${fixed(rawFigures.open.p50, 1)} raw_p99_ms=${fixed(rawFigures.open.p99, 1)}`,
    );
  }
  log(
    `RESULT overview ratio=${fixed(apiFigures.rps / rawFigures.rps)} rps=${Math.round(apiFigures.rps)} raw_rps=${Math.round(rawFigures.rps)} ` +
      `p99_ms=${Math.round(apiFigures.p99)} sql_per_request=${fixed(apiFigures.sqlPerRequest)}`,
  );
}

/** Bench databases only: empties the access log (the database refuses TRUNCATE otherwise; it is evidence in production). */
async function resetAccessLog(c) {
  await c.query('BEGIN');
  await c.query('ALTER TABLE access_log DISABLE TRIGGER access_log_no_truncate');
  await c.query('TRUNCATE access_log, access_log_head, access_log_anchor');
  await c.query('ALTER TABLE access_log ENABLE TRIGGER access_log_no_truncate');
  await c.query('COMMIT');
}

/**
 * Audit mode: what the phase left in the access log. With logging on, every answered request must have
 * written its entry, the sealer must chain them all (waited for, up to 60 s) and the chain must verify;
 * with logging off there must be none.
 */
async function accessLogAfterPhase(withClient, loggingOn) {
  const { AccessLogService } = require(path.join(root, 'dist/libs/domain/src/access/access-log.service'));
  return withClient(settings.databaseUrl, async (c) => {
    const count = async () =>
      (
        await c.query(
          `SELECT count(*)::int AS n, count(*) FILTER (WHERE chain_seq IS NULL)::int AS unsealed FROM access_log`,
        )
      ).rows[0];
    const started = Date.now();
    let now = await count();
    while (loggingOn && now.unsealed > 0 && Date.now() - started < 60_000) {
      await sleep(250);
      now = await count();
    }
    if (!loggingOn) {
      if (now.n !== 0) throw new Error(`logging was off but ${now.n} access-log entries were written`);
      return { entries: 0 };
    }
    if (now.unsealed > 0) throw new Error(`${now.unsealed} access-log entries were still unsealed 60 s after the load`);
    const report = await new AccessLogService(
      { query: async (sql, params) => (await c.query(sql, params)).rows },
      { ACCESS_LOG_KEY: accessLogKey() },
    ).verify();
    return { entries: now.n, sealSeconds: (Date.now() - started) / 1000, chainOk: report.ok };
  });
}

/** The key the servers under test seal with: ACCESS_LOG_KEY, or one made for this run (production refuses the development key). */
const runAccessLogKey = process.env.ACCESS_LOG_KEY || crypto.randomBytes(32).toString('base64url');
function accessLogKey() {
  return runAccessLogKey;
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`bench:${audit ? 'audit' : 'overview'} FAILED: ${error && error.stack ? error.stack : error}`);
    process.exit(1);
  },
);
