import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { OAuthTokenService } from '../../libs/auth/src';
import { Profession } from '../../libs/domain/src';
import { Clock } from '../../libs/infrastructure/src';
import { Fixtures, TestStaff } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(120_000);

const DAY_MS = 86_400_000;

/**
 * Issue 13 §1 over HTTP: POST /oauth/token, the client credentials grant, with client_secret_basic,
 * client_secret_post and private_key_jwt; errors as RFC 6749 section 5.2 says; the access token works on
 * GraphQL as the client's service account with the granted scopes.
 */
describe('the OAuth token endpoint', () => {
  let db: TestDatabase;
  let api: TestApi;
  let f: Fixtures;
  let admin: TestStaff;
  let adminToken: string;
  let tokenUrl: string;
  let clock: Clock;
  let s: Awaited<ReturnType<Fixtures['careSetting']>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApi(db);
    f = new Fixtures(db.dataSource);
    s = await f.careSetting();
    admin = await f.staff(s.municipality, Profession.OTHER, { administrator: true });
    adminToken = await api.login(admin.username, admin.password);
    tokenUrl = api.url.replace(/\/graphql$/, '/oauth/token');
    clock = api.app.get(Clock);
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  /** Moves the API's clock (the one it checks expiry with) by this much from now. */
  const advanceClock = (ms: number) => {
    const at = new Date(Date.now() + ms);
    jest.spyOn(clock, 'now').mockReturnValue(at);
  };

  const gqlOk = <T = any>(query: string, variables: Record<string, unknown>, token = adminToken) =>
    api.ok<T>(query, variables, token);

  async function newClient(scopes = ['PERSON_READ', 'PLAN_READ'], organisationId = s.municipality.id) {
    const created = await gqlOk(
      `mutation($i: CreateIntegrationClientInput!) { createIntegrationClient(input: $i) { clientId staff { id } } }`,
      {
        i: { organisationId, name: `EHR ${randomUUID().slice(0, 6)}`, scopes },
      },
    );
    return {
      clientId: created.createIntegrationClient.clientId as string,
      staffId: created.createIntegrationClient.staff.id as string,
    };
  }

  const createSecret = (staffId: string, days = 30) =>
    api.gql<any>(
      `mutation($i: CreateClientSecretInput!) { createIntegrationClientSecret(input: $i) { secret clientSecret { id hint expiresAt } client { clientId secrets { id revokedAt } } } }`,
      {
        i: { staffId, expiresAt: new Date(Date.now() + days * DAY_MS).toISOString() },
      },
      adminToken,
    );

  async function withSecret(scopes?: string[]) {
    const client = await newClient(scopes);
    const created = await createSecret(client.staffId);
    return {
      ...client,
      secret: created.data.createIntegrationClientSecret.secret as string,
      secretId: created.data.createIntegrationClientSecret.clientSecret.id as string,
    };
  }

  const post = async (form: Record<string, string>, headers: Record<string, string> = {}) => {
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form).toString(),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
  };
  const basic = (clientId: string, secret: string) => ({
    authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`,
  });

  const readPerson = async (token: string, id = s.person.id) => {
    const r = await api.gql<any>(`query($id: ID!) { person(id: $id) { id } }`, { id }, token);
    return r.data?.person?.id ?? r.errors?.[0].extensions?.code;
  };

  it('gives a short-lived bearer token for a client secret (Basic or in the form) that works on GraphQL as the client', async () => {
    const client = await withSecret();
    const byBasic = await post({ grant_type: 'client_credentials' }, basic(client.clientId, client.secret));
    expect(byBasic.status).toBe(200);
    expect(byBasic.headers.get('cache-control')).toBe('no-store');
    expect(byBasic.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'person.read plan.read',
    });
    expect(await readPerson(byBasic.body.access_token)).toBe(s.person.id);
    const [entry] = await db.dataSource.query(`SELECT staff_id, role FROM access_log WHERE staff_id = $1`, [
      client.staffId,
    ]);
    expect(entry).toEqual({ staff_id: client.staffId, role: 'INTEGRATION_CLIENT' });

    const byPost = await post({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.secret,
      scope: 'person.read',
    });
    expect([byPost.status, byPost.body.scope]).toEqual([200, 'person.read']);
    // Only the scopes granted: the plan is not opened by this token.
    const plan = await api.gql<any>(
      `query($id: ID!) { sipPlan(id: $id) { id } }`,
      { id: randomUUID() },
      byPost.body.access_token,
    );
    expect([plan.errors?.[0].extensions?.code, plan.errors?.[0].extensions?.reason]).toEqual([
      'FORBIDDEN',
      'SCOPE_NOT_GRANTED',
    ]);
    // Only a hash of the secret is kept.
    const [row] = await db.dataSource.query(
      `SELECT encode(secret_hash, 'hex') AS hash, hint FROM client_secret WHERE id = $1`,
      [client.secretId],
    );
    expect(JSON.stringify(row)).not.toContain(client.secret.slice(8));

    // The token expires after expires_in seconds, by the API's clock.
    advanceClock(301_000);
    expect(await readPerson(byBasic.body.access_token)).toBe('UNAUTHENTICATED');
  });

  it('refuses a wrong, expired or revoked secret, an unknown client, scope and grant type as RFC 6749 says', async () => {
    const client = await withSecret();
    const wrongBasic = await post(
      { grant_type: 'client_credentials' },
      basic(client.clientId, `${client.secret.slice(0, -2)}xx`),
    );
    expect([wrongBasic.status, wrongBasic.body.error, wrongBasic.headers.get('www-authenticate')]).toEqual([
      401,
      'invalid_client',
      'Basic realm="samverka", charset="UTF-8"',
    ]);
    const wrongPost = await post({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: 'svs_nope',
    });
    expect([wrongPost.status, wrongPost.body.error]).toEqual([401, 'invalid_client']);
    const unknown = await post({
      grant_type: 'client_credentials',
      client_id: 'cl_00000000000000000000000000000000',
      client_secret: client.secret,
    });
    expect([unknown.status, unknown.body.error]).toEqual([401, 'invalid_client']);

    const good = { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret };
    expect(await post({ ...good, scope: 'person.read launch.everything' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
    // A scope that exists but the client was not given.
    expect(await post({ ...good, scope: 'person.write' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
    expect(await post({ ...good, grant_type: 'password' })).toMatchObject({
      status: 400,
      body: { error: 'unsupported_grant_type' },
    });
    expect(await post({ client_id: client.clientId, client_secret: client.secret })).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    // Two ways of authentication at once, or no form body.
    expect(await post(good, basic(client.clientId, client.secret))).toMatchObject({
      status: 400,
      body: { error: 'invalid_request' },
    });
    const json = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(good),
    });
    expect([json.status, ((await json.json()) as any).error]).toEqual([400, 'invalid_request']);

    // Expired: a day after its expiry, by the API's clock.
    advanceClock(31 * DAY_MS);
    expect(await post(good)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    jest.restoreAllMocks();
    expect((await post(good)).status).toBe(200);

    // Revoked: refused from the next request on.
    expect(
      (
        await api.gql(
          `mutation($id: ID!) { revokeIntegrationClientSecret(secretId: $id) { clientId } }`,
          { id: client.secretId },
          adminToken,
        )
      ).errors,
    ).toBeUndefined();
    expect(await post(good)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('rotates with two secrets in force during the change-over, never three; revoking the old one leaves the new', async () => {
    const client = await withSecret();
    const second = await createSecret(client.staffId, 90);
    const newSecret = second.data.createIntegrationClientSecret.secret as string;
    expect(second.data.createIntegrationClientSecret.client.secrets).toHaveLength(2);
    const third = await createSecret(client.staffId);
    expect([third.errors?.[0].extensions?.code, third.errors?.[0].extensions?.reason]).toEqual([
      'INVALID_STATE',
      'CLIENT_SECRET_LIMIT',
    ]);
    const form = (secret: string) => ({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: secret,
    });
    expect((await post(form(client.secret))).status).toBe(200);
    expect((await post(form(newSecret))).status).toBe(200);
    await api.gql(
      `mutation($id: ID!) { revokeIntegrationClientSecret(secretId: $id) { clientId } }`,
      { id: client.secretId },
      adminToken,
    );
    expect((await post(form(client.secret))).status).toBe(401);
    expect((await post(form(newSecret))).status).toBe(200);
    // A secret that expires in the past, or too far ahead, is refused at its field.
    const past = await api.gql<any>(
      `mutation($i: CreateClientSecretInput!) { createIntegrationClientSecret(input: $i) { secret } }`,
      { i: { staffId: client.staffId, expiresAt: new Date(Date.now() - DAY_MS).toISOString() } },
      adminToken,
    );
    expect(past.errors?.[0].extensions?.field).toBe('expiresAt');
  });

  it('authenticates private_key_jwt with the registered public key, once per assertion, for our audience only', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const other = await generateKeyPair('ES256', { extractable: true });
    const audience = api.app.get(OAuthTokenService).tokenEndpoint;
    /** A client with the public key registered, and assertions for it (each failure counts against its lockout, so two clients share the cases). */
    const keyedClient = async () => {
      const client = await newClient(['PERSON_READ']);
      const registered = await api.gql<any>(
        `mutation($i: RegisterClientKeyInput!) { registerIntegrationClientKey(input: $i) { publicKeys { kid kty } } }`,
        {
          i: { staffId: client.staffId, jwk: JSON.stringify({ ...(await exportJWK(publicKey)), alg: 'ES256' }) },
        },
        adminToken,
      );
      expect(registered.data.registerIntegrationClientKey.publicKeys).toEqual([{ kid: expect.any(String), kty: 'EC' }]);
      const assertion = (claims: { aud?: string; exp?: number } = {}, key = privateKey) =>
        new SignJWT({})
          .setProtectedHeader({ alg: 'ES256' })
          .setIssuer(client.clientId)
          .setSubject(client.clientId)
          .setAudience(claims.aud ?? audience)
          .setJti(randomUUID())
          .setIssuedAt()
          .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 60)
          .sign(key);
      return { ...client, assertion };
    };
    const form = (jwt: string) => ({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: jwt,
    });
    const refusedClient = { status: 401, body: { error: 'invalid_client' } };

    const first = await keyedClient();
    // A private key is never registered.
    const refused = await api.gql<any>(
      `mutation($i: RegisterClientKeyInput!) { registerIntegrationClientKey(input: $i) { clientId } }`,
      {
        i: { staffId: first.staffId, jwk: JSON.stringify(await exportJWK(privateKey)) },
      },
      adminToken,
    );
    expect([refused.errors?.[0].extensions?.code, refused.errors?.[0].extensions?.field]).toEqual([
      'BAD_USER_INPUT',
      'jwk',
    ]);

    const jwt = await first.assertion();
    const granted = await post(form(jwt));
    expect([granted.status, granted.body.scope]).toEqual([200, 'person.read']);
    expect(await readPerson(granted.body.access_token)).toBe(s.person.id);
    // The issuer's address is an accepted audience as well.
    expect((await post(form(await first.assertion({ aud: audience.replace(/\/oauth\/token$/, '') })))).status).toBe(
      200,
    );
    // The replay store keeps each jti until its assertion expires.
    const [stored] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM client_assertion_jti WHERE staff_id = $1`,
      [first.staffId],
    );
    expect(stored.n).toBe(2);
    // The same assertion again is a replay; another audience; expired.
    expect(await post(form(jwt))).toMatchObject(refusedClient);
    expect(await post(form(await first.assertion({ aud: 'https://elsewhere.example/token' })))).toMatchObject(
      refusedClient,
    );
    expect(await post(form(await first.assertion({ exp: Math.floor(Date.now() / 1000) - 120 })))).toMatchObject(
      refusedClient,
    );

    const second = await keyedClient();
    // Valid for too long, signed with another key, the wrong assertion type.
    expect(await post(form(await second.assertion({ exp: Math.floor(Date.now() / 1000) + 3600 })))).toMatchObject(
      refusedClient,
    );
    expect(await post(form(await second.assertion({}, other.privateKey)))).toMatchObject(refusedClient);
    expect(await post({ ...form(await second.assertion()), client_assertion_type: 'urn:other' })).toMatchObject(
      refusedClient,
    );
    expect((await post(form(await second.assertion()))).status).toBe(200);
  });

  it('follows the client: scopes taken away and a revoked client count from the next request', async () => {
    const client = await withSecret(['PERSON_READ', 'PLAN_READ']);
    const { body } = await post({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.secret,
    });
    expect(await readPerson(body.access_token)).toBe(s.person.id);
    expect(
      (
        await api.gql(
          `mutation($i: SetIntegrationClientScopesInput!) { setIntegrationClientScopes(input: $i) { scopes } }`,
          { i: { staffId: client.staffId, scopes: ['PLAN_READ'] } },
          adminToken,
        )
      ).errors,
    ).toBeUndefined();
    expect(await readPerson(body.access_token)).toBe('FORBIDDEN');
    await api.gql(
      `mutation($i: SetStaffActiveInput!) { setStaffActive(input: $i) { id } }`,
      { i: { staffId: client.staffId, active: false } },
      adminToken,
    );
    expect(await readPerson(body.access_token)).toBe('UNAUTHENTICATED');
    expect(
      await post({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret }),
    ).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('locks a client id out after repeated failed authentications, even with the right secret then', async () => {
    const client = await withSecret();
    for (let i = 0; i < 5; i++)
      expect(
        (
          await post({
            grant_type: 'client_credentials',
            client_id: client.clientId,
            client_secret: `svs_${'x'.repeat(43)}`,
          })
        ).status,
      ).toBe(401);
    const locked = await post({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.secret,
    });
    expect([locked.status, locked.body.error, locked.headers.get('retry-after')]).toEqual([
      429,
      'temporarily_unavailable',
      '900',
    ]);
  });

  it('is for administrators to manage: nobody else reads or changes client credentials', async () => {
    const client = await newClient();
    const social = await api.login(s.socialWorker.username, s.socialWorker.password);
    expect((await api.gql<any>(`{ integrationClients { clientId } }`, {}, social)).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await createSecret(client.staffId)).errors).toBeUndefined();
    const bySocial = await api.gql<any>(
      `mutation($i: CreateClientSecretInput!) { createIntegrationClientSecret(input: $i) { secret } }`,
      { i: { staffId: client.staffId, expiresAt: new Date(Date.now() + DAY_MS).toISOString() } },
      social,
    );
    expect(bySocial.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const listed = await gqlOk(
      `{ integrationClients { clientId staffId oauthScopes staff { id } secrets { hint } } }`,
      {},
    );
    expect(listed.integrationClients.find((c: any) => c.staffId === client.staffId)).toMatchObject({
      clientId: client.clientId,
      oauthScopes: ['person.read', 'plan.read'],
      staff: { id: client.staffId },
    });
  });
});

describe('the OAuth token endpoint under the per-address request rate', () => {
  let db: TestDatabase;
  let api: TestApi;

  beforeAll(async () => {
    db = await createTestDatabase({ RATE_LIMIT_PER_CLIENT_PER_MINUTE: '3' });
    api = await startTestApi(db);
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('counts every token request against the address, as GraphQL requests are, and refuses beyond it with 429', async () => {
    const post = () =>
      fetch(api.url.replace(/\/graphql$/, '/oauth/token'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'cl_00000000000000000000000000000000',
          client_secret: 'svs_x',
        }).toString(),
      });
    // Until one is refused: at most 2 x 3 + 1 (the count may start in the process's memory while the API's Redis
    // connection opens and go on in Redis, each allowing 3), so one must be.
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 7 && !refused; i++) {
      const response = await post();
      statuses.push(response.status);
      if (response.status === 429) refused = response;
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(
      refused && [
        refused.status,
        ((await refused.json()) as { error: string }).error,
        Number(refused.headers.get('retry-after')) > 0,
      ],
    ).toEqual([429, 'temporarily_unavailable', true]);
  });
});
