'use strict';
/* global window, document, requestAnimationFrame, MutationObserver -- markerScript and the page callbacks run in the browser */
// npm run bench:web: the web client in headless Chromium (Debian's, driven by playwright-core) against the
// API with the demo data, run as in production (NODE_ENV=production: what staff get; the demo data is loaded
// by a first start in development, which production refuses to do; BENCH_WEB_NODE_ENV=development measures
// the API as `npm start` runs it). Signs in as the demo social worker and measures, over
// BENCH_WEB_LOADS (20) loads each in a fresh browser context (no cache, signed in by the session cookie):
//   - caseload: from navigation start to the first row of "Mina personer" on screen;
//   - overview: from navigation start to a person's overview with its first screen loaded (the first card
//     shown and nothing on the page still loading), rotating over the caseload;
//   - baseline: an empty static HTML page served by the same server, the floor of any page load here;
// and the gzip-compressed size of all JavaScript those pages load. The caseload and the overview are also
// loaded warm: in new tabs of one context, whose cache holds the client (as on every visit but the first).
// Ends with (p95 of the cold loads; the warm ones on their own line)
//   RESULT web-baseline empty_page_ms=<p95>
//   RESULT web-warm caseload_ms=<p95> overview_ms=<p95>
//   RESULT web caseload_ms=<p95> overview_ms=<p95> js_gzip_kb=<n>
// See docs/PERFORMANCE.md, "The web client benchmark".
const { fork } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { root } = require('./lib/ensure-build');
const { machineBusyMs, waitForQuietMachine } = require('./lib/machine-cpu');

const env = process.env;
const settings = {
  port: Number(env.BENCH_WEB_PORT ?? 3903),
  loads: Math.max(1, Number(env.BENCH_WEB_LOADS ?? 20)),
  adminUrl: env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  database: env.BENCH_WEB_DATABASE ?? 'samverka_bench_web',
  redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  chromium: env.CHROMIUM_PATH || '/usr/bin/chromium',
  username: env.BENCH_WEB_USER ?? 'socialworker',
  nodeEnv: env.BENCH_WEB_NODE_ENV === 'development' ? 'development' : 'production',
};
const PASSWORD = 'samverka-demo';
const EMPTY_PAGE = 'bench-empty-page.html';

const log = (...args) => console.log(...args);

/** The web client's sources are newer than its build (or there is none): rebuild everything. */
function ensureFullBuild() {
  const index = path.join(root, 'dist/web/index.html');
  const builtAt = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const newest = (dir) =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
      const full = path.join(dir, e.name);
      return Math.max(max, e.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
    }, 0);
  const sources = ['apps', 'libs'].map((d) => newest(path.join(root, d)));
  const config = ['scripts/build.js', 'apps/web/vite.config.mts'].map((f) => fs.statSync(path.join(root, f)).mtimeMs);
  if (
    builtAt > Math.max(...sources, ...config) &&
    fs.existsSync(path.join(root, 'dist/apps/api/src/main.js')) &&
    fs.existsSync(path.join(root, 'dist/web-server/server-entry.cjs'))
  ) {
    log('build: dist/ and dist/web are up to date');
    return;
  }
  log('build: running node scripts/build.js (server and web client)');
  const { execFileSync } = require('node:child_process');
  execFileSync(process.execPath, [path.join(root, 'scripts/build.js')], { cwd: root, stdio: 'inherit' });
}

/** A fresh database with the owner and application roles, as `npm start` sets it up; the API loads the demo data into it. */
async function freshDatabase() {
  const { Client } = require('pg');
  const admin = new Client({ connectionString: settings.adminUrl, application_name: 'samverka-bench-web' });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${settings.database}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  const at = (user) => `postgres://${user}@127.0.0.1:5432/${settings.database}`;
  const urls = { owner: at('samverka_owner'), app: at('samverka_app') };
  const { ensureRolesAndDatabase } = require(path.join(root, 'dist/libs/domain/src/database/roles'));
  await ensureRolesAndDatabase(settings.adminUrl, urls.owner, urls.app);
  return urls;
}

