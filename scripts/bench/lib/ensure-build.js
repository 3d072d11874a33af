'use strict';
// Runs `node scripts/build.js` when dist/ is missing or older than any source file it is built from.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../../..');
// The same source roots and file filter as scripts/build.js.
const SOURCES = ['apps/api/src', 'apps/worker/src', 'libs/domain/src', 'libs/auth/src'];

function* walk(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts'))
      yield full;
  }
}

/** The first source file whose compiled counterpart is missing or older, or null when dist/ is current. */
function staleReason() {
  const main = path.join(root, 'dist/apps/api/src/main.js');
  if (!fs.existsSync(main)) return 'dist/ is missing';
  // The build's own configuration (scripts/build.js and what it requires) counts as a source too.
  for (const config of ['scripts/build.js', 'scripts/swc-options.js']) {
    const file = path.join(root, config);
    if (fs.existsSync(file) && fs.statSync(file).mtimeMs > fs.statSync(main).mtimeMs)
      return `${config} changed after the last build`;
  }
  for (const source of SOURCES) {
    for (const file of walk(path.join(root, source))) {
      const target = path.join(root, 'dist', path.relative(root, file).replace(/\.ts$/, '.js'));
      if (!fs.existsSync(target)) return `${path.relative(root, target)} is missing`;
      if (fs.statSync(target).mtimeMs < fs.statSync(file).mtimeMs)
        return `${path.relative(root, file)} changed after the last build`;
    }
  }
  return null;
}

function ensureBuild(log = console.log) {
  const reason = staleReason();
  if (!reason) {
    log('build: dist/ is up to date');
    return;
  }
  log(`build: ${reason}; running node scripts/build.js`);
  execFileSync(process.execPath, [path.join(root, 'scripts/build.js')], { cwd: root, stdio: 'inherit' });
}

module.exports = { ensureBuild, root };
