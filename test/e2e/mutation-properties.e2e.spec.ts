import fc from 'fast-check';
import { Fixtures } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * Property tests over the inputs of every mutation the API serves (read from the schema, so a new
 * mutation is covered without a change here): arbitrary, often invalid, values for every argument and
 * input field, sent as three different callers. Whatever comes in, the answer is never a 500 or an
 * INTERNAL_SERVER_ERROR, and a mutation that fails changes nothing (no partial write).
 */

const TOTAL_RUNS = 10_200;

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface InputType {
  name: string;
  kind: string;
  inputFields: Array<{ name: string; type: TypeRef }> | null;
  enumValues: Array<{ name: string }> | null;
}
interface MutationField {
  name: string;
  args: Array<{ name: string; type: TypeRef }>;
  type: TypeRef;
}

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name } } }';

/**
 * Every table a mutation can write to, read from the database itself so that a table added later is
 * covered too; but the access log and its chain (which record attempts, as they should, and are sealed
 * in the background) and TypeORM's own bookkeeping.
 */
const UNWATCHED_TABLES = /^(access_log.*|migrations|typeorm_metadata)$/;
const fingerprintSql = (tables: string[]) =>
  `SELECT ${tables.map((t) => `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${t} x) AS "${t}"`).join(', ')}`;

