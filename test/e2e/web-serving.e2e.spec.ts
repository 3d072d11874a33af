import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { Client } from 'pg';
import { acceptedEncodings } from '../../apps/api/src/web-client';
import { buildWebClient, buildWebRenderer } from '../support/browser';
import { Fixtures, TestStaff } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(120_000);

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One GET with exactly these headers, body as sent (fetch would ask for and undo compression itself). */
function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Signs `who` in through the API as the web client does; the browser's cookies for that session, as a Cookie header. */
async function signedIn(graphqlUrl: string, who: TestStaff): Promise<string> {
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: graphqlUrl.replace(/\/graphql$/, '') },
    body: JSON.stringify({
      query: `mutation($i: LoginInput!) { signIn(input: $i) { expiresAt } }`,
      variables: { i: { username: who.username, password: who.password } },
    }),
  });
  return response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** What Chromium sends when the address is typed in (or bookmarked, or reloaded). */
const TYPED_IN = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'sec-fetch-site': 'none',
  'sec-fetch-mode': 'navigate',
  'sec-fetch-dest': 'document',
  'sec-fetch-user': '?1',
};

const STATE_BLOCK = /<script type="application\/json" id="samverka-first-screen">([^<]*)<\/script>/;

/** The text of index.html's #root (tags dropped), and the first screen's state when there is one. */
function firstScreen(page: string): { root: string; state: { me: { id: string }; queries: unknown } | null } {
  const root = /<div id="root">([\s\S]*?)<\/div>(?:<script type="application\/json"|\s*<\/body>)/.exec(page)?.[1] ?? '';
  const state = STATE_BLOCK.exec(page)?.[1];
  return { root: root.replace(/<[^>]+>/g, ' '), state: state ? JSON.parse(state) : null };
}

/**
 * The built web client as the API serves it: scripts and style sheets compressed (brotli or gzip, as the
 * browser asks) from copies the build wrote, and no source map built, referenced or served; a signed-in
 * browser's caseload and overview with their first screen rendered by the API.
 */
