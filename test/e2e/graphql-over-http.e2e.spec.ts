import { auditServer } from 'graphql-http';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/** The graphql-http package's server audit suite (GraphQL over HTTP) against the running API. */
describe('GraphQL over HTTP conformance', () => {
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

  it('passes every MUST audit', async () => {
    const results = await auditServer({ url: api.url });
    const failedMusts = results.filter((r) => r.status !== 'ok' && r.name.startsWith('MUST'));
    const summary = results.map(
      (r) =>
        `${r.status.padEnd(7)} ${r.name}${r.status === 'ok' ? '' : `: ${(r as { reason?: string }).reason ?? ''}`}`,
    );
    console.log(
      `graphql-http audits: ${results.filter((r) => r.status === 'ok').length} ok of ${results.length}\n${summary.filter((l) => !l.startsWith('ok')).join('\n')}`,
    );
    expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThan(10);
    expect(failedMusts.map((r) => r.name)).toEqual([]);
  });
});