/** @returns {Promise<void>} */
function waitForPort(port, child, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child.exitCode !== null)
        return reject(new Error(`the API exited with code ${child.exitCode} before listening`));
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on port ${port} after ${timeoutMs / 1000} s`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

/** Secrets of this run only, for the production start (which refuses the development defaults). */
const productionSecrets = () => ({
  TOKEN_SECRET: crypto.randomBytes(32).toString('base64url'),
  ACCESS_LOG_KEY: crypto.randomBytes(32).toString('base64url'),
  ACCESS_LOG_CHECKPOINT_FILE: path.join(os.tmpdir(), `samverka-bench-web-checkpoint-${process.pid}`),
});

/**
 * The API serving dist/web: `development` loads the demo data into the empty database (as `npm start`
 * does); `production` runs it as deployed, on the data the first start loaded.
 */
async function startApi(urls, mode) {
  const output = [];
  const child = fork(path.join(root, 'dist/apps/api/src/main.js'), [], {
    cwd: root,
    env: {
      ...env,
      NODE_ENV: mode,
      PORT: String(settings.port),
      DATABASE_URL: urls.app,
      DATABASE_OWNER_URL: urls.owner,
      REDIS_URL: settings.redisUrl,
      QUEUE_PREFIX: 'samverka-bench-web',
      SEED_DEMO_DATA: mode === 'development' ? 'true' : 'false',
      LOG_LEVEL: 'warn',
      APP_URL: `http://localhost:${settings.port}`,
      ...(mode === 'production' ? productionSecrets() : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const keep = (chunk) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  try {
    await waitForPort(settings.port, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`the API did not start: ${/** @type {Error} */ (error).message}\n${output.join('').slice(-4000)}`, {
      cause: error,
    });
  }
  return {
    output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The persons on the user's caseload (ids), over the API with a bearer token. */
async function caseloadIds(base) {
  const call = async (query, token) => {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query }),
    });
    const body = await response.json();
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const { login } = await call(
    `mutation { login(input: { username: "${settings.username}", password: "${PASSWORD}" }) { token } }`,
  );
  const { caseload } = await call(`query { caseload(first: 200) { edges { node { personId } } } }`, login.token);
  return caseload.edges.map((e) => e.node.personId);
}

/**
 * Runs in the page before its own scripts: records when each marker first matches (performance.now(),
 * from navigation start), at the next animation frame after it appears, i.e. when it is painted.
 */
function markerScript() {
  const markers = {
    caseload: () => document.querySelector('table.caseload tbody tr'),
    overview: () => document.querySelector('main section.card') && !document.querySelector('.status-loading'),
    empty: () => document.getElementById('bench-ready'),
  };
  const seen = {};
  /** @type {any} */ (window).__benchSeen = seen;
  const check = () => {
    for (const [name, found] of Object.entries(markers)) {
      if (!(name in seen) && found()) {
        seen[name] = null;
        requestAnimationFrame(() => (seen[name] = performance.now()));
      }
    }
  };
  new MutationObserver(check).observe(document, {
    childList: true,
    subtree: true,
    attributes: true,
    characterData: true,
  });
  document.addEventListener('DOMContentLoaded', check);
  // When React holds the page (its nodes carry React's fiber keys): hydrated from the API's markup, or rendered by
  // the client itself. From then on links and buttons work; a server-rendered page is painted before that.
  const reactHolds = () => {
    const node = document.querySelector('#root > *');
    if (node && Object.keys(node).some((key) => key.startsWith('__reactFiber'))) seen.react = performance.now();
    else if (performance.now() < 30_000) requestAnimationFrame(reactHolds);
  };
  requestAnimationFrame(reactHolds);
}

/**
 * Where one cold load of `url` spends its time: each request the page makes (a GraphQL request named by its
 * operation), from its start to its end, and when the document was parsed and the marker painted, all in ms
 * from navigation start. Printed after the figures, so a slow load can be read, not guessed at.
 */
