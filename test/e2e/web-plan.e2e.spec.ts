import fs from 'node:fs';
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { hashPassword } from '../../libs/auth/src';
import { seedDemoData } from '../../libs/domain/src/demo/demo-data';
import { addDays, today } from '../../libs/domain/src/time';
import {
  buildWebClient,
  expectText,
  expectVisible,
  launchBrowser,
  screenshot,
  seriousAccessibilityViolations,
} from '../support/browser';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(180_000);

/**
 * The SIP plan page in real headless Chromium against the real API (this file's own database, loaded with
 * the demo data), as the professions use it: the nurse follows up her region's interventions and moves the
 * next follow-up date, the social worker records the follow-up held; adopting a plan with unsaved edits
 * saves them first, leaving them asks, a refused save focuses the field in error; a relative the person
 * agreed to is invited to a SIP meeting. axe-core in each state, screenshots under test-artifacts/web/.
 */
describe('SIP plan page in the browser', () => {
  let db: TestDatabase;
  let api: TestApi;
  let browser: Browser;
  let webDir: string;
  let base: string;
  let personId: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    webDir = buildWebClient();
    db = await createTestDatabase();
    await seedDemoData(db.dataSource, { hashPassword: (p) => hashPassword(p) });
    api = await startTestApi(db, { webClientDir: webDir });
    base = api.url.replace(/\/graphql$/, '');
    browser = await launchBrowser();
    const token = await api.login('socialworker', 'samverka-demo');
    const { data } = await api.gql<any>(
      `{ caseload(first: 200) { edges { node { personId person { givenName familyName } } } } }`,
      {},
      token,
    );
    personId = data.caseload.edges.find(
      (e: any) => e.node.person.givenName === 'Lena' && e.node.person.familyName === 'Sandberg',
    ).node.personId;
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await api?.close();
    await db?.drop();
    if (webDir) fs.rmSync(webDir, { recursive: true, force: true });
  });

  afterEach(() => {
    const errors = pageErrors.splice(0);
    expect(errors).toEqual([]);
  });

  async function signIn(username: string): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'sv-SE',
      timezoneId: 'Europe/Stockholm',
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(`${username}: ${error.message}`));
    // A refused save answers 400 on purpose in some steps; any other console error fails the test.
    page.on(
      'console',
      (m) => m.type() === 'error' && !/status of 400/.test(m.text()) && pageErrors.push(`${username}: ${m.text()}`),
    );
    await page.goto(`${base}/`);
    await page.getByLabel('Användarnamn').fill(username);
    await page.getByLabel('Lösenord').fill('samverka-demo');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Mina personer' }));
    return page;
  }

  async function openPlan(username: string): Promise<Page> {
    const page = await signIn(username);
    await page.goto(`${base}/persons/${personId}/plan`);
    await expectVisible(page.getByRole('heading', { name: 'Versionshistorik' }));
    return page;
  }

  /** Screenshot plus axe-core: no serious or critical violation on the page as it stands. */
  async function checkPage(page: Page, name: string): Promise<void> {
    await page.waitForFunction(() => document.querySelector('.status-loading') === null);
    await screenshot(page, name);
    expect({ page: name, violations: await seriousAccessibilityViolations(page) }).toEqual({
      page: name,
      violations: [],
    });
  }

  async function planNow(username = 'socialworker'): Promise<any> {
    const token = await api.login(username, 'samverka-demo');
    const result = await api.gql<any>(
      `query($p: ID!) { person(id: $p) { currentSipPlan { id status version personGoals followUpOn interventions { id description responsiblePrincipal status mayUpdateStatus } followUps { summary nextFollowUpOn recordedBy } } } }`,
      { p: personId },
      token,
    );
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    return result.data.person.currentSipPlan;
  }

  const isFocused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);
  async function tabTo(page: Page, locator: Locator): Promise<void> {
    for (let i = 0; i < 60 && !(await isFocused(locator)); i++) await page.keyboard.press('Tab');
    expect(await isFocused(locator)).toBe(true);
  }

  it("the nurse follows up her region's interventions and sets the next follow-up date, by keyboard alone", async () => {
    const before = await planNow('nurse');
    expect(before.status).toBe('ACTIVE');
    const regional = before.interventions.filter((i: any) => i.responsiblePrincipal === 'REGION');
    expect(regional.length).toBeGreaterThan(0);
    expect(before.interventions.every((i: any) => i.mayUpdateStatus === (i.responsiblePrincipal === 'REGION'))).toBe(
      true,
    );

    const page = await openPlan('nurse');
    const followUp = page.getByRole('region', { name: 'Uppföljning' });
    const own = followUp.getByRole('form', { name: 'Era insatser' });
    // Only the region's interventions can be changed here; the municipality's are listed, without a control.
    expect(await own.getByRole('combobox').count()).toBe(regional.length);
    const others = followUp.locator('ul.follow-up-others > li');
    expect(await others.count()).toBe(before.interventions.length - regional.length);
    expect(await others.locator('select').count()).toBe(0);
    await checkPage(page, 'plan-01-follow-up-nurse');

    // Keyboard only: Tab to the first of her interventions, choose a new status by typing, Tab to save, Enter.
    const first = own.getByRole('combobox').first();
    const [target, typed] = regional[0].status === 'COMPLETED' ? ['ONGOING', 'Pågår'] : ['COMPLETED', 'Genomförd'];
    await tabTo(page, first);
    await page.keyboard.type(typed);
    expect(await first.inputValue()).toBe(target);
    await tabTo(page, own.getByRole('button', { name: 'Spara status' }));
    await page.keyboard.press('Enter');
    await expectVisible(followUp.getByRole('status').filter({ hasText: 'Status sparad.' }));
    const afterStatus = await planNow('nurse');
    expect(afterStatus.interventions.find((i: any) => i.id === regional[0].id).status).toBe(target);
    expect(afterStatus.status).toBe('ACTIVE');

    // The next follow-up date, in a dialog opened, moved through and submitted from the keyboard.
    const next = addDays(today(), 21);
    const opener = followUp.getByRole('button', { name: 'Ändra datum för nästa uppföljning' });
    await tabTo(page, opener);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Ändra datum för nästa uppföljning' });
    await expectVisible(dialog);
    const date = dialog.getByLabel('Datum för uppföljning');
    await tabTo(page, date);
    // The date itself is set directly: the order of a date field's segments follows the machine's locale, not the page's.
    await date.fill(next);
    expect(await date.inputValue()).toBe(next);
    await checkPage(page, 'plan-02-follow-up-date-dialog');
    await tabTo(page, dialog.getByRole('button', { name: 'Spara datumet' }));
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    // Focus is back on the button that opened the dialog.
    expect(await isFocused(opener)).toBe(true);
    expect((await planNow('nurse')).followUpOn).toBe(next);
  });

  it('the social worker records the follow-up held; a refused save focuses the field in error', async () => {
    const page = await openPlan('socialworker');
    const followUp = page.getByRole('region', { name: 'Uppföljning' });
    await followUp.getByRole('button', { name: 'Registrera hållen uppföljning' }).click();
    const dialog = page.getByRole('dialog', { name: 'Registrera hållen uppföljning' });
    await expectVisible(dialog);
    await checkPage(page, 'plan-03-record-follow-up-empty');

    // Nothing filled in: refused, the message at the first field in error, and focus there.
    await dialog.getByRole('button', { name: 'Registrera uppföljningen' }).click();
    const summary = dialog.getByLabel('Vad uppföljningen kom fram till');
    await expectVisible(dialog.locator('.field-error').first());
    await page.waitForFunction(() => document.activeElement?.tagName === 'TEXTAREA');
    expect(await isFocused(summary)).toBe(true);
    expect(await summary.getAttribute('aria-invalid')).toBe('true');
    await checkPage(page, 'plan-04-record-follow-up-errors');

    // The next follow-up cannot be today (it must come after the one held today): said at that field.
    await summary.fill('Boendet fungerar; depotinjektionen ges varannan vecka. Systern vill vara med nästa gång.');
    const nextField = dialog.getByLabel('Datum för nästa uppföljning');
    await nextField.fill(today());
    await dialog.getByRole('button', { name: 'Registrera uppföljningen' }).click();
    await page.waitForFunction(
      () =>
        document.activeElement?.getAttribute('type') === 'date' &&
        document.activeElement.getAttribute('aria-invalid') === 'true',
    );
    expect(await isFocused(nextField)).toBe(true);
    const describedBy = (await nextField.getAttribute('aria-describedby'))!;
    expect((await page.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent())?.length).toBeGreaterThan(0);

    const next = addDays(today(), 42);
    await nextField.fill(next);
    await dialog.getByRole('button', { name: 'Registrera uppföljningen' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectText(
      followUp.locator('ol.follow-ups > li').first(),
      /Boendet fungerar; depotinjektionen ges varannan vecka/,
    );
    const plan = await planNow();
    expect(plan.followUpOn).toBe(next);
    expect(plan.followUps[0]).toMatchObject({ nextFollowUpOn: next });
    expect(plan.status).toBe('ACTIVE');
    await checkPage(page, 'plan-05-follow-up-recorded');

    // The group is told: the nurse's inbox has it.
    const nurse = await signIn('nurse');
    await nurse
      .getByRole('navigation', { name: 'Huvudmeny' })
      .getByRole('link', { name: /Notiser/ })
      .click();
    await expectVisible(nurse.locator('.inbox li[data-kind="SIP_PLAN_FOLLOW_UP_HELD"]').first());
  });

  it('leaving the plan with unsaved edits asks first, and adopting with unsaved edits saves them first', async () => {
    const page = await openPlan('socialworker');
    await page.getByRole('button', { name: 'Börja revidera' }).click();
    await expectVisible(page.getByRole('heading', { name: /Under revidering/ }));
    const goals = page.getByLabel('Personens egna mål (med personens ord)');
    const text = 'Ha mitt eget kontrakt inom ett år och träffa min syster varje månad.';
    await goals.fill(text);

    // Leaving by a link asks; staying keeps the edit.
    const questions: string[] = [];
    page.once('dialog', (d) => {
      questions.push(d.message());
      void d.dismiss();
    });
    await page.locator('nav.tabs').getByRole('link', { name: 'Översikt' }).click();
    expect(questions).toEqual(['Du har ändringar som inte är sparade. Vill du lämna utan att spara?']);
    expect(page.url()).toMatch(/\/plan$/);
    expect(await goals.inputValue()).toBe(text);

    // A failed save: the first field in error gets the message and the focus.
    const firstIntervention = page
      .locator('fieldset.group')
      .filter({ hasText: 'Insatser' })
      .getByLabel('Beskrivning')
      .first();
    const interventionText = await firstIntervention.inputValue();
    await firstIntervention.fill('');
    await page.getByRole('button', { name: 'Spara ändringar' }).click();
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
    expect(await isFocused(firstIntervention)).toBe(true);
    const describedBy = (await firstIntervention.getAttribute('aria-describedby'))!;
    await expectVisible(page.locator(`[id="${describedBy}"]`));
    await checkPage(page, 'plan-06-editor-errors');
    await firstIntervention.fill(interventionText);

    // Adopting with the goals still unsaved: they are saved first, then the plan is adopted.
    const adopt = page.getByRole('button', { name: 'Spara och fastställ planen' });
    await expectVisible(
      page.getByText('Du har ändringar som inte är sparade: de sparas först när du fastställer planen.'),
    );
    await checkPage(page, 'plan-07-editor-unsaved');
    await adopt.click();
    await expectVisible(page.getByRole('heading', { name: /^Fastställd/ }));
    const plan = await planNow();
    expect(plan).toMatchObject({ status: 'ACTIVE', personGoals: text });
    expect(await goals.inputValue()).toBe(text);

    // Saved: leaving no longer asks.
    page.on('dialog', (d) => {
      questions.push(d.message());
      void d.dismiss();
    });
    await page.locator('nav.tabs').getByRole('link', { name: 'Översikt' }).click();
    await page.waitForURL(new RegExp(`/persons/${personId}$`));
    expect(questions).toHaveLength(1);
  });

  it('invites a relative the person agreed to, to a SIP meeting', async () => {
    const page = await openPlan('socialworker');
    const meetings = page.getByRole('region', { name: 'SIP-möten' });
    await meetings.getByRole('button', { name: 'Planera ett möte' }).click();
    const dialog = page.getByRole('dialog', { name: 'Planera ett möte' });
    await expectVisible(dialog);
    const inFiveDays = addDays(today(), 5);
    await dialog.getByLabel('Datum och tid').fill(`${inFiveDays}T13:30`);
    await dialog.getByLabel('Plats').fill('Farsta stadsdelsförvaltning, rum 4');
    const relatives = dialog.getByRole('group', { name: 'Anhöriga som bjuds in' });
    await relatives.getByRole('checkbox', { name: /Birgitta Sandberg/ }).check();
    await checkPage(page, 'plan-08-meeting-dialog-relative');
    await dialog.getByRole('button', { name: 'Planera mötet' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const meeting = meetings.getByTestId('meeting').filter({ hasText: 'rum 4' }).first();
    await expectText(meeting.locator('.meeting-relatives'), /Inbjudna anhöriga: Birgitta Sandberg/);
    await checkPage(page, 'plan-09-meeting-with-relative');
  });
});
