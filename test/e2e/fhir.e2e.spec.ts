import type { Bundle, CarePlan, OperationOutcome, Patient, Resource } from '@medplum/fhirtypes';
import { hashPassword } from '../../libs/auth/src';
import { seedDemoData } from '../../libs/domain/src/demo/demo-data';
import { fhirErrors, loadFhirDefinitions } from '../support/fhir-validation';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(180_000);

const PASSWORD = 'samverka-demo';
const CARE_LOGINS = [
  'socialworker',
  'casemanager',
  'nurse',
  'psychiatrist',
  'psychologist',
  'occupationaltherapist',
  'substanceabuse',
  'peersupport',
  'housingsupport',
  'outreach',
];
const CASELOAD = `{ caseload(first: 200) { edges { node { personId } } } }`;
const PERSONNUMMER = 'http://electronichealth.se/identifier/personnummer';
const SAMORDNINGSNUMMER = 'http://electronichealth.se/identifier/samordningsnummer';

interface FhirAnswer<T = Resource> {
  status: number;
  contentType: string | null;
  body: T;
  text: string;
}

/**
 * The FHIR R4 API (/fhir/R4) over HTTP against the demo data: every resource it yields validates against the
 * FHIR R4 base definitions (@medplum/core's validator), and it shows exactly what GraphQL shows: consent
 * limitations, protected identity, no relation and the auditor's role apply by the same rule, and every read
 * is in the access log.
 */