async function breakdown(browser, contextOptions, url, marker) {
  const context = await browser.newContext(contextOptions);
  try {
    await context.addInitScript(markerScript);
    const page = await context.newPage();
    const requests = [];
    page.on('requestfinished', (request) => {
      let name = new URL(request.url()).pathname;
      if (name === '/graphql') {
        const body = JSON.parse(request.postData() ?? '{}');
        name = `graphql ${(Array.isArray(body) ? body : [body]).map((b) => /^\s*(?:query|mutation)\s+(\w+)/.exec(b.query ?? '')?.[1] ?? '?').join(' + ')}`;
      }
      requests.push({ name, timing: request.timing() });
    });
    await page.goto(url);
    await page.waitForFunction(
      (name) => typeof (/** @type {any} */ (window).__benchSeen?.[name]) === 'number',
      marker,
      { timeout: 30_000 },
    );
    await page
      .waitForFunction(() => typeof (/** @type {any} */ (window).__benchSeen?.react) === 'number', null, {
        timeout: 30_000,
      })
      .catch(() => undefined);
    const { origin, domContentLoaded, painted, react } = await page.evaluate(
      (name) => ({
        origin: performance.timeOrigin,
        domContentLoaded:
          /** @type {PerformanceNavigationTiming | undefined} */ (performance.getEntriesByType('navigation')[0])
            ?.domContentLoadedEventEnd ?? 0,
        painted: /** @type {any} */ (window).__benchSeen[name],
        react: /** @type {any} */ (window).__benchSeen.react,
      }),
      marker,
    );
    const lines = [`one cold ${marker} load, ms from navigation start:`];
    for (const { name, timing } of requests.sort((a, b) => a.timing.startTime - b.timing.startTime)) {
      const start = timing.startTime - origin;
      lines.push(
        `  ${start.toFixed(0).padStart(5)} .. ${(start + timing.responseEnd).toFixed(0).padStart(5)}  ${name}`,
      );
    }
    lines.push(
      `  DOMContentLoaded at ${domContentLoaded.toFixed(0)}, ${marker} painted at ${painted.toFixed(0)}, ` +
        `React holds the page (hydrated or rendered, links work) at ${typeof react === 'number' ? react.toFixed(0) : '?'}`,
    );
    return lines;
  } finally {
    await context.close();
  }
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function main() {
  const started = Date.now();
  if (!fs.existsSync(settings.chromium))
    throw new Error(`no Chromium at ${settings.chromium} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  ensureFullBuild();
  const urls = await freshDatabase();
  const emptyPage = path.join(root, 'dist/web', EMPTY_PAGE);
  fs.writeFileSync(
    emptyPage,
    '<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>tom</title></head><body><p id="bench-ready">tom</p></body></html>\n',
  );
  log(`starting the API on port ${settings.port} with the demo data (database ${settings.database}) ...`);
  let api = await startApi(urls, 'development');
  if (settings.nodeEnv === 'production') {
    log('restarting the API in production mode on the demo data ...');
    await api.stop();
    api = await startApi(urls, 'production');
  }
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: settings.chromium,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
  try {
    const base = `http://localhost:${settings.port}`;
    const persons = await caseloadIds(base);
    if (persons.length === 0) throw new Error(`${settings.username} has nobody on the caseload`);
    const version = browser.version();
    log(
      `machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, Chromium ${version}`,
    );
    log(
      `${settings.loads} loads each, every one in a fresh browser context (empty cache), signed in as ${settings.username} (${persons.length} persons on the caseload)`,
    );

    // Sign in once through the login page; every measured context starts with that session's cookies.
    const signInContext = await browser.newContext({ locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
    const signInPage = await signInContext.newPage();
    await signInPage.goto(`${base}/`);
    await signInPage.getByLabel('Användarnamn').fill(settings.username);
    await signInPage.getByLabel('Lösenord').fill(PASSWORD);
    await signInPage.getByRole('button', { name: 'Logga in' }).click();
    await signInPage.locator('table.caseload tbody tr').first().waitFor({ timeout: 30_000 });
    const storageState = await signInContext.storageState();
    await signInContext.close();

    const scripts = new Map();
    const contextOptions = {
      storageState,
      locale: 'sv-SE',
      timezoneId: 'Europe/Stockholm',
      viewport: { width: 1280, height: 900 },
    };
    // Warm loads share one context: the browser has the client cached (its files are immutable for 7 days), as on a second visit.
    const warmContext = await browser.newContext(contextOptions);
    await warmContext.addInitScript(markerScript);
    /**
     * One load of `url`, in a fresh context (cold: empty cache) or a new tab of the shared one (warm);
     * the milliseconds from navigation start until `marker` was painted.
     */
    const measureLoad = async (url, marker, warm = false) => {
      const context = warm ? warmContext : await browser.newContext(contextOptions);
      const page = await context.newPage();
      try {
        if (!warm) await context.addInitScript(markerScript);
        const errors = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('response', (response) => {
          if (response.request().resourceType() === 'script' && !scripts.has(response.url()))
            scripts.set(
              response.url(),
              response.body().catch(() => null),
            );
        });
        await page.goto(url);
        await page.waitForFunction(
          (name) => typeof (/** @type {any} */ (window).__benchSeen?.[name]) === 'number',
          marker,
          {
            timeout: 30_000,
          },
        );
        if (errors.length > 0) throw new Error(`errors in the page at ${url}: ${errors.join('; ')}`);
        return await page.evaluate((name) => /** @type {any} */ (window).__benchSeen[name], marker);
      } finally {
        await (warm ? page.close() : context.close());
      }
    };

    // One unmeasured load of each (which also fills the warm context's cache), so the server's first-request
    // work and the OS file cache are out of the figures.
    for (const warm of [false, true]) {
      await measureLoad(`${base}/${EMPTY_PAGE}`, 'empty', warm);
      await measureLoad(`${base}/`, 'caseload', warm);
      await measureLoad(`${base}/persons/${persons[0]}`, 'overview', warm);
    }

    await waitForQuietMachine(log);
    const busyBefore = machineBusyMs();
    const measuredFrom = Date.now();
    /** @type {Record<string, any[]>} */
    const figures = { empty: [], caseload: [], overview: [], 'caseload (warm)': [], 'overview (warm)': [] };
    // Interleaved, so a change in the machine's load touches all alike.
    for (let i = 0; i < settings.loads; i++) {
      const person = persons[i % persons.length];
      figures.empty.push(await measureLoad(`${base}/${EMPTY_PAGE}`, 'empty'));
      figures.caseload.push(await measureLoad(`${base}/`, 'caseload'));
      figures.overview.push(await measureLoad(`${base}/persons/${person}`, 'overview'));
      figures['caseload (warm)'].push(await measureLoad(`${base}/`, 'caseload', true));
      figures['overview (warm)'].push(await measureLoad(`${base}/persons/${person}`, 'overview', true));
    }
    const busyAfter = machineBusyMs();
    const busyCores =
      busyBefore === null || busyAfter === null ? null : (busyAfter - busyBefore) / (Date.now() - measuredFrom);
    const breakdowns = [
      await breakdown(browser, contextOptions, `${base}/`, 'caseload'),
      await breakdown(browser, contextOptions, `${base}/persons/${persons[0]}`, 'overview'),
    ];

    let jsBytes = 0;
    let jsGzipBytes = 0;
    for (const [url, body] of scripts) {
      const content = await body;
      if (!content) throw new Error(`could not read the script ${url}`);
      jsBytes += content.length;
      jsGzipBytes += zlib.gzipSync(content, { level: 9 }).length;
    }

    const fmt = (n) => n.toFixed(0);
    log('');
    for (const [name, values] of Object.entries(figures)) {
      log(
        `${name.padEnd(16)} median ${fmt(percentile(values, 50))} ms   p95 ${fmt(percentile(values, 95))} ms   min ${fmt(Math.min(...values))} ms   max ${fmt(Math.max(...values))} ms`,
      );
    }
    for (const lines of breakdowns) for (const line of lines) log(line);
    log(
      `JavaScript: ${scripts.size} file(s), ${(jsBytes / 1000).toFixed(1)} kB, ${(jsGzipBytes / 1000).toFixed(1)} kB gzip (level 9, as served)`,
    );
    if (busyCores !== null)
      log(
        `the machine was busy ${busyCores.toFixed(2)} cores (of ${os.cpus().length}) on average while measuring, this bench and the API included`,
      );
    log(
      `web: medians caseload ${fmt(percentile(figures.caseload, 50))} ms, overview ${fmt(percentile(figures.overview, 50))} ms, ` +
        `empty page ${fmt(percentile(figures.empty, 50))} ms (cold); warm caseload ${fmt(percentile(figures['caseload (warm)'], 50))} ms, ` +
        `overview ${fmt(percentile(figures['overview (warm)'], 50))} ms; targets p95 < 300 ms and JavaScript < 150 kB gzip`,
    );
    log(`total bench time ${((Date.now() - started) / 1000).toFixed(0)} s`);
    log(`RESULT web-baseline empty_page_ms=${fmt(percentile(figures.empty, 95))}`);
    log(
      `RESULT web-warm caseload_ms=${fmt(percentile(figures['caseload (warm)'], 95))} overview_ms=${fmt(percentile(figures['overview (warm)'], 95))}`,
    );
    log(
      `RESULT web caseload_ms=${fmt(percentile(figures.caseload, 95))} overview_ms=${fmt(percentile(figures.overview, 95))} js_gzip_kb=${(jsGzipBytes / 1000).toFixed(1)}`,
    );
  } finally {
    await browser.close(); // closes the warm context too
    await api.stop();
    fs.rmSync(emptyPage, { force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`bench:web FAILED: ${error && error.stack ? error.stack : error}`);
    process.exit(1);
  },
);
