// Import rules checked by `npm run lint` (dependency-cruiser): no import cycles anywhere, type-only imports
// included (a cycle of types is still two files that cannot be understood apart), and the layering the folders
// promise. Nothing is excepted; an exception would be listed in its rule with its reason.

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
        'libs/infrastructure (configuration, jobs, platform) knows nothing of the care domain, authentication ' +
        'or the applications: they build on it, never the other way.',
      severity: 'error',
      from: { path: '^libs/infrastructure/' },
      to: { path: '^(libs/(domain|auth)|apps)/' },
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
