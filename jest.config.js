const { swcOptions } = require('./scripts/swc-options');

/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
      // The @samverka/* aliases rewritten to relative paths, as in the build: the global setup loads the libraries
      // outside Jest's moduleNameMapper, and libs/domain imports @samverka/infrastructure.
      baseUrl: swcOptions().jsc.baseUrl,
      paths: swcOptions().jsc.paths,
    },
    module: { type: 'commonjs' },
  },
];

// The web client's component tests (test/web/*.spec.tsx): TSX with React's automatic JSX runtime.
const swcTsx = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  rootDir: '.',
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/test/**/*.spec.tsx'],
  // NestJS, Apollo and a few others ship ES modules only; SWC turns them into CommonJS for Jest.
  transform: { '^.+\\.tsx$': swcTsx, '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [
    '/node_modules/(?!(@nestjs|@apollo|@as-integrations|@graphql-tools|graphql-ws|jose|oauth4webapi|openid-client|regexparam|uuid|wouter)/)',
  ],
  moduleNameMapper: {
    '^@samverka/domain$': '<rootDir>/libs/domain/src',
    '^@samverka/domain/(.*)$': '<rootDir>/libs/domain/src/$1',
    '^@samverka/infrastructure$': '<rootDir>/libs/infrastructure/src',
    '^@samverka/infrastructure/(.*)$': '<rootDir>/libs/infrastructure/src/$1',
    '^@samverka/auth$': '<rootDir>/libs/auth/src',
    '^@samverka/auth/(.*)$': '<rootDir>/libs/auth/src/$1',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 30000,
};
