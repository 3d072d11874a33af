import { ApiClient, ApiError } from '../../apps/web/src/api/client';
import { MeDocument, NotificationsDocument, SignOutDocument } from '../../apps/web/src/api/generated';

/** ApiClient over a stubbed fetch: how each kind of failure reaches the screens. */
describe('API client', () => {
  const realFetch = global.fetch;
  afterEach(() => {
    global.fetch = realFetch;
  });

  function respond(body: unknown, status = 200) {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    global.fetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    }) as typeof fetch;
    return calls;
  }

  it('sends the query with the session cookie and the CSRF token from its cookie, no token of its own, and returns the data', async () => {
    const calls = respond({ data: { me: { id: 's1' } } });
    (global as { document?: unknown }).document = { cookie: 'other=1; samverka_csrf=csrf-abc' };
    try {
      const client = new ApiClient({ url: 'http://api.test/graphql' });
      expect(await client.request(MeDocument, {})).toEqual({ me: { id: 's1' } });
    } finally {
      delete (global as { document?: unknown }).document;
    }
    expect(calls[0].init.credentials).toBe('same-origin');
    expect(calls[0].init.headers).toEqual({ 'content-type': 'application/json', 'x-csrf-token': 'csrf-abc' });
    expect(JSON.parse(calls[0].init.body as string).query).toContain('query Me');
  });

  it('returns to the login page when the API no longer accepts the session', async () => {
    respond({ data: null, errors: [{ message: 'Your session has ended', extensions: { code: 'UNAUTHENTICATED' } }] });
    const onUnauthenticated = jest.fn();
    const client = new ApiClient({ url: 'http://api.test/graphql', onUnauthenticated });
    await expect(client.request(MeDocument, {})).rejects.toMatchObject({ kind: 'unauthenticated' });
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('reports a network failure or a non-JSON answer as a lost connection', async () => {
    global.fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const client = new ApiClient({ url: 'http://api.test/graphql' });
    await expect(client.request(MeDocument, {})).rejects.toEqual(
      new ApiError('connection', 'The API could not be reached'),
    );
    global.fetch = (async () => new Response('<html>Bad gateway</html>', { status: 502 })) as typeof fetch;
    await expect(client.request(MeDocument, {})).rejects.toMatchObject({ kind: 'connection' });
  });

  it('sends the queries asked for together as one batch and answers each its own result, errors included', async () => {
    const calls = respond([
      { data: { me: { id: 's1' } } },
      { data: null, errors: [{ message: 'No', extensions: { code: 'FORBIDDEN' } }] },
    ]);
    const client = new ApiClient({ url: 'http://api.test/graphql' });
    const [me, notifications] = await Promise.allSettled([
      client.request(MeDocument, {}),
      client.request(NotificationsDocument, { unreadOnly: false }),
    ]);
    expect(calls).toHaveLength(1);
    const sent = JSON.parse(calls[0].init.body as string);
    expect(sent.map((b: { query: string }) => b.query.match(/query (\w+)/)![1])).toEqual(['Me', 'Notifications']);
    expect(sent[1].variables).toEqual({ unreadOnly: false });
    expect(me).toEqual({ status: 'fulfilled', value: { me: { id: 's1' } } });
    expect(notifications).toMatchObject({ status: 'rejected', reason: { kind: 'forbidden' } });
  });

  it('sends a mutation alone, and a query asked for later in a request of its own', async () => {
    const calls = respond({ data: { signOut: true } });
    const client = new ApiClient({ url: 'http://api.test/graphql' });
    await Promise.all([client.request(SignOutDocument, {}), client.request(SignOutDocument, {})]);
    expect(calls.map((c) => Array.isArray(JSON.parse(c.init.body as string)))).toEqual([false, false]);
    respond({ data: { me: { id: 's1' } } });
    await client.request(MeDocument, {});
    const again = respond({ data: { me: { id: 's1' } } });
    await client.request(MeDocument, {});
    expect(JSON.parse(again[0].init.body as string).query).toContain('query Me');
  });

  it('gives every operation of a batch the refusal of the whole request (a rate limit answers once)', async () => {
    respond({ errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED' } }] }, 429);
    const client = new ApiClient({ url: 'http://api.test/graphql' });
    const results = await Promise.allSettled([
      client.request(MeDocument, {}),
      client.request(NotificationsDocument, { unreadOnly: false }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(results.map((r) => (r as PromiseRejectedResult).reason.message)).toEqual([
      'Too many requests',
      'Too many requests',
    ]);
  });
});
