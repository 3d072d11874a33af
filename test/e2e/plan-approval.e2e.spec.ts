import { hashPassword } from '../../libs/auth/src';
import { seedDemoData } from '../../libs/domain/src/demo/demo-data';
import { pdfText } from '../support/pdf-text';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(120_000);

const CASELOAD = `{ caseload(first: 200) { edges { node { personId person { givenName familyName } } } } }`;
const VERSIONS = `query($id: ID!) { person(id: $id) { currentSipPlan { id status versions { version adopted approval { id method witnessName recordedBy recordedAt } } } } }`;
const RECORD = `mutation($i: RecordPlanApprovalInput!) { recordPlanApproval(input: $i) { id versions { version adopted approval { method witnessName recordedBy recordedAt } } } }`;

/**
 * The person's approval of each adopted version of their plan (recordPlanApproval): how (signed on paper,
 * verbally with a named witness), by whom, when by the database's clock; once per version, append-only; shown
 * with the version (and "not yet approved" without it), in the SIP document too; refused to an organisation a
 * consent limitation withholds the plan from.
 */
describe("The person's approval of an adopted plan version", () => {
  let db: TestDatabase;
  let api: TestApi;
  let social: string;
  let lena: string;
  let planId: string;
  let adopted: number;
  let notAdopted: number;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoData(db.dataSource, { hashPassword: (p) => hashPassword(p) });
    api = await startTestApi(db);
    social = await api.login('socialworker', 'samverka-demo');
    const { data } = await api.gql<any>(CASELOAD, {}, social);
    lena = data.caseload.edges.find(
      (e: any) => e.node.person.givenName === 'Lena' && e.node.person.familyName === 'Sandberg',
    ).node.personId;
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('marks adopted versions, none approved in the demo data', async () => {
    const plan = (await api.gql<any>(VERSIONS, { id: lena }, social)).data.person.currentSipPlan;
    planId = plan.id;
    expect(plan.status).toBe('ACTIVE');
    const adoptedVersions = plan.versions.filter((v: any) => v.adopted);
    expect(adoptedVersions.length).toBeGreaterThan(0);
    expect(plan.versions.every((v: any) => v.approval === null)).toBe(true);
    adopted = adoptedVersions[0].version;
    notAdopted = plan.versions.find((v: any) => !v.adopted).version;
    // The adopted version is the first in force, after one that was not.
    const byVersion = new Map<number, any>(plan.versions.map((v: any) => [v.version, v]));
    expect(byVersion.get(adopted - 1)?.adopted ?? false).toBe(false);
  });

  it('refuses a verbal approval without a witness and a version that was not adopted, at their fields', async () => {
    const noWitness = await api.gql<any>(
      RECORD,
      { i: { planId, version: adopted, method: 'VERBAL_WITH_WITNESS' } },
      social,
    );
    expect(noWitness.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(noWitness.errors?.[0].extensions?.reason).toBe('WITNESS_REQUIRED');
    expect(JSON.stringify(noWitness.errors?.[0].extensions?.fields)).toContain('witnessName');
    const draft = await api.gql<any>(RECORD, { i: { planId, version: notAdopted, method: 'PAPER_SIGNATURE' } }, social);
    expect(draft.errors?.[0].extensions?.reason).toBe('PLAN_VERSION_NOT_ADOPTED');
    expect(JSON.stringify(draft.errors?.[0].extensions?.fields)).toContain('version');
    expect((await db.dataSource.query(`SELECT count(*)::int AS n FROM sip_plan_approval`))[0].n).toBe(0);
  });

  it('is refused to an organisation a consent limitation withholds the plan from', async () => {
    const psychiatrist = await api.login('psychiatrist', 'samverka-demo');
    const psySouth = (await api.gql<any>(`{ me { organisation { id } } }`, {}, psychiatrist)).data.me.organisation.id;
    // A second person, so that Lena's plan stays visible for the rest of the file.
    const { data } = await api.gql<any>(CASELOAD, {}, psychiatrist);
    let other = '';
    let otherPlan: any = null;
    for (const id of data.caseload.edges.map((e: any) => e.node.personId).filter((id: string) => id !== lena)) {
      otherPlan = (await api.gql<any>(VERSIONS, { id }, social)).data?.person?.currentSipPlan;
      other = id;
      if (otherPlan) break;
    }
    if (!otherPlan) throw new Error('setup: the psychiatrist and the social worker share no second person with a plan');
    const limited = await api.gql<any>(
      `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`,
      {
        i: {
          personId: other,
          purpose: 'SHARING',
          scope: 'WHOLE_GROUP',
          givenHow: 'WRITTEN',
          limitations: [{ organisationId: psySouth, category: 'SIP_PLAN' }],
        },
      },
      social,
    );
    expect(limited.errors).toBeUndefined();
    const version = otherPlan.versions.find((v: any) => v.adopted)?.version ?? 1;
    const refused = await api.gql<any>(
      RECORD,
      { i: { planId: otherPlan.id, version, method: 'PAPER_SIGNATURE' } },
      psychiatrist,
    );
    expect(refused.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(refused.data).toBeNull();
    expect((await db.dataSource.query(`SELECT count(*)::int AS n FROM sip_plan_approval`))[0].n).toBe(0);
  });

  it("records a verbal approval with its witness, by the database's clock, logged and shown with the version", async () => {
    const me = (await api.gql<any>(`{ me { id } }`, {}, social)).data.me.id;
    const [{ now: before }] = await db.dataSource.query(`SELECT now() AS now`);
    const writes = async () =>
      (
        await db.dataSource.query(
          `SELECT count(*)::int AS n FROM access_log WHERE person_id = $1 AND staff_id = $2 AND action = 'WRITE' AND entity = 'recordPlanApproval'`,
          [lena, me],
        )
      )[0].n as number;
    const writesBefore = await writes();
    const r = await api.gql<any>(
      RECORD,
      { i: { planId, version: adopted, method: 'VERBAL_WITH_WITNESS', witnessName: '  Kim Vittne ' } },
      social,
    );
    expect(r.errors).toBeUndefined();
    const approval = r.data.recordPlanApproval.versions.find((v: any) => v.version === adopted).approval;
    expect(approval).toMatchObject({ method: 'VERBAL_WITH_WITNESS', witnessName: 'Kim Vittne', recordedBy: me });
    expect(new Date(approval.recordedAt).getTime()).toBeGreaterThanOrEqual(new Date(before).getTime() - 1);
    expect(new Date(approval.recordedAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(await writes()).toBe(writesBefore + 1);

    // Once per version.
    const again = await api.gql<any>(RECORD, { i: { planId, version: adopted, method: 'PAPER_SIGNATURE' } }, social);
    expect(again.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(again.errors?.[0].extensions?.reason).toBe('PLAN_VERSION_ALREADY_APPROVED');

    // The SIP document tells the person.
    const pdf = await fetch(`${api.url.replace(/\/graphql$/, '')}/documents/persons/${lena}/sip-plan.pdf`, {
      headers: { authorization: `Bearer ${social}` },
    });
    expect((await pdfText(await pdf.arrayBuffer())).text).toContain('Du godkände planen');
  });

  it('is append-only, and the database stamps the time whatever the writer says', async () => {
    await expect(db.dataSource.query(`UPDATE sip_plan_approval SET witness_name = 'Någon annan'`)).rejects.toThrow();
    await expect(db.dataSource.query(`DELETE FROM sip_plan_approval`)).rejects.toThrow();
    const [version] = await db.dataSource.query(
      `SELECT v.version, p.person_id, p.created_by FROM sip_plan_version v JOIN sip_plan p ON p.id = v.plan_id WHERE v.plan_id = $1 AND v.version <> $2 ORDER BY v.version LIMIT 1`,
      [planId, adopted],
    );
    const [row] = await db.dataSource.query(
      `INSERT INTO sip_plan_approval (plan_id, person_id, version, method, recorded_by, recorded_at) VALUES ($1, $2, $3, 'PAPER_SIGNATURE', $4, now() - interval '30 days') RETURNING recorded_at`,
      [planId, version.person_id, version.version, version.created_by],
    );
    expect(Date.now() - new Date(row.recorded_at).getTime()).toBeLessThan(60_000);
  });
});