describe('every mutation, with arbitrary input: never a 500, never a partial write', () => {
  let db: TestDatabase;
  let api: TestApi;
  let tokens: string[];
  let ids: string[];
  let mutations: MutationField[];
  let types: Map<string, InputType>;

  beforeAll(async () => {
    db = await createTestDatabase({ RATE_LIMIT_PER_CLIENT_PER_MINUTE: '0', RATE_LIMIT_PER_USER_PER_MINUTE: '0' });
    api = await startTestApi(db);
    const f = new Fixtures(db.dataSource);
    const s = await f.careSetting();
    const admin = await f.staff(s.municipality, 'OTHER' as never, { administrator: true });
    const auditor = await f.staff(s.municipality, 'OTHER' as never, { auditor: true });
    tokens = await Promise.all(
      [s.socialWorker, s.psychiatrist, admin, auditor].map((x) => api.login(x.username, x.password)),
    );
    const plan = await api.gql<any>(
      `mutation($i: CreateSipPlanInput!) { createSipPlan(input: $i) { id interventions { id } needs { id } } }`,
      {
        i: {
          personId: s.person.id,
          content: {
            needs: [{ area: 'HOUSING', description: 'Shelter' }],
            interventions: [
              {
                description: 'Flat',
                responsiblePrincipal: 'MUNICIPALITY',
                responsibleOrganisationId: s.municipality.id,
              },
            ],
          },
        },
      },
      tokens[0],
    );
    const episode = await api.gql<any>(
      `mutation($i: OpenCareEpisodeInput!) { openCareEpisode(input: $i) { id } }`,
      { i: { personId: s.person.id, kind: 'PSYCHIATRY' } },
      tokens[1],
    );
    const proposal = await api.gql<any>(
      `mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`,
      {
        i: {
          personId: s.person.id,
          type: 'OTHER',
          title: 'Props',
          rationale: 'Property tests',
          deadline: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      tokens[0],
    );
    const [member] = await db.dataSource.query(
      `SELECT m.id FROM group_member m JOIN collaboration_group g ON g.id = m.group_id WHERE g.person_id = $1 LIMIT 1`,
      [s.person.id],
    );
    const [consent] = await f.consents.forPerson(s.person.id);
    ids = [
      s.person.id,
      s.municipality.id,
      s.psychiatry.id,
      s.ngo.id,
      s.socialWorker.staff.id,
      s.psychiatrist.staff.id,
      s.nurse.staff.id,
      plan.data.createSipPlan.id,
      plan.data.createSipPlan.interventions[0].id,
      plan.data.createSipPlan.needs[0].id,
      episode.data.openCareEpisode.id,
      proposal.data.openProposal.id,
      member.id,
      consent.id,
    ];

    const schema = await api.gql<any>(`{ __schema {
      mutationType { fields { name args { name type { ${TYPE_REF} } } type { ${TYPE_REF} } } }
      types { name kind inputFields { name type { ${TYPE_REF} } } enumValues { name } } } }`);
    mutations = schema.data.__schema.mutationType.fields;
    types = new Map(schema.data.__schema.types.map((t: InputType) => [t.name, t]));
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  /** An arbitrary value for a GraphQL input type: mostly well-typed, sometimes wrong, null or missing. */
  function valueOf(type: TypeRef, depth = 0): fc.Arbitrary<unknown> {
    if (type.kind === 'NON_NULL')
      return fc.oneof(
        { weight: 20, arbitrary: valueOf(type.ofType!, depth) },
        { weight: 1, arbitrary: fc.constant(null) },
      );
    const nullable = (a: fc.Arbitrary<unknown>) =>
      fc.oneof({ weight: 4, arbitrary: a }, { weight: 1, arbitrary: fc.constant(null) });
    if (type.kind === 'LIST')
      return nullable(fc.array(valueOf(type.ofType!, depth + 1), { maxLength: depth > 1 ? 1 : 4 }));
    const named = types.get(type.name!)!;
    if (named.kind === 'ENUM')
      return nullable(
        fc.oneof(
          { weight: 9, arbitrary: fc.constantFrom(...named.enumValues!.map((v) => v.name)) },
          { weight: 1, arbitrary: fc.constant('NOT_A_VALUE') },
        ),
      );
    if (named.kind === 'INPUT_OBJECT') {
      if (depth > 3) return fc.constant(null);
      const fields = Object.fromEntries(named.inputFields!.map((f) => [f.name, valueOf(f.type, depth + 1)]));
      return nullable(
        fc.record(fields, {
          requiredKeys: named.inputFields!.filter((f) => f.type.kind === 'NON_NULL').map((f) => f.name),
        }),
      );
    }
    switch (named.name) {
      case 'ID':
        return nullable(
          fc.oneof(
            { weight: 6, arbitrary: fc.constantFrom(...ids) },
            { weight: 2, arbitrary: fc.uuid() },
            { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
          ),
        );
      case 'Int':
        return nullable(fc.oneof(fc.integer({ min: -5, max: 400 }), fc.integer(), fc.constantFrom(0, -1, 2 ** 31 - 1)));
      case 'Float':
        return nullable(fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, 0.5, 1, 1.5)));
      case 'Boolean':
        return nullable(fc.boolean());
      case 'DateTime':
        return nullable(
          fc.oneof(
            fc
              .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
              .map((d) => d.toISOString()),
            fc.string({ maxLength: 30 }),
          ),
        );
      default:
        return nullable(
          fc.oneof(
            { weight: 4, arbitrary: fc.string({ maxLength: 60 }) },
            {
              weight: 2,
              arbitrary: fc
                .date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
                .map((d) => d.toISOString().slice(0, 10)),
            },
            { weight: 1, arbitrary: fc.string({ maxLength: 30, unit: 'binary' }) },
            {
              weight: 1,
              arbitrary: fc.constantFrom(
                '',
                ' ',
                '\u0000',
                'x'.repeat(5000),
                "'; DROP TABLE person; --",
                '2026-02-30',
                '199001011234',
                '19900101-1234',
                'TMP-ABC123',
              ),
            },
          ),
        );
    }
  }

  function selection(type: TypeRef): string {
    let t: TypeRef = type;
    while (t.ofType) t = t.ofType;
    return types.get(t.name!)?.kind === 'OBJECT' ? ' { __typename }' : '';
  }

  let fingerprintQuery: string;
  const fingerprint = async () => {
    if (!fingerprintQuery) {
      const rows: Array<{ table_name: string }> = await db.dataSource.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
      );
      const tables = rows.map((r) => r.table_name).filter((t) => !UNWATCHED_TABLES.test(t));
      expect(tables).toEqual(
        expect.arrayContaining(['person', 'group_member', 'care_episode', 'proposal', 'consent', 'reminder']),
      );
      fingerprintQuery = fingerprintSql(tables);
    }
    return JSON.stringify((await db.dataSource.query(fingerprintQuery))[0]);
  };

  it(`sends ${TOTAL_RUNS} arbitrary mutations in all`, async () => {
    expect(mutations.length).toBeGreaterThan(30);
    const runs = Math.ceil(TOTAL_RUNS / mutations.length);
    let sent = 0;
    let succeeded = 0;
    const byCode = new Map<string, number>();
    for (const mutation of mutations) {
      const signature = mutation.args.map((a) => `$${a.name}: ${typeName(a.type)}`).join(', ');
      const call = mutation.args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const query = `mutation${signature ? `(${signature})` : ''} { ${mutation.name}${call ? `(${call})` : ''}${selection(mutation.type)} }`;
      const args = fc.record(Object.fromEntries(mutation.args.map((a) => [a.name, valueOf(a.type)])));
      let before = await fingerprint();
      await fc.assert(
        fc.asyncProperty(args, fc.integer({ min: 0, max: tokens.length - 1 }), async (variables, who) => {
          const r = await api.gql(query, variables, tokens[who]);
          sent++;
          const codes = (r.errors ?? []).map((e) => String(e.extensions?.code));
          for (const code of codes) byCode.set(code, (byCode.get(code) ?? 0) + 1);
          if (r.status >= 500 || codes.includes('INTERNAL_SERVER_ERROR')) {
            throw new Error(
              `${mutation.name}: ${r.status} ${JSON.stringify(r.errors)} for ${JSON.stringify(variables).slice(0, 500)}`,
            );
          }
          // One fingerprint per case: a failed mutation must leave it as the previous case left it.
          const after = await fingerprint();
          if (r.errors && after !== before)
            throw new Error(
              `${mutation.name} failed (${codes.join(',')}) but changed the database, for ${JSON.stringify(variables).slice(0, 500)}`,
            );
          if (!r.errors) succeeded++;
          before = after;
        }),
        { numRuns: runs, seed: 20261123, endOnFailure: true },
      );
    }
    console.log(
      `mutation properties: ${sent} mutations sent over ${mutations.length} mutations, ${succeeded} succeeded; errors by code ${JSON.stringify(Object.fromEntries(byCode))}`,
    );
    expect(sent).toBeGreaterThanOrEqual(TOTAL_RUNS);
    expect(succeeded).toBeGreaterThan(0);
  }, 480_000); // minutes on a busy machine; it asserts no time
});

function typeName(t: TypeRef): string {
  if (t.kind === 'NON_NULL') return `${typeName(t.ofType!)}!`;
  if (t.kind === 'LIST') return `[${typeName(t.ofType!)}]`;
  return t.name!;
}
