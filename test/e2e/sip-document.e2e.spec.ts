import { parse, print } from 'graphql';
import fs from 'node:fs';
import path from 'node:path';
import { SIP_DOCUMENT_QUERY } from '../../apps/api/src/modules/sip-document/sip-document.query';
import { hashPassword } from '../../libs/auth/src';
import { seedDemoData } from '../../libs/domain/src/demo/demo-data';
import { pdfText } from '../support/pdf-text';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(120_000);

const PLAN = `query($id: ID!) { person(id: $id) { id currentSipPlan { personGoals interventions { description } } } }`;
const CASELOAD = `{ caseload(first: 200) { edges { node { personId planStatus person { givenName familyName } } } } }`;
const ORGANISATIONS = `{ me { organisation { id } } }`;
const RECORD_CONSENT = `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`;

/**
 * The SIP document as a PDF download (GET /documents/persons/:id/sip-plan.pdf): signed in like GraphQL
 * (bearer, or the session cookie with its CSRF header), read through the same GraphQL query as the print
 * view (so access-logged and hidden by the same declared rule), parsed here with pdf-parse.
 */
describe('SIP document as a PDF', () => {
  let db: TestDatabase;
  let api: TestApi;
  let base: string;
  let social: string;
  let psychiatrist: string;
  let lena: string;

  const download = (personId: string, headers: Record<string, string>) =>
    fetch(`${base}/documents/persons/${personId}/sip-plan.pdf`, { headers });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoData(db.dataSource, { hashPassword: (p) => hashPassword(p) });
    api = await startTestApi(db);
    base = api.url.replace(/\/graphql$/, '');
    social = await api.login('socialworker', 'samverka-demo');
    psychiatrist = await api.login('psychiatrist', 'samverka-demo');
    const { data } = await api.gql<any>(CASELOAD, {}, social);
    lena = data.caseload.edges.find(
      (e: any) => e.node.person.givenName === 'Lena' && e.node.person.familyName === 'Sandberg',
    ).node.personId;
  });

  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it("holds the person's goals and every intervention of each demo plan, on a few A4 pages", async () => {
    const { data } = await api.gql<any>(CASELOAD, {}, social);
    const withPlans = data.caseload.edges.filter((e: any) => e.node.planStatus).map((e: any) => e.node.personId);
    expect(withPlans.length).toBeGreaterThan(2);
    for (const personId of withPlans) {
      const response = await download(personId, bearer(social));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/pdf/);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const { text, pages } = await pdfText(await response.arrayBuffer());
      const plan = (await api.gql<any>(PLAN, { id: personId }, social)).data.person.currentSipPlan;
      expect(text).toContain('Dina egna mål');
      if (plan.personGoals.trim()) expect(text).toContain(plan.personGoals.trim().replace(/\s+/g, ' ').slice(0, 60));
      for (const intervention of plan.interventions)
        expect(text).toContain(intervention.description.replace(/\s+/g, ' '));
      expect(pages).toBeGreaterThanOrEqual(1);
      expect(pages).toBeLessThanOrEqual(3);
      // Goals come first: before the needs and the interventions.
      expect(text.indexOf('Dina egna mål')).toBeLessThan(text.indexOf('Vem gör vad'));
    }
  });

  it("reads the very query the web client's print view reads", () => {
    const web = fs.readFileSync(path.join(__dirname, '../../apps/web/src/api/documents/sip-document.graphql'), 'utf8');
    expect(print(parse(SIP_DOCUMENT_QUERY))).toBe(print(parse(web)));
  });

  it('is logged as a read of the person, like any other read', async () => {
    const count = async () =>
      (
        await db.dataSource.query(
          `SELECT count(*)::int AS n FROM access_log WHERE person_id = $1 AND entity = 'patientOverview'`,
          [lena],
        )
      )[0].n as number;
    const before = await count();
    expect((await download(lena, bearer(social))).status).toBe(200);
    expect(await count()).toBe(before + 1);
  });

  it('is refused without sign-in, to staff without a relation, and to a cookie without its CSRF header', async () => {
    expect((await download(lena, {})).status).toBe(401);
    const auditor = await api.login('auditor', 'samverka-demo');
    const refused = await download(lena, bearer(auditor));
    expect([403, 404]).toContain(refused.status);
    expect(await refused.text()).not.toContain('Sandberg');
    expect((await download('not-a-uuid', bearer(social))).status).toBe(404);

    const origin = base;
    const signIn = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({
        query: `mutation($i: LoginInput!) { signIn(input: $i) { expiresAt } }`,
        variables: { i: { username: 'socialworker', password: 'samverka-demo' } },
      }),
    });
    const cookies = signIn.headers.getSetCookie();
    const value = (name: string) =>
      cookies
        .find((c) => c.startsWith(`${name}=`))!
        .split(';')[0]
        .slice(name.length + 1);
    const cookie = `samverka_session=${value('samverka_session')}; samverka_csrf=${value('samverka_csrf')}`;
    // A link on another site (or a plain navigation) sends the cookie but cannot send the header.
    expect((await download(lena, { cookie })).status).toBe(403);
    expect((await download(lena, { cookie, 'x-csrf-token': 'forged' })).status).toBe(403);
    expect(
      (await download(lena, { cookie, 'x-csrf-token': value('samverka_csrf'), origin: 'https://evil.example' })).status,
    ).toBe(403);
    const ok = await download(lena, { cookie, 'x-csrf-token': value('samverka_csrf'), origin });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-disposition')).toBe('attachment; filename="sip-plan.pdf"');
  });

  it('withholds the plan from an organisation a consent limitation names, and only from it', async () => {
    const plan = (await api.gql<any>(PLAN, { id: lena }, social)).data.person.currentSipPlan;
    const psySouth = (await api.gql<any>(ORGANISATIONS, {}, psychiatrist)).data.me.organisation.id;
    const recorded = await api.gql<any>(
      RECORD_CONSENT,
      {
        i: {
          personId: lena,
          purpose: 'SHARING',
          scope: 'WHOLE_GROUP',
          givenHow: 'WRITTEN',
          limitations: [{ organisationId: psySouth, category: 'SIP_PLAN' }],
        },
      },
      social,
    );
    expect(recorded.errors).toBeUndefined();

    const limited = await pdfText(await (await download(lena, bearer(psychiatrist))).arrayBuffer());
    expect(limited.text).toContain('inte delas med den här organisationen');
    expect(limited.text).not.toContain(plan.personGoals.trim().replace(/\s+/g, ' ').slice(0, 40));
    for (const intervention of plan.interventions)
      expect(limited.text).not.toContain(intervention.description.replace(/\s+/g, ' '));
    // Whom to call is no plan content: it stays.
    expect(limited.text).toContain('Kontaktpersoner');

    const full = await pdfText(await (await download(lena, bearer(social))).arrayBuffer());
    for (const intervention of plan.interventions)
      expect(full.text).toContain(intervention.description.replace(/\s+/g, ' '));
  });
});
