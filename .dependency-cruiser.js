// Import rules checked by `npm run lint` (dependency-cruiser): no import cycles anywhere, type-only imports
// included (a cycle of types is still two files that cannot be understood apart), and the layering the folders
// promise. No cycle is excepted; the one layering exception is named in its rule, and any new one must be too.
const INFRASTRUCTURE = '^libs/domain/src/(config|database|jobs|platform)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles make load order matter and features inseparable: break them (a shared file, an event).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'infrastructure-apart-from-care',
      comment:
        'Configuration, database, jobs and platform know nothing of the care features. The one exception is ' +
        'database/entities.ts, the list of tables the DataSource maps, which names every feature’s entities.',
      severity: 'error',
      from: { path: INFRASTRUCTURE, pathNot: '^libs/domain/src/database/entities\\.ts$' },
      to: { path: '^libs/domain/src/', pathNot: INFRASTRUCTURE },
    },
    {
      name: 'episodes-below-decisions-and-discharge',
      comment: 'An episode knows nothing of the decisions about it; discharge (its own folder) uses both.',
      severity: 'error',
      from: { path: '^libs/domain/src/episodes/' },
      to: { path: '^libs/domain/src/(decisions|discharge)/' },
    },
    {
      name: 'decisions-below-discharge',
      comment: 'Decisions are made without knowing how a discharge is carried out.',
      severity: 'error',
      from: { path: '^libs/domain/src/decisions/' },
      to: { path: '^libs/domain/src/discharge/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    // Type-only imports count too (see above).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
