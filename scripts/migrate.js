// `npm run migrate`: libs/domain/src/database/migrate.command.ts, compiled on load by SWC when the development
// dependencies are installed, else the built copy in dist/ (an image with production dependencies only).
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const built = path.join(root, 'dist', 'libs', 'domain', 'src', 'database', 'migrate.command.js');
let swc = true;
try {
  require.resolve('@swc/core');
} catch {
  swc = false;
}
if (swc) {
  process.argv.splice(2, 0, path.join(root, 'libs', 'domain', 'src', 'database', 'migrate.command.ts'));
  require('./run-ts');
} else if (fs.existsSync(built)) {
  require(built);
} else {
  console.error(
    'migrate: neither the sources with their development dependencies nor a build (node scripts/build.js) are here',
  );
  process.exit(1);
}
