/**
 * npm run bench:events: the cost of live events to open subscriptions. Starts the real API as deployed
 * (NODE_ENV=production, the application role, secrets of the run) as a separate process, opens graphql-ws
 * subscriptions (decisionEvents for all persons, decisionEvents for one person, notificationReceived) from
 * many staff members, most of whom have no relation to the persons whose events are produced, then casts
 * votes over HTTP at a steady rate and measures, per delivered event, the delay from sending the vote to the
 * event's arrival at the subscriber (and, to see the fan-out alone, from the moment the API made the event, just
 * before the vote's commit), and the database transactions per event (pg_stat_database
 * xact_commit + xact_rollback of the bench database, divided by the events; the vote's own transactions
 * included). Two phases in one run: the baseline with only the related subscriptions open, then the same
 * events with BENCH_SUBSCRIPTIONS open in all. Prints one RESULT line.
 *
 * Knobs: BENCH_SUBSCRIPTIONS (1000), BENCH_EVENT_PERSONS (20), BENCH_UNRELATED_STAFF (200), BENCH_EVENTS (150,
 * per phase), BENCH_RATE (10 votes/s), BENCH_DRAIN_SECONDS (120), BENCH_DATABASE_URL, BENCH_API_PORT.
 */
import 'reflect-metadata';
import { cpus } from 'node:os';
import { createClient, Client as WsClient } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { openDatabase, OrganisationKind, Principal, Profession } from '../../libs/domain/src';
import { loadConfig } from '../../libs/infrastructure/src';
import { Fixtures, TestStaff } from '../../test/support/fixtures';
import { startBenchApi } from './lib/api-server';
import { ensureBuild } from './lib/ensure-build';

const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 1000);
const EVENT_PERSONS = Number(process.env.BENCH_EVENT_PERSONS ?? 20);
const UNRELATED_STAFF = Number(process.env.BENCH_UNRELATED_STAFF ?? 200);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 150);
const RATE = Number(process.env.BENCH_RATE ?? 10);
const DRAIN_MS = Number(process.env.BENCH_DRAIN_SECONDS ?? 120) * 1000;
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/samverka_bench_events';
const log = (line: string) => console.log(line);

/** Per event person: a decisionEvents subscription of each group member, one for this person only, and both inboxes. */
const RELATED_PER_PERSON = 5;
/** Of those, the ones that receive each vote's VOTE_CAST event (the two "all persons" streams and the one-person stream). */
const DELIVERIES_PER_EVENT = 3;

const ALL_EVENTS = 'subscription { decisionEvents { kind personId status occurredAt } }';
const ONE_PERSON = 'subscription($p: ID) { decisionEvents(personId: $p) { kind personId status occurredAt } }';
const INBOX = 'subscription { notificationReceived { id kind personId } }';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function withClient<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'samverka-bench-events' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Scene {
  personId: string;
  proposalId: string;
  voter: TestStaff;
  psychiatrist: TestStaff;
}

/** Arrival times of each person's VOTE_CAST events, per receiving subscription, with when the API made each event. */
type Arrivals = Map<string, Array<{ at: number; made: number }>>;