describe('FHIR R4 API', () => {
  let db: TestDatabase;
  let api: TestApi;
  let base: string;
  const tokens = new Map<string, string>();
  const caseloads = new Map<string, string[]>();

  const token = async (username: string) => {
    if (!tokens.has(username)) tokens.set(username, await api.login(username, PASSWORD));
    return tokens.get(username)!;
  };

  const fhir = async <T = Resource>(
    path: string,
    username?: string,
    init: RequestInit = {},
  ): Promise<FhirAnswer<T>> => {
    const headers: Record<string, string> = {
      accept: 'application/fhir+json',
      ...(username ? { authorization: `Bearer ${await token(username)}` } : {}),
    };
    const response = await fetch(`${base}/fhir/R4/${path}`, { ...init, headers });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: JSON.parse(text) as T,
      text,
    };
  };

  const everything = async (username: string, personId: string) => {
    const answer = await fhir<Bundle>(`Patient/${personId}/$everything`, username);
    expect(answer.status).toBe(200);
    return answer;
  };

  const resourcesOf = (bundle: Bundle) => (bundle.entry ?? []).map((e) => e.resource!);

  beforeAll(async () => {
    loadFhirDefinitions();
    db = await createTestDatabase();
    await seedDemoData(db.dataSource, { hashPassword: (p) => hashPassword(p) });
    api = await startTestApi(db);
    base = api.url.replace(/\/graphql$/, '');
    for (const username of CARE_LOGINS) {
      const { data } = await api.gql<any>(CASELOAD, {}, await token(username));
      caseloads.set(
        username,
        data.caseload.edges.map((e: any) => e.node.personId),
      );
    }
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('yields only resources that validate against FHIR R4 with zero errors: every demo person as every login that sees them, reads, searches, versions and the CapabilityStatement', async () => {
    const invalid: { where: string; issues: unknown }[] = [];
    const seenTypes = new Set<string>();
    const check = (where: string, resource: Resource) => {
      seenTypes.add(resource.resourceType);
      const errors = fhirErrors(resource);
      if (errors.length) invalid.push({ where, issues: errors });
    };

    // The validator is live: a Task without its intent, or a Consent without a policy, is refused.
    expect(fhirErrors({ resourceType: 'Task', status: 'requested' } as Resource)).not.toEqual([]);
    expect(
      fhirErrors({
        resourceType: 'Consent',
        status: 'active',
        scope: { text: 'x' },
        category: [{ text: 'x' }],
      } as Resource),
    ).not.toEqual([]);

    const metadata = await fhir('metadata');
    expect(metadata.status).toBe(200);
    check('metadata', metadata.body);

    let persons = 0;
    for (const username of CARE_LOGINS) {
      for (const personId of caseloads.get(username)!) {
        const answer = await everything(username, personId);
        expect(answer.contentType).toMatch(/^application\/fhir\+json/);
        check(`${username} $everything ${personId}`, answer.body);
        for (const resource of resourcesOf(answer.body))
          check(`${username} ${resource.resourceType}/${resource.id}`, resource);
        persons++;
      }
    }
    expect(persons).toBeGreaterThan(20);

    // Each resource read on its own is the one $everything gave, and each search by patient gives the same set.
    const social = caseloads.get('socialworker')!;
    for (const personId of social) {
      const all = resourcesOf((await everything('socialworker', personId)).body);
      for (const resource of all) {
        const read = await fhir(`${resource.resourceType}/${resource.id}`, 'socialworker');
        expect({ status: read.status, body: read.body }).toEqual({ status: 200, body: resource });
      }
      for (const type of ['CarePlan', 'Goal', 'Task', 'CareTeam', 'Encounter', 'Consent']) {
        const search = await fhir<Bundle>(`${type}?patient=Patient/${personId}`, 'socialworker');
        expect(search.status).toBe(200);
        check(`search ${type}`, search.body);
        expect(resourcesOf(search.body)).toEqual(all.filter((r) => r.resourceType === type));
      }
      // Every version of every plan, as a history bundle and one by one.
      for (const plan of all.filter((r): r is CarePlan => r.resourceType === 'CarePlan')) {
        const history = await fhir<Bundle<CarePlan>>(`CarePlan/${plan.id}/_history`, 'socialworker');
        expect(history.status).toBe(200);
        check(`history ${plan.id}`, history.body);
        const versions = resourcesOf(history.body) as CarePlan[];
        expect(versions.map((v) => v.meta!.versionId)[0]).toBe(plan.meta!.versionId);
        for (const version of versions) {
          check(`CarePlan/${plan.id}/_history/${version.meta!.versionId}`, version);
          const vread = await fhir(`CarePlan/${plan.id}/_history/${version.meta!.versionId}`, 'socialworker');
          expect(vread.body).toEqual(version);
        }
      }
    }

    const auditEvents = await fhir<Bundle>(`AuditEvent?patient=${social[0]}&_count=50`, 'auditor');
    expect(auditEvents.status).toBe(200);
    check('AuditEvent search', auditEvents.body);
    for (const event of resourcesOf(auditEvents.body)) check(`AuditEvent/${event.id}`, event);

    expect(invalid).toEqual([]);
    expect([...seenTypes].sort()).toEqual([
      'AuditEvent',
      'Bundle',
      'CapabilityStatement',
      'CarePlan',
      'CareTeam',
      'Consent',
      'Encounter',
      'Goal',
      'Patient',
      'Task',
    ]);
  });

  it('finds a patient by personnummer (with or without the dash, and only under its own system), as an SEBasePatient; crafted ids and numbers are 404 or 400, never 500', async () => {
    const { body } = await everything('socialworker', caseloads.get('socialworker')![0]);
    const patient = resourcesOf(body).find((r): r is Patient => r.resourceType === 'Patient')!;
    const number = patient.identifier!.find((i) => i.system === PERSONNUMMER && i.use === 'official')!.value!;
    expect(number).toMatch(/^\d{12}$/);
    expect(patient.meta?.profile).toEqual(['http://hl7.se/fhir/ig/base/StructureDefinition/SEBasePatient']);

    const found = await fhir<Bundle>(
      `Patient?identifier=${encodeURIComponent(`${PERSONNUMMER}|${number}`)}`,
      'socialworker',
    );
    expect(found.status).toBe(200);
    expect(resourcesOf(found.body)).toEqual([patient]);
    const dashed = `${number.slice(0, 8)}-${number.slice(8)}`;
    expect(
      resourcesOf(
        (await fhir<Bundle>(`Patient?identifier=${encodeURIComponent(`${PERSONNUMMER}|${dashed}`)}`, 'socialworker'))
          .body,
      ),
    ).toEqual([patient]);
    expect(
      (await fhir<Bundle>(`Patient?identifier=${encodeURIComponent(`${SAMORDNINGSNUMMER}|${number}`)}`, 'socialworker'))
        .body.total,
    ).toBe(0);
    expect((await fhir<Bundle>(`Patient?_id=${patient.id}`, 'socialworker')).body.total).toBe(1);
    // Crafted input: an id that is no id of ours names nothing; a number that is no identity number, or a parameter
    // given twice, is bad input; never a 500.
    for (const path of [
      'Patient/not-a-uuid',
      'Patient/not-a-uuid/$everything',
      'CarePlan/x.1',
      'CarePlan/x/_history',
      'Goal/' + 'a'.repeat(64),
    ]) {
      const answer = await fhir<OperationOutcome>(path, 'socialworker');
      expect({ path, status: answer.status, type: answer.body.resourceType }).toEqual({
        path,
        status: 404,
        type: 'OperationOutcome',
      });
    }
    for (const path of [
      `CarePlan?patient=${encodeURIComponent("'; DROP TABLE person; --")}`,
      'Task?patient=Patient/nobody',
      'Patient?_id=nobody',
    ]) {
      const answer = await fhir<Bundle>(path, 'socialworker');
      expect({ path, status: answer.status, total: answer.body.total }).toEqual({ path, status: 200, total: 0 });
    }
    expect((await fhir<Bundle>('AuditEvent?patient=nobody', 'auditor')).body.total).toBe(0);
    for (const path of [
      `Patient?identifier=${encodeURIComponent(`${PERSONNUMMER}|19121212121`)}`,
      `Patient?identifier=${number}&identifier=${number}`,
      'AuditEvent?patient=x&_count=0',
    ]) {
      const answer = await fhir<OperationOutcome>(path, path.startsWith('AuditEvent') ? 'auditor' : 'socialworker');
      expect({ path, status: answer.status, type: answer.body.resourceType }).toEqual({
        path,
        status: 400,
        type: 'OperationOutcome',
      });
    }
    // An unsupported search parameter is refused, not ignored (ignoring it would answer more than was asked).
    const refused = await fhir<OperationOutcome>(
      `Patient?name=${encodeURIComponent(patient.name![0].family!)}`,
      'socialworker',
    );
    expect(refused.status).toBe(400);
    expect(refused.body.resourceType).toBe('OperationOutcome');
  });

  it('leaves out what a consent limitation withholds ("do not share the plan, housing and family with psychiatry"), everywhere and only for that organisation', async () => {
    // A person both see in full, with a plan, an address and a relative (checked below, so the test cannot pass empty).
    const shared = caseloads.get('psychiatrist')!.filter((id) => caseloads.get('socialworker')!.includes(id));
    let personId: string | undefined;
    let before: Resource[] = [];
    for (const id of shared) {
      const all = resourcesOf((await everything('psychiatrist', id)).body);
      const patient = all.find((r): r is Patient => r.resourceType === 'Patient')!;
      if (all.some((r) => r.resourceType === 'Task') && patient.address && patient.contact) {
        personId = id;
        before = all;
        break;
      }
    }
    expect(personId).toBeDefined();
    const patient = before.find((r): r is Patient => r.resourceType === 'Patient')!;
    const plan = before.find((r): r is CarePlan => r.resourceType === 'CarePlan')!;
    const goals = before.filter((r) => r.resourceType === 'Goal').map((g: any) => g.description.text as string);
    const tasks = before.filter((r) => r.resourceType === 'Task').map((t: any) => t.description as string);
    const withheldTexts = [patient.address![0].text!, patient.contact![0].name!.text!, ...goals, ...tasks];
    expect(withheldTexts.length).toBeGreaterThan(3);

    const psychiatry = (await api.gql<any>(`{ me { organisation { id } } }`, {}, await token('psychiatrist'))).data.me
      .organisation.id;
    const recorded = await api.gql<any>(
      `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`,
      {
        i: {
          personId,
          purpose: 'SHARING',
          scope: 'WHOLE_GROUP',
          givenHow: 'WRITTEN',
          limitations: ['SIP_PLAN', 'HOUSING', 'FAMILY'].map((category) => ({ organisationId: psychiatry, category })),
        },
      },
      await token('socialworker'),
    );
    expect(recorded.errors).toBeUndefined();

    // Psychiatry: no plan, goal or intervention, no address, no relative, in any answer.
    const after = await everything('psychiatrist', personId!);
    expect(resourcesOf(after.body).filter((r) => ['CarePlan', 'Goal', 'Task'].includes(r.resourceType))).toEqual([]);
    const answers = [
      after.text,
      (await fhir(`Patient/${personId}`, 'psychiatrist')).text,
      ...(await Promise.all(
        ['CarePlan', 'Goal', 'Task', 'CareTeam', 'Consent', 'Encounter'].map(
          async (t) => (await fhir(`${t}?patient=${personId}`, 'psychiatrist')).text,
        ),
      )),
      (
        await fhir(
          `Patient?identifier=${encodeURIComponent(PERSONNUMMER + '|' + patient.identifier![0].value)}`,
          'psychiatrist',
        )
      ).text,
    ];
    for (const text of answers) for (const secret of withheldTexts) expect(text).not.toContain(secret);
    for (const path of [
      `CarePlan/${plan.id}`,
      `CarePlan/${plan.id}/_history`,
      `CarePlan/${plan.id}/_history/1`,
      `Task/${before.find((r) => r.resourceType === 'Task')!.id}`,
    ]) {
      const refused = await fhir<OperationOutcome>(path, 'psychiatrist');
      expect({ path, status: refused.status, type: refused.body.resourceType }).toEqual({
        path,
        status: 404,
        type: 'OperationOutcome',
      });
      for (const secret of withheldTexts) expect(refused.text).not.toContain(secret);
    }
    // The Consent itself says what it withholds, as a denial for that organisation.
    const consents = resourcesOf((await fhir<Bundle>(`Consent?patient=${personId}`, 'psychiatrist')).body) as any[];
    const limited = consents.find((c) => c.id === recorded.data.recordConsent.id);
    expect(
      limited.provision.provision.map((p: any) => [
        p.type,
        p.actor[0].reference.identifier.value,
        p.code[0].coding[0].code,
      ]),
    ).toEqual([
      ['deny', psychiatry, 'SIP_PLAN'],
      ['deny', psychiatry, 'HOUSING'],
      ['deny', psychiatry, 'FAMILY'],
    ]);

    // The social worker's organisation is not named: it still sees all of it.
    const social = (await everything('socialworker', personId!)).text;
    for (const secret of withheldTexts) expect(social).toContain(secret);
  });

  it('never shows the address of a person with a protected identity to anyone not authorised for whereabouts, and marks the record restricted', async () => {
    const rows: { id: string; address: string }[] = await db.dataSource.query(
      `SELECT p.id, h.address FROM person p JOIN housing_placement h ON h.person_id = p.id
        WHERE p.protected_identity <> 'NONE' AND h.address IS NOT NULL`,
    );
    expect(rows.length).toBeGreaterThan(0);
    let readers = 0;
    for (const username of CARE_LOGINS) {
      for (const { id, address } of rows.filter((r) => caseloads.get(username)!.includes(r.id))) {
        const answer = await everything(username, id);
        const patient = resourcesOf(answer.body).find((r): r is Patient => r.resourceType === 'Patient')!;
        expect(patient.address).toBeUndefined();
        expect(patient.meta?.security?.[0]).toMatchObject({ code: 'R' });
        expect(answer.text).not.toContain(address);
        expect((await fhir(`Patient/${id}`, username)).text).not.toContain(address);
        readers++;
      }
    }
    expect(readers).toBeGreaterThan(0);

    // Authorised for whereabouts (by the administrator), the same staff member sees it: the rule, not the mapping, hides it.
    const { id, address } = rows.find((r) => caseloads.get('nurse')!.includes(r.id))!;
    const nurse = (await api.gql<any>(`{ me { id } }`, {}, await token('nurse'))).data.me.id;
    const granted = await api.gql<any>(
      `mutation($i: SetStaffRolesInput!) { setStaffRoles(input: $i) { id } }`,
      { i: { staffId: nurse, whereaboutsAuthorised: true } },
      await token('admin'),
    );
    expect(granted.errors).toBeUndefined();
    try {
      expect((await fhir(`Patient/${id}`, 'nurse')).text).toContain(address);
    } finally {
      await api.gql(
        `mutation($i: SetStaffRolesInput!) { setStaffRoles(input: $i) { id } }`,
        { i: { staffId: nurse, whereaboutsAuthorised: false } },
        await token('admin'),
      );
    }
  });

  it('gives staff without a relation, auditors and administrators nothing of a person (404, as for an unknown id), and refuses without a token (401)', async () => {
    const social = caseloads.get('socialworker')!;
    const outsider = CARE_LOGINS.find((u) => social.some((id) => !caseloads.get(u)!.includes(id)))!;
    const personId = social.find((id) => !caseloads.get(outsider)!.includes(id))!;
    const all = resourcesOf((await everything('socialworker', personId)).body);
    const patient = all.find((r): r is Patient => r.resourceType === 'Patient')!;
    const name = patient.name![0].family!;

    for (const username of [outsider, 'auditor', 'admin']) {
      for (const path of [
        `Patient/${personId}`,
        `Patient/${personId}/$everything`,
        ...all.filter((r) => r.resourceType !== 'Patient').map((r) => `${r.resourceType}/${r.id}`),
      ]) {
        const refused = await fhir<OperationOutcome>(path, username);
        expect({
          username,
          path,
          status: refused.status,
          type: refused.body.resourceType,
          code: refused.body.issue?.[0].code,
        }).toEqual({
          username,
          path,
          status: 404,
          type: 'OperationOutcome',
          code: 'not-found',
        });
        expect(refused.text).not.toContain(name);
      }
      const search = await fhir<Bundle>(`CarePlan?patient=${personId}`, username);
      expect(search.status).toBe(200);
      expect(search.body.total).toBe(0);
      const byNumber = await fhir<Bundle>(
        `Patient?identifier=${encodeURIComponent(`${PERSONNUMMER}|${patient.identifier![0].value}`)}`,
        username,
      );
      expect(byNumber.text).not.toContain(name);
    }
    const unknown = await fhir<OperationOutcome>(`Patient/00000000-0000-4000-8000-000000000000`, 'socialworker');
    expect(unknown.status).toBe(404);

    const anonymous = await fhir<OperationOutcome>(`Patient/${personId}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.resourceType).toBe('OperationOutcome');
    expect(anonymous.text).not.toContain(name);
    // Read-only: a write is refused as such.
    const write = await fhir<OperationOutcome>('Patient', 'socialworker', { method: 'POST' });
    expect(write.status).toBe(405);
    expect(write.body.resourceType).toBe('OperationOutcome');
  });

  it("logs every read in the access log like GraphQL, and lists a person's log as AuditEvents for auditors only", async () => {
    const personId = caseloads.get('socialworker')![0];
    const entries = async () =>
      (
        await db.dataSource.query(
          `SELECT count(*)::int AS n FROM access_log WHERE person_id = $1 AND entity = 'person'`,
          [personId],
        )
      )[0].n as number;
    const before = await entries();
    expect((await fhir(`Patient/${personId}`, 'socialworker')).status).toBe(200);
    expect((await fhir(`Patient/${personId}/$everything`, 'socialworker')).status).toBe(200);
    expect(await entries()).toBe(before + 2);

    const events = await fhir<Bundle>(`AuditEvent?patient=Patient/${personId}&_count=500`, 'auditor');
    expect(events.status).toBe(200);
    const social = (await api.gql<any>(`{ me { id } }`, {}, await token('socialworker'))).data.me.id;
    const reads = resourcesOf(events.body).filter(
      (e: any) => e.agent[0].who.identifier.value === social && e.entity[0].description === 'person',
    );
    expect(reads.length).toBeGreaterThanOrEqual(2);
    expect(reads[0]).toMatchObject({
      resourceType: 'AuditEvent',
      action: 'R',
      entity: [{ what: { reference: `Patient/${personId}` } }],
    });

    for (const username of ['socialworker', 'admin']) {
      const refused = await fhir<OperationOutcome>(`AuditEvent?patient=${personId}`, username);
      expect({ username, status: refused.status, type: refused.body.resourceType }).toEqual({
        username,
        status: 403,
        type: 'OperationOutcome',
      });
    }
  });

  it('serves an integration client (OAuth 2.0 client credentials) for its organisation: exactly the persons GraphQL gives it, and only the resource types its scopes open', async () => {
    const farsta = (await api.gql<any>(`{ me { id organisation { id } } }`, {}, await token('socialworker'))).data.me
      .organisation.id;
    const created = await api.gql<any>(
      `mutation($i: CreateIntegrationClientInput!) { createIntegrationClient(input: $i) { clientId staff { id } } }`,
      { i: { organisationId: farsta, name: 'Farsta EHR', scopes: ['PERSON_READ', 'PLAN_READ'] } },
      await token('admin'),
    );
    expect(created.errors).toBeUndefined();
    const { clientId, staff } = created.data.createIntegrationClient;
    const secret = await api.gql<any>(
      `mutation($i: CreateClientSecretInput!) { createIntegrationClientSecret(input: $i) { secret } }`,
      { i: { staffId: staff.id, expiresAt: new Date(Date.now() + 86_400_000).toISOString() } },
      await token('admin'),
    );
    const accessToken = async (scope: string) => {
      const response = await fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: secret.data.createIntegrationClientSecret.secret,
          scope,
        }).toString(),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { access_token: string }).access_token;
    };
    const planReader = await accessToken('person.read plan.read');
    const personReader = await accessToken('person.read');
    const asClient = async <T = Resource>(path: string, bearer: string) => {
      const response = await fetch(`${base}/fhir/R4/${path}`, { headers: { authorization: `Bearer ${bearer}` } });
      const text = await response.text();
      return { status: response.status, body: JSON.parse(text) as T, text };
    };

    // Every demo person: FHIR answers exactly when GraphQL gives the client the person.
    const everyone = [...new Set([...caseloads.values()].flat())];
    let seen = 0;
    for (const personId of everyone) {
      const graphql = await api.gql<any>(`query($id: ID!) { person(id: $id) { id } }`, { id: personId }, planReader);
      const fhirAnswer = await asClient<Bundle>(`Patient/${personId}/$everything`, planReader);
      expect({ personId, status: fhirAnswer.status }).toEqual({ personId, status: graphql.data?.person ? 200 : 404 });
      if (fhirAnswer.status !== 200) continue;
      seen++;
      // What a staff member of the same organisation sees, less what the scopes leave out (care episodes need decisions.read).
      if (caseloads.get('socialworker')!.includes(personId)) {
        const staffView = resourcesOf((await everything('socialworker', personId)).body).filter(
          (r) => r.resourceType !== 'Encounter',
        );
        expect(resourcesOf(fhirAnswer.body)).toEqual(staffView);
      }
      for (const resource of resourcesOf(fhirAnswer.body)) expect(fhirErrors(resource)).toEqual([]);
    }
    expect(seen).toBeGreaterThan(0);
    expect(seen).toBeLessThan(everyone.length);

    const personId = caseloads.get('socialworker')!.find((id) => id)!;
    const all = resourcesOf((await everything('socialworker', personId)).body);
    const plan = all.find((r) => r.resourceType === 'CarePlan')!;
    const episode = all.find((r) => r.resourceType === 'Encounter')!;
    expect(plan && episode).toBeTruthy();
    // Outside its scopes: refused with the scope it lacks named, whatever the person.
    for (const [path, bearer] of [
      [`Encounter/${episode.id}`, planReader],
      [`Encounter?patient=${personId}`, planReader],
      [`AuditEvent?patient=${personId}`, planReader],
      [`CarePlan/${plan.id}`, personReader],
      [`CarePlan/${plan.id}/_history`, personReader],
      [`Goal?patient=${personId}`, personReader],
    ] as const) {
      const refused = await asClient<OperationOutcome>(path, bearer);
      expect({
        path,
        status: refused.status,
        type: refused.body.resourceType,
        code: refused.body.issue?.[0].code,
      }).toEqual({ path, status: 403, type: 'OperationOutcome', code: 'forbidden' });
    }
    // person.read alone: $everything holds no plan, goal or intervention, and none of their text.
    const personOnly = await asClient<Bundle>(`Patient/${personId}/$everything`, personReader);
    expect([...new Set(resourcesOf(personOnly.body).map((r) => r.resourceType))].sort()).toEqual([
      'CareTeam',
      'Consent',
      'Patient',
    ]);
    for (const task of all.filter((r) => r.resourceType === 'Task'))
      expect(personOnly.text).not.toContain((task as any).description);

    // The client is in the access log as the actor, in its own role.
    const logged = await db.dataSource.query(
      `SELECT DISTINCT role FROM access_log WHERE staff_id = $1 AND person_id = $2`,
      [staff.id, personId],
    );
    expect(logged).toEqual([{ role: 'INTEGRATION_CLIENT' }]);
  });
});
