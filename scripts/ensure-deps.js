// Installs the dependencies with `npm ci` when node_modules is missing or does not match package-lock.json.
// Plain Node without dependencies: it runs before anything is installed (npm's pretest, scripts/start.js,
// .ci/run, the Dockerfile).
//
//   node scripts/ensure-deps.js            install only if missing or stale
//   node scripts/ensure-deps.js --force    always install (CI, Docker); other arguments go to npm (e.g. --omit=dev)
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function readLock(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8')).packages || {};
}

/** Why node_modules needs installing, or null when it matches package-lock.json. */
function staleReason() {
  const lockFile = path.join(root, 'package-lock.json');
  const hiddenLockFile = path.join(root, 'node_modules', '.package-lock.json');
  if (!fs.existsSync(path.join(root, 'node_modules'))) return 'node_modules is missing';
  if (!fs.existsSync(hiddenLockFile)) return 'node_modules was not installed by npm from package-lock.json';
  // npm writes node_modules/.package-lock.json after every install: newer than the lock file means up to date.
  if (fs.statSync(hiddenLockFile).mtimeMs >= fs.statSync(lockFile).mtimeMs) return null;
  // Older (a fresh checkout, a pull): compare the installed versions with the lock file before reinstalling.
  const wanted = readLock(lockFile);
  const installed = readLock(hiddenLockFile);
  for (const [name, entry] of Object.entries(wanted)) {
    if (!name.startsWith('node_modules/')) continue;
    const have = installed[name];
    // Optional packages for other platforms (e.g. other CPUs' SWC binaries) are never installed here.
    if (!have && (entry.optional || entry.os || entry.cpu)) continue;
    if (!have) return `${name.slice('node_modules/'.length)} is not installed`;
    if (have.version !== entry.version)
      return `${name.slice('node_modules/'.length)} is ${have.version}, package-lock.json wants ${entry.version}`;
  }
  return null;
}

function run(args) {
  process.stdout.write(`> npm ${args.join(' ')}\n`);
  const result = spawnSync(npm, args, { cwd: root, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  return {
    ok: result.status === 0,
    status: result.status || 1,
    stderr: `${result.error ? result.error.message : ''}${result.stderr || ''}`,
  };
}

/** Installs if needed (or always with --force); returns true when it installed. Exits the process if the install fails. */
function ensureDeps(argv = []) {
  const force = argv.includes('--force');
  const npmArgs = argv.filter((a) => a !== '--force');
  const reason = force ? 'a clean install was asked for' : staleReason();
  if (!reason) return false;
  process.stdout.write(`Installing dependencies (${reason})\n`);
  // Only `npm ci`: it installs exactly package-lock.json and refuses when the lock and package.json disagree, so
  // a lock that is out of date fails CI instead of being papered over (regenerate it with npm install).
  const result = run(['ci', '--no-audit', '--no-fund', ...npmArgs]);
  if (!result.ok) {
    process.stderr.write(result.stderr);
    process.stderr.write(
      `Installing dependencies failed (exit code ${result.status}); if npm says package-lock.json is out of sync, run npm install and commit the lock\n`,
    );
    process.exit(result.status);
  }
  return true;
}

module.exports = { ensureDeps, staleReason };

if (require.main === module) ensureDeps(process.argv.slice(2));
