import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchemaSdl } from './schema-sdl';

/** `npm run schema`: writes schema.graphql at the repository root. */
buildSchemaSdl()
  .then((sdl) => {
    const file = join(__dirname, '../../../../../schema.graphql');
    writeFileSync(file, sdl);
    process.stdout.write(`wrote ${file}\n`);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