async function main(): Promise<void> {
  ensureBuild(log);
  const admin = new URL(DATABASE_URL);
  const name = admin.pathname.slice(1);
  admin.pathname = '/postgres';
  await withClient(admin.toString(), (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  const dataSource = await openDatabase(
    loadConfig({ DATABASE_URL, DATABASE_POOL_SIZE: '4', SEED_DEMO_DATA: 'false' }),
    { migrate: true },
  );
  const f = new Fixtures(dataSource);
  const api = await startBenchApi(DATABASE_URL, { label: 'events', port: Number(process.env.BENCH_API_PORT ?? 0) });
  const tokenOf = api.tokenOf;
  const clients: WsClient[] = [];
  try {
    const url = `http://127.0.0.1:${api.port}/graphql`;
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

    // The persons whose events are produced: a group of a municipality voter and a region psychiatrist, with
    // consent, and one open proposal each that stays open (only the municipality votes, again and again).
    const municipality = await f.org(Principal.MUNICIPALITY, OrganisationKind.DISTRICT_SOCIAL_SERVICES);
    const psychiatry = await f.org(Principal.REGION, OrganisationKind.PSYCHIATRIC_CLINIC);
    const scenes: Scene[] = [];
    const tokens = new Map<string, string>();
    for (let i = 0; i < EVENT_PERSONS; i++) {
      const voter = await f.staff(municipality, Profession.SOCIAL_WORKER);
      const psychiatrist = await f.staff(psychiatry, Profession.PSYCHIATRIST);
      const person = await f.person(voter);
      await f.collaboration.addMember(person.id, {
        staffId: psychiatrist.staff.id,
        role: 'psychiatrist',
        votingRepresentative: true,
      });
      await f.consentToGroup(voter, person.id);
      for (const s of [voter, psychiatrist]) tokens.set(s.staff.id, await tokenOf(s.staff.id));
      const { openProposal } = await gql(
        tokens.get(psychiatrist.staff.id)!,
        'mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }',
        {
          i: {
            personId: person.id,
            type: 'PLAN_REVISION',
            title: 'Revidera planen',
            rationale: 'benchmark',
            deadline: new Date(Date.now() + 6 * 3_600_000).toISOString(),
          },
        },
      );
      scenes.push({ personId: person.id, proposalId: openProposal.id, voter, psychiatrist });
    }
    // Staff with no relation to those persons: other organisations of both principals and an NGO, each with
    // persons of their own (so that the policy has something to find), subscribing as their colleagues do.
    const others = [
      await f.org(Principal.MUNICIPALITY, OrganisationKind.DISTRICT_SOCIAL_SERVICES),
      await f.org(Principal.REGION, OrganisationKind.PSYCHIATRIC_CLINIC),
      await f.org(Principal.OTHER, OrganisationKind.NGO),
    ];
    const unrelated: TestStaff[] = [];
    for (let i = 0; i < UNRELATED_STAFF; i++) {
      const s = await f.staff(others[i % 3], i % 3 === 0 ? Profession.SOCIAL_WORKER : Profession.NURSE);
      if (i % 3 === 0 && i % 9 === 0) await f.person(s);
      tokens.set(s.staff.id, await tokenOf(s.staff.id));
      unrelated.push(s);
    }

    const arrivals: Arrivals = new Map();
    let subscriptionsOpen = 0;
    let connectedClients = 0;
    let failures = 0;
    const open = (
      staff: TestStaff,
      subscriptions: Array<{ query: string; variables?: Record<string, unknown>; label: string }>,
    ) => {
      const client = createClient({
        url: url.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${tokens.get(staff.staff.id)}` },
        // A busy server may not take a connection's init within its 3 s (4408): try again, as a browser would.
        retryAttempts: 10,
        lazy: false,
      });
      let connected = false;
      client.on('connected', () => {
        if (!connected) connectedClients++;
        connected = true;
      });
      clients.push(client);
      for (const s of subscriptions) {
        subscriptionsOpen++;
        client.subscribe<{ decisionEvents?: { kind: string; personId: string; occurredAt: string } }>(
          { query: s.query, variables: s.variables },
          {
            next: (message) => {
              const event = message.data?.decisionEvents;
              if (!event || event.kind !== 'VOTE_CAST') return;
              const key = `${event.personId} ${s.label}`;
              const list = arrivals.get(key) ?? [];
              list.push({ at: Date.now(), made: Date.parse(event.occurredAt) });
              arrivals.set(key, list);
            },
            error: (error) => {
              failures++;
              const { code, reason } = error as { code?: number; reason?: string };
              if (failures <= 3) console.error(`subscription ended: ${code ?? ''} ${reason ?? JSON.stringify(error)}`);
            },
            complete: () => undefined,
          },
        );
      }
    };

    // Votes at a steady rate, round robin over the persons; a person's next vote waits for its last answer so
    // that the k-th event of a person belongs to its k-th vote.
    const sent = new Map<string, number[]>();
    /** How long each vote's request took (the part of the delay that is the vote itself, not the delivery). */
    let roundTrips: number[] = [];
    const vote = async (scene: Scene) => {
      const list = sent.get(scene.personId) ?? [];
      sent.set(scene.personId, list);
      const t0 = Date.now();
      list.push(t0);
      await gql(tokens.get(scene.voter.staff.id)!, 'mutation($i: CastVoteInput!) { castVote(input: $i) { status } }', {
        i: { proposalId: scene.proposalId, choice: 'AGREE' },
      });
      roundTrips.push(Date.now() - t0);
    };
    const xacts = () =>
      withClient(DATABASE_URL, async (c) => {
        const { rows } = await c.query(
          `SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1`,
          [name],
        );
        return Number(rows[0].n);
      });
    const logged = () =>
      withClient(DATABASE_URL, async (c) => {
        const { rows } = await c.query(`SELECT count(*)::int AS n FROM access_log WHERE entity = 'decisionEvents'`);
        return rows[0].n as number;
      });
    const labelsFor = (scene: Scene) => [
      `${scene.voter.staff.id} all`,
      `${scene.psychiatrist.staff.id} all`,
      `${scene.psychiatrist.staff.id} one`,
    ];
    const delivered = () =>
      scenes.reduce(
        (sum, scene) =>
          sum + labelsFor(scene).reduce((n, label) => n + (arrivals.get(`${scene.personId} ${label}`)?.length ?? 0), 0),
        0,
      );

    const arrivedSince = (scene: Scene, since: Map<string, number>) =>
      labelsFor(scene).every((label) => {
        const key = `${scene.personId} ${label}`;
        return (arrivals.get(key)?.length ?? 0) > (since.get(key) ?? 0);
      });
    const arrivalCounts = () =>
      new Map(
        scenes.flatMap((scene) =>
          labelsFor(scene).map((label) => {
            const key = `${scene.personId} ${label}`;
            return [key, arrivals.get(key)?.length ?? 0] as const;
          }),
        ),
      );

    const phase = async (label: string) => {
      // Warm-up: votes until every related subscription has received one, so that each is known to be live. A
      // subscription whose client connected a moment after a vote never sees that vote's event: vote again for
      // its person (the server registers a subscription after the connection's init, not at the client's send).
      const warmStart = arrivalCounts();
      for (let waited = 0, cold = scenes; cold.length > 0;) {
        if (waited > DRAIN_MS) throw new Error(`${label}: ${cold.length} persons' warm-up events did not all arrive`);
        await Promise.all(cold.map(vote));
        for (let round = 0; round < 30 && cold.some((s) => !arrivedSince(s, warmStart)); round++, waited += 100)
          await sleep(100);
        cold = cold.filter((s) => !arrivedSince(s, warmStart));
      }
      await sleep(2000);
      const before = { delivered: delivered(), xacts: await xacts(), logged: await logged() };
      const firstSent = new Map(scenes.map((s) => [s.personId, sent.get(s.personId)!.length]));
      const firstArrival = arrivalCounts();
      const started = Date.now();
      roundTrips = [];
      const busy = new Set<string>();
      const inFlight: Array<Promise<void>> = [];
      let produced = 0;
      let deferred = 0;
      for (let i = 0; produced < EVENTS; i++) {
        const due = started + (i * 1000) / RATE;
        if (due > Date.now()) await sleep(due - Date.now());
        // The next person in turn whose last vote has been answered.
        const scene = scenes.map((_, k) => scenes[(i + k) % scenes.length]).find((s) => !busy.has(s.personId));
        if (!scene) {
          deferred++;
          continue;
        }
        busy.add(scene.personId);
        produced++;
        inFlight.push(vote(scene).finally(() => busy.delete(scene.personId)));
      }
      await Promise.all(inFlight);
      const producedSeconds = (Date.now() - started) / 1000;
      const expected = before.delivered + EVENTS * DELIVERIES_PER_EVENT;
      for (let waited = 0; delivered() < expected && waited < DRAIN_MS; waited += 100) await sleep(100);
      // Backends report their counts when idle (at most a second late).
      await sleep(2500);
      const after = { delivered: delivered(), xacts: await xacts(), logged: await logged() };
      const delays: number[] = [];
      // From the moment the API made the event (in the vote's transaction, just before its commit): the fan-out alone.
      const fanOut: number[] = [];
      for (const scene of scenes) {
        const sends = sent.get(scene.personId)!.slice(firstSent.get(scene.personId)!);
        for (const label of labelsFor(scene)) {
          const key = `${scene.personId} ${label}`;
          // The k-th event after the warm-up is the k-th vote after it (a person's votes never overlap).
          const got = (arrivals.get(key) ?? []).slice(firstArrival.get(key)!);
          got.forEach(({ at, made }, k) => {
            if (k < sends.length) delays.push(at - sends[k]);
            fanOut.push(at - made);
          });
        }
      }
      delays.sort((a, b) => a - b);
      roundTrips.sort((a, b) => a - b);
      fanOut.sort((a, b) => a - b);
      const result = {
        subscriptions: subscriptionsOpen,
        events: produced,
        rate: produced / producedSeconds,
        deferred,
        delivered: after.delivered - before.delivered,
        expected: EVENTS * DELIVERIES_PER_EVENT,
        logged: after.logged - before.logged,
        p50: percentile(delays, 50),
        p99: percentile(delays, 99),
        max: delays.at(-1) ?? NaN,
        voteP50: percentile(roundTrips, 50),
        fanOutP50: percentile(fanOut, 50),
        fanOutP99: percentile(fanOut, 99),
        txPerEvent: (after.xacts - before.xacts) / produced,
      };
      log(
        `${label.padEnd(9)} ${String(result.subscriptions).padStart(5)} subscriptions: ${result.events} votes at ${result.rate.toFixed(1)}/s (${deferred} slots deferred), ` +
          `delivered ${result.delivered}/${result.expected} (access log entries ${result.logged}), vote sent → event received p50 ${result.p50} ms, ` +
          `p99 ${result.p99} ms, max ${result.max} ms (the vote's own round trip p50 ${result.voteP50} ms; event made → received p50 ${result.fanOutP50} ms, p99 ${result.fanOutP99} ms); ${result.txPerEvent.toFixed(1)} transactions per event`,
      );
      return result;
    };

    log(
      `${EVENT_PERSONS} persons with events, ${UNRELATED_STAFF} unrelated staff; ${EVENTS} votes per phase at ${RATE}/s; ` +
        `machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
    );
    // Baseline: only the subscriptions the events concern (and the group members' inboxes).
    for (const scene of scenes) {
      open(scene.voter, [
        { query: ALL_EVENTS, label: `${scene.voter.staff.id} all` },
        { query: INBOX, label: 'inbox' },
      ]);
      open(scene.psychiatrist, [
        { query: ALL_EVENTS, label: `${scene.psychiatrist.staff.id} all` },
        { query: ONE_PERSON, variables: { p: scene.personId }, label: `${scene.psychiatrist.staff.id} one` },
        { query: INBOX, label: 'inbox' },
      ]);
    }
    const baseline = await phase('baseline');
    // Then the same events with the unrelated subscriptions open as well: all persons, one person (whom they
    // may not see) and their inboxes, a few per staff member.
    const extra = Math.max(0, SUBSCRIPTIONS - EVENT_PERSONS * RELATED_PER_PERSON);
    const perStaff = new Map<TestStaff, Array<{ query: string; variables?: Record<string, unknown>; label: string }>>();
    for (let i = 0; i < extra; i++) {
      const staff = unrelated[i % unrelated.length];
      const list = perStaff.get(staff) ?? [];
      const kind = Math.floor(i / unrelated.length) % 3;
      list.push(
        kind === 0
          ? { query: ALL_EVENTS, label: 'unrelated all' }
          : kind === 1
            ? { query: ONE_PERSON, variables: { p: scenes[i % scenes.length].personId }, label: 'unrelated one' }
            : { query: INBOX, label: 'inbox' },
      );
      perStaff.set(staff, list);
    }
    for (const [staff, list] of perStaff) open(staff, list);
    for (let waited = 0; connectedClients < clients.length; waited += 100) {
      if (waited > DRAIN_MS) throw new Error(`only ${connectedClients} of ${clients.length} connections were taken`);
      await sleep(100);
    }
    // Connected is not yet subscribed: a moment for the subscribe messages to be handled.
    await sleep(3000);
    const full = await phase('full');
    const leaked = [...arrivals.keys()].filter((k) => k.endsWith(' unrelated all') || k.endsWith(' unrelated one'));
    if (leaked.length) log(`LEAK: unrelated subscriptions received events: ${leaked.slice(0, 5).join(', ')}`);
    if (failures) log(`${failures} subscriptions ended with an error`);
    log(
      `RESULT events subscriptions=${full.subscriptions} p99_ms=${full.p99} p50_ms=${full.p50} tx_per_event=${full.txPerEvent.toFixed(1)} fanout_p99_ms=${full.fanOutP99} ` +
        `delivered=${full.delivered}/${full.expected} logged=${full.logged} baseline_subscriptions=${baseline.subscriptions} ` +
        `baseline_p99_ms=${baseline.p99} baseline_fanout_p99_ms=${baseline.fanOutP99} baseline_tx_per_event=${baseline.txPerEvent.toFixed(1)} leaks=${leaked.length}`,
    );
    // Every delivery to a user is logged: fewer entries than deliveries is a failure, as is a leak or a lost event.
    process.exitCode = leaked.length || full.delivered < full.expected || full.logged < full.delivered ? 1 : 0;
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    await api.stop();
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