describe('web client serving', () => {
  let db: TestDatabase;
  let api: TestApi;
  let webDir: string;
  let rendererDir: string;
  let base: string;
  let script: string;
  let styles: string;

  beforeAll(async () => {
    webDir = buildWebClient();
    rendererDir = buildWebRenderer();
    db = await createTestDatabase();
    api = await startTestApi(db, { webClientDir: webDir, webRendererDir: rendererDir });
    base = api.url.replace(/\/graphql$/, '');
    const page = (await get(`${base}/`, { accept: 'text/html' })).body.toString('utf8');
    script = page.match(/\/assets\/[^"]+\.js/)![0];
    styles = page.match(/\/assets\/[^"]+\.css/)![0];
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
    if (webDir) fs.rmSync(webDir, { recursive: true, force: true });
    if (rendererDir) fs.rmSync(rendererDir, { recursive: true, force: true });
  });

  it('sends the scripts and style sheets brotli-compressed to a browser that takes brotli, gzip to one that takes only gzip', async () => {
    for (const asset of [script, styles]) {
      const plain = await get(`${base}${asset}`);
      expect([plain.status, plain.headers['content-encoding'], plain.headers.vary]).toEqual([
        200,
        undefined,
        'Accept-Encoding',
      ]);

      // What Chromium sends.
      const br = await get(`${base}${asset}`, { 'accept-encoding': 'gzip, deflate, br, zstd' });
      expect([br.status, br.headers['content-encoding'], br.headers['content-type'], br.headers.vary]).toEqual([
        200,
        'br',
        plain.headers['content-type'],
        'Accept-Encoding',
      ]);
      expect(br.headers['cache-control']).toContain('immutable');
      expect(zlib.brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
      expect(br.body.length).toBeLessThan(plain.body.length / 3);

      const gzip = await get(`${base}${asset}`, { 'accept-encoding': 'gzip' });
      expect([gzip.status, gzip.headers['content-encoding'], gzip.headers['content-type']]).toEqual([
        200,
        'gzip',
        plain.headers['content-type'],
      ]);
      expect(zlib.gunzipSync(gzip.body).equals(plain.body)).toBe(true);

      // Brotli refused by weight: gzip; nothing acceptable: as it is.
      expect(
        (await get(`${base}${asset}`, { 'accept-encoding': 'br;q=0, gzip;q=0.5' })).headers['content-encoding'],
      ).toBe('gzip');
      const identity = await get(`${base}${asset}`, { 'accept-encoding': 'identity' });
      expect([identity.headers['content-encoding'], identity.body.equals(plain.body)]).toEqual([undefined, true]);
    }
    // The page itself still comes with its policy, whatever the encoding asked for.
    const page = await get(`${base}/persons/x`, { accept: 'text/html', 'accept-encoding': 'br' });
    expect([page.status, page.headers['content-security-policy']]).toEqual([
      200,
      expect.stringContaining("script-src 'self'"),
    ]);
  });

  it('builds, references and serves no source map, and does not serve the compressed copies as files', async () => {
    const files = fs.readdirSync(path.join(webDir, 'assets'));
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    for (const asset of [script, styles]) {
      const body = (await get(`${base}${asset}`)).body.toString('utf8');
      expect(body).not.toMatch(/sourceMappingURL/);
      expect((await get(`${base}${asset}`)).headers.sourcemap).toBeUndefined();
      expect((await get(`${base}${asset}.map`)).status).toBe(404);
      expect((await get(`${base}${asset}.br`)).status).toBe(404);
      expect((await get(`${base}${asset}.gz`)).status).toBe(404);
    }
  });

  it('starts with a small first script and has the rest preloaded and marked for eager compilation', async () => {
    const page = (await get(`${base}/`, { accept: 'text/html' })).body.toString('utf8');
    const entries = [...page.matchAll(/<script type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]);
    const preloaded = [...page.matchAll(/<link rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
    expect(entries).toHaveLength(1);
    expect(preloaded.length).toBeGreaterThan(0);
    const text = async (file: string) => (await get(`${base}${file}`)).body.toString('utf8');
    const first = await text(entries[0]);
    // The session check and the first reads, without React (whose production build names this error page).
    expect(first).not.toContain('reactjs.org/docs/error-decoder');
    expect(first).not.toContain('react.dev/errors');
    expect(zlib.gzipSync(first).length).toBeLessThan(30_000);
    const rest = await Promise.all(preloaded.map(text));
    expect(rest.some((code) => code.includes('react.dev/errors') || code.includes('reactjs.org'))).toBe(true);
    for (const code of [first, ...rest]) expect(code.startsWith('//# allFunctionsCalledOnLoad\n')).toBe(true);
  });

  it('lets a browser reach Bull Board at /admin/queues (not the web client), for administrators only', async () => {
    const f = new Fixtures(db.dataSource);
    const setting = await f.careSetting();
    const admin = await f.staff(setting.municipality, 'OTHER' as never, { administrator: true });
    const signedIn = (who: TestStaff) => signedInAs(who);
    const index = (await get(`${base}/`, { accept: 'text/html' })).body.toString('utf8');
    // What a browser sends when the address is typed in.
    const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    const asAdmin = await get(`${base}/admin/queues`, { ...browser, cookie: await signedIn(admin) });
    expect(asAdmin.status).toBe(200);
    expect(asAdmin.body.toString('utf8')).not.toBe(index);
    expect(asAdmin.body.toString('utf8')).toMatch(/bull/i);
    // A deep link into the dashboard is the dashboard's too.
    expect(
      (
        await get(`${base}/admin/queues/queue/housekeeping`, { ...browser, cookie: await signedIn(admin) })
      ).body.toString('utf8'),
    ).not.toBe(index);
    const asCareStaff = await get(`${base}/admin/queues`, { ...browser, cookie: await signedIn(setting.socialWorker) });
    expect([asCareStaff.status, asCareStaff.body.toString('utf8')]).toEqual([403, 'Administrators only']);
    const anonymous = await get(`${base}/admin/queues`, browser);
    expect([anonymous.status, anonymous.headers['www-authenticate']]).toEqual([401, expect.stringContaining('Basic')]);
    // The client's own pages under /admin are still the client's.
    expect((await get(`${base}/admin`, browser)).body.toString('utf8')).toBe(index);
  });

  const signedInAs = (who: TestStaff) => signedIn(api.url, who);

  describe('the first screen, rendered by the API for a signed-in browser', () => {
    let setting: Awaited<ReturnType<Fixtures['careSetting']>>;
    let plain: string;
    let cookie: string;

    beforeAll(async () => {
      setting = await new Fixtures(db.dataSource).careSetting();
      plain = (await get(`${base}/`, { accept: 'text/html' })).body.toString('utf8');
      cookie = await signedInAs(setting.socialWorker);
    });

    const overviewReads = async () =>
      (
        await db.dataSource.query(
          `SELECT staff_id AS "staffId", action, entity, ground, client_address AS "clientAddress" FROM access_log
            WHERE person_id = $1 AND action = 'READ_OVERVIEW' ORDER BY id`,
          [setting.person.id],
        )
      ).map((row: Record<string, unknown>) => ({ ...row }));

    it('sends the caseload with its first row and the answers it was rendered from, kept by no cache', async () => {
      const page = await get(`${base}/`, { ...TYPED_IN, cookie });
      const html = page.body.toString('utf8');
      expect(page.status).toBe(200);
      expect(page.headers['cache-control']).toBe('no-store');
      expect(page.headers.vary).toMatch(/\bCookie\b/);
      // The policy is the plain page's: the state is JSON the client reads, no inline script to run.
      expect(page.headers['content-security-policy']).toBe(
        (await get(`${base}/`, { accept: 'text/html' })).headers['content-security-policy'],
      );
      const { root, state } = firstScreen(html);
      expect(root).toContain('Mina personer');
      expect(html).toMatch(/<table class="caseload">[\s\S]*<tbody>\s*<tr/);
      expect(root).toContain(setting.person.familyName);
      expect(state?.me.id).toBe(setting.socialWorker.staff.id);
      expect(JSON.stringify(state?.queries)).toContain(setting.person.id);
      // Everything else is the plain page's: the same scripts and styles.
      expect(html.replace(/<div id="root">[\s\S]*<\/script>/, '<div id="root"></div>')).toBe(plain);
    });

    it('compresses the rendered page for a browser that takes brotli or gzip', async () => {
      const brotli = await get(`${base}/`, { ...TYPED_IN, cookie, 'accept-encoding': 'gzip, deflate, br, zstd' });
      expect([brotli.headers['content-encoding'], brotli.headers.vary]).toEqual([
        'br',
        expect.stringMatching(/Accept-Encoding/),
      ]);
      const unpacked = zlib.brotliDecompressSync(brotli.body).toString('utf8');
      expect(firstScreen(unpacked).root).toContain(setting.person.familyName);
      expect(brotli.body.length).toBeLessThan(unpacked.length / 2);
      const gzip = await get(`${base}/`, { ...TYPED_IN, cookie, 'accept-encoding': 'gzip' });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(firstScreen(zlib.gunzipSync(gzip.body).toString('utf8')).state?.me.id).toBe(setting.socialWorker.staff.id);
    });

    it('sends a person’s overview rendered, and logs its read as the client’s own read is logged', async () => {
      const before = await overviewReads();
      const page = await get(`${base}/persons/${setting.person.id}`, { ...TYPED_IN, cookie });
      const { root, state } = firstScreen(page.body.toString('utf8'));
      expect([page.status, page.headers['cache-control']]).toEqual([200, 'no-store']);
      expect(root).toContain(setting.person.familyName);
      expect(state).not.toBeNull();
      const afterPage = await overviewReads();
      expect(afterPage).toHaveLength(before.length + 1);

      // The client's own read of the same overview, with the session cookie and its CSRF header.
      const csrf = /samverka_csrf=([^;]+)/.exec(cookie)![1];
      const answer = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf, origin: base },
        body: JSON.stringify({
          query: `query($p: ID!) { patientOverview(personId: $p) { personId } }`,
          variables: { p: setting.person.id },
        }),
      });
      expect((await answer.json()).errors).toBeUndefined();
      const afterClient = await overviewReads();
      expect(afterClient).toHaveLength(before.length + 2);
      expect(afterPage.at(-1)).toEqual(afterClient.at(-1));
      expect(afterPage.at(-1)).toMatchObject({ staffId: setting.socialWorker.staff.id });
    });

    it('sends the plain page without a session, for a cross-site or framed navigation, and for pages it does not render', async () => {
      const before = await overviewReads();
      const overview = `${base}/persons/${setting.person.id}`;
      // The plain page; `no-store` when the API set out to render it (it sends the page's head before reading).
      const unrendered = async (url: string, headers: Record<string, string>, cacheControl = 'no-cache') => {
        const page = await get(url, headers);
        expect([page.status, page.body.toString('utf8'), page.headers['cache-control']]).toEqual([
          200,
          plain,
          cacheControl,
        ]);
        expect(page.headers.vary).toMatch(/\bCookie\b/);
      };
      await unrendered(overview, TYPED_IN);
      await unrendered(overview, { ...TYPED_IN, cookie, 'sec-fetch-site': 'cross-site' });
      await unrendered(overview, { ...TYPED_IN, cookie, 'sec-fetch-site': 'same-site' });
      await unrendered(overview, { ...TYPED_IN, cookie, 'sec-fetch-dest': 'iframe' });
      await unrendered(overview, { ...TYPED_IN, cookie, 'sec-fetch-mode': 'no-cors' });
      await unrendered(overview, { ...TYPED_IN, cookie, origin: 'https://elsewhere.example' });
      // A link of the client's own pages is rendered; a non-browser without Fetch Metadata too.
      expect(
        firstScreen((await get(overview, { ...TYPED_IN, cookie, 'sec-fetch-site': 'same-origin' })).body.toString())
          .state,
      ).not.toBeNull();
      expect(firstScreen((await get(overview, { accept: 'text/html', cookie })).body.toString()).state).not.toBeNull();
      // Pages the API does not render, an unknown person, a session that has ended: the client's own business.
      await unrendered(`${base}/persons/${setting.person.id}/plan`, { ...TYPED_IN, cookie });
      await unrendered(`${base}/persons/new`, { ...TYPED_IN, cookie });
      await unrendered(`${base}/persons/00000000-0000-4000-8000-000000000000`, { ...TYPED_IN, cookie }, 'no-store');
      await unrendered(`${base}/persons/not-an-id`, { ...TYPED_IN, cookie }, 'no-store');
      await unrendered(
        overview,
        {
          ...TYPED_IN,
          cookie: cookie.replace(/samverka_session=[^;]+/, 'samverka_session=ended'),
        },
        'no-store',
      );
      // Only the two rendered requests above read the overview.
      expect(await overviewReads()).toHaveLength(before.length + 2);
    });

    it('sends the plain page when the reads take longer than FIRST_SCREEN_WAIT_MS', async () => {
      const impatient = await startTestApi(db, {
        webClientDir: webDir,
        webRendererDir: rendererDir,
        config: { FIRST_SCREEN_WAIT_MS: 200 },
      });
      // Another transaction holds the persons table: the server's reads wait until the page has gone out.
      const holder = new Client({ connectionString: db.ownerUrl });
      await holder.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('LOCK TABLE person IN ACCESS EXCLUSIVE MODE');
        const page = await get(`${impatient.url.replace(/\/graphql$/, '')}/`, { ...TYPED_IN, cookie });
        expect([page.status, page.headers['cache-control'], page.body.toString('utf8')]).toEqual([
          200,
          'no-store',
          plain,
        ]);
      } finally {
        await holder.query('ROLLBACK');
        await holder.end();
        await impatient.close();
      }
    });

    it('sends the plain page when the renderer was not built', async () => {
      const without = await startTestApi(db, { webClientDir: webDir });
      try {
        const at = without.url.replace(/\/graphql$/, '');
        const page = await get(`${at}/persons/${setting.person.id}`, { ...TYPED_IN, cookie });
        expect([page.status, page.body.toString('utf8')]).toEqual([200, plain]);
      } finally {
        await without.close();
      }
    });
  });

  it('reads Accept-Encoding weights', () => {
    const accepts = acceptedEncodings('gzip;q=0.8, br;q=0, *;q=0.1');
    expect([accepts('gzip'), accepts('br'), accepts('zstd')]).toEqual([true, false, true]);
    expect(acceptedEncodings(undefined)('gzip')).toBe(false);
    expect(acceptedEncodings('GZIP')('gzip')).toBe(true);
  });
});
