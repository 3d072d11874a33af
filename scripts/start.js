// `npm start`: installs what is missing, builds, makes sure PostgreSQL and Redis run, then starts
// the API (which also serves the web client) and, once the API is ready, the worker, with prefixed output.
// Ctrl-C stops both.
// Plain Node without dependencies, so that it runs on a fresh clone.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const readline = require('node:readline');
const { ensureDeps } = require('./ensure-deps');

const root = path.resolve(__dirname, '..');
// The same defaults as libs/infrastructure/src/config/app-config.ts: the API and the worker connect as the application
// role, and migrate as the owner role (see libs/domain/src/database/roles.ts).
const DATABASE_URL = process.env.DATABASE_URL || 'postgres://samverka_app@127.0.0.1:5432/samverka';
const DATABASE_OWNER_URL =
  process.env.DATABASE_OWNER_URL ||
  (process.env.DATABASE_URL ? DATABASE_URL : 'postgres://samverka_owner@127.0.0.1:5432/samverka');
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

const START_POSTGRES = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
const START_REDIS = (port) =>
  `redis-server --daemonize yes --bind 127.0.0.1 -::1 --port ${port} --save "" --appendonly no`;

function say(line) {
  process.stdout.write(`[start] ${line}\n`);
}

function fail(line) {
  process.stderr.write(`[start] ${line}\n`);
  process.exit(1);
}

function endpoint(url, defaultPort) {
  const u = new URL(url);
  return { host: u.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(u.port || defaultPort) };
}

/** Resolves true when something accepts a TCP connection (and, for Redis, answers PING). */
function reachable({ host, port }, ping = false) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => (ping ? socket.write('PING\r\n') : done(true)));
    // +PONG, or -NOAUTH from a Redis with a password: either way a Redis is there.
    socket.on('data', (data) => done(/^[+-]/.test(data.toString())));
  });
}

async function waitFor(target, ping, seconds) {
  for (let i = 0; i < seconds * 2; i++) {
    if (await reachable(target, ping)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/** Starts a local service that is not running; prints one line and exits if that is impossible. */
async function ensureService(name, url, defaultPort, startCommand, ping) {
  const target = endpoint(url, defaultPort);
  const command = typeof startCommand === 'function' ? startCommand(target.port) : startCommand;
  if (await reachable(target, ping)) return;
  const where = `${target.host}:${target.port}`;
  if (!['127.0.0.1', 'localhost', '::1'].includes(target.host))
    fail(`${name} is not reachable at ${where}; start it (or fix the URL) and run npm start again`);
  say(`${name} is not reachable at ${where}; starting it: ${command}`);
  const result = spawnSync('sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const output = `${result.stderr || ''}${result.stdout || ''}`.trim().split('\n').pop();
  const why =
    result.status !== 0
      ? output || `exit code ${result.status}`
      : !(await waitFor(target, ping, 20))
        ? `it did not answer on ${where} within 20 s`
        : null;
  if (why)
    fail(
      `could not start ${name} (${why}); start it yourself (or: docker compose up -d ${name === 'PostgreSQL' ? 'postgres' : 'redis'}) and run npm start again`,
    );
}

// --- child processes ---

const children = new Map();
let stopping = false;
let exitCode = 0;

function startChild(name, command, args, options = {}) {
  // Its own process group: a Ctrl-C in the terminal reaches this script only, which then stops the children in order.
  const child = spawn(command, args, {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    ...options,
  });
  children.set(name, child);
  const prefix = `[${name}] `;
  for (const [stream, out] of /** @type {Array<[import('node:stream').Readable, NodeJS.WriteStream]>} */ ([
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ])) {
    readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      out.write(prefix + line + '\n');
      if (options.onLine) options.onLine(line);
    });
  }
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      say(`${name} exited (${signal || `code ${code}`}); stopping the others`);
      exitCode = code || 1;
      stopAll('SIGTERM');
    }
    if (children.size === 0) process.exit(exitCode);
  });
  return child;
}

function stopAll(signal) {
  stopping = true;
  for (const child of children.values()) child.kill(signal);
  // Anything still running after ten seconds is killed.
  setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 10_000).unref();
  if (children.size === 0) process.exit(exitCode);
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (stopping) return;
    say(`stopping (${signal})`);
    stopAll(signal === 'SIGHUP' ? 'SIGTERM' : signal);
  });
}
process.on('exit', () => {
  for (const child of children.values()) child.kill('SIGKILL');
});

/** The local superuser that creates the two roles and the database: DATABASE_ADMIN_URL, else `postgres` on the same server (trust). */
function adminUrl() {
  if (process.env.DATABASE_ADMIN_URL) return process.env.DATABASE_ADMIN_URL;
  const url = new URL(DATABASE_OWNER_URL);
  url.username = 'postgres';
  url.password = '';
  url.pathname = '/postgres';
  url.search = '';
  return url.toString();
}

/** Creates the owner and application roles if missing and the database owned by the owner (never in production). */
async function ensureRoles() {
  if (process.env.NODE_ENV === 'production' || DATABASE_OWNER_URL === DATABASE_URL) return;
  const { ensureRolesAndDatabase, roleOf } = require(
    path.join(root, 'dist', 'libs', 'domain', 'src', 'database', 'roles'),
  );
  try {
    const { created } = await ensureRolesAndDatabase(adminUrl(), DATABASE_OWNER_URL, DATABASE_URL);
    if (created)
      say(
        `created the database, owned by ${roleOf(DATABASE_OWNER_URL)}; the API and the worker connect as ${roleOf(DATABASE_URL)}`,
      );
  } catch (/** @type {any} */ error) {
    fail(
      `could not set up the database roles as the PostgreSQL superuser (${error.code || error.message}); set DATABASE_ADMIN_URL, ` +
        `or create the roles ${roleOf(DATABASE_OWNER_URL)} and ${roleOf(DATABASE_URL)} and the database yourself (README, Configuration)`,
    );
  }
}

/** The web client (apps/web) is built into dist/web by scripts/build.js and served by the API on its own port. */
function announceWeb() {
  if (!fs.existsSync(path.join(root, 'dist', 'web', 'index.html'))) return;
  say(
    `web client: http://localhost:${process.env.PORT || 3000}/ (log in as socialworker, psychiatrist, nurse, ... with password samverka-demo)`,
  );
}

async function main() {
  ensureDeps();
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.js')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) fail('the build failed (see above)');
  await ensureService('PostgreSQL', DATABASE_URL, 5432, START_POSTGRES, false);
  await ensureService('Redis', REDIS_URL, 6379, START_REDIS, true);
  await ensureRoles();

  // The API migrates the database (as the owner) and loads the demo data; the worker starts once the API is ready.
  let workerStarted = false;
  startChild('api', process.execPath, ['--enable-source-maps', 'dist/apps/api/src/main.js'], {
    onLine: (line) => {
      if (workerStarted || stopping || !line.includes('API ready')) return;
      workerStarted = true;
      startChild('worker', process.execPath, ['--enable-source-maps', 'dist/apps/worker/src/main.js']);
      announceWeb();
    },
  });
}

main().catch((error) => fail(error && error.message ? error.message : String(error)));
