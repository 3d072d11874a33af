import type { IncomingMessage } from 'node:http';
import { ConfigError, loadConfig } from '../../libs/infrastructure/src';
import { addressBehindProxies, TrustProxySetting, type TrustProxy } from '../../apps/api/src/http/client-address';
import { Fixtures } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const OVERVIEW = `query($id: ID!) { patientOverview(personId: $id) { person { id } } }`;

const upgrade = (remoteAddress: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  }) as unknown as IncomingMessage;

/** Behind a load balancer: which address the access log and the rate limits see (TRUST_PROXY). */
describe('the client address behind a load balancer', () => {
  let db: TestDatabase;
  let f: Fixtures;
  const apis: TestApi[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    f = new Fixtures(db.dataSource);
  });

  afterAll(async () => {
    for (const api of apis) await api.close();
    await db?.drop();
  });

  /** Reads a person's overview through `api` with this X-Forwarded-For; the client address its access-log entry names. */
  async function loggedAddress(api: TestApi, forwardedFor: string): Promise<string> {
    const s = await f.careSetting();
    const token = await api.login(s.socialWorker.username, s.socialWorker.password);
    const response = await fetch(api.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'x-forwarded-for': forwardedFor,
      },
      body: JSON.stringify({ query: OVERVIEW, variables: { id: s.person.id } }),
    });
    expect((await response.json()).data.patientOverview.person.id).toBe(s.person.id);
    const rows: Array<{ address: string }> = await db.dataSource.query(
      `SELECT client_address AS address FROM access_log WHERE person_id = $1 AND staff_id = $2 ORDER BY id DESC LIMIT 1`,
      [s.person.id, s.socialWorker.staff.id],
    );
    return rows[0].address;
  }

  it('by default believes no proxy: a client cannot name its own address in X-Forwarded-For', async () => {
    const api = await startTestApi(db);
    apis.push(api);
    expect(await loggedAddress(api, '203.0.113.7')).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  it('with TRUST_PROXY naming the balancer, logs the address it forwards; an address before an unbelieved hop is not believed', async () => {
    const api = await startTestApi(db, { config: { TRUST_PROXY: 'loopback' } });
    apis.push(api);
    expect(await loggedAddress(api, '203.0.113.7')).toBe('203.0.113.7');
    // The client wrote 198.51.100.1 itself; the balancer appended the address it saw: that one counts.
    expect(await loggedAddress(api, '198.51.100.1, 203.0.113.7')).toBe('203.0.113.7');
  });

  it('reads a WebSocket upgrade with the rule Express compiled from TRUST_PROXY, as it reads an HTTP request', async () => {
    /** The rule a started API compiled from this TRUST_PROXY. */
    const trustOf = async (value: string): Promise<TrustProxy> => {
      const api = await startTestApi(db, { config: { TRUST_PROXY: value } });
      apis.push(api);
      return api.app.get(TrustProxySetting).trust;
    };
    const [none, loopback, subnet, twoHops] = [
      await trustOf(''),
      await trustOf('loopback'),
      await trustOf('10.0.0.0/8'),
      await trustOf('2'),
    ];
    expect(addressBehindProxies(upgrade('127.0.0.1', '203.0.113.7'), none)).toBe('127.0.0.1');
    expect(addressBehindProxies(upgrade('127.0.0.1', '203.0.113.7'), loopback)).toBe('203.0.113.7');
    expect(addressBehindProxies(upgrade('10.0.0.5', '198.51.100.1, 203.0.113.7'), subnet)).toBe('203.0.113.7');
    expect(addressBehindProxies(upgrade('10.0.0.5', '198.51.100.1, 203.0.113.7'), twoHops)).toBe('198.51.100.1');
    expect(addressBehindProxies(upgrade('10.0.0.5'), subnet)).toBe('10.0.0.5');
  });

  it('refuses a TRUST_PROXY it cannot read, naming the setting, before the API starts', async () => {
    expect(() => loadConfig({ ...process.env, TRUST_PROXY: 'the balancer' })).toThrow(/TRUST_PROXY/);
    // Shaped like an address but not one: Express refuses it when the API starts.
    await expect(startTestApi(db, { config: { TRUST_PROXY: '10.0.0.0/99' } })).rejects.toThrow(ConfigError);
  });
});
