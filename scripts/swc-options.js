// The SWC settings shared by the build (scripts/build.js) and the TypeScript runner (scripts/run-ts.js):
// decorators with metadata for NestJS and TypeORM, and the @samverka/* aliases rewritten to relative paths.
const path = require('node:path');

const root = path.resolve(__dirname, '..');

/**
 * @param {import('@swc/core').Options} [extra]
 * @returns {import('@swc/core').Options}
 */
function swcOptions(extra = {}) {
  return {
    ...extra,
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: root,
      paths: {
        '@samverka/domain': ['libs/domain/src'],
        '@samverka/domain/*': ['libs/domain/src/*'],
        '@samverka/infrastructure': ['libs/infrastructure/src'],
        '@samverka/infrastructure/*': ['libs/infrastructure/src/*'],
        '@samverka/auth': ['libs/auth/src'],
        '@samverka/auth/*': ['libs/auth/src/*'],
      },
    },
    module: { type: 'commonjs' },
  };
}

module.exports = { root, swcOptions };
