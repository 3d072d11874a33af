import { INestApplicationContext } from '@nestjs/common';
import fc from 'fast-check';
import { Client as WsClient, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { AccessLogService } from '../../libs/domain/src';
import { addDays, today } from '../../libs/domain/src/time';
import { databaseUrl } from '../support/env';
import { Fixtures } from '../support/fixtures';
import { compareLog, logSnapshot, Observer, Query, superuserQuery } from '../support/side-doors/guarantees';
import {
  buildVariables,
  FieldDef,
  fieldAt,
  Hint,
  introspect,
  operationFor,
  Schema,
} from '../support/side-doors/schema';
import { Actor, buildWorld, Role, ROLES, World } from '../support/side-doors/world';
import { GqlResponse, startTestApi, TestApi } from '../support/test-api';
import { eventually, startWorker } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The side-door test (issue 10): the four guarantees must hold through every path, not only the front
 * doors. Every mutation of the served schema (read by introspection: a new one fails this test until it
 * is given a builder below) is driven as every role, alone, in the attack scripts of the issue, and in
 * seeded random sequences; after each step and each sequence the guarantees are checked from outside
 * (responses scanned for planted secrets, the database read as a superuser). See
 * test/support/side-doors/guarantees.ts for what G1-G4 check.
 */

const SEED = 20261206;
const RANDOM_SEQUENCES = 2;
const RANDOM_STEPS = 30;
/** How deep a mutation's answer is selected (deep enough to carry the person's details, cheap enough to run). */
const MUTATION_DEPTH = 2;

const tag = () => randomBytes(3).toString('hex');
/** A public key (EC P-256) for registering as an integration client's key; its private half was thrown away. */
const SIDE_DOOR_JWK = JSON.stringify({
  kty: 'EC',
  crv: 'P-256',
  x: '47xoA1eJVCdrjEHu8Pk38QOd97jOYdAWXjlc2Ei0Lcg',
  y: 'GF4n2HYBx_c-lgOJ-RgtaBHLpwDUHGCAtiMU4t_0Wzk',
  kid: 'side-door',
});
const soon = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

interface Ctx {
  planVersion: number;
}

/**
 * What each mutation is called with, on top of what its input type requires (filled generically from
 * introspection by `hint`). Fields a mutation no longer has are dropped, so a moved field does not break
 * the file; a mutation missing here fails the first test with "give <name> a builder".
 */
const BUILDERS: Record<string, (w: World, a: Actor, ctx: Ctx) => Record<string, unknown>> = {
  addActTeamMember: (w) => ({ input: { teamId: w.teamId, staffId: w.spare.addableStaffIds[1], role: 'nurse' } }),
  addGroupMember: (w) => ({ input: { personId: w.personId, staffId: w.spare.addableStaffIds[0], role: 'helper' } }),
  addOnCallShift: (w) => ({
    input: { teamId: w.teamId, staffId: w.spare.staffId, startsAt: soon(2), endsAt: soon(4) },
  }),
  addRelative: (w) => ({ personId: w.personId, input: { name: 'Bror Sidodörr', relation: 'brother' } }),
  cancelSipMeeting: (w) => ({ id: w.meetingId }),
  castVote: (w) => ({ input: { proposalId: w.proposalId, choice: 'AGREE' } }),
  changeCaseManager: (w) => ({ input: { clientId: w.clientId, caseManagerStaffId: w.spare.staffId } }),
  createActTeam: (w) => ({ input: { name: `ACT ${tag()}`, organisationId: w.organisations.municipality } }),
  createIntegrationClientSecret: (w) => ({ input: { staffId: w.spareIntegrationClientId, expiresAt: soon(24 * 30) } }),
  createIntegrationClient: (w) => ({
    input: { organisationId: w.organisations.municipality, name: `Client ${tag()}`, scopes: ['DIRECTORY_READ'] },
  }),
  createOrganisation: () => ({ input: { name: `Org ${tag()}`, principal: 'OTHER', kind: 'NGO' } }),
  createSipPlan: (w) => ({ input: { personId: w.personId } }),
  createStaffMember: (w) => ({
    input: {
      organisationId: w.organisations.municipality,
      givenName: 'Ny',
      familyName: `Personal ${tag()}`,
      profession: 'NURSE',
    },
  }),
  createUnit: (w) => ({ input: { organisationId: w.organisations.municipality, name: `Enhet ${tag()}` } }),
  createWebhookSubscription: (w) => ({
    input: {
      clientId: w.integrationClientId,
      url: 'http://127.0.0.1:9/hooks',
      eventKinds: ['MEETING_PLANNED', 'CONSENT_WITHDRAWN'],
    },
  }),
  disableWebhookSubscription: (w) => ({ id: w.webhookSubscriptionId }),
  rotateWebhookSecret: (w) => ({ id: w.webhookSubscriptionId }),
  endRelative: (w) => ({ relativeId: w.spare.relativeId }),
  editSipPlan: (w, _a, c) => ({
    input: { planId: w.planId, expectedVersion: c.planVersion, content: { personGoals: 'A flat of my own' } },
  }),
  endActTeamMembership: (w) => ({ memberId: w.spare.teamMemberId }),
  endActTeamPlace: (w) => ({ input: { clientId: w.clientId } }),
  endGroupMembership: (w) => ({ input: { memberId: w.spare.memberId } }),
  enrolInActTeam: (w) => ({ input: { personId: w.personId, teamId: w.teamId } }),
  login: () => ({ input: { username: '', password: '' } }),
  markAllNotificationsRead: () => ({}),
  markNotificationsRead: () => ({ ids: [] }),
  openCareEpisode: (w) => ({ input: { personId: w.personId, kind: 'ADDICTION_CARE' } }),
  // On the world's person: opening emergency access must still never show whereabouts or change anything.
  openEmergencyAccess: (w) => ({
    input: { personId: w.personId, reason: 'Side-door test: found unwell, needs care now' },
  }),
  openProposal: (w) => ({
    input: {
      personId: w.personId,
      type: 'OTHER',
      title: 'Side-door',
      rationale: 'A decision to vote on',
      deadline: soon(24),
    },
  }),
  planSipMeeting: (w, a) => ({
    input: {
      personId: w.personId,
      startsAt: soon(30),
      location: 'Mötesrummet',
      participantStaffIds: [a.staffId],
      invitePerson: false,
    },
  }),
  retryFailedDelivery: (w) => ({ id: w.failedDeliveryId }),
  rotateIntegrationClientKey: (w) => ({ staffId: w.spareIntegrationClientId }),
  revokeIntegrationClientSecret: (w) => ({ secretId: w.spareClientSecretId }),
  setIntegrationClientScopes: (w) => ({
    input: { staffId: w.spareIntegrationClientId, scopes: ['DIRECTORY_READ', 'PERSON_READ'] },
  }),
  registerIntegrationClientKey: (w) => ({ input: { staffId: w.spareIntegrationClientId, jwk: SIDE_DOOR_JWK } }),
  removeIntegrationClientKey: (w) => ({ input: { staffId: w.spareIntegrationClientId, kid: 'side-door' } }),
  recordCaseCheck: (w) => ({ input: { personId: w.personId, kind: 'RELATIVES_IDENTIFIED', doneOn: today() } }),
  recordConsent: (w) => ({
    input: { personId: w.personId, purpose: 'SHARING', scope: 'WHOLE_GROUP', givenHow: 'WRITTEN' },
  }),
  recordContact: (w) => ({
    input: {
      personId: w.personId,
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      kind: 'PHONE',
      summary: 'Called',
    },
  }),
  recordEpisodeEnding: (w) => ({ input: { personId: w.personId, reason: 'MOVED_OUT_OF_AREA', evidence: 'said so' } }),
  recordMove: (w) => ({
    input: { personId: w.personId, kind: 'EMERGENCY_SHELTER', startedOn: today(), address: 'Natthärbärget' },
  }),
  // The version the world's plan is at (adopted or not: a version that is not is refused, changing nothing).
  recordPlanApproval: (w, _a, c) => ({
    input: { planId: w.planId, version: c.planVersion, method: 'VERBAL_WITH_WITNESS', witnessName: 'Kim Vittne' },
  }),
  recordSipFollowUp: (w, _a, c) => ({
    input: {
      planId: w.planId,
      expectedVersion: c.planVersion,
      summary: 'Side-door follow-up',
      nextFollowUpOn: addDays(today(), 30),
    },
  }),
  recordSipMeetingHeld: (w, a) => ({
    id: w.meetingId,
    input: { attendedStaffIds: [a.staffId], minutes: 'Side-door minutes', personAttended: true },
  }),
  registerPerson: () => ({
    input: {
      identityKind: 'UNIDENTIFIED',
      givenName: 'Ny',
      familyName: `Person ${tag()}`,
      birthYear: 1980,
      legalGender: 'FEMALE',
      roleInGroup: 'contact',
    },
  }),
  requestDischarge: () => ({}),
  // The ending's episode comes from `hint` (your own organisation's, else the home principal's).
  reviewEpisodeEnding: () => ({ input: { note: 'Side-door review' } }),
  reviewProtectedIdentityChange: (w) => ({ input: { id: w.protectionChangeId } }),
  rescheduleSipMeeting: (w) => ({ id: w.meetingId, input: { startsAt: soon(50) } }),
  reviewEmergencyAccess: (w) => ({ input: { id: w.emergencyId } }),
  reviewAccessLogEntry: (w) => ({ input: { entryId: w.accessLogEntryId, note: 'Side-door review' } }),
  setActTeamNoContactAlertDays: (w) => ({ input: { teamId: w.teamId, days: 5 } }),
  // Oneself as coordinator: nobody grants themselves anything.
  setCoordinator: (w, a) => ({ input: { personId: w.personId, staffId: a.staffId } }),
  setFollowUp: (w, _a, c) => ({
    input: { planId: w.planId, expectedVersion: c.planVersion, followUpOn: '2030-02-01' },
  }),
  setInterventionStatus: (w, _a, c) => ({
    input: { planId: w.planId, expectedVersion: c.planVersion, interventionId: w.interventionId, status: 'ONGOING' },
  }),
  // Lifting the protection (finding 1): only the home principal's authorised staff may.
  setProtectedIdentity: (w) => ({
    input: { personId: w.personId, level: 'NONE', reason: 'Side-door test: no longer needed' },
  }),
  setNotificationPreferences: () => ({ input: { email: false, sms: false } }),
  // Giving a municipality member a vote changes the electorate: open proposals are voided.
  setVotingRepresentative: (w) => ({ input: { memberId: w.spare.memberId, votingRepresentative: true } }),
  // Refused as invalid input before any password check: failed logins from one address lock it out (finding 10).
  signIn: () => ({ input: { username: '', password: '' } }),
  signOut: () => ({}),
  setStaffActive: (w) => ({ input: { staffId: w.spare.rolesStaffId, active: true } }),
  // Oneself as authorised to see protected whereabouts: a self-grant.
  setStaffRoles: (_w, a) => ({ input: { staffId: a.staffId, whereaboutsAuthorised: true } }),
  transitionSipPlan: (w, _a, c) => ({ input: { planId: w.planId, expectedVersion: c.planVersion, status: 'ACTIVE' } }),
  // Lifting the protection is the side door of finding 1 (it may move to a mutation of its own).
  // The relative with the planted family secrets: its answer carries them, so a withheld family shows here.
  updateRelative: (w) => ({ relativeId: w.relativeId, input: { mayParticipate: true } }),
  updatePerson: (w) => ({ personId: w.personId, input: { protectedIdentity: 'NONE', phone: '+46 8 123 45' } }),
  withdrawConsent: (w) => ({ input: { consentId: w.spare.consentId } }),
  withdrawProposal: (w) => ({ input: { proposalId: w.proposalId, reason: 'Side-door test: withdrawn' } }),
};

/** Mutations that end or void what others need (the proposal, the episodes, the meeting): run last when each runs alone. */
const ENDS_THINGS = new Set([
  'endRelative',
  'addGroupMember',
  'endGroupMembership',
  'setVotingRepresentative',
  'recordEpisodeEnding',
  'withdrawConsent',
  'cancelSipMeeting',
  'requestDischarge',
  'withdrawProposal',
  'endActTeamPlace',
]);

/** Mutations called without a token. */
const PUBLIC = new Set(['login', 'signIn']);

/** Generic values by field name, for what a builder does not name (new required fields included). */
function hint(w: World, a: Actor, ctx: Ctx): Hint {
  const ids: Record<string, unknown> = {
    personId: w.personId,
    planId: w.planId,
    interventionId: w.interventionId,
    proposalId: w.proposalId,
    // Your own organisation's episode where you have one, else the home principal's.
    episodeId: a.organisationId === w.organisations.psychiatry ? w.episodes.region : w.episodes.municipality,
    teamId: w.teamId,
    memberId: w.spare.memberId,
    consentId: w.spare.consentId,
    meetingId: w.meetingId,
    organisationId: w.organisations.municipality,
    staffId: w.spare.addableStaffIds[0],
    expectedVersion: ctx.planVersion,
  };
  const enums: Record<string, string> = {
    VoteChoice: 'AGREE',
    EndingReason: 'MOVED_OUT_OF_AREA',
    ProposalType: 'OTHER',
    ProtectedIdentity: 'NONE',
    ConsentPurpose: 'SHARING',
    ConsentScope: 'WHOLE_GROUP',
    ConsentGivenHow: 'WRITTEN',
    Principal: 'OTHER',
    Profession: 'NURSE',
  };
  return (field, scalar) => {
    if (field in ids) return ids[field];
    if (scalar in enums) return enums[scalar];
    if (scalar === 'String' && /^valid|On$|Date$/.test(field)) return today();
    if (scalar === 'String' && /reason|evidence|rationale|comment|note|justification|ground/i.test(field))
      return 'Side-door test: a reason stated at length';
    if (scalar === 'DateTime' && /occurred|at$/i.test(field) && !/starts|ends|deadline/i.test(field))
      return new Date(Date.now() - 60_000).toISOString();
    return undefined;
  };
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const plain = (x: unknown) => x !== null && typeof x === 'object' && !Array.isArray(x);
    out[k] = plain(v) && plain(out[k]) ? merge(out[k] as Record<string, unknown>, v as Record<string, unknown>) : v;
  }
  return out;
}

