import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** Runs the web client's codegen in memory (in a child process, as `npm run codegen` would) and returns what it would write. */
function generate(): Array<{ filename: string; content: string }> {
  const script = `
    const { generate, loadCodegenConfig } = require('@graphql-codegen/cli');
    loadCodegenConfig({ configFilePath: 'apps/web/codegen.ts' })
      .then(({ config }) => generate({ ...config, cwd: process.cwd() }, false))
      .then((files) => process.stdout.write(JSON.stringify(files)))
      .catch((error) => { console.error(error); process.exit(1); });`;
  const result = spawnSync(process.execPath, ['-e', script], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 50 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`codegen failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

describe('web client GraphQL types', () => {
  it('are up to date with schema.graphql and the documents (run `npm run codegen` if this fails)', () => {
    const [file] = generate();
    expect(path.resolve(root, file.filename)).toBe(path.join(root, 'apps/web/src/api/generated.ts'));
    expect(fs.readFileSync(path.join(root, 'apps/web/src/api/generated.ts'), 'utf8')).toBe(file.content);
  });
});
