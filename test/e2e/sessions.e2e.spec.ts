import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { SessionService } from '../../libs/auth/src';
import { DecisionEventBus, decisionEvent, DecisionEventKind } from '../../libs/domain/src';
import { Fixtures, TestStaff } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { eventually } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const ME = `{ me { id } }`;
const SIGN_IN = `mutation($i: LoginInput!) { signIn(input: $i) { expiresAt staff { id } } }`;

/** A browser's cookie jar for one sign-in: the session cookie (HttpOnly) and the CSRF cookie our scripts read. */
interface BrowserJar {
  session: string;
  csrf: string;
  setCookie: string[];
}

/**
 * Browser sessions (AUTH_MODE=local here; oidc.e2e.spec.ts signs in through a real provider): the session
 * lives in an HttpOnly cookie, a cookie request needs its CSRF header and our origin, sign-out, the idle
 * and absolute limits (on an injected clock), and that deactivation and revoked roles take effect on the
 * next request rather than after an identity cache's 30 seconds.
 */
describe('browser sessions', () => {
  let db: TestDatabase;
  let api: TestApi;
  let f: Fixtures;
  let sessions: SessionService;
  let origin: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApi(db);
    f = new Fixtures(db.dataSource);
    sessions = api.app.get(SessionService);
    origin = new URL(api.url).origin;
  });

  afterEach(() => {
    sessions.now = () => new Date();
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  async function signIn(who: TestStaff): Promise<BrowserJar> {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ query: SIGN_IN, variables: { i: { username: who.username, password: who.password } } }),
    });
    const body = (await response.json()) as { data?: { signIn: { staff: { id: string } } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data!.signIn.staff.id).toBe(who.staff.id);
    const setCookie = response.headers.getSetCookie();
    const value = (name: string) =>
      setCookie
        .find((c) => c.startsWith(`${name}=`))!
        .split(';')[0]
        .slice(name.length + 1);
    return { session: value('samverka_session'), csrf: value('samverka_csrf'), setCookie };
  }

  /** A request as the web client sends it: cookies, the CSRF header and our origin, no Authorization. */
  async function asBrowser(
    jar: BrowserJar,
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ) {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: `samverka_session=${jar.session}; samverka_csrf=${jar.csrf}`,
        'x-csrf-token': jar.csrf,
        origin,
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: Array<{ extensions?: { code?: string } }> };
    return { ...body, code: body.errors?.[0]?.extensions?.code, setCookie: response.headers.getSetCookie() };
  }

  const minutesLater = (minutes: number) => () => new Date(Date.now() + minutes * 60_000);

  it('keeps the session in an HttpOnly, SameSite cookie, never in the answer, and serves requests by it alone', async () => {
    const { socialWorker } = await f.careSetting();
    const jar = await signIn(socialWorker);
    const sessionCookie = jar.setCookie.find((c) => c.startsWith('samverka_session='))!;
    expect(sessionCookie).toMatch(/; HttpOnly/);
    expect(sessionCookie).toMatch(/; SameSite=Strict/);
    expect(sessionCookie).toMatch(/; Path=\//);
    // The CSRF cookie is for our scripts to read, so not HttpOnly; neither is a token the answer carries.
    expect(jar.setCookie.find((c) => c.startsWith('samverka_csrf='))).not.toMatch(/HttpOnly/);
    expect((await asBrowser(jar, ME)).data.me.id).toBe(socialWorker.staff.id);
    // Only the hash is stored.
    const stored = await db.dataSource.query(
      `SELECT encode(token_hash, 'hex') AS hash FROM staff_session WHERE staff_id = $1`,
      [socialWorker.staff.id],
    );
    expect(stored).toHaveLength(1);
    expect(stored[0].hash).not.toContain(jar.session);
  });

  it('is Secure with the __Host- prefix in production', async () => {
    const request = { headers: { host: 'samverka.example.se' }, socket: {} } as never;
    const production = new SessionService({ ...db.config, NODE_ENV: 'production' } as never, db.dataSource);
    expect(production.signInCookies(request, 'token')).toEqual([
      expect.stringMatching(/^__Host-samverka_session=token; Path=\/; SameSite=Strict; Secure; HttpOnly$/),
      expect.stringMatching(/^__Host-samverka_csrf=[\w-]+; Path=\/; SameSite=Strict; Secure$/),
    ]);
    // Outside production too, unless the request is plain HTTP to the loopback address.
    expect(sessions.signInCookies(request, 'token')[0]).toMatch(/^__Host-samverka_session=.*; Secure; HttpOnly$/);
  });

  it('refuses a cookie request without the CSRF header, with a wrong one, or from another origin', async () => {
    const { socialWorker } = await f.careSetting();
    const jar = await signIn(socialWorker);
    const noHeader = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `samverka_session=${jar.session}`, origin },
      body: JSON.stringify({ query: ME }),
    });
    expect(((await noHeader.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await asBrowser(jar, ME, {}, { 'x-csrf-token': 'forged' })).code).toBe('FORBIDDEN');
    expect((await asBrowser(jar, ME, {}, { origin: 'https://evil.example' })).code).toBe('FORBIDDEN');
    // A bearer token never needs the CSRF header: integration clients keep working as before.
    expect((await api.gql<any>(ME, {}, await api.login(socialWorker.username, socialWorker.password))).data.me.id).toBe(
      socialWorker.staff.id,
    );
  });

  it('signs out: the session is refused from the next request and the cookies are removed', async () => {
    const { socialWorker } = await f.careSetting();
    const jar = await signIn(socialWorker);
    const other = await signIn(socialWorker);
    const out = await asBrowser(jar, `mutation { signOut }`);
    expect(out.data.signOut).toBe(true);
    expect(out.setCookie).toEqual([
      expect.stringMatching(/^samverka_session=; .*Max-Age=0/),
      expect.stringMatching(/^samverka_csrf=; .*Max-Age=0/),
    ]);
    expect((await asBrowser(jar, ME)).code).toBe('UNAUTHENTICATED');
    // Another browser's session of the same staff member is its own.
    expect((await asBrowser(other, ME)).data.me.id).toBe(socialWorker.staff.id);
  });

  it('ends a session after SESSION_IDLE_MINUTES without a request, and any request keeps it alive', async () => {
    const { socialWorker } = await f.careSetting();
    const jar = await signIn(socialWorker);
    sessions.now = minutesLater(29);
    expect((await asBrowser(jar, ME)).data.me.id).toBe(socialWorker.staff.id);
    sessions.now = minutesLater(29 + 29);
    expect((await asBrowser(jar, ME)).data.me.id).toBe(socialWorker.staff.id);
    sessions.now = minutesLater(29 + 29 + 31);
    expect((await asBrowser(jar, ME)).code).toBe('UNAUTHENTICATED');
  });

  it('ends a session after SESSION_MAX_HOURS however active it is', async () => {
    const { socialWorker } = await f.careSetting();
    const jar = await signIn(socialWorker);
    for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
      sessions.now = minutesLater(minutes);
      expect((await asBrowser(jar, ME)).code).toBeUndefined();
    }
    sessions.now = minutesLater(12 * 60 + 1);
    expect((await asBrowser(jar, ME)).code).toBe('UNAUTHENTICATED');
  });

  it('refuses a deactivated staff member on the very next request, token and session alike; reactivation revives no session', async () => {
    const { municipality, socialWorker } = await f.careSetting();
    const admin = await f.staff(municipality, 'OTHER' as never, { administrator: true });
    const adminToken = await api.login(admin.username, admin.password);
    const token = await api.login(socialWorker.username, socialWorker.password);
    const jar = await signIn(socialWorker);
    expect((await api.gql<any>(ME, {}, token)).data.me.id).toBe(socialWorker.staff.id);
    expect((await asBrowser(jar, ME)).data.me.id).toBe(socialWorker.staff.id);

    const setActive = `mutation($i: SetStaffActiveInput!) { setStaffActive(input: $i) { active } }`;
    expect(
      (await api.gql<any>(setActive, { i: { staffId: socialWorker.staff.id, active: false } }, adminToken)).errors,
    ).toBeUndefined();
    expect((await api.gql<any>(ME, {}, token)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await asBrowser(jar, ME)).code).toBe('UNAUTHENTICATED');

    expect(
      (await api.gql<any>(setActive, { i: { staffId: socialWorker.staff.id, active: true } }, adminToken)).errors,
    ).toBeUndefined();
    expect((await api.gql<any>(ME, {}, token)).data.me.id).toBe(socialWorker.staff.id);
    expect((await asBrowser(jar, ME)).code).toBe('UNAUTHENTICATED');
    expect((await asBrowser(await signIn(socialWorker), ME)).data.me.id).toBe(socialWorker.staff.id);
  });

  it('hides protected whereabouts on the very next request once the authorisation is revoked', async () => {
    const { municipality, socialWorker } = await f.careSetting();
    const colleague = await f.staff(municipality, 'SOCIAL_WORKER' as never);
    const person = await f.person(socialWorker, { protectedIdentity: 'SKYDDAD_FOLKBOKFORING' as never });
    await f.collaboration.addMember(person.id, {
      staffId: colleague.staff.id,
      role: 'housing support',
      votingRepresentative: false,
    });
    const social = await api.login(socialWorker.username, socialWorker.password);
    const move = `mutation($i: RecordMoveInput!) { recordMove(input: $i) { kind } }`;
    expect(
      (
        await api.gql<any>(
          move,
          { i: { personId: person.id, kind: 'TRAINING_FLAT', startedOn: '2026-02-01', address: 'Hemliga gatan 7' } },
          social,
        )
      ).errors,
    ).toBeUndefined();
    await f.staffService.setRoles(colleague.staff.id, { whereaboutsAuthorised: true });
    const token = await api.login(colleague.username, colleague.password);
    const jar = await signIn(colleague);
    const housing = `query($id: ID!) { person(id: $id) { currentHousing { address } } }`;
    expect((await api.gql<any>(housing, { id: person.id }, token)).data.person.currentHousing.address).toBe(
      'Hemliga gatan 7',
    );
    expect((await asBrowser(jar, housing, { id: person.id })).data.person.currentHousing.address).toBe(
      'Hemliga gatan 7',
    );

    await f.staffService.setRoles(colleague.staff.id, { whereaboutsAuthorised: false });
    expect((await api.gql<any>(housing, { id: person.id }, token)).data.person.currentHousing.address).toBeNull();
    expect((await asBrowser(jar, housing, { id: person.id })).data.person.currentHousing.address).toBeNull();
  });

  describe('over WebSocket', () => {
    /** A graphql-ws client whose upgrade request carries the browser's cookie (and no token) from `from`. */
    function subscribeAsBrowser(jar: BrowserJar, from: string, personId: string) {
      const headers = { cookie: `samverka_session=${jar.session}`, origin: from };
      const BrowserSocket = class extends WebSocket {
        constructor(url: string, protocols?: string | string[]) {
          super(url, protocols, { headers });
        }
      };
      const received: string[] = [];
      const errors: string[] = [];
      const state = { ended: false };
      const client = createClient({
        url: api.url.replace('http', 'ws'),
        webSocketImpl: BrowserSocket,
        retryAttempts: 0,
      });
      client.subscribe<{ decisionEvents: { kind: string } }>(
        { query: `subscription($p: ID) { decisionEvents(personId: $p) { kind } }`, variables: { p: personId } },
        {
          next: (m) =>
            m.errors
              ? errors.push(String(m.errors[0].extensions?.code))
              : m.data && received.push(m.data.decisionEvents.kind),
          error: (e) =>
            errors.push(
              Array.isArray(e) ? String((e[0] as { extensions?: { code?: string } }).extensions?.code) : 'closed',
            ),
          complete: () => (state.ended = true),
        },
      );
      return { received, errors, state, close: () => client.dispose() };
    }

    it('authenticates by the cookie from our origin, checks the session again for every event, and refuses another origin', async () => {
      const s = await f.careSetting();
      const bus = api.app.get(DecisionEventBus);
      const publish = () =>
        bus.publish([decisionEvent(DecisionEventKind.PROPOSAL_OPENED, s.person.id, { proposalId: null })]);
      const jar = await signIn(s.nurse);
      const own = subscribeAsBrowser(jar, origin, s.person.id);
      const foreign = subscribeAsBrowser(jar, 'https://evil.example', s.person.id);
      try {
        // Published until the subscription, registered asynchronously, has one (no sleeping).
        await eventually(async () => (await publish(), own.received.length > 0), 10_000, 100);
        expect(await eventually(async () => foreign.errors[0])).toBe('FORBIDDEN');
        expect(foreign.received).toEqual([]);

        expect((await asBrowser(jar, `mutation { signOut }`)).data.signOut).toBe(true);
        // The next event finds the session ended: the stream stops.
        await publish();
        await eventually(async () => own.state.ended);
      } finally {
        own.close();
        foreign.close();
      }
    });
  });
});
