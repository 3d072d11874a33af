import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { SessionService } from '../../libs/auth/src';
import { OrganisationKind, Principal, Profession } from '../../libs/domain/src';
import { Fixtures } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const ISSUER = 'https://idp.region.example';
const AUDIENCE = 'samverka';

/** Production sign-in: tokens from an external OpenID Connect issuer, verified against its JWKS. */
describe('authentication with an external OpenID Connect issuer', () => {
  let jwks: Server;
  let db: TestDatabase;
  let api: TestApi;
  let sign: (claims: { sub: string; iss?: string; aud?: string; exp?: number }) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`;
    sign = ({ sub, iss = ISSUER, aud = AUDIENCE, exp }) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setSubject(sub)
        .setIssuer(iss)
        .setAudience(aud)
        .setIssuedAt()
        .setExpirationTime(exp ?? '10m')
        .sign(privateKey);

    db = await createTestDatabase({
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: ISSUER,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_JWKS_URL: jwksUrl,
      OIDC_CLIENT_ID: 'samverka-web',
    });
    api = await startTestApi(db);
    const f = new Fixtures(db.dataSource);
    const org = await f.org(Principal.REGION, OrganisationKind.ADDICTION_CARE);
    await f.staff(org, Profession.SUBSTANCE_ABUSE_SPECIALIST, { externalSubject: 'hsa-SE2321000016-1234' });
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  it('accepts a token from the issuer for a known staff member', async () => {
    const result = await api.gql<{ me: { profession: string } }>(
      `{ me { profession } }`,
      {},
      await sign({ sub: 'hsa-SE2321000016-1234' }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.me.profession).toBe('SUBSTANCE_ABUSE_SPECIALIST');
  });

  it.each([
    ['another issuer', { sub: 'hsa-SE2321000016-1234', iss: 'https://evil.example' }],
    ['another audience', { sub: 'hsa-SE2321000016-1234', aud: 'someone-else' }],
    ['an expired token', { sub: 'hsa-SE2321000016-1234', exp: Math.floor(Date.now() / 1000) - 60 }],
    ['an unknown subject', { sub: 'hsa-nobody' }],
  ])('refuses %s', async (_what, claims) => {
    const result = await api.gql(`{ me { id } }`, {}, await sign(claims));
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a token signed with our local secret', async () => {
    const local = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('hsa-SE2321000016-1234')
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(db.config.TOKEN_SECRET));
    const result = await api.gql(`{ me { id } }`, {}, local);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('disables password login', async () => {
    const result = await api.gql(`mutation { login(input: { username: "x", password: "y" }) { token } }`);
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

/** Cookies per host, as a browser keeps them (paths and expiry ignored: one sign-in at a time). */
class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();

  store(url: string, response: Response): void {
    const jar = this.byHost.get(new URL(url).host) ?? new Map<string, string>();
    this.byHost.set(new URL(url).host, jar);
    for (const cookie of response.headers.getSetCookie()) {
      const [pair, ...attributes] = cookie.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (!value || attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim()))) jar.delete(name);
      else jar.set(name, value);
    }
  }

  header(url: string): string {
    return [...(this.byHost.get(new URL(url).host) ?? [])].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(url: string, name: string): string | undefined {
    return this.byHost.get(new URL(url).host)?.get(name);
  }

  delete(url: string, name: string): void {
    this.byHost.get(new URL(url).host)?.delete(name);
  }
}

/**
 * The web client's sign-in through the organisation's provider, against a real OpenID Connect provider
 * (oidc-provider, in its own process): authorization code with PKCE, state and nonce, and the session
 * cookie that follows; the browser is played by fetch, following each redirect by hand.
 */
describe('web sign-in through the organisation (OpenID Connect, real provider)', () => {
  const SUBJECT = 'hsa-SE2321000016-5678';
  let provider: ChildProcessWithoutNullStreams;
  let db: TestDatabase;
  let api: TestApi;
  let base: string;
  let staffId: string;

  beforeAll(async () => {
    provider = spawn(process.execPath, [path.join(__dirname, '../support/oidc-provider.mjs')], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const lines = createInterface({ input: provider.stdout });
    const next = <T>(key: string) =>
      new Promise<T>((resolve, reject) => {
        const onLine = (line: string) => {
          if (!line.startsWith('{') || !(key in JSON.parse(line))) return;
          lines.off('line', onLine);
          resolve(JSON.parse(line)[key]);
        };
        lines.on('line', onLine);
        provider.once('exit', (code) => reject(new Error(`the test provider exited (${code})`)));
      });
    const issuer = await next<string>('issuer');
    db = await createTestDatabase({
      AUTH_MODE: 'oidc',
      OIDC_ISSUER: issuer,
      OIDC_AUDIENCE: 'samverka',
      OIDC_JWKS_URL: `${issuer}/jwks`,
      OIDC_CLIENT_ID: 'samverka-web',
    });
    api = await startTestApi(db);
    base = new URL(api.url).origin;
    // Where staff open Samverka: the callback is registered at the provider under it. Known once the API listens.
    db.config.APP_URL = base;
    const ready = next<boolean>('ready');
    provider.stdin.write(`${JSON.stringify({ clientId: 'samverka-web', redirectUri: `${base}/auth/callback` })}\n`);
    await ready;
    const f = new Fixtures(db.dataSource);
    const org = await f.org(Principal.REGION, OrganisationKind.PSYCHIATRIC_CLINIC);
    staffId = (await f.staff(org, Profession.PSYCHIATRIST, { externalSubject: SUBJECT })).staff.id;
  });

  afterEach(() => {
    api.app.get(SessionService).now = () => new Date();
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
    provider?.stdin.end();
    provider?.kill();
  });

  /**
   * Plays the browser from GET /auth/login to the provider's redirect back to our callback: signs in at
   * the provider as `subject` and consents. Returns the callback URL, not yet followed.
   */
  async function throughTheProvider(jar: CookieJar, subject: string): Promise<{ callback: string; authorizeUrl: URL }> {
    let url = `${base}/auth/login`;
    let authorizeUrl: URL | undefined;
    for (let step = 0; step < 20; step++) {
      const page = url;
      const response = await fetch(page, { redirect: 'manual', headers: { cookie: jar.header(page) } });
      jar.store(page, response);
      if (response.status >= 300 && response.status < 400) {
        url = new URL(response.headers.get('location')!, page).toString();
        if (url.includes('/auth?') || url.includes('/auth/?')) authorizeUrl ??= new URL(url);
        if (url.startsWith(`${base}/auth/callback`)) return { callback: url, authorizeUrl: authorizeUrl! };
        continue;
      }
      // The provider's interaction page: its login form, then its consent form; submitted as a person would.
      const html = await response.text();
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!prompt || !action) throw new Error(`unexpected page at ${page}: ${response.status}`);
      const form = new URLSearchParams(prompt === 'login' ? { prompt, login: subject, password: 'any' } : { prompt });
      const target = new URL(action.replace(/&amp;/g, '&'), page).toString();
      const submitted = await fetch(target, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(target), 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
      });
      jar.store(target, submitted);
      url = new URL(submitted.headers.get('location')!, target).toString();
    }
    throw new Error('the provider never sent the browser back');
  }

  async function callback(jar: CookieJar, url: string): Promise<Response> {
    const response = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header(url) } });
    jar.store(url, response);
    return response;
  }

  /** A GraphQL request as the web client makes it: the cookies, the CSRF header, our origin; no Authorization. */
  async function asBrowser(jar: CookieJar, query: string) {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: jar.header(api.url),
        'x-csrf-token': jar.get(api.url, 'samverka_csrf') ?? '',
        origin: base,
      },
      body: JSON.stringify({ query }),
    });
    const body = (await response.json()) as { data?: any; errors?: Array<{ extensions?: { code?: string } }> };
    return { data: body.data, code: body.errors?.[0]?.extensions?.code };
  }

  it('says the API signs in through the organisation', async () => {
    expect((await api.gql<{ authMode: string }>(`{ authMode }`)).data?.authMode).toBe('OIDC');
  });

  it('signs in with the authorization code and PKCE, sets the session cookie, and signs out', async () => {
    const jar = new CookieJar();
    const { callback: back, authorizeUrl } = await throughTheProvider(jar, SUBJECT);
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorizeUrl.searchParams.get('state')).toBeTruthy();
    expect(authorizeUrl.searchParams.get('nonce')).toBeTruthy();

    const done = await callback(jar, back);
    expect(done.status).toBe(302);
    expect(done.headers.get('location')).toBe('/');
    const sessionCookie = done.headers.getSetCookie().find((c) => c.startsWith('samverka_session='))!;
    expect(sessionCookie).toMatch(/; HttpOnly/);
    expect(sessionCookie).toMatch(/; SameSite=Strict/);
    // The flow's own cookie is gone.
    expect(jar.get(base, 'samverka_oidc')).toBeUndefined();

    expect((await asBrowser(jar, `{ me { id } }`)).data.me.id).toBe(staffId);
    expect((await asBrowser(jar, `mutation { signOut }`)).data.signOut).toBe(true);
    expect((await asBrowser(jar, `{ me { id } }`)).code).toBe('UNAUTHENTICATED');
  });

  it('ends the session after SESSION_IDLE_MINUTES without a request (on an injected clock)', async () => {
    const jar = new CookieJar();
    await callback(jar, (await throughTheProvider(jar, SUBJECT)).callback);
    expect((await asBrowser(jar, `{ me { id } }`)).data.me.id).toBe(staffId);
    api.app.get(SessionService).now = () => new Date(Date.now() + (db.config.SESSION_IDLE_MINUTES + 1) * 60_000);
    expect((await asBrowser(jar, `{ me { id } }`)).code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['a tampered state', (jar: CookieJar, url: URL) => url.searchParams.set('state', 'forged-state')],
    ['a missing PKCE verifier (no flow cookie)', (jar: CookieJar) => jar.delete(base, 'samverka_oidc')],
    [
      'a flow cookie from another sign-in',
      (jar: CookieJar) =>
        jar.store(
          base,
          new Response(null, {
            headers: { 'set-cookie': 'samverka_oidc=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z' },
          }),
        ),
    ],
  ])('refuses %s: no session, back to the login page', async (_what, tamper) => {
    const jar = new CookieJar();
    const url = new URL((await throughTheProvider(jar, SUBJECT)).callback);
    tamper(jar, url);
    const done = await callback(jar, url.toString());
    expect([done.status, done.headers.get('location')]).toEqual([302, '/?signin=failed']);
    expect(jar.get(base, 'samverka_session')).toBeUndefined();
  });

  it('refuses a subject that is no active staff member', async () => {
    const jar = new CookieJar();
    const done = await callback(jar, (await throughTheProvider(jar, 'hsa-unknown-0000')).callback);
    expect(done.headers.get('location')).toBe('/?signin=failed');
    expect(jar.get(base, 'samverka_session')).toBeUndefined();
  });
});