/** The queries that answer with a person's data, read after steps; any query taking a personId joins them. */
const PROBES = [
  'person',
  'patientOverview',
  'personAccess',
  'caseload',
  'notifications',
  'sipPlan',
  'proposal',
  'consents',
];
const QUICK_PROBES = ['person', 'notifications'];
const PROBE_IDS: Record<string, (w: World) => Record<string, unknown>> = {
  person: (w) => ({ id: w.personId }),
  sipPlan: (w) => ({ id: w.planId }),
  proposal: (w) => ({ id: w.proposalId }),
};
/** How deep the reads after a step select (the cost limit may make it less). */
const PROBE_DEPTH = 3;
const NOT_ACCEPTED = new Set(['QUERY_TOO_COSTLY', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED']);

/**
 * Violations whose fix has not landed yet, by the finding of issue 10 they belong to: left out of the
 * sequences' assertions, each with a `test.failing` of its own that reproduces it (so that it fails,
 * and the entry goes, the day the fix lands). Only findings with a number belong here. Empty now: the
 * two finding-12 entries (a proposal's title in notifications; limitations under emergency access)
 * went with 4ec8dac and aefb98b.
 */
const PENDING: Array<{ finding: number; what: string; matches: RegExp }> = [];

function unexplained(violations: string[]): string[] {
  return violations.filter((v) => !PENDING.some((p) => p.matches.test(v)));
}

describe('side doors: the guarantees hold through every mutation, as every role', () => {
  let db: TestDatabase;
  let api: TestApi;
  let worker: INestApplicationContext;
  let f: Fixtures;
  let superuser: Client;
  let q: Query;
  let schema: Schema;
  let probeDepth: Map<string, number>;
  /** Fields that crashed when read (a 500 inside an answer): left out of later selections, and reported. */
  const crashed = new Set<string>();
  /** Mutations whose 500 came from a field of their answer, not from the mutation itself. */
  const rootCrashFree = new Set<string>();

  beforeAll(async () => {
    db = await createTestDatabase({ RATE_LIMIT_PER_CLIENT_PER_MINUTE: '0', RATE_LIMIT_PER_USER_PER_MINUTE: '0' });
    api = await startTestApi(db);
    // The worker executes discharge requests: a side door to a discharge is only open if it gets through it.
    worker = await startWorker(db);
    f = new Fixtures(db.dataSource);
    superuser = new Client({ connectionString: databaseUrl(db.name) });
    await superuser.connect();
    q = superuserQuery(superuser);
    schema = await introspect(api);
    probeDepth = new Map();
  });

  afterAll(async () => {
    await superuser?.end();
    await worker?.close();
    await api?.close();
    await db?.drop();
  });

  const probeFields = (): FieldDef[] =>
    schema.queries.filter((x) => PROBES.includes(x.name) || x.args.some((a) => a.name === 'personId'));

  async function planVersion(w: World): Promise<number> {
    const [row] = await q(`SELECT version FROM sip_plan WHERE id = $1`, [w.planId]);
    return row?.version ?? 1;
  }

  /** Runs one mutation as `role` under the observer's checks; `extra` overrides the builder. */
  async function step(
    obs: Observer,
    w: World,
    role: Role,
    mutation: string,
    extra: Record<string, unknown> = {},
  ): Promise<GqlResponse<any> | null> {
    const field = schema.mutations.find((m) => m.name === mutation);
    if (!field) {
      obs.steps.push(`${mutation} as ${role} [not in the schema]`);
      return null;
    }
    const builder = BUILDERS[mutation];
    if (!builder) {
      // The first test fails for it; the sequences go on without it.
      obs.steps.push(`${mutation} as ${role} [no builder]`);
      return null;
    }
    const actor = w.actors[role];
    const ctx = { planVersion: await planVersion(w) };
    const variables = buildVariables(schema, field, hint(w, actor, ctx), merge(builder(w, actor, ctx), extra));
    const query = operationFor(schema, 'mutation', field, variables, MUTATION_DEPTH, crashed);
    const was = await obs.before(role);
    const r = await api.gql<any>(query, variables, PUBLIC.has(mutation) ? undefined : actor.token);
    await obs.after(role, mutation, variables, r, was);
    // A field of the answer that crashed is reported once (by the test below) and left out from now on.
    const crashes = (r.errors ?? []).filter((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR');
    for (const e of crashes) {
      const broken = e.path ? fieldAt(schema, field, e.path) : null;
      if (broken) crashed.add(broken);
    }
    if (crashes.length && crashes.every((e) => e.path && fieldAt(schema, field, e.path))) rootCrashFree.add(mutation);
    return r;
  }

  /**
   * Reads what the probes answer as each of `roles`, scanning every answer: all of them at the end of a
   * sequence, the widest ones (`quick`) after each successful step.
   */
  async function probe(obs: Observer, w: World, roles: readonly Role[], quick = false): Promise<void> {
    for (const field of probeFields().filter((x) => !quick || QUICK_PROBES.includes(x.name))) {
      const own = w.actors.own;
      const variables = buildVariables(
        schema,
        field,
        hint(w, own, { planVersion: 1 }),
        PROBE_IDS[field.name]?.(w) ?? {},
      );
      if (!probeDepth.has(field.name)) {
        // The deepest selection the server accepts (the cost limit and depth limit decide).
        let depth = PROBE_DEPTH;
        for (; depth > 0; depth--) {
          const r = await api.gql(operationFor(schema, 'query', field, variables, depth), variables, own.token);
          if (!(r.errors ?? []).some((e) => NOT_ACCEPTED.has(e.extensions?.code as string))) break;
        }
        probeDepth.set(field.name, depth);
      }
      await Promise.all(
        roles.map(async (role) => {
          const before = await obs.loggedFor(role);
          let r = await api.gql(
            operationFor(schema, 'query', field, variables, probeDepth.get(field.name)!, crashed),
            variables,
            w.actors[role].token,
          );
          // A field that crashes nulls the whole answer and would hide what the rest shows: read again without it.
          const broken = (r.errors ?? [])
            .map((e) =>
              e.extensions?.code === 'INTERNAL_SERVER_ERROR' && e.path ? fieldAt(schema, field, e.path) : null,
            )
            .filter((x): x is string => x !== null);
          if (broken.length) {
            for (const b of broken) crashed.add(b);
            r = await api.gql(
              operationFor(schema, 'query', field, variables, probeDepth.get(field.name)!, crashed),
              variables,
              w.actors[role].token,
            );
          }
          obs.readLogged(role, `${field.name} read afterwards`, r.data, before, await obs.loggedFor(role));
          obs.scan(role, `${field.name} read afterwards`, JSON.stringify(r));
        }),
      );
    }
  }

  const readers = ROLES.filter((r) => r !== 'own');

  /**
   * Every reader subscribed to every subscription (for this person where it takes one) while a sequence
   * runs: what arrives over the WebSocket is scanned as any answer is. Returns the unsubscribe.
   */
  async function listen(obs: Observer, w: World): Promise<{ stop: () => Promise<void>; received: () => number }> {
    const clients: WsClient[] = [];
    let received = 0;
    const started: Array<Promise<void>> = [];
    for (const role of readers) {
      const client = createClient({
        url: api.url.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${w.actors[role].token}` },
        lazy: false,
      });
      clients.push(client);
      started.push(new Promise<void>((resolve) => client.on('connected', () => resolve())));
      for (const field of schema.subscriptions) {
        const variables = buildVariables(
          schema,
          field,
          hint(w, w.actors[role], { planVersion: 1 }),
          field.args.some((a) => a.name === 'personId') ? { personId: w.personId } : {},
        );
        client.subscribe(
          { query: operationFor(schema, 'subscription', field, variables, 2), variables },
          {
            next: (m) => {
              received++;
              obs.scan(role, `the ${field.name} event`, JSON.stringify(m));
            },
            error: () => undefined,
            complete: () => undefined,
          },
        );
      }
    }
    // Connected is not yet subscribed: a moment for the subscribe messages to be handled.
    await Promise.race([Promise.all(started), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    return {
      received: () => received,
      async stop() {
        // Events still in flight arrive before the sockets close.
        await new Promise((resolve) => setTimeout(resolve, 300));
        await Promise.all(clients.map((c) => c.dispose()));
      },
    };
  }

  async function finish(obs: Observer, w: World): Promise<void> {
    await probe(obs, w, readers);
    await obs.finish(
      () => api.app.get(AccessLogService).verify(),
      async () => {
        await eventually(
          async () => {
            const [row] = await q(
              `SELECT count(*)::int AS n FROM discharge_request r JOIN care_episode e ON e.id = r.episode_id WHERE e.person_id = $1 AND r.status = 'PENDING'`,
              [w.personId],
            );
            return row.n === 0;
          },
          30_000,
          50,
        );
      },
    );
  }

  async function newWorld(name: string): Promise<{ w: World; obs: Observer }> {
    const w = await buildWorld(api, f, superuser);
    const obs = new Observer(q, w, name);
    await obs.start();
    return { w, obs };
  }

  it('has a builder for every mutation the schema serves', () => {
    const missing = schema.mutations.map((m) => m.name).filter((name) => !BUILDERS[name]);
    expect(missing.map((name) => `give ${name} a builder`)).toEqual([]);
    expect(schema.mutations.length).toBeGreaterThan(30);
  });

  it('a legitimate discharge passes the checks: proposed, agreed by every elector, requested, executed', async () => {
    const { w, obs } = await newWorld('legitimate discharge');
    const listening = await listen(obs, w);
    const opened = await step(obs, w, 'own', 'openProposal', {
      input: {
        type: 'DISCHARGE',
        episodeId: w.episodes.municipality,
        title: 'Avsluta aktualitet',
        rationale: 'Stable',
      },
    });
    const proposalId = opened?.data?.openProposal?.id;
    await step(obs, w, 'own', 'castVote', { input: { proposalId } });
    await step(obs, w, 'other', 'castVote', { input: { proposalId } });
    await nurseVotes(obs, w, proposalId, 'AGREE');
    await step(obs, w, 'own', 'requestDischarge', { episodeId: w.episodes.municipality });
    await listening.stop();
    await finish(obs, w);
    // The subscriptions are listened to (so events are scanned too): the votes reached the other members.
    expect(listening.received()).toBeGreaterThan(0);
    const [episode] = await q(`SELECT status FROM care_episode WHERE id = $1`, [w.episodes.municipality]);
    expect(episode.status).toBe('DISCHARGED');
    // G1 only: the world's other secrets are the other tests' business.
    expect(obs.violations.filter((v) => v.startsWith('G1'))).toEqual([]);
  });

  /** The second region voter is no role of its own; its vote is a plain step. */
  async function nurseVotes(obs: Observer, w: World, proposalId: string, choice: 'AGREE' | 'DISAGREE') {
    const field = schema.mutations.find((m) => m.name === 'castVote')!;
    const variables = buildVariables(schema, field, hint(w, w.actors.other, { planVersion: 1 }), {
      input: { proposalId, choice, comment: 'Not yet' },
    });
    const r = await api.gql(operationFor(schema, 'mutation', field, variables, 1), variables, w.nurse.token);
    obs.steps.push(
      `castVote ${choice} as the second region voter [${r.errors ? r.errors.map((e) => e.extensions?.code).join(',') : 'ok'}]`,
    );
  }

  describe('(a) each mutation alone, as each role', () => {
    it.each(ROLES.map((r) => [r]))(
      'as %s',
      async (role) => {
        const { w, obs } = await newWorld(`each mutation alone as ${role}`);
        for (const field of [...schema.mutations].sort(
          (a, b) => Number(ENDS_THINGS.has(a.name)) - Number(ENDS_THINGS.has(b.name)),
        )) {
          obs.steps.length = 0;
          const r = await step(obs, w, role, field.name);
          if (r && !r.errors) await probe(obs, w, [role], true);
          await obs.restoreProtection();
        }
        obs.steps.length = 0;
        obs.steps.push(`every mutation as ${role}, one at a time`);
        await finish(obs, w);
        // Not vacuous: every builder's variables pass the schema's validation, and the own principal's
        // member gets most mutations through (a shape change that breaks the builders shows here).
        // A 500 leaves the door untested too (and a refusal must be a DomainError, never a crash).
        // (A crash inside the answer, not of the mutation, is the "no field crashed" test's.)
        const failedAtRoot = (o: { mutation: string; codes: string[] }) =>
          o.codes.includes('GRAPHQL_VALIDATION_FAILED') ||
          (o.codes.includes('INTERNAL_SERVER_ERROR') && !rootCrashFree.has(o.mutation));
        expect(obs.outcomes.filter(failedAtRoot).map((o) => `${o.mutation}: ${o.codes}`)).toEqual([]);
        if (role === 'own') expect(obs.outcomes.filter((o) => o.ok).length).toBeGreaterThanOrEqual(15);
        expect(unexplained(obs.violations)).toEqual([]);
      },
      120_000,
    );
  });

  /** The attacks of issue 10, each in a world of its own. */
  const ATTACKS: Record<string, (w: World, obs: Observer) => Promise<void>> = {
    "end the dissenter's membership back-dated, reopen without them, approve, discharge": async (w, obs) => {
      const first = await step(obs, w, 'own', 'openProposal', {
        input: { type: 'DISCHARGE', episodeId: w.episodes.municipality, title: 'Avsluta', rationale: 'First round' },
      });
      const firstId = first?.data?.openProposal?.id;
      await step(obs, w, 'other', 'castVote', {
        input: { proposalId: firstId, choice: 'DISAGREE', comment: 'Not stable yet' },
      });
      const [dissenter] = await q(
        `SELECT id::text FROM group_member WHERE group_id = $1 AND staff_id = $2 AND valid_to IS NULL`,
        [w.groupId, w.actors.other.staffId],
      );
      await step(obs, w, 'own', 'endGroupMembership', {
        input: { memberId: dissenter.id, validTo: addDays(today(), -1) },
      });
      // Nor today: a member of one organisation may not end another organisation's member's place.
      await step(obs, w, 'own', 'endGroupMembership', { input: { memberId: dissenter.id, validTo: undefined } });
      const second = await step(obs, w, 'own', 'openProposal', {
        input: { type: 'DISCHARGE', episodeId: w.episodes.municipality, title: 'Avsluta', rationale: 'Second round' },
      });
      const secondId = second?.data?.openProposal?.id ?? firstId;
      await step(obs, w, 'own', 'castVote', { input: { proposalId: secondId } });
      await nurseVotes(obs, w, secondId, 'AGREE');
      await step(obs, w, 'own', 'requestDischarge', { episodeId: w.episodes.municipality });
    },
    'lift the protected identity, then read': async (w, obs) => {
      for (const role of ['other', 'ngo', 'emergency', 'otherNoConsent'] as const) {
        await step(obs, w, role, 'updatePerson');
        for (const m of schema.mutations.filter((x) => /protect/i.test(x.name)))
          await step(obs, w, role, m.name, { input: { protectedIdentity: 'NONE', level: 'NONE' } });
        await probe(obs, w, [role]);
      }
    },
    'record an ending as the NGO and under emergency access': async (w, obs) => {
      for (const role of ['ngo', 'emergency', 'otherNoConsent'] as const) {
        await step(obs, w, role, 'recordEpisodeEnding', { input: { episodeId: w.episodes.municipality } });
        await step(obs, w, role, 'recordEpisodeEnding', {
          input: { reason: 'DIED', evidence: 'heard it', episodeId: w.episodes.region },
        });
      }
    },
    'under emergency access, add oneself as a voting member back-dated and as coordinator': async (w, obs) => {
      const me = w.actors.emergency.staffId;
      await step(obs, w, 'emergency', 'addGroupMember', {
        input: { staffId: me, role: 'me', votingRepresentative: true, validFrom: '2020-01-01' },
      });
      await step(obs, w, 'emergency', 'addGroupMember', {
        input: { staffId: me, role: 'me', votingRepresentative: true },
      });
      await step(obs, w, 'emergency', 'setCoordinator', { input: { staffId: me } });
      await step(obs, w, 'emergency', 'recordConsent');
      await probe(obs, w, ['emergency']);
    },
    'the administrator adds themselves to the ACT roster, grants themselves whereabouts, then reads': async (
      w,
      obs,
    ) => {
      await step(obs, w, 'own', 'enrolInActTeam');
      await step(obs, w, 'administrator', 'addActTeamMember', {
        input: { staffId: w.actors.administrator.staffId, role: 'me' },
      });
      await step(obs, w, 'administrator', 'setStaffRoles');
      await step(obs, w, 'administrator', 'openEmergencyAccess');
      await step(obs, w, 'orgAdministrator', 'setStaffRoles');
      await probe(obs, w, ['administrator', 'orgAdministrator']);
    },
    'change the consent, then read what it withheld': async (w, obs) => {
      for (const role of ['ngo', 'other'] as const) {
        await step(obs, w, role, 'recordConsent', { input: { scope: 'WHOLE_GROUP', purpose: 'SHARING' } });
        await step(obs, w, role, 'withdrawConsent', { input: { consentId: w.limitingConsentId } });
        await probe(obs, w, [role]);
      }
    },
  };

  describe('(b) the attacks of the issue', () => {
    it.each(Object.keys(ATTACKS).map((k) => [k]))(
      '%s',
      async (name) => {
        const { w, obs } = await newWorld(name);
        const listening = await listen(obs, w);
        await ATTACKS[name](w, obs);
        await listening.stop();
        await finish(obs, w);
        expect(unexplained(obs.violations)).toEqual([]);
      },
      60_000,
    );
  });

  describe('(c) seeded random sequences across roles', () => {
    it.each(Array.from({ length: RANDOM_SEQUENCES }, (_, i) => [SEED + i]))(
      'seed %d',
      async (seed) => {
        const names = schema.mutations.map((m) => m.name);
        const [sequence] = fc.sample(
          fc.array(fc.tuple(fc.constantFrom(...names), fc.constantFrom(...ROLES)), {
            minLength: RANDOM_STEPS,
            maxLength: RANDOM_STEPS,
          }),
          { seed, numRuns: 1 },
        );
        const { w, obs } = await newWorld(`random sequence, seed ${seed}`);
        const listening = await listen(obs, w);
        for (const [mutation, role] of sequence) {
          const r = await step(obs, w, role, mutation);
          if (r && !r.errors) await probe(obs, w, [role], true);
        }
        await listening.stop();
        await finish(obs, w);
        expect(unexplained(obs.violations)).toEqual([]);
      },
      90_000,
    );
  });

  // After the sequences: a field that crashed was read around, but the part of the answer it held went unchecked.
  it('no field crashed when read in the sequences above', () => {
    expect([...crashed]).toEqual([]);
  });

  // Last: it breaks the log and a discharge of this file's database on purpose.
  it('the checks can fail: forged breaches of G1-G4 through the superuser connection are all reported', async () => {
    const { w, obs } = await newWorld('self-check');
    await api.app.get(AccessLogService).sealPending();
    const log = await logSnapshot(q);

    // G1: an episode discharged with a DISCHARGE decision nobody voted for (the triggers switched off).
    const opened = await step(obs, w, 'own', 'openProposal', {
      input: { type: 'DISCHARGE', episodeId: w.episodes.municipality, title: 'Forged', rationale: 'Self-check' },
    });
    const proposalId = opened?.data?.openProposal?.id;
    expect(proposalId).toBeTruthy();
    await q(`BEGIN`);
    await q(`SET LOCAL session_replication_role = replica`);
    await q(
      `UPDATE proposal SET status = 'APPROVED', close_reason = 'ALL_AGREED', closed_at = now(), approval_valid_until = now() + interval '1 day', used_at = now() WHERE id = $1`,
      [proposalId],
    );
    await q(
      `UPDATE care_episode SET status = 'DISCHARGED', ended_at = now(), discharge_decision_id = $2 WHERE id = $1`,
      [w.episodes.municipality, proposalId],
    );
    // G4: one sealed entry deleted, another changed.
    const [first, second] = await q(`SELECT id FROM access_log WHERE chain_seq IS NOT NULL ORDER BY id LIMIT 2`);
    await q(`DELETE FROM access_log WHERE id = $1`, [first.id]);
    await q(`UPDATE access_log SET entity = 'forged' WHERE id = $1`, [second.id]);
    await q(`COMMIT`);
    expect(await compareLog(q, log)).toEqual(expect.arrayContaining([expect.stringMatching(/rows deleted/)]));

    // Per-call checks, given a "mutation" that the superuser performs in their place.
    const forged = async (
      role: Role,
      name: string,
      variables: Record<string, unknown>,
      breach: () => Promise<unknown>,
    ) => {
      const was = await obs.before(role);
      await breach();
      await obs.after(role, name, variables, { data: { [name]: { id: 'x' } } }, was);
    };
    await forged('other', 'forgedEnd', {}, () =>
      q(`UPDATE group_member SET valid_from = $3, valid_to = $2 WHERE id = $1`, [
        w.spare.memberId,
        addDays(today(), -1),
        addDays(today(), -5),
      ]),
    );
    await forged('ngo', 'forgedLift', {}, () =>
      q(
        `BEGIN; SET LOCAL session_replication_role = replica; UPDATE person SET protected_identity = 'NONE' WHERE id = '${w.personId}'; COMMIT`,
      ),
    );
    await forged('own', 'forgedRead', { personId: w.personId }, async () => undefined);
    await forged('emergency', 'forgedJoin', {}, () =>
      q(
        `INSERT INTO group_member (group_id, staff_id, role, principal, voting_representative, valid_from) VALUES ($1, $2, 'me', 'MUNICIPALITY', true, '2020-01-01')`,
        [w.groupId, w.actors.emergency.staffId],
      ),
    );
    obs.readLogged('other', 'a forged read', { person: { id: w.personId } }, 3, 3);
    obs.scan('ngo', 'a forged answer', `{"relative":"${w.categories.FAMILY[0].value}"}`);
    obs.scan('other', 'a forged answer', `{"address":"${w.whereabouts[0].value}"}`);
    await obs.finish(
      () => api.app.get(AccessLogService).verify(),
      async () => undefined,
    );

    const reported = (pattern: RegExp) => obs.violations.some((v) => pattern.test(v));
    expect({
      forgedDischarge: reported(/^G1 \(no discharge without agreement\).*had not agreed/),
      backDatedEnd: reported(/^G1 \(membership never back-dated\).*forgedEnd/),
      outsiderJoined: reported(/^G1 \(group changed only from inside\) violated \[self-check\] as emergency/),
      backDatedJoin: reported(/^G1 \(membership never back-dated\).*starting 2020-01-01/),
      protectionLifted: reported(/^G2 \(protection level\) violated \[self-check\] as ngo/),
      whereaboutsShown: reported(/^G2 \(whereabouts hidden\) violated \[self-check\] as other.*housing address/),
      limitationBroken: reported(/^G3 \(limitations kept\) violated \[self-check\] as ngo.*relative name/),
      accessNotLogged: reported(/^G4 \(every access logged\).*forgedRead/),
      readNotLogged: reported(/^G4 \(every access logged\) violated \[self-check\] as other.*a forged read/),
      rowsDeleted: reported(/^G4 \(log intact\).*rows deleted/),
      verifierObjects: reported(/^G4 \(log intact\).*the verifier reports/),
    }).toEqual({
      forgedDischarge: true,
      backDatedEnd: true,
      outsiderJoined: true,
      backDatedJoin: true,
      protectionLifted: true,
      whereaboutsShown: true,
      limitationBroken: true,
      accessNotLogged: true,
      readNotLogged: true,
      rowsDeleted: true,
      verifierObjects: true,
    });
  });
});
