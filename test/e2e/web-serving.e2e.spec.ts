import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { acceptedEncodings } from '../../apps/api/src/web-client';
import { buildWebClient } from '../support/browser';
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

/**
 * The built web client as the API serves it: scripts and style sheets compressed (brotli or gzip, as the
 * browser asks) from copies the build wrote, and no source map built, referenced or served.
 */
describe('web client serving', () => {
  let db: TestDatabase;
  let api: TestApi;
  let webDir: string;
  let base: string;
  let script: string;
  let styles: string;

  beforeAll(async () => {
    webDir = buildWebClient();
    db = await createTestDatabase();
    api = await startTestApi(db, { webClientDir: webDir });
    base = api.url.replace(/\/graphql$/, '');
    const page = (await get(`${base}/`, { accept: 'text/html' })).body.toString('utf8');
    script = page.match(/\/assets\/[^"]+\.js/)![0];
    styles = page.match(/\/assets\/[^"]+\.css/)![0];
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
    if (webDir) fs.rmSync(webDir, { recursive: true, force: true });
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
    const signedIn = async (who: TestStaff) => {
      const response = await fetch(api.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({
          query: `mutation($i: LoginInput!) { signIn(input: $i) { expiresAt } }`,
          variables: { i: { username: who.username, password: who.password } },
        }),
      });
      return response.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
    };
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

  it('reads Accept-Encoding weights', () => {
    const accepts = acceptedEncodings('gzip;q=0.8, br;q=0, *;q=0.1');
    expect([accepts('gzip'), accepts('br'), accepts('zstd')]).toEqual([true, false, true]);
    expect(acceptedEncodings(undefined)('gzip')).toBe(false);
    expect(acceptedEncodings('GZIP')('gzip')).toBe(true);
  });
});
