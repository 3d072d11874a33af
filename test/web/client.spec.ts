import { ApiClient, ApiError } from '../../apps/web/src/api/client';
import { MeDocument } from '../../apps/web/src/api/generated';

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

  it('sends the query with the bearer token and returns the data', async () => {
    const calls = respond({ data: { me: { id: 's1' } } });
    const client = new ApiClient({ url: 'http://api.test/graphql', getToken: () => 'tok' });
    expect(await client.request(MeDocument, {})).toEqual({ me: { id: 's1' } });
    expect((calls[0].init.headers as Record<string, string>).authorization).toBe('Bearer tok');
    expect(JSON.parse(calls[0].init.body as string).query).toContain('query Me');
  });

  it('signs out when the API no longer accepts the token', async () => {
    respond({ data: null, errors: [{ message: 'Your session has ended', extensions: { code: 'UNAUTHENTICATED' } }] });
    const onUnauthenticated = jest.fn();
    const client = new ApiClient({ url: 'http://api.test/graphql', getToken: () => 'old', onUnauthenticated });
    await expect(client.request(MeDocument, {})).rejects.toMatchObject({ kind: 'unauthenticated' });
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('reports a network failure or a non-JSON answer as a lost connection', async () => {
    global.fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const client = new ApiClient({ url: 'http://api.test/graphql', getToken: () => null });
    await expect(client.request(MeDocument, {})).rejects.toEqual(new ApiError('connection', 'The API could not be reached'));
    global.fetch = (async () => new Response('<html>Bad gateway</html>', { status: 502 })) as typeof fetch;
    await expect(client.request(MeDocument, {})).rejects.toMatchObject({ kind: 'connection' });
  });
});
