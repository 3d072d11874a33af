import fs from 'node:fs';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '../../libs/auth/src';
import { seedDemoData } from '../../libs/domain/src/demo/demo-data';
import {
  buildWebClient,
  expectVisible,
  launchBrowser,
  screenshot,
  seriousAccessibilityViolations,
} from '../support/browser';
import { pdfText } from '../support/pdf-text';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(240_000);

const CASELOAD = `{ caseload(first: 200) { edges { node { personId planStatus person { givenName familyName } } } } }`;
const PLAN = `query($id: ID!) { person(id: $id) { currentSipPlan { personGoals interventions { description } } } }`;

/**
 * The SIP document's print view in real headless Chromium: printed to PDF (A4) for every demo plan of the
 * social worker's caseload it takes a few pages, holds the goals and every intervention and no button or
 * form field; the PDF download button fetches the API's PDF; a consent limitation withholds the plan from the
 * organisation it names. axe-core on the page, screenshots under test-artifacts/web/.
 */
describe('SIP document print view in the browser', () => {
  let db: TestDatabase;
  let api: TestApi;
  let browser: Browser;
  let webDir: string;
  let base: string;
  let social: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    webDir = buildWebClient();
    db = await createTestDatabase();
    await seedDemoData(db.dataSource, { hashPassword: (p) => hashPassword(p) });
    api = await startTestApi(db, { webClientDir: webDir });
    base = api.url.replace(/\/graphql$/, '');
    browser = await launchBrowser();
    social = await api.login('socialworker', 'samverka-demo');
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await api?.close();
    await db?.drop();
    if (webDir) fs.rmSync(webDir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(pageErrors.splice(0)).toEqual([]);
  });

  async function signIn(username: string): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'sv-SE',
      timezoneId: 'Europe/Stockholm',
      acceptDownloads: true,
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(`${username}: ${error.message}`));
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(`${username}: ${m.text()}`));
    await page.goto(`${base}/`);
    await page.getByLabel('Användarnamn').fill(username);
    await page.getByLabel('Lösenord').fill('samverka-demo');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Mina personer' }));
    return page;
  }

  async function openDocument(page: Page, personId: string): Promise<void> {
    await page.goto(`${base}/persons/${personId}/plan/document`);
    await expectVisible(page.getByRole('heading', { level: 2, name: 'Samordnad individuell plan (SIP)' }));
  }

  /** What printing shows: the buttons, links and fields still rendered under the print style sheet. */
  async function visibleWhenPrinted(page: Page): Promise<string[]> {
    await page.emulateMedia({ media: 'print' });
    const visible = await page.evaluate(() =>
      [...document.querySelectorAll('button, input, select, textarea, a, nav, [role="button"]')]
        .filter((el) => {
          const box = (el as HTMLElement).getBoundingClientRect();
          return (
            getComputedStyle(el).display !== 'none' &&
            getComputedStyle(el).visibility !== 'hidden' &&
            box.width > 0 &&
            box.height > 0
          );
        })
        .map((el) => `${el.tagName.toLowerCase()}: ${(el.textContent ?? '').trim().slice(0, 40)}`),
    );
    await page.emulateMedia({ media: null });
    return visible;
  }

  it('prints every demo plan on clean A4 pages: goals first, every intervention, no button or field', async () => {
    const { data } = await api.gql<any>(CASELOAD, {}, social);
    const withPlans = data.caseload.edges.filter((e: any) => e.node.planStatus).map((e: any) => e.node.personId);
    expect(withPlans.length).toBeGreaterThan(2);
    const page = await signIn('socialworker');
    let first = true;
    for (const personId of withPlans) {
      await openDocument(page, personId);
      if (first) {
        // The plan page links to it.
        await page.goto(`${base}/persons/${personId}/plan`);
        await page.getByRole('link', { name: 'Planen för personen: utskrift och PDF' }).click();
        await expectVisible(page.getByRole('heading', { level: 2, name: 'Samordnad individuell plan (SIP)' }));
        await screenshot(page, 'sip-document');
        expect(await seriousAccessibilityViolations(page)).toEqual([]);
        first = false;
      }
      expect(await visibleWhenPrinted(page)).toEqual([]);
      const printed = await pdfText(await page.pdf({ format: 'A4', printBackground: false }));
      const plan = (await api.gql<any>(PLAN, { id: personId }, social)).data.person.currentSipPlan;
      expect(printed.pages).toBeGreaterThanOrEqual(1);
      expect(printed.pages).toBeLessThanOrEqual(3);
      expect(printed.text).toContain('Dina egna mål');
      if (plan.personGoals.trim())
        expect(printed.text).toContain(plan.personGoals.trim().replace(/\s+/g, ' ').slice(0, 50));
      for (const intervention of plan.interventions)
        expect(printed.text).toContain(intervention.description.replace(/\s+/g, ' '));
      expect(printed.text.indexOf('Dina egna mål')).toBeLessThan(printed.text.indexOf('Vem gör vad'));
      for (const chrome of ['Skriv ut', 'Ladda ned som PDF', 'Logga ut', 'Mina personer', 'Tillbaka till planen'])
        expect(printed.text).not.toContain(chrome);
    }
  });

  it('downloads the PDF the API makes, by the button', async () => {
    const { data } = await api.gql<any>(CASELOAD, {}, social);
    const personId = data.caseload.edges.find((e: any) => e.node.planStatus).node.personId;
    const page = await signIn('socialworker');
    await openDocument(page, personId);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Ladda ned som PDF' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('sip-plan.pdf');
    const file = await download.path();
    const { text } = await pdfText(fs.readFileSync(file));
    expect(text).toContain('Dina egna mål');
  });

  it("prints the person's summons to a SIP meeting alone: what for, when, where, who comes, whom to call", async () => {
    const { data } = await api.gql<any>(CASELOAD, {}, social);
    const lena = data.caseload.edges.find(
      (e: any) => e.node.person.givenName === 'Lena' && e.node.person.familyName === 'Sandberg',
    ).node.personId;
    const page = await signIn('socialworker');
    await page.goto(`${base}/persons/${lena}/plan`);
    await page.getByRole('button', { name: 'Kallelse till personen' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Kallelse till personen' });
    await expectVisible(dialog.getByRole('heading', { name: 'Kallelse till SIP-möte' }));
    for (const heading of ['Vad mötet gäller', 'När', 'Var', 'Vilka som kommer', 'Frågor eller förhinder?'])
      await expectVisible(dialog.getByRole('heading', { name: heading, exact: true }));
    await screenshot(page, 'sip-meeting-summons');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // Print as the button does, but into a PDF: the summons alone.
    await page.evaluate(() => (window.print = () => undefined));
    await dialog.getByRole('button', { name: 'Skriv ut kallelsen' }).click();
    const printed = await pdfText(await page.pdf({ format: 'A4' }));
    expect(printed.text).toContain('Kallelse till SIP-möte');
    expect(printed.text).toContain('Till Lena Sandberg');
    expect(printed.text).toContain('Vilka som kommer');
    for (const chrome of ['Skriv ut kallelsen', 'Versionshistorik', 'Logga ut', 'Planera ett möte'])
      expect(printed.text).not.toContain(chrome);
    expect(printed.pages).toBe(1);
  });

  it('withholds the plan from the organisation a consent limitation names', async () => {
    const { data } = await api.gql<any>(CASELOAD, {}, social);
    const lena = data.caseload.edges.find(
      (e: any) => e.node.person.givenName === 'Lena' && e.node.person.familyName === 'Sandberg',
    ).node.personId;
    const psychiatristToken = await api.login('psychiatrist', 'samverka-demo');
    const psySouth = (await api.gql<any>(`{ me { organisation { id } } }`, {}, psychiatristToken)).data.me.organisation
      .id;
    const recorded = await api.gql<any>(
      `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`,
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
    const plan = (await api.gql<any>(PLAN, { id: lena }, social)).data.person.currentSipPlan;

    const page = await signIn('psychiatrist');
    await openDocument(page, lena);
    await expectVisible(page.getByText('Du har valt att planen inte delas med den här organisationen.'));
    await screenshot(page, 'sip-document-withheld');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const printed = await pdfText(await page.pdf({ format: 'A4' }));
    expect(printed.text).not.toContain(plan.personGoals.trim().replace(/\s+/g, ' ').slice(0, 40));
    for (const intervention of plan.interventions)
      expect(printed.text).not.toContain(intervention.description.replace(/\s+/g, ' '));
  });
});
