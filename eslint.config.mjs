import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The scripts that stay plain CommonJS run under Node.js without a bundler (scripts/tsconfig.json type-checks them).
const NODE_GLOBALS = Object.fromEntries(
  (
    'require module exports __dirname __filename process console Buffer URL URLSearchParams TextEncoder TextDecoder ' +
    'AbortController AbortSignal fetch performance structuredClone setTimeout clearTimeout setInterval clearInterval ' +
    'setImmediate clearImmediate queueMicrotask'
  )
    .split(' ')
    .map((name) => [name, 'readonly']),
);

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'apps/web/dist/**',
      '**/*.js',
      '**/*.mjs',
      '!scripts/**/*.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Logs must never carry personal data: use Nest's Logger with ids and codes only.
      'no-console': ['error', { allow: ['error', 'warn'] }],
    },
  },
  {
    files: ['test/**/*.ts', 'test/**/*.tsx', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-console': 'off' },
  },
  {
    files: ['scripts/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: NODE_GLOBALS },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      'no-console': 'off',
    },
  },
  {
    // One typed way to reach the database: TypeORM's and pg's query() answer `any` rows; sql<Row>() names the row.
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: [
      'apps/web/**',
      'libs/domain/src/database/sql.ts',
      // Committed migrations never change; their statements read no rows.
      'libs/domain/src/database/migrations/**',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='query']:not([typeArguments])",
          message: "query() answers `any` rows: use sql<Row>(), sqlOne<Row>() or sqlCount() from 'database/sql'.",
        },
      ],
    },
  },
  {
    files: ['apps/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@nestjs/graphql', '@nestjs/apollo', '**/apps/api/**'],
              message: 'The worker uses the domain services, not the API.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/apps/**', '../../apps/*'], message: 'Libraries never import applications.' }] },
      ],
    },
  },
);
