import { INestApplicationContext } from '@nestjs/common';
import fs from 'node:fs';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword, SessionService } from '../../libs/auth/src';
import { seedDemoData } from '../../libs/domain/src/demo/demo-data';
import {
  buildWebClient,
  expectText,
  expectVisible,
  launchBrowser,
  screenshot,
  seriousAccessibilityViolations,
} from '../support/browser';
import { startTestApi, TestApi } from '../support/test-api';
import { startWorker } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(120_000);

/**
 * The web client in real headless Chromium against the real API and worker (this file's own database,
 * loaded with the synthetic demo data): a social worker and a psychiatrist edit a plan, decide a discharge
 * together, and watch it executed live; a SIP meeting's summons reaches a participant's inbox live. Every main page is checked with axe-core and saved as a screenshot
 * under test-artifacts/web/.
 */
describe('web client in the browser', () => {
  let db: TestDatabase;
  let api: TestApi;
  let worker: INestApplicationContext;
  let browser: Browser;
  let webDir: string;
  let base: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  /** Console errors a step expects (the browser logs every failed request while offline). */
  let expectedConsoleErrors: RegExp | null = null;

  beforeAll(async () => {
    webDir = buildWebClient();
    db = await createTestDatabase();
    await seedDemoData(db.dataSource, { hashPassword: (p) => hashPassword(p) });
    api = await startTestApi(db, { webClientDir: webDir });
    worker = await startWorker(db);
    base = api.url.replace(/\/graphql$/, '');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await worker?.close();
    await api?.close();
    await db?.drop();
    if (webDir) fs.rmSync(webDir, { recursive: true, force: true });
  });

  afterEach(() => {
    const errors = pageErrors.splice(0);
    expect(errors).toEqual([]);
  });

  async function signIn(username: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ viewport, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    // Any script error or failed request in the page fails the test (see afterEach).
    page.on('pageerror', (error) => pageErrors.push(`${username}: ${error.message}`));
    page.on(
      'console',
      (m) =>
        m.type() === 'error' && !expectedConsoleErrors?.test(m.text()) && pageErrors.push(`${username}: ${m.text()}`),
    );
    await page.goto(`${base}/`);
    await page.getByLabel('Användarnamn').fill(username);
    await page.getByLabel('Lösenord').fill('samverka-demo');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Mina personer' }));
    return page;
  }

  /** Records contacts (over the API) until the person has at least `count` on the timeline. */
  async function atLeastContacts(username: string, givenName: string, count: number): Promise<void> {
    const token = await api.login(username, 'samverka-demo');
    const call = async (query: string, variables: Record<string, unknown>) => {
      const result = await api.gql<any>(query, variables, token);
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data;
    };
    // Two queries: every person's whole timeline in one would exceed the API's cost limit.
    const { caseload } = await call(
      `query { caseload(first: 200) { edges { node { personId person { givenName } } } } }`,
      {},
    );
    const entry = caseload.edges.find((e: any) => e.node.person.givenName === givenName).node;
    const { person } = await call(
      `query($id: ID!) { person(id: $id) { timelineEntries(first: 200) { edges { cursor } } } }`,
      { id: entry.personId },
    );
    for (let n = person.timelineEntries.edges.length; n < count; n++) {
      await call(`mutation($i: RecordContactInput!) { recordContact(input: $i) { id } }`, {
        i: {
          personId: entry.personId,
          kind: 'PHONE',
          occurredAt: new Date(Date.now() - (n + 400) * 86_400_000).toISOString(),
          summary: 'Short phone call about the week.',
        },
      });
    }
  }

  /** Screenshot plus axe-core: no serious or critical violation on the page as it stands. */
  async function checkPage(page: Page, name: string): Promise<void> {
    // Every card that loads on its own (several may at once) has finished.
    await page.waitForFunction(() => document.querySelector('.status-loading') === null);
    await screenshot(page, name);
    expect({ page: name, violations: await seriousAccessibilityViolations(page) }).toEqual({
      page: name,
      violations: [],
    });
  }

  const nav = (page: Page, name: string) =>
    page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name });
  const personTab = (page: Page, name: string) => page.locator('nav.tabs').getByRole('link', { name });

  it('is served by the API: pages get index.html with a strict policy, /graphql and missing files do not', async () => {
    const page = await fetch(`${base}/persons/some-id/plan`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"></div>');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const asset = (await (await fetch(`${base}/`, { headers: { accept: 'text/html' } })).text()).match(
      /\/assets\/[^"]+\.js/,
    )![0];
    const script = await fetch(`${base}${asset}`);
    expect([script.status, script.headers.get('content-type')]).toEqual([200, expect.stringContaining('javascript')]);
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    // A browser opening /graphql still gets the API (Apollo's landing page outside production), not the client.
    expect(await (await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } })).text()).not.toContain(
      '<div id="root"></div>',
    );
    const api = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await api.json()).toEqual({ data: { __typename: 'Query' } });
    // Sign-in through the organisation is the API's, not a page (here, AUTH_MODE=local, it leads back to the login page).
    const organisation = await fetch(`${base}/auth/login`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect([organisation.status, organisation.headers.get('location')]).toEqual([302, '/?signin=failed']);
  });

  it('keeps the session in an HttpOnly cookie: a new tab is signed in, scripts find no token, and signing out ends it in every tab', async () => {
    const page = await signIn('nurse');
    const context = page.context();
    const session = (await context.cookies()).find((c) => c.name === 'samverka_session')!;
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const seen = await page.evaluate(() => ({
      cookie: document.cookie,
      storage: JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }),
    }));
    expect(seen.cookie).not.toContain(session.value);
    expect(seen.storage).not.toContain(session.value);
    expect(seen.storage).not.toMatch(/token|eyJ/i);

    // A new tab of the same browser is signed in, and stays so after a reload.
    const tab = await context.newPage();
    tab.on('pageerror', (error) => pageErrors.push(`nurse (tab): ${error.message}`));
    await tab.goto(`${base}/`);
    await expectVisible(tab.getByRole('heading', { level: 1, name: 'Mina personer' }));
    await tab.reload();
    await expectVisible(tab.getByRole('heading', { level: 1, name: 'Mina personer' }));

    // Signing out in one tab ends the session: the other tab's next request returns to the login page and says why.
    await tab.getByRole('button', { name: 'Logga ut' }).click();
    await expectVisible(tab.getByText('Du är utloggad.'));
    expect((await context.cookies()).find((c) => c.name === 'samverka_session')).toBeUndefined();
    await nav(page, 'Rapporter').click();
    await expectVisible(page.getByText(/Din session har upphört/));
    await expectVisible(page.getByLabel('Användarnamn'));

    // Idle longer than SESSION_IDLE_MINUTES (the API's session clock moved on; no waiting): a reload says so too.
    const idle = await signIn('nurse');
    const sessions = api.app.get(SessionService);
    sessions.now = () => new Date(Date.now() + 31 * 60_000);
    try {
      await idle.reload();
      await expectVisible(idle.getByText(/Din session har upphört/));
    } finally {
      sessions.now = () => new Date();
    }
  });

  it('refuses a wrong password with a message, and the login page is accessible', async () => {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${base}/persons/does-not-matter`);
    // Keyboard only: the username field is reached by Tab, Enter submits.
    await page.getByLabel('Användarnamn').focus();
    await page.keyboard.type('socialworker');
    await page.keyboard.press('Tab');
    await page.keyboard.type('wrong');
    await page.keyboard.press('Enter');
    await expectText(page.getByRole('alert'), /Fel användarnamn eller lösenord/);
    await checkPage(page, '01-login');
  });

  it('a social worker and a psychiatrist revise a plan, agree on a discharge and see it executed live', async () => {
    await atLeastContacts('socialworker', 'Lena', 21);
    const social = await signIn('socialworker');
    await checkPage(social, '02-caseload');

    // Person overview, then the plan: start a revision, change the person's goals, save, read the difference.
    await social.getByRole('link', { name: 'Lena Sandberg' }).click();
    await expectVisible(social.getByRole('heading', { name: 'Samverkansgrupp' }));
    // A contact recorded here (in a dialog) appears at the top of the timeline; an empty summary is refused at the field.
    await social.getByRole('button', { name: 'Registrera en kontakt' }).first().click();
    const contactDialog = social.getByRole('dialog', { name: 'Registrera en kontakt' });
    await contactDialog.getByRole('button', { name: 'Registrera', exact: true }).click();
    await expectText(contactDialog.locator('.field-error'), 'Fyll i fältet.');
    await contactDialog.getByLabel('Vad hände').fill('Met Lena at the day centre; she asked about the flat.');
    await contactDialog.getByRole('button', { name: 'Registrera', exact: true }).click();
    await contactDialog.waitFor({ state: 'hidden' });
    await expectText(
      social.locator('section[aria-labelledby="timeline-heading"] ol.timeline > li').first(),
      /Met Lena at the day centre/,
    );
    await checkPage(social, '03-person-overview');
    // The timeline shows twenty contacts at a time: with more than twenty, a button reads the next ones.
    const contacts = social.locator('section[aria-labelledby="timeline-heading"] ol.timeline > li');
    expect(await contacts.count()).toBe(20);
    await social.getByRole('button', { name: 'Visa fler' }).click();
    await contacts.nth(20).waitFor();
    await personTab(social, 'SIP-plan').click();
    await social.getByRole('button', { name: 'Börja revidera' }).click();
    await expectVisible(social.getByRole('heading', { name: /Under revidering/ }));
    // A value the API refuses gets its message at the field (from the error's input path).
    const firstIntervention = social
      .locator('fieldset.group')
      .filter({ hasText: 'Insatser' })
      .getByLabel('Beskrivning')
      .first();
    const interventionText = await firstIntervention.inputValue();
    await firstIntervention.fill('');
    await social.getByRole('button', { name: 'Spara ändringar' }).click();
    await expectVisible(social.locator('input[aria-invalid="true"]'));
    expect(await firstIntervention.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await firstIntervention.getAttribute('aria-describedby'))!;
    await expectText(social.locator(`[id="${describedBy}"]`), 'Fyll i fältet.');
    await firstIntervention.fill(interventionText);
    const goals = social.getByLabel('Personens egna mål (med personens ord)');
    await goals.fill('Keep my own lease and see my sister every month.');
    await social.getByRole('button', { name: 'Spara ändringar' }).click();
    await expectVisible(social.getByRole('status').filter({ hasText: 'Sparat.' }));
    const history = social.getByRole('region', { name: 'Versionshistorik' });
    await expectText(
      history.locator('.diff-changed').filter({ hasText: 'Personens egna mål' }),
      /Keep my own lease and see my sister every month./,
    );
    await checkPage(social, '04-plan-editor');

    // The social worker keeps the decisions page open; everything below arrives there live.
    await personTab(social, 'Beslut').click();
    await expectVisible(social.getByText('Inga förslag ännu.'));

    // The psychiatrist proposes to discharge the psychiatry episode and agrees.
    const psych = await signIn('psychiatrist');
    await psych.getByRole('link', { name: 'Lena Sandberg' }).click();
    await personTab(psych, 'Beslut').click();
    await psych.getByLabel('Typ av beslut').selectOption('DISCHARGE');
    await psych.getByLabel('Aktualitet som avslutas').selectOption({ label: 'Psykiatri (Psykiatri Södra Stockholm)' });
    await psych.getByLabel('Rubrik').fill('Avsluta psykiatrins aktualitet');
    await psych.getByLabel('Motivering').fill('Stable for a year; followed up by primary care.');
    await psych.getByRole('button', { name: 'Lägg förslaget' }).click();
    const psychProposal = psych.getByTestId('proposal');
    await expectText(psychProposal.getByTestId('tally'), '0 för, 0 emot, 2 har inte röstat');
    await psychProposal.getByLabel('Instämmer', { exact: true }).check();
    await psychProposal.getByRole('button', { name: 'Rösta' }).click();
    await expectText(psychProposal.getByTestId('tally'), '1 för, 0 emot, 1 har inte röstat');

    // The social worker sees the proposal and the psychiatrist's vote without reloading, and agrees too.
    const socialProposal = social.getByTestId('proposal');
    await expectText(socialProposal.getByTestId('tally'), '1 för, 0 emot, 1 har inte röstat');
    // Disagreeing without a comment is refused, with the API's message at the comment field.
    await socialProposal.getByLabel('Instämmer inte').check();
    await socialProposal.getByRole('button', { name: 'Rösta' }).click();
    await expectText(socialProposal.locator('.field-error'), 'Skriv varför du inte instämmer.');
    await socialProposal.getByLabel('Instämmer', { exact: true }).check();
    await socialProposal.getByLabel('Kommentar (krävs om du inte instämmer)').fill('Agreed at the SIP meeting.');
    await socialProposal.getByRole('button', { name: 'Rösta' }).click();
    await expectText(socialProposal.locator('.tag'), 'Godkänt');
    await checkPage(social, '05-decisions');

    // The psychiatrist sees the approval live, requests the discharge and watches the worker execute it.
    await expectText(psychProposal.locator('.tag'), 'Godkänt');
    const episode = psych.getByTestId('episode-PSYCHIATRY');
    await episode.getByRole('button', { name: 'Avsluta aktualiteten' }).click();
    await psych.getByRole('dialog').getByRole('button', { name: 'Ja, avsluta aktualiteten' }).click();
    await expectText(episode.locator('.request-executed'), 'Verkställd');
    await expectText(episode.locator('.tag'), 'Avslutad');
    // ... and so does the social worker, still on the same page.
    await expectText(social.getByTestId('episode-PSYCHIATRY').locator('.tag'), 'Avslutad');

    // The nurse in the group was told about the decision: the inbox lists it until it is marked read.
    const nurse = await signIn('nurse');
    await nav(nurse, 'Notiser').click();
    await expectVisible(nurse.locator('.inbox li.unread').first());
    await checkPage(nurse, '06-notifications');
    await nurse.getByRole('button', { name: 'Markera alla som lästa' }).click();
    await nurse.locator('.inbox li.unread').first().waitFor({ state: 'detached' });
    await nav(nurse, 'Notiser').locator('.badge').waitFor({ state: 'detached' });

    await nav(social, 'ACT-team').click();
    await expectVisible(social.getByRole('heading', { name: 'Jour de kommande sju dagarna' }));
    expect(await social.locator('table.on-call tbody tr').count()).toBe(7);
    await checkPage(social, '07-act-team');
    await nav(social, 'Rapporter').click();
    await expectVisible(social.getByRole('heading', { level: 1, name: 'Rapporter' }));
    await checkPage(social, '08-reports');
  });

  it('a social worker plans a SIP meeting; the nurse sees the summons arrive live, and the note prints alone', async () => {
    // The nurse keeps the inbox open; nothing below reloads it.
    const nurse = await signIn('nurse');
    await nav(nurse, 'Notiser').click();
    await expectVisible(nurse.getByRole('checkbox', { name: 'Visa bara olästa' }));
    const summons = nurse.locator('.inbox li[data-kind="MEETING_SUMMONS"]');
    expect(await summons.count()).toBe(0);

    const social = await signIn('socialworker');
    await social.getByRole('link', { name: 'Lena Sandberg' }).click();
    // The person page lists the reminders ahead and records a legal check.
    const checks = social.getByRole('region', { name: 'Lagstadgade kontroller' });
    await checks.getByRole('button', { name: 'Registrera en kontroll' }).click();
    const checkDialog = social.getByRole('dialog', { name: 'Registrera en kontroll' });
    await checkDialog.getByLabel('Typ av kontroll').selectOption({ label: 'Våldsutsatthet bedömd' });
    await checkDialog.getByLabel('Anteckning').fill('FREDA short form, no current risk.');
    await checkDialog.getByRole('button', { name: 'Spara kontrollen' }).click();
    await checkDialog.waitFor({ state: 'hidden' });
    await expectText(checks.locator('ul.checks li').first(), /Våldsutsatthet bedömd.*FREDA short form/);
    await expectVisible(social.getByRole('region', { name: 'Kommande påminnelser' }));
    await checkPage(social, '14-person-reminders-checks');

    await personTab(social, 'SIP-plan').click();
    const meetings = social.getByRole('region', { name: 'SIP-möten' });
    // The form opens in a dialog. Without a time it says so at the field; then a time, a place and the nurse as participant.
    await meetings.getByRole('button', { name: 'Planera ett möte' }).click();
    await meetings.getByRole('button', { name: 'Planera mötet' }).click();
    await expectText(meetings.locator('.field-error'), 'Ange datum och tid.');
    const inThreeDays = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    await meetings.getByLabel('Datum och tid').fill(`${inThreeDays}T10:00`);
    await meetings.getByLabel('Plats').fill('Farsta stadsdelsförvaltning, rum 2');
    await meetings.getByRole('checkbox', { name: /Sara Holmgren/ }).check();
    await meetings.getByRole('button', { name: 'Planera mötet' }).click();
    // Found by its place: the demo data may hold a meeting at the same moment (latest first, ties in any order).
    await expectText(
      meetings.getByTestId('meeting').filter({ hasText: 'rum 2' }).first(),
      /Planerat.*Farsta stadsdelsförvaltning, rum 2.*Sara Holmgren/,
    );
    await checkPage(social, '15-sip-meetings');

    // The worker delivers the summons; the nurse's badge and inbox show it without a reload.
    await expectText(summons.first(), /Kallelse till SIP-möte/);
    await expectVisible(nav(nurse, 'Notiser').locator('.badge'));
    await checkPage(nurse, '16-notifications-summons');

    // Lena has no SMS: the planner gets the appointment note to print, and printing shows only the note.
    await nav(social, 'Notiser').click();
    const print = social.getByRole('button', { name: 'Skriv ut lappen' }).first();
    await expectVisible(print);
    await social.evaluate(() => {
      window.print = () =>
        ((window as unknown as { printed: string }).printed =
          document.querySelector('.print-target')?.textContent ?? '');
    });
    await print.click();
    expect(await social.evaluate(() => (window as unknown as { printed: string }).printed)).toMatch(
      /^Lapp att lämna till personen.*Välkommen!$/,
    );
    await social.emulateMedia({ media: 'print' });
    await screenshot(social, '17-appointment-note-print');
    await social.emulateMedia({ media: 'screen' });
    await social.evaluate(() => window.dispatchEvent(new Event('afterprint')));

    // The nurse's own settings: SMS with quiet hours.
    await nurse.getByRole('link', { name: 'Mina notisinställningar' }).click();
    await nurse.getByRole('checkbox', { name: 'SMS' }).check();
    await nurse.getByLabel('Från').fill('21:00');
    await nurse.getByLabel('Till').fill('07:00');
    await nurse.getByRole('button', { name: 'Spara inställningarna' }).click();
    await expectText(nurse.getByRole('status').filter({ hasText: 'Sparat.' }), 'Sparat.');
    await checkPage(nurse, '18-notification-settings');
  });

  it('says when access is refused and when the connection is lost, and recovers', async () => {
    const page = await signIn('socialworker');
    // A person who is not on the caseload (an id nobody has): the page says so and shows nothing else.
    await page.goto(`${base}/persons/00000000-0000-4000-8000-000000000000`);
    await expectText(page.getByRole('alert'), /behörighet/);

    await nav(page, 'Mina personer').click();
    await expectVisible(page.locator('table.caseload'));
    expectedConsoleErrors = /ERR_INTERNET_DISCONNECTED|WebSocket/;
    await page.context().setOffline(true);
    await nav(page, 'Rapporter').click();
    await expectText(page.getByRole('alert'), /Ingen kontakt med servern/);
    await screenshot(page, '13-connection-lost');
    await page.context().setOffline(false);
    await page.getByRole('button', { name: 'Försök igen' }).click();
    await expectVisible(page.locator('figcaption', { hasText: 'Flyttar per månad' }));
    expectedConsoleErrors = null;
  });

  it('can be used with the keyboard alone: from the menu to a person, to the plan, and a form field reached by Tab', async () => {
    const page = await signIn('nurse');
    // Tab from the top of the page: the skip link first, then the main menu. (Focus rests on the page heading
    // after a page change, and the caseload's filter follows it; so start from the document itself.)
    await expectVisible(page.getByRole('table').getByRole('link').first());
    await page.evaluate(() => {
      document.body.tabIndex = -1;
      document.body.focus();
      document.body.removeAttribute('tabindex');
    });
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/Hoppa till innehållet/);
    const first = page.getByRole('table').getByRole('link').first();
    const name = (await first.textContent())!;
    for (let i = 0; i < 40 && !(await first.evaluate((el) => el === document.activeElement)); i++)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expectVisible(page.getByRole('heading', { level: 1, name }));
    // The person's tabs are links in the tab order: Enter on "SIP-plan" opens the plan.
    const planTab = page.getByRole('link', { name: 'SIP-plan' });
    for (let i = 0; i < 40 && !(await planTab.evaluate((el) => el === document.activeElement)); i++)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/plan$/);
    expect(await page.evaluate(() => document.activeElement !== document.body)).toBe(true);
  });

  it('works at tablet width, in English too', async () => {
    const tablet = await signIn('nurse', { width: 768, height: 1024 });
    await checkPage(tablet, '09-caseload-tablet');
    await tablet.getByRole('button', { name: 'English' }).click();
    await expectVisible(tablet.getByRole('heading', { level: 1, name: 'My persons' }));
    await tablet.locator('table.caseload tbody a').first().click();
    await expectVisible(tablet.getByRole('heading', { name: 'Collaboration group' }));
    // Nothing is wider than the screen, on any of the person's pages.
    const fits = () => tablet.evaluate(() => document.documentElement.scrollWidth);
    expect(await fits()).toBeLessThanOrEqual(768);
    await checkPage(tablet, '10-person-overview-tablet-en');
    await personTab(tablet, 'SIP plan').click();
    await expectVisible(tablet.getByRole('heading', { name: 'Revision history' }));
    expect(await fits()).toBeLessThanOrEqual(768);
    await checkPage(tablet, '11-plan-editor-tablet-en');
    await personTab(tablet, 'Decisions').click();
    await expectVisible(tablet.getByRole('heading', { name: 'New proposal' }));
    expect(await fits()).toBeLessThanOrEqual(768);
    await checkPage(tablet, '12-decisions-tablet-en');
  });
});
