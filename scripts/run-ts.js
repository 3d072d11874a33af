// Runs a TypeScript entry point (benchmarks, tools) without a build step: SWC compiles each .ts file
// on require, with the @samverka/* path aliases rewritten. Usage: node scripts/run-ts.js <file.ts> [args]
const { transformSync } = require('@swc/core');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const options = (filename) => ({
  filename,
  sourceMaps: 'inline',
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
    baseUrl: root,
    paths: {
      '@samverka/domain': ['libs/domain/src'],
      '@samverka/domain/*': ['libs/domain/src/*'],
      '@samverka/auth': ['libs/auth/src'],
      '@samverka/auth/*': ['libs/auth/src/*'],
    },
  },
  module: { type: 'commonjs' },
});

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), options(filename));
  module._compile(code, filename);
};
process.setSourceMapsEnabled?.(true);

const entry = path.resolve(process.argv[2]);
process.argv.splice(1, 2, entry);
require(entry);
