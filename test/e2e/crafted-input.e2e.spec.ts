import { GqlResponse, startTestApi, TestApi } from '../support/test-api';
import { Fixtures } from '../support/fixtures';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const b64 = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const UUID = '00000000-0000-4000-8000-000000000000';

/** Cursors this API never issues: not base64, base64 of junk, and pairs the database would refuse. */
const CRAFTED_CURSORS = [
  'garbage',
  '!!!',
  b64('junk'),
  b64({ sortKey: 'x' }),
  b64(['x', 'not-a-uuid']),
  b64(['2026-01-01T00:00:00.000Z', `${UUID}'--`]),
  b64(['a\u0000b', UUID]),
  b64([1, 2]),
];
/** A cursor of the right shape whose sort key is no moment: refused where the list is sorted by time, a page where by text. */
const ODD_SORT_KEY = b64(['not-a-date', UUID]);

/** Dates a client could send that are no dates at all, or name no real day. */
const CRAFTED_DATE_TIMES = ['2026-13-45T10:00:00Z', '2026-02-30T10:00:00Z', 'yesterday', '', '9999999-01-01T00:00:00Z'];

/**
 * A crafted cursor or an invalid date is the client's mistake: it must come back as BAD_USER_INPUT naming
 * the argument, never as an internal error (finding 15). Every `after` argument and every date argument
 * of the schema is tried, found by introspection so a new one is covered.
 */
