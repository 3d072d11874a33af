/**
 * npm run bench:growth: does a read get slower as the register grows? Two data sets from the overview benchmark's
 * generator (scripts/bench/lib/dataset.js), the same per person and per staff member, ten times apart in size:
 *
 *   small: BENCH_GROWTH_SMALL persons (10,000), a tenth as many staff (so each caseload is as large), 50 contacts each;
 *   large: BENCH_GROWTH_LARGE persons (100,000) and 2,000 staff, 50 contacts each (5,000,000 contacts).
 *
 * For each, in turn and alone on the machine, it starts the real API as deployed (dist/, NODE_ENV=production, the
 * application role) and measures over HTTP:
 *   - the person overview in an open loop (BENCH_OPEN_RATE, 30 requests/s, for BENCH_OPEN_SECONDS, 20 s: each
 *     request leaves on schedule and its latency counts from then), rotating over (member, person) pairs;
 *   - the caseload as the web client's first screen reads it (its first page: 200 persons), one request at a time,
 *     BENCH_CASELOADS (200) requests rotating over the staff with the largest caseloads.
 * The order is small, large, small, large, ... (BENCH_GROWTH_ROUNDS, 3), so a machine that slows down over the run
 * does not favour one side; each figure is the median of its rounds. Ends with
 *   RESULT growth persons=<large> contacts=<large's> overview_p99_ratio=<large/small> caseload_p99_ratio=<large/small>
 *     overview_p50_ratio=... caseload_p50_ratio=... (the medians as well: a p99 of 600 requests moves with the machine)
 * Target (issue "Performance"): both ratios at most 1.2.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { cpus, loadavg } from 'node:os';
import { Client } from 'pg';
import { caseloadQuery, caseloadViewOf } from '../../apps/web/src/pages/caseload-view';
import { startBenchApi } from './lib/api-server';
import { datasetSpec, ensureDataset, withClient } from './lib/dataset';
import { ensureBuild } from './lib/ensure-build';

const env = process.env;
const SMALL = Number(env.BENCH_GROWTH_SMALL ?? 10_000);
const LARGE = Number(env.BENCH_GROWTH_LARGE ?? 100_000);
const LARGE_STAFF = 2000;
const CONTACTS = 50;
const OPEN_RATE = Number(env.BENCH_OPEN_RATE ?? 30);
const OPEN_SECONDS = Number(env.BENCH_OPEN_SECONDS ?? 20);
const CASELOADS = Number(env.BENCH_CASELOADS ?? 200);
const ROUNDS = Math.max(1, Number(env.BENCH_GROWTH_ROUNDS ?? 3));
const PORT = Number(env.BENCH_API_PORT ?? 3904);
const ADMIN = env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (line: string) => console.log(line);

const OVERVIEW = `query($id: ID!) { patientOverview(personId: $id) {
  person { id givenName familyName identityNumber protectedIdentity }
  sipPlan { status version interventions { description responsibleOrganisation { name } } }
  collaborationGroup { coordinator { familyName } }
  roster { role principal staff { familyName profession organisation { name principal } } }
  recentContacts { kind summary occurredAt staff { familyName organisation { name } } }
  currentHousing { kind }
  nextFollowUpOn followUpOverdue daysSinceLastContact
} }`;
const caseload = caseloadQuery(caseloadViewOf(new URLSearchParams()));
/** The generated documents are the query text itself. */
const CASELOAD = caseload.document.toString();

