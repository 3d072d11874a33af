// Compiles apps/ and libs/ to dist/ with SWC (type checking is `npm run typecheck`), then builds the
// web client (apps/web) with Vite into dist/web, which the API serves, and the API's renderer of the client's
// first screen into dist/web-server (apps/web/src/server-entry.tsx, see apps/api/src/web-render.ts).
// `--server-only` skips both.
// Path aliases (@samverka/*) are rewritten to relative requires, so dist/ runs on plain Node.
const { transformFile } = require('@swc/core');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { root, swcOptions } = require('./swc-options');
const out = path.join(root, 'dist');
const sources = ['apps/api/src', 'apps/worker/src', 'libs/infrastructure/src', 'libs/domain/src', 'libs/auth/src'];
const serverOnly = process.argv.includes('--server-only');

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.d.ts'))
      yield full;
  }
}

async function main() {
  fs.rmSync(out, { recursive: true, force: true });
  const files = sources.flatMap((s) => [...walk(path.join(root, s))]);
  await Promise.all(
    files.map(async (file) => {
      const rel = path.relative(root, file).replace(/\.ts$/, '.js');
      const target = path.join(out, rel);
      const result = await transformFile(file, swcOptions({ sourceMaps: true, filename: file, outputPath: target }));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, result.code + `\n//# sourceMappingURL=${path.basename(target)}.map`);
      if (result.map) fs.writeFileSync(target + '.map', result.map);
    }),
  );
  console.log(`built ${files.length} files into dist/`);
  if (!serverOnly) buildWebClient();
}

function buildWebClient() {
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', path.join(root, 'apps', 'web', 'vite.config.mts')],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error(`building the web client failed (exit code ${result.status})`);
  console.log('built the web client into dist/web/');
  const ssr = spawnSync(
    process.execPath,
    [vite, 'build', '--config', path.join(root, 'apps', 'web', 'vite.config.mts'), '--ssr', 'src/server-entry.tsx'],
    // React's production build, whatever NODE_ENV the build runs under (the renderer's JSX must match it).
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (ssr.status !== 0) throw new Error(`building the first-screen renderer failed (exit code ${ssr.status})`);
  console.log('built the first-screen renderer into dist/web-server/');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
