import { LoginThrottle, MAX_FAILED_LOGINS_PER_CLIENT } from '../../libs/auth/src';
import WebSocket from 'ws';
import { Fixtures, TestStaff } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The doors around the API itself (issue 10, findings 10, 11 and 15): the login lockout cannot be reset
 * or walked around, the cost limit costs what will run, WebSocket messages are capped before
 * authentication, and no answer may be cached.
 */
describe('login, cost and transport hardening', () => {
  let db: TestDatabase;
  let api: TestApi;
  let f: Fixtures;
  let setting: Awaited<ReturnType<Fixtures['careSetting']>>;
  let token: string;

  const LOGIN = `mutation($input: LoginInput!) { login(input: $input) { token } }`;
  const login = (username: string, password: string) =>
    api.gql<{ login: { token: string } }>(LOGIN, { input: { username, password } });
  const dashboard = (authorization?: string) =>
    fetch(api.url.replace('/graphql', '/admin/queues'), { headers: authorization ? { authorization } : {} });
  const basic = (username: string, password: string) =>
    `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

  beforeAll(async () => {
    db = await createTestDatabase({ RATE_LIMIT_PER_CLIENT_PER_MINUTE: '0' });
    api = await startTestApi(db);
    f = new Fixtures(db.dataSource);
    setting = await f.careSetting();
    token = await api.login(setting.socialWorker.username, setting.socialWorker.password);
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('keeps a locked username locked however many other usernames fail (the count is per username, not a map that is emptied when full)', async () => {
    const target = await f.staff(setting.municipality, 'NURSE' as never);
    for (let i = 0; i < 5; i++)
      expect((await login(target.username, `guess ${i}`)).errors?.[0].message).toBe('Wrong username or password');
    expect((await login(target.username, target.password)).errors?.[0].message).toMatch(/Too many failed logins/);

    // The flood that used to clear the failure map: more than 10,000 other usernames failing (from
    // many addresses, so the per-address limit is not what stops it).
    const throttle = api.app.get(LoginThrottle);
    for (let i = 0; i < 10_050; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) =>
          throttle.recordFailure(`flood-${i + j}`, `10.9.${(i + j) >> 8}.${(i + j) & 255}`),
        ),
      );
    }
    const still = await login(target.username, target.password);
    expect(still.data).toBeNull();
    expect(still.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/Too many failed logins for this username/),
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('counts HTTP Basic logins on the queue dashboard against the same lockout as the GraphQL login', async () => {
    const admin = await f.staff(setting.municipality, 'OTHER' as never, { administrator: true });
    expect((await dashboard(basic(admin.username, admin.password))).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await dashboard(basic(admin.username, `guess ${i}`))).status).toBe(401);
    expect((await dashboard(basic(admin.username, admin.password))).status).toBe(401);
    expect((await login(admin.username, admin.password)).errors?.[0].message).toMatch(/Too many failed logins/);
  });

  it('lets an administrator signed in to the web client into the queue dashboard by the session cookie, and nobody else', async () => {
    const signedIn = async (who: TestStaff) => {
      const response = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: new URL(api.url).origin },
        body: JSON.stringify({
          query: `mutation($i: LoginInput!) { signIn(input: $i) { expiresAt } }`,
          variables: { i: { username: who.username, password: who.password } },
        }),
      });
      expect(response.status).toBe(200);
      return response.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
    };
    const admin = await f.staff(setting.municipality, 'OTHER' as never, { administrator: true });
    const page = (cookie: string) => fetch(api.url.replace('/graphql', '/admin/queues'), { headers: { cookie } });
    expect((await page(await signedIn(admin))).status).toBe(200);
    expect((await page(await signedIn(setting.socialWorker))).status).toBe(403);
    expect((await page('samverka_session=forged')).status).toBe(401);
  });

  it('stops one address spraying passwords over many usernames, through either door', async () => {
    const victim: TestStaff = await f.staff(setting.municipality, 'PSYCHOLOGIST' as never);
    // Each username fails once, far below its own lockout; together they use up the address's failures
    // (the earlier tests in this file have used some of them already).
    for (let i = 0; i < MAX_FAILED_LOGINS_PER_CLIENT; i++) {
      if (i % 2 === 0)
        expect((await login(`spray-${i}`, 'Summer2026!')).errors?.[0].message).toMatch(
          /Wrong username or password|from this address/,
        );
      else expect((await dashboard(basic(`spray-${i}`, 'Summer2026!'))).status).toBe(401);
    }
    const refused = await login(victim.username, victim.password);
    expect(refused.errors?.[0].message).toMatch(/Too many failed logins from this address/);
  });

  it('costs an operation as it will run: variable defaults and the size arguments first, limit and size', async () => {
    const costly = `{ caseload(first: $n) { edges { node { person { timelineEntries(first: 200) { edges { node { id summary } } } } } } } }`;
    // The default of a variable is what runs when the request leaves it out.
    const withDefault = await api.gql(`query($n: Int! = 200) ${costly}`, {}, token);
    expect(withDefault.status).toBe(400);
    expect(withDefault.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY' });
    const small = await api.gql(`query($n: Int! = 2) ${costly}`, {}, token);
    expect(small.errors).toBeUndefined();

    // `limit` counts as many items as it asks for, not an assumed 10.
    const byLimit = `query($n: Int!) { caseload(first: $n) { edges { node { person { recentContacts(limit: 200) { id summary staff { id organisation { id name } } } } } } } }`;
    const limited = await api.gql(byLimit, { n: 100 }, token);
    expect(limited.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY' });
    expect((limited.errors?.[0].extensions as { cost: number }).cost).toBeGreaterThan(100 * 200);
  });

  it('closes a WebSocket that sends an oversized message before it has even authenticated', async () => {
    const socket = new WebSocket(api.url.replace('http', 'ws'), 'graphql-transport-ws');
    await new Promise<void>((resolve, reject) => (socket.once('open', () => resolve()), socket.once('error', reject)));
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { padding: 'x'.repeat(1024 * 1024) } }));
    expect(await closed).toBe(1009);
  });

  it('tells browsers and proxies to store no answer', async () => {
    const answered = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `query($id: ID!) { person(id: $id) { givenName } }`,
        variables: { id: setting.person.id },
      }),
    });
    expect(answered.status).toBe(200);
    expect(answered.headers.get('cache-control')).toBe('no-store');
    const refused = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(refused.headers.get('cache-control')).toBe('no-store');
    expect((await dashboard()).headers.get('cache-control')).toBe('no-store');
  });
});
