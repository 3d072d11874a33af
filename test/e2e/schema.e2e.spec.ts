import { GraphQLSchemaHost } from '@nestjs/graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchemaSdl, toSdl } from '../../apps/api/src/schema/schema-sdl';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

describe('committed schema.graphql', () => {
  let db: TestDatabase;
  let api: TestApi;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApi(db);
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('is exactly the schema the running API serves (run `npm run schema` after changing types)', () => {
    const committed = readFileSync(join(__dirname, '../../schema.graphql'), 'utf8');
    expect(toSdl(api.app.get(GraphQLSchemaHost).schema)).toBe(committed);
  });

  it('is what `npm run schema` writes', async () => {
    const committed = readFileSync(join(__dirname, '../../schema.graphql'), 'utf8');
    expect(await buildSchemaSdl()).toBe(committed);
  });
});
