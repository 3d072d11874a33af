'use strict';
// Summarises a V8 CPU profile (.cpuprofile) for the benchmarks: top functions and packages by self time,
// and the inclusive time of a few layers.
const fs = require('node:fs');
const { root } = require('./ensure-build');

/** Top self-time functions of a V8 CPU profile, and self time by package. */
function summariseProfile(file, top = 15) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++)
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byPackage = new Map();
  for (const [id, micros] of self) {
    const { functionName, url, lineNumber } = nodes.get(id).callFrame;
    const where = url ? `${url.replace(/^file:\/\//, '').replace(root + '/', '')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    const pkg =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
      (url.includes('/dist/')
        ? 'samverka (dist)'
        : url.startsWith('node:')
          ? 'node core'
          : url
            ? url.replace(root + '/', '')
            : functionName || '(vm)');
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + micros);
  }
  const fmt = (entries) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => `    ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  // Inclusive time of a few layers (a sample counts for every layer on its stack, so they overlap).
  /** @type {Array<[string, (cf: { functionName: string, url: string }) => boolean]>} */
  const layers = [
    ['socket writes (writev)', (cf) => cf.functionName === 'writev'],
    ['today() (libs/domain/src/time.ts)', (cf) => cf.functionName === 'today' && cf.url.includes('/time.js')],
    ['TypeORM', (cf) => cf.url.includes('node_modules/typeorm/')],
    ['pg client (pg, pg-pool, pg-protocol)', (cf) => /node_modules\/pg(-pool|-protocol)?\//.test(cf.url)],
    ['graphql-js execution', (cf) => cf.url.includes('node_modules/graphql/execution/')],
    ['Apollo Server', (cf) => cf.url.includes('node_modules/@apollo/server/')],
    ['NestJS', (cf) => cf.url.includes('node_modules/@nestjs/')],
    ['Express (express, router, body-parser)', (cf) => /node_modules\/(express|router|body-parser)\//.test(cf.url)],
    ['jose (token verification)', (cf) => cf.url.includes('node_modules/jose/')],
    ['DataLoader', (cf) => cf.url.includes('node_modules/dataloader/')],
    ['garbage collector', (cf) => cf.functionName === '(garbage collector)'],
  ];
  const parentOf = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
  const inclusive = new Map(layers.map(([name]) => [name, 0]));
  let busy = 0;
  for (const [id, micros] of self) {
    if (nodes.get(id).callFrame.functionName === '(idle)') continue;
    busy += micros;
    const hit = new Set();
    for (let cur = id; cur !== undefined; cur = parentOf.get(cur)) {
      for (const [name, test] of layers) if (!hit.has(name) && test(nodes.get(cur).callFrame)) hit.add(name);
    }
    for (const name of hit) inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
  }
  const layerLines = layers
    .map(([name]) => `    ${((100 * (inclusive.get(name) ?? 0)) / busy).toFixed(1).padStart(5)}%  ${name}`)
    .join('\n');
  return (
    `  top self time by function (% of all samples):\n${fmt(byFunction)}\n  self time by package:\n${fmt(byPackage)}\n` +
    `  inclusive time by layer (% of non-idle samples; layers overlap):\n${layerLines}`
  );
}

module.exports = { summariseProfile };
