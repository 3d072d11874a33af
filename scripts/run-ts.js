// Runs a TypeScript entry point (benchmarks, tools) without a build step: SWC compiles each .ts file
// on require, with the @samverka/* path aliases rewritten. Usage: node scripts/run-ts.js <file.ts> [args]
const { transformSync } = require('@swc/core');
const fs = require('node:fs');
const path = require('node:path');

const { swcOptions } = require('./swc-options');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), swcOptions({ filename, sourceMaps: 'inline' }));
  module._compile(code, filename);
};
process.setSourceMapsEnabled?.(true);

const entry = path.resolve(process.argv[2]);
process.argv.splice(1, 2, entry);
require(entry);