describe('crafted cursors and invalid dates are refused as bad input', () => {
  let db: TestDatabase;
  let api: TestApi;
  let f: Fixtures;

  beforeAll(async () => {
    db = await createTestDatabase({ RATE_LIMIT_PER_CLIENT_PER_MINUTE: '0', RATE_LIMIT_PER_USER_PER_MINUTE: '0' });
    api = await startTestApi(db);
    f = new Fixtures(db.dataSource);
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  function expectBadInput(r: GqlResponse<unknown>, field: string, where: string) {
    const codes = (r.errors ?? []).map((e) => e.extensions?.code);
    expect(`${where}: ${codes.join(',')}`).toBe(`${where}: BAD_USER_INPUT`);
    expect(`${where}: ${JSON.stringify(r.errors)}`).toContain(field);
  }

  it('every cursor argument of the schema refuses crafted cursors with BAD_USER_INPUT on "after"', async () => {
    const s = await f.careSetting();
    const auditor = await f.staff(s.municipality, 'OTHER' as never, { auditor: true });
    const administrator = await f.staff(s.municipality, 'OTHER' as never, { administrator: true });
    const [social, audit, admin] = await Promise.all([
      api.login(s.socialWorker.username, s.socialWorker.password),
      api.login(auditor.username, auditor.password),
      api.login(administrator.username, administrator.password),
    ]);
    const paged: Array<{ name: string; query: string; token: string; variables?: Record<string, unknown> }> = [
      {
        name: 'Query.caseload',
        query: `query($a: String) { caseload(first: 5, after: $a) { edges { cursor } } }`,
        token: social,
      },
      {
        name: 'Query.organisations',
        query: `query($a: String) { organisations(first: 5, after: $a) { edges { cursor } } }`,
        token: social,
      },
      {
        name: 'Query.staffMembers',
        query: `query($a: String) { staffMembers(first: 5, after: $a) { edges { cursor } } }`,
        token: social,
      },
      {
        name: 'Query.emergencyAccesses',
        query: `query($a: String) { emergencyAccesses(first: 5, after: $a) { edges { cursor } } }`,
        token: audit,
      },
      {
        name: 'Query.protectedIdentityChanges',
        query: `query($a: String) { protectedIdentityChanges(first: 5, after: $a) { edges { cursor } } }`,
        token: audit,
      },
      {
        name: 'Query.webhookDeliveries',
        query: `query($a: String) { webhookDeliveries(first: 5, after: $a) { edges { cursor } } }`,
        token: admin,
      },
      {
        name: 'Person.timelineEntries',
        query: `query($a: String, $p: ID!) { person(id: $p) { timelineEntries(first: 5, after: $a) { edges { cursor } } } }`,
        token: social,
        variables: { p: s.person.id },
      },
    ];
    // Every field with an `after` argument is tried here.
    expect(paged.map((p) => p.name).sort()).toEqual((await fieldsWithArgument((arg) => arg.name === 'after')).sort());
    for (const p of paged) {
      for (const after of CRAFTED_CURSORS)
        expectBadInput(
          await api.gql(p.query, { ...p.variables, a: after }, p.token),
          'after',
          `${p.name} after=${after}`,
        );
      const odd = await api.gql(p.query, { ...p.variables, a: ODD_SORT_KEY }, p.token);
      if (odd.errors || p.name === 'Person.timelineEntries')
        expectBadInput(odd, 'after', `${p.name} after=${ODD_SORT_KEY}`);
    }
  });

  it('every date argument of the schema refuses dates that are none, and a range that ends before it starts', async () => {
    const s = await f.careSetting();
    const admin = await f.staff(s.municipality, 'OTHER' as never, { administrator: true });
    const auditor = await f.staff(s.municipality, 'OTHER' as never, { auditor: true });
    const [adminToken, audit] = await Promise.all([
      api.login(admin.username, admin.password),
      api.login(auditor.username, auditor.password),
    ]);
    const team = (
      await api.gql<any>(
        `mutation($i: CreateActTeamInput!) { createActTeam(input: $i) { id } }`,
        { i: { name: 'ACT Söder', organisationId: s.municipality.id } },
        adminToken,
      )
    ).data.createActTeam;
    const ranged: Array<{ name: string; query: string; token: string; variables?: Record<string, unknown> }> = [
      {
        name: 'ActTeam.onCallShifts',
        query: `query($t: ID!, $from: DateTime!, $to: DateTime!) { actTeam(id: $t) { onCallShifts(from: $from, to: $to) { id } } }`,
        token: adminToken,
        variables: { t: team.id },
      },
      {
        name: 'Query.accessLogForIdentityNumber',
        query: `query($n: String!, $from: DateTime, $to: DateTime) { accessLogForIdentityNumber(identityNumber: $n, from: $from, to: $to) { registered } }`,
        token: audit,
        variables: { n: '19121212-1212' },
      },
      {
        name: 'Query.accessLogForPerson',
        query: `query($p: ID!, $from: DateTime, $to: DateTime) { accessLogForPerson(personId: $p, from: $from, to: $to) { id } }`,
        token: audit,
        variables: { p: s.person.id },
      },
      {
        name: 'Query.accessLogForStaff',
        query: `query($s: ID!, $from: DateTime, $to: DateTime) { accessLogForStaff(staffId: $s, from: $from, to: $to) { id } }`,
        token: audit,
        variables: { s: s.socialWorker.staff.id },
      },
      {
        name: 'Query.accessLogSample',
        query: `query($from: DateTime, $to: DateTime) { accessLogSample(size: 5, from: $from, to: $to) { id } }`,
        token: audit,
      },
    ];
    expect(ranged.map((r) => r.name).sort()).toEqual(
      (await fieldsWithArgument((arg) => unwrap(arg.type) === 'DateTime')).sort(),
    );
    const good = { from: '2026-11-01T00:00:00Z', to: '2026-11-08T00:00:00Z' };
    for (const r of ranged) {
      const ok = await api.gql(r.query, { ...r.variables, ...good }, r.token);
      expect(`${r.name}: ${JSON.stringify(ok.errors ?? [])}`).toBe(`${r.name}: []`);
      for (const bad of CRAFTED_DATE_TIMES) {
        expectBadInput(
          await api.gql(r.query, { ...r.variables, ...good, from: bad }, r.token),
          'from',
          `${r.name} from=${bad}`,
        );
        expectBadInput(
          await api.gql(r.query, { ...r.variables, ...good, to: bad }, r.token),
          'to',
          `${r.name} to=${bad}`,
        );
      }
      expectBadInput(
        await api.gql(r.query, { ...r.variables, from: good.to, to: good.from }, r.token),
        'to',
        `${r.name} from > to`,
      );
    }
    // Written into the query rather than sent as a variable, the document itself is invalid: refused before it runs.
    const literal = await api.gql(
      `query($t: ID!) { actTeam(id: $t) { onCallShifts(from: "2026-02-30T10:00:00Z", to: "2026-11-08T00:00:00Z") { id } } }`,
      { t: team.id },
      adminToken,
    );
    expect(literal.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
      ['GRAPHQL_VALIDATION_FAILED', expect.stringContaining('DateTime must be a moment in ISO 8601 that exists')],
    ]);
  });

  it('date fields of inputs refuse days that do not exist, naming the field, and write nothing', async () => {
    const s = await f.careSetting();
    const social = await api.login(s.socialWorker.username, s.socialWorker.password);
    const before = (await db.dataSource.query(`SELECT count(*)::int AS n FROM case_check`))[0].n;
    for (const doneOn of ['2026-13-45', '2026-02-30', '0000-00-00']) {
      const r = await api.gql(
        `mutation($i: RecordCaseCheckInput!) { recordCaseCheck(input: $i) { id } }`,
        { i: { personId: s.person.id, kind: 'VIOLENCE_ASSESSED', doneOn } },
        social,
      );
      expectBadInput(r, 'doneOn', `recordCaseCheck doneOn=${doneOn}`);
    }
    for (const startsAt of CRAFTED_DATE_TIMES) {
      const r = await api.gql(
        `mutation($i: PlanSipMeetingInput!) { planSipMeeting(input: $i) { id } }`,
        { i: { personId: s.person.id, startsAt, location: 'Farsta', participantStaffIds: [s.socialWorker.staff.id] } },
        social,
      );
      expectBadInput(r, 'startsAt', `planSipMeeting startsAt=${startsAt}`);
    }
    expect((await db.dataSource.query(`SELECT count(*)::int AS n FROM case_check`))[0].n).toBe(before);
  });

  it("a client secret's expiry refuses moments that do not exist, naming the field, and makes no secret", async () => {
    const s = await f.careSetting();
    const administrator = await f.staff(s.municipality, 'OTHER' as never, { administrator: true });
    const admin = await api.login(administrator.username, administrator.password);
    const client = await f.apiKeys.createClient(administrator.actor, {
      organisationId: s.municipality.id,
      name: 'Crafted',
      scopes: ['PERSON_READ'] as never,
    });
    for (const expiresAt of CRAFTED_DATE_TIMES) {
      const r = await api.gql(
        `mutation($i: CreateClientSecretInput!) { createIntegrationClientSecret(input: $i) { secret } }`,
        { i: { staffId: client.staff.id, expiresAt } },
        admin,
      );
      expectBadInput(r, 'expiresAt', `createIntegrationClientSecret expiresAt=${expiresAt}`);
    }
    expect(
      (
        await db.dataSource.query(`SELECT count(*)::int AS n FROM client_secret WHERE staff_id = $1`, [client.staff.id])
      )[0].n,
    ).toBe(0);
  });

  type IntrospectedType = { kind: string; name: string | null; ofType: IntrospectedType | null };
  function unwrap(type: IntrospectedType): string | null {
    return type.ofType ? unwrap(type.ofType) : type.name;
  }

  /** "Type.field" for every field of every object type with an argument that matches. */
  async function fieldsWithArgument(
    matches: (arg: { name: string; type: IntrospectedType }) => boolean,
  ): Promise<string[]> {
    const r = await api.gql<any>(
      `{ __schema { types { kind name fields { name args { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }`,
    );
    return (
      r.data.__schema.types as Array<{
        kind: string;
        name: string;
        fields: Array<{ name: string; args: Array<{ name: string; type: IntrospectedType }> }> | null;
      }>
    )
      .filter((t) => t.kind === 'OBJECT' && !t.name.startsWith('__'))
      .flatMap((t) =>
        (t.fields ?? []).filter((field) => field.args.some(matches)).map((field) => `${t.name}.${field.name}`),
      );
  }
});
