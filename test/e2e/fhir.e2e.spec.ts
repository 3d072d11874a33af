import type { Bundle, CarePlan, OperationOutcome, Patient, Resource } from '@medplum/fhirtypes';
import { hashPassword } from '../../libs/auth/src';
import { seedDemoData } from '../../libs/domain/src/demo/demo-data';
import { fhirErrors } from '../support/fhir-validation';
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

  const fhir = async <T = Resource>(path: string, username?: string, init: RequestInit = {}): Promise<FhirAnswer<T>> => {
    const headers: Record<string, string> = { accept: 'application/fhir+json', ...(username ? { authorization: `Bearer ${await token(username)}` } : {}) };
    const response = await fetch(`${base}/fhir/R4/${path}`, { ...init, headers });
    const text = await response.text();
    return { status: response.status, contentType: response.headers.get('content-type'), body: JSON.parse(text) as T, text };
  };

  const everything = async (username: string, personId: string) => {
    const answer = await fhir<Bundle>(`Patient/${personId}/$everything`, username);
    expect(answer.status).toBe(200);
    return answer;
  };

  const resourcesOf = (bundle: Bundle) => (bundle.entry ?? []).map((e) => e.resource!);

  beforeAll(async () => {
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
    expect(fhirErrors({ resourceType: 'Consent', status: 'active', scope: { text: 'x' }, category: [{ text: 'x' }] } as Resource)).not.toEqual([]);

    const metadata = await fhir('metadata');
    expect(metadata.status).toBe(200);
    check('metadata', metadata.body);

    let persons = 0;
    for (const username of CARE_LOGINS) {
      for (const personId of caseloads.get(username)!) {
        const answer = await everything(username, personId);
        expect(answer.contentType).toMatch(/^application\/fhir\+json/);
        check(`${username} $everything ${personId}`, answer.body);
        for (const resource of resourcesOf(answer.body)) check(`${username} ${resource.resourceType}/${resource.id}`, resource);
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
    expect([...seenTypes].sort()).toEqual(['AuditEvent', 'Bundle', 'CapabilityStatement', 'CarePlan', 'CareTeam', 'Consent', 'Encounter', 'Goal', 'Patient', 'Task']);
  });

  it('finds a patient by personnummer (with or without the dash, and only under its own system), as an SEBasePatient', async () => {
    const { body } = await everything('socialworker', caseloads.get('socialworker')![0]);
    const patient = resourcesOf(body).find((r): r is Patient => r.resourceType === 'Patient')!;
    const number = patient.identifier!.find((i) => i.system === PERSONNUMMER && i.use === 'official')!.value!;
    expect(number).toMatch(/^\d{12}$/);
    expect(patient.meta?.profile).toEqual(['http://hl7.se/fhir/ig/base/StructureDefinition/SEBasePatient']);

    const found = await fhir<Bundle>(`Patient?identifier=${encodeURIComponent(`${PERSONNUMMER}|${number}`)}`, 'socialworker');
    expect(found.status).toBe(200);
    expect(resourcesOf(found.body)).toEqual([patient]);
    const dashed = `${number.slice(0, 8)}-${number.slice(8)}`;
    expect(resourcesOf((await fhir<Bundle>(`Patient?identifier=${encodeURIComponent(`${PERSONNUMMER}|${dashed}`)}`, 'socialworker')).body)).toEqual([patient]);
    expect((await fhir<Bundle>(`Patient?identifier=${encodeURIComponent(`${SAMORDNINGSNUMMER}|${number}`)}`, 'socialworker')).body.total).toBe(0);
    expect((await fhir<Bundle>(`Patient?_id=${patient.id}`, 'socialworker')).body.total).toBe(1);
    // An unsupported search parameter is refused, not ignored (ignoring it would answer more than was asked).
    const refused = await fhir<OperationOutcome>(`Patient?name=${encodeURIComponent(patient.name![0].family!)}`, 'socialworker');
    expect(refused.status).toBe(400);
    expect(refused.body.resourceType).toBe('OperationOutcome');
  });
});
