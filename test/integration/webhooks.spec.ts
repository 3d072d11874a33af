import { once } from 'node:events';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { AccessPolicy, PolicyWebhookAudience } from '../../libs/auth/src';
import {
  ConsentGivenHow,
  ConsentPurpose,
  ConsentScope,
  Profession,
  SipMeetingService,
  WebhookDeliveryService,
} from '../../libs/domain/src';
import { JobQueue } from '../../libs/infrastructure/src';
import { TEST_REDIS_URL } from '../support/env';
import { Fixtures, TestStaff } from '../support/fixtures';
import { dropQueueKeys } from '../support/reminder-load';
import { startTestApi, TestApi } from '../support/test-api';
import { eventually } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { spawnWorker, WorkerProcess } from '../support/worker-process';

/** An integration client that reads care data (and so may be sent events about a person). */
const CLIENT_SCOPES = ['PERSON_READ'] as never;

interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  headers: IncomingHttpHeaders;
}

/** A partner's endpoint: a real HTTP server on localhost that keeps every request; `status` decides its answer. */
class Receiver {
  readonly received: Received[] = [];
  status = 200;
  delayMs = 0;
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({
          id: String(req.headers['webhook-id']),
          timestamp: String(req.headers['webhook-timestamp']),
          signature: String(req.headers['webhook-signature']),
          body: Buffer.concat(chunks).toString('utf8'),
          headers: req.headers,
        });
        const answer = () => res.writeHead(this.status).end();
        if (this.delayMs) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks`;
    return this;
  }

  /** What arrived, checked as a partner would: Webhook.verify with the secret throws unless the signature holds. */
  verified(
    secret: string,
  ): Array<{ id: string; payload: { type: string; timestamp: string; data: Record<string, unknown> } }> {
    return this.received.map((r) => ({
      id: r.id,
      payload: new Webhook(secret).verify(r.body, {
        'webhook-id': r.id,
        'webhook-timestamp': r.timestamp,
        'webhook-signature': r.signature,
      }) as never,
    }));
  }

  about(key: string, value: string): Received[] {
    return this.received.filter((r) => (JSON.parse(r.body) as { data: Record<string, unknown> }).data[key] === value);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SUBSCRIBE = `mutation($i: CreateWebhookSubscriptionInput!) { createWebhookSubscription(input: $i) { secret subscription { id clientId url eventKinds active } } }`;
const DELIVERIES = `query($s: ID, $first: Int) { webhookDeliveries(subscriptionId: $s, first: $first) { edges { node { id subscriptionId eventId eventKind status stopReason attemptCount attempts { number statusCode error durationMs attemptedAt } } } } }`;
const ALL_KINDS = [
  'PLAN_ADOPTED',
  'MEETING_PLANNED',
  'MEETING_MOVED',
  'MEETING_CANCELLED',
  'PROPOSAL_OPENED',
  'PROPOSAL_CLOSED',
  'DISCHARGE_EXECUTED',
  'DISCHARGE_REFUSED',
  'MEMBERSHIP_CHANGED',
  'CONSENT_RECORDED',
  'CONSENT_WITHDRAWN',
];

/**
 * Signed webhooks end to end (issue 13 §2): the API (subscriptions, listings), a worker process (fan-out,
 * delivery, retries), real PostgreSQL and Redis, and partners' endpoints as HTTP servers on localhost that
 * verify every signature with the `standardwebhooks` package. Waits are on conditions, never on time.
 */
describe('signed webhooks (API, worker processes, real PostgreSQL, Redis and HTTP receivers)', () => {
  let db: TestDatabase;
  let api: TestApi;
  let f: Fixtures;
  let meetings: SipMeetingService;
  const workers: WorkerProcess[] = [];
  let s: Awaited<ReturnType<Fixtures['careSetting']>>;
  let administrator: TestStaff;
  /** The municipality's case system: the person's own principal. */
  const a = { receiver: new Receiver(), key: '', secret: '', subscriptionId: '', staffId: '' };
  /** The region's EHR: sees the person only while a consent names the region's clinic. */
  const b = { receiver: new Receiver(), key: '', secret: '', subscriptionId: '', staffId: '' };
  let consentId: string;

  const startWorker = async () => {
    const worker = await spawnWorker({
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: db.config.QUEUE_PREFIX,
      TOKEN_SECRET: 'test-secret-test-secret-test-secret-0000',
      WEBHOOK_ATTEMPTS: '12',
      WEBHOOK_BACKOFF_MS: '100',
      WEBHOOK_TIMEOUT_MS: '5000',
      LOG_LEVEL: 'warn',
    });
    workers.push(worker);
    return worker;
  };

  const planMeeting = (daysAhead = 10) =>
    meetings.plan(s.socialWorker.actor, {
      personId: s.person.id,
      startsAt: new Date(Date.now() + daysAhead * 86_400_000),
      location: 'Mötesrummet',
      participantStaffIds: [s.socialWorker.staff.id],
      invitePerson: false,
    });

  const deliveriesOf = (subscriptionId: string) =>
    db.dataSource.query(
      `SELECT d.id, d.status, d.stop_reason, d.attempts, e.id AS event_id, e.data FROM webhook_delivery d JOIN webhook_event e ON e.id = d.event_id WHERE d.subscription_id = $1`,
      [subscriptionId],
    ) as Promise<
      Array<{
        id: string;
        status: string;
        stop_reason: string | null;
        attempts: number;
        event_id: string;
        data: Record<string, string>;
      }>
    >;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApi(db);
    f = new Fixtures(db.dataSource);
    meetings = new SipMeetingService(db.dataSource);
    s = await f.careSetting({ consent: false });
    const consent = await f.consents.record(s.socialWorker.actor, {
      personId: s.person.id,
      purpose: ConsentPurpose.SHARING,
      scope: ConsentScope.NAMED_ORGANISATIONS,
      organisationIds: [s.psychiatry.id],
      givenHow: ConsentGivenHow.WRITTEN,
    });
    consentId = consent.id;
    administrator = await f.staff(s.municipality, Profession.OTHER, { administrator: true });
    await a.receiver.start();
    await b.receiver.start();
    for (const [client, organisationId, name] of [
      [a, s.municipality.id, 'Case system'],
      [b, s.psychiatry.id, 'EHR'],
    ] as const) {
      const created = await f.apiKeys.createClient(administrator.actor, {
        organisationId,
        name,
        scopes: CLIENT_SCOPES,
      });
      client.key = created.apiKey;
      client.staffId = created.staff.id;
      const answer = await api.gql<{
        createWebhookSubscription: { secret: string; subscription: { id: string; active: boolean } };
      }>(SUBSCRIBE, { i: { url: client.receiver.url, eventKinds: ALL_KINDS } }, client.key);
      expect(answer.errors).toBeUndefined();
      client.secret = answer.data!.createWebhookSubscription.secret;
      client.subscriptionId = answer.data!.createWebhookSubscription.subscription.id;
      expect(client.secret).toMatch(/^whsec_/);
    }
    await startWorker();
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) await w.kill();
    await api?.close();
    await a.receiver.close();
    await b.receiver.close();
    if (db) {
      await dropQueueKeys(TEST_REDIS_URL, db.config.QUEUE_PREFIX);
      await db.drop();
    }
  });

  it('every event arrives signed (Webhook.verify), with the event id as webhook-id and ids only in the payload', async () => {
    const meeting = await planMeeting();
    await meetings.reschedule(meeting.id, { startsAt: new Date(Date.now() + 12 * 86_400_000) });
    await meetings.cancel(meeting.id);
    await f.collaboration.addMember(s.person.id, {
      staffId: s.outsider.staff.id,
      role: 'helper',
      votingRepresentative: false,
    });
    // An adopted plan, written directly: the trigger sees the row, whichever code path wrote it.
    const [plan] = await db.dataSource.query(
      `INSERT INTO sip_plan (person_id, status, overall_responsibility_principal, consent_given_at, follow_up_on, version, created_by)
       VALUES ($1, 'ACTIVE', 'MUNICIPALITY', current_date, current_date + 30, 1, $2) RETURNING id`,
      [s.person.id, s.socialWorker.staff.id],
    );

    // Through the API as the person's social worker: a proposal opened and withdrawn, a discharge asked for without
    // the group's agreement (the worker refuses it).
    const token = await api.login(s.socialWorker.username, s.socialWorker.password);
    const as = async (query: string, variables: Record<string, unknown>) => {
      const r = await api.gql<Record<string, { id: string }>>(query, variables, token);
      expect(r.errors).toBeUndefined();
      return Object.values(r.data!)[0];
    };
    const proposal = await as(`mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`, {
      i: {
        personId: s.person.id,
        type: 'OTHER',
        title: 'Webhook',
        rationale: 'A decision to vote on',
        deadline: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    await as(`mutation($i: WithdrawProposalInput!) { withdrawProposal(input: $i) { id } }`, {
      i: { proposalId: proposal.id, reason: 'Opened by mistake' },
    });
    const episode = await as(`mutation($i: OpenCareEpisodeInput!) { openCareEpisode(input: $i) { id } }`, {
      i: { personId: s.person.id, kind: 'SOCIAL_SERVICES' },
    });
    const discharge = await as(`mutation($id: ID!) { requestDischarge(episodeId: $id) { id } }`, { id: episode.id });

    const expected = [
      'meeting.planned',
      'meeting.moved',
      'meeting.cancelled',
      'membership.changed',
      'plan.adopted',
      'proposal.opened',
      'proposal.closed',
      'discharge.refused',
    ];
    const arrived = await eventually(async () => {
      const got = a.receiver.verified(a.secret);
      return expected.every((type) => got.some((g) => g.payload.type === type)) && got;
    }, 60_000);

    const events: Array<{ id: string; kind: string }> = await db.dataSource.query(`SELECT id, kind FROM webhook_event`);
    for (const { id, payload } of arrived) {
      // The webhook-id is the event's own id; the payload is {type, timestamp, data} with ids (and version numbers) only.
      expect(events.map((e) => e.id)).toContain(id);
      expect(Object.keys(payload).sort()).toEqual(['data', 'timestamp', 'type']);
      expect(Number.isNaN(Date.parse(payload.timestamp))).toBe(false);
      for (const [key, value] of Object.entries(payload.data)) {
        expect(key).toMatch(/Id$|[vV]ersion$/);
        expect(String(value)).toMatch(typeof value === 'number' ? /^\d+$/ : UUID);
      }
      expect(payload.data.personId).toBe(s.person.id);
    }
    const raw = a.receiver.received.map((r) => r.body).join('\n');
    expect(raw).not.toContain(s.person.givenName);
    expect(raw).not.toContain(s.person.familyName);
    expect(a.receiver.about('meetingId', meeting.id).map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual(
      expect.arrayContaining(['meeting.planned', 'meeting.moved', 'meeting.cancelled']),
    );
    expect(a.receiver.about('planId', plan.id)).toHaveLength(1);
    expect(a.receiver.about('proposalId', proposal.id)).toHaveLength(2);
    expect(
      a.receiver.about('dischargeRequestId', discharge.id).map((r) => (JSON.parse(r.body) as { type: string }).type),
    ).toEqual(['discharge.refused']);
    // Telling the client about the person is an access like any other: in the person's log, the client as the actor.
    const [logged] = await db.dataSource.query(
      `SELECT count(*)::int AS n, array_agg(DISTINCT role) AS roles FROM access_log WHERE staff_id = $1 AND person_id = $2 AND action = 'READ_EVENT' AND entity = 'webhook'`,
      [a.staffId, s.person.id],
    );
    expect(logged.n).toBeGreaterThan(0);
    expect(logged.roles).toEqual(['INTEGRATION_CLIENT']);
    // A signature made with another secret is refused by the partner's check.
    const [one] = a.receiver.received;
    expect(() =>
      new Webhook(b.secret).verify(one.body, {
        'webhook-id': one.id,
        'webhook-timestamp': one.timestamp,
        'webhook-signature': one.signature,
      }),
    ).toThrow();
  });

  it('a change that rolled back sends nothing (the event row rolled back with it)', async () => {
    let rolledBack = '';
    await db.dataSource
      .transaction(async (tx) => {
        const [row] = await tx.query(
          `INSERT INTO sip_meeting (person_id, starts_at, location, created_by) VALUES ($1, now() + interval '5 days', 'Rullas tillbaka', $2) RETURNING id`,
          [s.person.id, s.socialWorker.staff.id],
        );
        rolledBack = row.id;
        const [{ count }] = await tx.query(
          `SELECT count(*)::int AS count FROM webhook_event WHERE data->>'meetingId' = $1`,
          [rolledBack],
        );
        expect(count).toBe(1); // written in the same transaction as the change...
        throw new Error('roll back');
      })
      .catch((e: Error) => expect(e.message).toBe('roll back'));
    // ...and gone with it. A change committed after it arrives; the rolled-back one never does.
    const marker = await planMeeting(20);
    await eventually(async () => a.receiver.about('meetingId', marker.id).length > 0, 60_000);
    expect(rolledBack).toMatch(UUID);
    expect(a.receiver.about('meetingId', rolledBack)).toHaveLength(0);
    expect(b.receiver.about('meetingId', rolledBack)).toHaveLength(0);
    expect(
      await db.dataSource.query(`SELECT id FROM webhook_event WHERE data->>'meetingId' = $1`, [rolledBack]),
    ).toHaveLength(0);
  });

  it('a consent withdrawal stops deliveries about the person at once, a retrying one included', async () => {
    // The region's endpoint is down: its delivery retries with backoff.
    b.receiver.status = 503;
    const meeting = await planMeeting(30);
    const retrying = await eventually(async () => {
      const [d] = (await deliveriesOf(b.subscriptionId)).filter((x) => x.data.meetingId === meeting.id);
      return d && d.attempts >= 2 && d;
    }, 60_000);
    expect(retrying.status).toBe('PENDING');

    await f.consents.withdraw(s.socialWorker.actor, consentId, null);
    const [{ now: withdrawnAt }] = await db.dataSource.query(`SELECT now()`);
    b.receiver.status = 200;
    const stopped = await eventually(async () => {
      const [d] = (await deliveriesOf(b.subscriptionId)).filter((x) => x.id === retrying.id);
      return d.status !== 'PENDING' && d;
    }, 60_000);
    expect(stopped).toMatchObject({ status: 'STOPPED', stop_reason: 'ACCESS_ENDED' });
    // At most the one attempt already under way when the withdrawal committed.
    const [{ after }] = await db.dataSource.query(
      `SELECT count(*)::int AS after FROM webhook_attempt WHERE delivery_id = $1 AND attempted_at > $2`,
      [retrying.id, withdrawnAt],
    );
    expect(after).toBeLessThanOrEqual(1);
    // It never reached the region: every attempt was answered 503 (the endpoint answers 200 again now).
    expect(
      (
        await db.dataSource.query(
          `SELECT count(*)::int AS ok FROM webhook_attempt WHERE delivery_id = $1 AND status_code = 200`,
          [retrying.id],
        )
      )[0].ok,
    ).toBe(0);

    // What happens from now on reaches the municipality's system and not the region's: not even the withdrawal itself.
    const later = await planMeeting(40);
    await eventually(
      async () =>
        a.receiver.about('meetingId', later.id).length > 0 &&
        a.receiver.about('consentId', consentId).some((r) => r.body.includes('consent.withdrawn')),
      60_000,
    );
    expect(b.receiver.about('meetingId', later.id)).toHaveLength(0);
    expect((await deliveriesOf(b.subscriptionId)).filter((d) => d.data.meetingId === later.id)).toHaveLength(0);
    expect(b.receiver.received.some((r) => r.body.includes('consent.withdrawn'))).toBe(false);
  });

  it('a client lists only its own deliveries and subscriptions, with every attempt; administrators see theirs', async () => {
    type Deliveries = {
      webhookDeliveries: {
        edges: Array<{
          node: {
            subscriptionId: string;
            eventId: string;
            status: string;
            attempts: Array<{ statusCode: number | null }>;
          };
        }>;
      };
    };
    const ownA = await api.gql<Deliveries>(DELIVERIES, { first: 200 }, a.key);
    expect(ownA.errors).toBeUndefined();
    const nodesA = ownA.data!.webhookDeliveries.edges.map((e) => e.node);
    expect(nodesA.length).toBe((await deliveriesOf(a.subscriptionId)).length);
    expect(nodesA.every((n) => n.subscriptionId === a.subscriptionId)).toBe(true);

    const ownB = await api.gql<Deliveries>(DELIVERIES, { first: 200 }, b.key);
    const nodesB = ownB.data!.webhookDeliveries.edges.map((e) => e.node);
    expect(nodesB.length).toBeGreaterThan(0);
    expect(nodesB.every((n) => n.subscriptionId === b.subscriptionId)).toBe(true);
    // The stopped delivery shows its failed attempts (503) and why it stopped.
    expect(
      nodesB.some(
        (n) => n.status === 'STOPPED' && n.attempts.length >= 2 && n.attempts.every((x) => x.statusCode === 503),
      ),
    ).toBe(true);

    // Asking for the other client's subscription gives nothing; changing it is refused as not found.
    const foreign = await api.gql<Deliveries>(DELIVERIES, { s: b.subscriptionId }, a.key);
    expect(foreign.data!.webhookDeliveries.edges).toHaveLength(0);
    for (const mutation of [
      `mutation($id: ID!) { disableWebhookSubscription(id: $id) { id } }`,
      `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`,
    ]) {
      const refused = await api.gql(mutation, { id: b.subscriptionId }, a.key);
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
    const listA = await api.gql<{ webhookSubscriptions: Array<{ id: string }> }>(
      `{ webhookSubscriptions { id } }`,
      {},
      a.key,
    );
    expect(listA.data!.webhookSubscriptions.map((x) => x.id)).toEqual([a.subscriptionId]);

    // The administrator sees both; care staff see none.
    const adminToken = await api.login(administrator.username, administrator.password);
    const all = await api.gql<{ webhookSubscriptions: Array<{ id: string }> }>(
      `{ webhookSubscriptions { id } }`,
      {},
      adminToken,
    );
    expect(all.data!.webhookSubscriptions.map((x) => x.id).sort()).toEqual([a.subscriptionId, b.subscriptionId].sort());
    const staffToken = await api.login(s.socialWorker.username, s.socialWorker.password);
    const refused = await api.gql(`{ webhookSubscriptions { id } }`, {}, staffToken);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('a rotated secret signs from the next delivery, beside the old one for a day', async () => {
    const rotated = await api.gql<{ rotateWebhookSecret: { secret: string } }>(
      `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`,
      { id: a.subscriptionId },
      a.key,
    );
    const secret = rotated.data!.rotateWebhookSecret.secret;
    expect(secret).not.toBe(a.secret);
    const meeting = await planMeeting(50);
    const [received] = await eventually(
      async () => a.receiver.about('meetingId', meeting.id).length > 0 && a.receiver.about('meetingId', meeting.id),
      60_000,
    );
    const headers = {
      'webhook-id': received.id,
      'webhook-timestamp': received.timestamp,
      'webhook-signature': received.signature,
    };
    expect(new Webhook(secret).verify(received.body, headers)).toMatchObject({ type: 'meeting.planned' });
    expect(new Webhook(a.secret).verify(received.body, headers)).toMatchObject({ type: 'meeting.planned' });
    expect(received.signature.split(' ')).toHaveLength(2);
    a.secret = secret;
  });

  it('a worker killed mid-delivery: every event arrives at least once, a copy always with the same id and body', async () => {
    for (const w of workers) await w.kill();
    // Slow answers, so that the kill finds deliveries under way.
    a.receiver.delayMs = 150;
    const before = a.receiver.received.length;
    const planned = [];
    for (let i = 0; i < 40; i++) planned.push(await planMeeting(60 + i));
    const ids = new Set(planned.map((m) => m.id));
    const events: Array<{ id: string; meeting: string }> = await db.dataSource.query(
      `SELECT id, data->>'meetingId' AS meeting FROM webhook_event WHERE kind = 'MEETING_PLANNED' AND data->>'meetingId' = ANY($1::text[])`,
      [[...ids]],
    );
    expect(events).toHaveLength(40);

    const first = await startWorker();
    await eventually(async () => a.receiver.received.length - before >= 5, 60_000);
    await first.kill();
    // The kill cut the work short: the second worker has some left to do.
    const deliveredAtKill = (await deliveriesOf(a.subscriptionId)).filter(
      (d) => ids.has(d.data.meetingId) && d.status === 'DELIVERED',
    ).length;
    expect(deliveredAtKill).toBeLessThan(40);
    const second = await startWorker();
    // The killed worker's jobs come back when BullMQ finds them stalled (about 15 s); the sweep is the fallback.
    await eventually(
      async () => {
        const rows = (await deliveriesOf(a.subscriptionId)).filter((d) => ids.has(d.data.meetingId));
        return rows.length === 40 && rows.every((d) => d.status === 'DELIVERED');
      },
      150_000,
      250,
    );
    await second.stop();

    const got = a.receiver.received.slice(before);
    const byId = new Map<string, Received[]>();
    for (const r of got) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
    for (const event of events) {
      const copies = byId.get(event.id) ?? [];
      expect(copies.length).toBeGreaterThanOrEqual(1);
      // A copy is the same message: same id and body, each verifying.
      expect(new Set(copies.map((c) => c.body)).size).toBe(1);
      for (const c of copies)
        new Webhook(a.secret).verify(c.body, {
          'webhook-id': c.id,
          'webhook-timestamp': c.timestamp,
          'webhook-signature': c.signature,
        });
    }
    // Nothing arrived that is not one of the events (ids are the events' own).
    const known = new Set((await db.dataSource.query(`SELECT id FROM webhook_event`)).map((r: { id: string }) => r.id));
    expect(got.every((r) => known.has(r.id))).toBe(true);
  }, 240_000);

  it('a delivery made but never handed to the queue (a crash between the commit and the enqueue) is sent by the sweep', async () => {
    a.receiver.delayMs = 0;
    // As a worker that died right after its fan-out committed would leave it: the rows, and no job in Redis.
    const [event] = await db.dataSource.query(
      `INSERT INTO webhook_event (kind, person_id, data, fanned_out_at) VALUES ('MEETING_CANCELLED', $1::uuid, jsonb_build_object('personId', $1::text, 'meetingId', gen_random_uuid()::text), now()) RETURNING id`,
      [s.person.id],
    );
    await db.dataSource.query(
      `INSERT INTO webhook_delivery (event_id, subscription_id, next_attempt_at) VALUES ($1, $2, now() - interval '10 minutes')`,
      [event.id, a.subscriptionId],
    );
    const worker = await startWorker();
    await eventually(async () => a.receiver.received.some((r) => r.id === event.id), 60_000);
    await eventually(
      async () => (await deliveriesOf(a.subscriptionId)).find((d) => d.event_id === event.id)?.status === 'DELIVERED',
      30_000,
    );
    await worker.stop();
  }, 120_000);
  it('the sender signs with its injected clock: the timestamp header, the attempt and the next attempt follow it, and a stale signature is refused', async () => {
    for (const w of workers) await w.kill();
    const signedAt = new Date(Date.now() - 60_000);
    const jobs = new JobQueue(db.config);
    const sender = new WebhookDeliveryService(
      db.dataSource,
      jobs,
      new PolicyWebhookAudience(db.dataSource, new AccessPolicy(db.dataSource, db.config)),
      db.config,
      { now: () => signedAt },
    );
    try {
      const [event] = await db.dataSource.query(
        `INSERT INTO webhook_event (kind, person_id, data, fanned_out_at) VALUES ('MEETING_MOVED', $1::uuid, jsonb_build_object('personId', $1::text, 'meetingId', gen_random_uuid()::text), now()) RETURNING id`,
        [s.person.id],
      );
      // Due in an hour: only this test's call sends it.
      const [delivery] = await db.dataSource.query(
        `INSERT INTO webhook_delivery (event_id, subscription_id, next_attempt_at) VALUES ($1, $2, now() + interval '1 hour') RETURNING id`,
        [event.id, a.subscriptionId],
      );
      a.receiver.status = 500;
      expect(await sender.attempt(delivery.id)).toMatchObject({ outcome: 'retry', number: 1, statusCode: 500 });
      const [received] = a.receiver.received.filter((r) => r.id === event.id);
      expect(received.timestamp).toBe(String(Math.floor(signedAt.getTime() / 1000)));
      const [row] = await db.dataSource.query(
        `SELECT w.attempted_at, d.next_attempt_at, d.status, d.attempts FROM webhook_attempt w JOIN webhook_delivery d ON d.id = w.delivery_id WHERE d.id = $1`,
        [delivery.id],
      );
      expect(new Date(row.attempted_at).getTime()).toBe(signedAt.getTime());
      // The first retry waits WEBHOOK_BACKOFF_MS (here the test database's default, 60 s) from the clock's now.
      expect(new Date(row.next_attempt_at).getTime()).toBe(signedAt.getTime() + db.config.WEBHOOK_BACKOFF_MS);
      expect(row).toMatchObject({ status: 'PENDING', attempts: 1 });
      // A minute old is within the receivers' five-minute tolerance; a signature from an hour ago would not be.
      const headers = {
        'webhook-id': received.id,
        'webhook-timestamp': received.timestamp,
        'webhook-signature': received.signature,
      };
      expect(new Webhook(a.secret).verify(received.body, headers)).toMatchObject({ type: 'meeting.moved' });
      const stale = new WebhookDeliveryService(
        db.dataSource,
        jobs,
        new PolicyWebhookAudience(db.dataSource, new AccessPolicy(db.dataSource, db.config)),
        db.config,
        { now: () => new Date(Date.now() - 3_600_000) },
      );
      a.receiver.status = 200;
      expect(await stale.attempt(delivery.id)).toMatchObject({ outcome: 'delivered', number: 2 });
      const late = a.receiver.received.filter((r) => r.id === event.id)[1];
      expect(() =>
        new Webhook(a.secret).verify(late.body, {
          'webhook-id': late.id,
          'webhook-timestamp': late.timestamp,
          'webhook-signature': late.signature,
        }),
      ).toThrow(/too old/i);
      // Delivered: a further attempt (a job run twice) sends nothing.
      expect(await sender.attempt(delivery.id)).toEqual({ outcome: 'settled' });
      expect(a.receiver.received.filter((r) => r.id === event.id)).toHaveLength(2);
    } finally {
      await jobs.onApplicationShutdown();
    }
  });
});