interface DataSet {
  label: string;
  url: string;
  persons: number;
  contacts: number;
  pairs: Array<{ staffId: string; personId: string }>;
  busiest: string[];
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function databaseUrl(name: string): string {
  const url = new URL(ADMIN);
  url.pathname = `/${name}`;
  return url.toString();
}

async function prepare(label: string, persons: number, staff: number): Promise<DataSet> {
  const url = databaseUrl(`samverka_bench_growth_${persons}`);
  const spec = datasetSpec({
    BENCH_PERSONS: String(persons),
    BENCH_STAFF: String(staff),
    BENCH_CONTACTS_PER_PERSON: String(CONTACTS),
  });
  await ensureDataset(url, spec, (line: string) => log(`${label}: ${line}`));
  return withClient(url, async (c: Client) => {
    // Every active membership is a (member, person) pair the overview may be read for; a fixed order, shuffled
    // by a fixed step, so both data sets are read the same way.
    const { rows } = await c.query(
      `SELECT m.staff_id AS "staffId", g.person_id AS "personId" FROM group_member m
         JOIN collaboration_group g ON g.id = m.group_id
        WHERE m.valid_to IS NULL ORDER BY m.staff_id, g.person_id`,
    );
    const pairs = rows.map((_: unknown, i: number) => rows[(i * 7919) % rows.length]);
    const { rows: busiest } = await c.query(
      `SELECT m.staff_id AS id FROM group_member m WHERE m.valid_to IS NULL
        GROUP BY m.staff_id ORDER BY count(*) DESC, m.staff_id LIMIT 40`,
    );
    const { rows: counted } = await c.query(`SELECT count(*)::int AS n FROM contact_entry`);
    return {
      label,
      url,
      persons,
      contacts: counted[0].n as number,
      pairs,
      busiest: busiest.map((r: { id: string }) => r.id),
    };
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** One GraphQL request; resolves with its latency from `from` (ms), or rejects on anything but data without errors. */
function post(query: string, variables: Record<string, unknown>, token: string, from: number): Promise<number> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: PORT,
        path: '/graphql',
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => {
          const ok = response.statusCode === 200 && text.startsWith('{"data":') && !text.includes('"errors"');
          if (ok) resolve(performance.now() - from);
          else reject(new Error(`${response.statusCode} ${text.slice(0, 300)}`));
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

interface Figures {
  overviewP50: number;
  overviewP99: number;
  achieved: number;
  caseloadP50: number;
  caseloadP99: number;
  caseloadRows: number;
}

async function measure(set: DataSet, tokens: Map<string, string>): Promise<Figures> {
  const token = (staffId: string) => tokens.get(staffId)!;
  // Warm-up: the same mix for a few seconds (connections, statement plans, the API's code paths).
  for (let i = 0; i < 100; i++) {
    const pair = set.pairs[(i * 31) % set.pairs.length];
    await post(OVERVIEW, { id: pair.personId }, token(pair.staffId), performance.now());
  }
  for (const id of set.busiest.slice(0, 5)) await post(CASELOAD, caseload.variables, token(id), performance.now());

  // The overview in an open loop: request i leaves at start + i / rate whatever the answers.
  const total = Math.round(OPEN_SECONDS * OPEN_RATE);
  const start = performance.now() + 50;
  const pending: Array<Promise<number>> = [];
  for (let i = 0; i < total; i++) {
    const planned = start + (i * 1000) / OPEN_RATE;
    const wait = planned - performance.now();
    if (wait > 1) await sleep(wait);
    const pair = set.pairs[(1000 + i) % set.pairs.length];
    pending.push(post(OVERVIEW, { id: pair.personId }, token(pair.staffId), planned));
  }
  const overview = (await Promise.all(pending)).sort((a, b) => a - b);
  const achieved = overview.length / ((performance.now() - start) / 1000);

  // The caseload's first page, one request at a time, over the busiest staff.
  const caseloads: number[] = [];
  let caseloadRows = 0;
  for (let i = 0; i < CASELOADS; i++) {
    const staffId = set.busiest[i % set.busiest.length];
    caseloads.push(await post(CASELOAD, caseload.variables, token(staffId), performance.now()));
  }
  caseloads.sort((a, b) => a - b);
  // How many persons a caseload page holds here (the same in both data sets, by construction).
  await withClient(set.url, async (c: Client) => {
    const { rows } = await c.query(
      `SELECT count(*)::int AS n FROM group_member WHERE staff_id = $1 AND valid_to IS NULL`,
      [set.busiest[0]],
    );
    caseloadRows = Math.min(rows[0].n as number, caseload.variables.first);
  });
  return {
    overviewP50: percentile(overview, 50),
    overviewP99: percentile(overview, 99),
    achieved,
    caseloadP50: percentile(caseloads, 50),
    caseloadP99: percentile(caseloads, 99),
    caseloadRows,
  };
}

async function main(): Promise<void> {
  ensureBuild(log);
  const sets = [
    await prepare('small', SMALL, Math.max(16, Math.round((LARGE_STAFF * SMALL) / LARGE / 2) * 2)),
    await prepare('large', LARGE, LARGE_STAFF),
  ];
  // One secret for every start, so the tokens signed once hold for each.
  const secret = randomBytes(32).toString('base64url');
  const tokens = new Map<string, string>();
  log(
    `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; overview open loop ${OPEN_RATE}/s for ${OPEN_SECONDS} s, ${CASELOADS} caseload pages one at a time`,
  );
  const results = new Map<string, Figures[]>(sets.map((s) => [s.label, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const set of sets) {
      const api = await startBenchApi(set.url, { label: 'growth', port: PORT, secret });
      try {
        for (const staffId of new Set([...set.pairs.map((p) => p.staffId), ...set.busiest]))
          if (!tokens.has(staffId)) tokens.set(staffId, await api.tokenOf(staffId));
        const f = await measure(set, tokens);
        results.get(set.label)!.push(f);
        log(
          `round ${round} ${set.label.padEnd(5)} (${set.persons} persons, ${set.contacts} contacts): overview p50 ${f.overviewP50.toFixed(1)} ms, ` +
            `p99 ${f.overviewP99.toFixed(1)} ms at ${f.achieved.toFixed(1)}/s; caseload of ${f.caseloadRows} p50 ${f.caseloadP50.toFixed(1)} ms, p99 ${f.caseloadP99.toFixed(1)} ms`,
        );
      } finally {
        await api.stop();
      }
    }
  }
  const of = (label: string, pick: (f: Figures) => number) => median(results.get(label)!.map(pick));
  const ratio = (pick: (f: Figures) => number) => of('large', pick) / of('small', pick);
  const overviewRatio = ratio((f) => f.overviewP99);
  const caseloadRatio = ratio((f) => f.caseloadP99);
  log(
    `targets (at most 1.2 times the small data set's p99): overview ${overviewRatio <= 1.2 ? 'met' : 'MISSED'}, caseload ${caseloadRatio <= 1.2 ? 'met' : 'MISSED'}`,
  );
  log(
    `RESULT growth persons=${LARGE} contacts=${sets[1].contacts} overview_p99_ratio=${overviewRatio.toFixed(2)} caseload_p99_ratio=${caseloadRatio.toFixed(2)} ` +
      `overview_p50_ratio=${ratio((f) => f.overviewP50).toFixed(2)} caseload_p50_ratio=${ratio((f) => f.caseloadP50).toFixed(2)} ` +
      `small_overview_p99_ms=${of('small', (f) => f.overviewP99).toFixed(1)} large_overview_p99_ms=${of('large', (f) => f.overviewP99).toFixed(1)} ` +
      `small_caseload_p99_ms=${of('small', (f) => f.caseloadP99).toFixed(1)} large_caseload_p99_ms=${of('large', (f) => f.caseloadP99).toFixed(1)}`,
  );
  agent.destroy();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
