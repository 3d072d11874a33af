import { getIntrospectionQuery } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { Fixtures } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { startThrowawayRedis } from '../support/throwaway-redis';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * Sends one operation over a graphql-ws connection and returns the first thing it answers: its errors,
 * its first result, or `pending` when a subscription was accepted and is waiting for an event.
 */
async function overWebSocket(
  url: string,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
) {
  const client = createClient({
    url: url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
  try {
    return await new Promise<{
      errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
      data?: unknown;
      pending?: true;
    }>((resolve) => {
      const timer = setTimeout(() => resolve({ pending: true }), 500);
      client.subscribe(
        { query, variables },
        {
          next: (result) => (clearTimeout(timer), resolve(result as never)),
          error: (errors) => (clearTimeout(timer), resolve({ errors: errors as never })),
          complete: () => undefined,
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

describe('GraphQL hardening', () => {
  let db: TestDatabase;
  let api: TestApi;
  let token: string;
  let personId: string;

  beforeAll(async () => {
    db = await createTestDatabase({ RATE_LIMIT_PER_USER_PER_MINUTE: '25', RATE_LIMIT_PER_CLIENT_PER_MINUTE: '0' });
    api = await startTestApi(db);
    const f = new Fixtures(db.dataSource);
    const s = await f.careSetting();
    token = await api.login(s.socialWorker.username, s.socialWorker.password);
    personId = s.person.id;
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  const raw = (body: string, headers: Record<string, string> = {}) =>
    fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body,
    });

  it('refuses too many aliases, and too costly queries (with their variables), before running anything', async () => {
    const aliased = Array.from({ length: 31 }, (_, i) => `a${i}: me { id }`).join(' ');
    const tooMany = await api.gql(`{ ${aliased} }`, {}, token);
    expect(tooMany.errors?.[0].message).toMatch(/more than 30 aliases/);
    expect(tooMany.data).toBeNull();

    const costly = `query($n: Int!) { caseload(first: $n) { edges { node { person { timelineEntries(first: 200) { edges { node { id summary } } } } } } } }`;
    const refused = await api.gql(costly, { n: 200 }, token);
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', maxCost: 20_000 });
    const small = await api.gql(costly, { n: 2 }, token);
    expect(small.errors).toBeUndefined();
  });

  it('answers the standard introspection query outside production, while data queries keep the depth limit', async () => {
    const standard = await api.gql<any>(getIntrospectionQuery());
    expect(standard.errors).toBeUndefined();
    expect(standard.data.__schema.queryType.name).toBe('Query');
    const deep = await api.gql(
      `query($id: ID!) { person(id: $id) { collaborationGroup { members { staff { organisation { units { id } } } } } careEpisodes { id } proposals { electorate { staff { organisation { units { id name } } } } } } }`,
      { id: personId },
      token,
    );
    expect(deep.errors).toBeUndefined();
    const tooDeep = await api.gql(
      `{ __typename me { organisation { units { organisation { units { organisation { units { organisation { units { organisation { units { id } } } } } } } } } } } }`,
      {},
      token,
    );
    expect(tooDeep.errors?.[0].message).toMatch(/nested \d+ levels deep/);
  });

  it('answers a batch of queries one result each, and refuses a mutation in a batch, an oversized batch and an empty one', async () => {
    const logged = async () =>
      (
        await db.dataSource.query(
          `SELECT count(*)::int AS n FROM access_log WHERE person_id = $1 AND entity = 'person'`,
          [personId],
        )
      )[0].n;
    const loggedBefore = await logged();
    const batch = await raw(
      JSON.stringify([
        { query: '{ me { id } }' },
        { query: 'query($id: ID!) { person(id: $id) { id } }', variables: { id: personId } },
      ]),
    );
    expect(batch.status).toBe(200);
    const [me, person] = await batch.json();
    expect(me.data.me.id).toEqual(expect.any(String));
    expect(person.data.person.id).toBe(personId);
    // Each operation is authorised and logged on its own: a batch is no way round the access log.
    expect(await logged()).toBe(loggedBefore + 1);

    const withMutation = await raw(JSON.stringify([{ query: '{ me { id } }' }, { query: 'mutation { signOut }' }]));
    const [, mutation] = await withMutation.json();
    expect(mutation.errors[0].extensions).toMatchObject({ code: 'BAD_REQUEST', reason: 'BATCH_QUERIES_ONLY' });
    expect(mutation.data).toBeUndefined();

    const nine = await raw(JSON.stringify(Array.from({ length: 9 }, () => ({ query: '{ me { id } }' }))));
    expect(nine.status).toBe(400);
    expect((await nine.json()).errors[0].extensions).toMatchObject({ reason: 'BATCH_SIZE', params: { max: 8 } });
    expect((await raw('[]')).status).toBe(400);
  });

  it('refuses oversized bodies and cross-site simple requests, and shows no stack traces', async () => {
    const big = await raw(JSON.stringify({ query: `{ me { id } }`, variables: { pad: 'x'.repeat(200_000) } }));
    expect(big.status).toBe(413);
    expect(await big.text()).not.toMatch(/at .*\.js:\d+/);
    const simple = await fetch(`${api.url}?query=${encodeURIComponent('{ me { id } }')}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(simple.status).toBe(400);
    const broken = await api.gql(`{ me { id nosuchfield } }`, {}, token);
    expect(JSON.stringify(broken.errors)).not.toMatch(/stacktrace/i);
  });

  it('over WebSocket: subscriptions only, under the same depth, alias and cost limits; errors formatted as over HTTP', async () => {
    const accepted = await overWebSocket(api.url, token, `subscription { notificationReceived { kind } }`);
    expect(accepted).toEqual({ pending: true });

    const query = await overWebSocket(api.url, token, `{ me { id } }`);
    expect(query.errors?.[0].message).toMatch(/Only subscriptions are served over WebSocket/);
    const mutation = await overWebSocket(
      api.url,
      null,
      `mutation { login(input: { username: "x", password: "y" }) { token } }`,
    );
    expect(mutation.errors?.[0].message).toMatch(/Only subscriptions are served over WebSocket/);

    const aliased = Array.from({ length: 31 }, (_, i) => `a${i}: kind`).join(' ');
    const tooMany = await overWebSocket(api.url, token, `subscription { notificationReceived { ${aliased} } }`);
    expect(tooMany.errors?.[0].message).toMatch(/more than 30 aliases/);
    // Subscriptions here carry flat events, so the depth rule is shown on a query (refused twice over).
    const tooDeep = await overWebSocket(
      api.url,
      token,
      `{ me { organisation { units { organisation { units { organisation { units { organisation { units { organisation { units { id } } } } } } } } } } } }`,
    );
    expect(tooDeep.errors?.map((e) => e.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/nested \d+ levels deep/)]),
    );
    const syntax = await overWebSocket(api.url, token, `subscription {`);
    expect(syntax.errors?.[0].message).toMatch(/Syntax Error/);
  });

  it('limits requests per user per minute, counted in Redis', async () => {
    /** Sends requests until one is refused (at most 2 x 25 + 1: two windows' worth, so one must be). */
    const untilLimited = async () => {
      for (let i = 0; i < 51; i++) {
        const response = await raw(
          JSON.stringify({
            query: `query($id: ID!) { personAccess(personId: $id) { level } }`,
            variables: { id: personId },
          }),
        );
        if (response.status === 429) return response;
      }
      throw new Error('51 requests in at most two minutes were never limited to 25 a minute');
    };
    const limited = await untilLimited();
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await limited.json()).errors[0].extensions.code).toBe('RATE_LIMITED');
    // The same counter holds for subscriptions over WebSocket. The window is a minute from the first
    // request; should it end between the refusal and the subscription (a busy machine), try again.
    let refused = false;
    for (let attempt = 0; attempt < 3 && !refused; attempt++) {
      await untilLimited();
      const subscribed = await overWebSocket(api.url, token, `subscription { notificationReceived { kind } }`);
      refused = subscribed.errors?.[0].extensions?.code === 'RATE_LIMITED';
    }
    expect(refused).toBe(true);
  });

  it('keeps answering, and keeps limiting, while Redis is away', async () => {
    const redis = await startThrowawayRedis();
    const outageDb = await createTestDatabase({
      RATE_LIMIT_PER_USER_PER_MINUTE: '10',
      RATE_LIMIT_PER_CLIENT_PER_MINUTE: '0',
      REDIS_URL: redis.url,
    });
    const outageApi = await startTestApi(outageDb);
    try {
      const s = await new Fixtures(outageDb.dataSource).careSetting();
      const outageToken = await outageApi.login(s.socialWorker.username, s.socialWorker.password);
      await redis.stop();
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await outageApi.gql(`{ me { id } }`, {}, outageToken)).status);
      // Answered from this process's own count: ten a minute, then refused; never a 500.
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(200));
      expect(statuses.slice(10)).toEqual([429, 429]);
    } finally {
      await outageApi.close();
      await outageDb.drop();
      await redis.close();
    }
  });

  it('in production, answers no introspection and suggests no field names', async () => {
    const prodDb = await createTestDatabase({ NODE_ENV: 'production' });
    const prodApi = await startTestApi(prodDb);
    try {
      const introspection = await prodApi.gql(`{ __schema { types { name } } }`);
      expect(introspection.data).toBeNull();
      expect(introspection.errors?.[0].message).toMatch(/introspection/i);
      const typo = await prodApi.gql(`mutation { logn(input: { username: "x", password: "y" }) { token } }`);
      expect(typo.errors?.[0].message).toMatch(/Cannot query field "logn"/);
      expect(typo.errors?.[0].message).not.toMatch(/Did you mean/);
      const dev = await api.gql(`mutation { logn(input: { username: "x", password: "y" }) { token } }`);
      expect(dev.errors?.[0].message).toMatch(/Did you mean "login"/);

      // The same over WebSocket.
      const wsIntrospection = await overWebSocket(prodApi.url, null, `subscription { __schema { types { name } } }`);
      expect(wsIntrospection.errors?.map((e) => e.message).join(' ')).toMatch(/introspection/i);
      const wsTypo = await overWebSocket(prodApi.url, null, `subscription { notificationRecieved { kind } }`);
      expect(wsTypo.errors?.[0].message).toMatch(/Cannot query field "notificationRecieved"/);
      expect(wsTypo.errors?.[0].message).not.toMatch(/Did you mean/);
      const devTypo = await overWebSocket(api.url, null, `subscription { notificationRecieved { kind } }`);
      expect(devTypo.errors?.[0].message).toMatch(/Did you mean "notificationReceived"/);
    } finally {
      await prodApi.close();
      await prodDb.drop();
    }
  });
});
