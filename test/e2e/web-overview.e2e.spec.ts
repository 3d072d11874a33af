import { INestApplicationContext } from '@nestjs/common';
import fs from 'node:fs';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '../../libs/auth/src';
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
import { eventually, startWorker } from '../support/test-context';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(180_000);

/**
 * The person overview's first screen and the caseload's filters in real headless Chromium, against the
 * real API and worker on this file's own database with the demo data: a social worker reads where things
 * stand with Lena Sandberg (next meeting and follow-up, coordinator, responsibilities with phone numbers,
 * housing, last contact, consent, ACT team on call, the reminders with what they are about), sees that her
 * vote is missing and that it is gone once she has voted, records a contact with the keyboard alone, and
 * filters and sorts her caseload. axe-core checks every state, dialogs open included; screenshots go to
 * test-artifacts/web/.
 */
describe('person overview and caseload in the browser', () => {
  let db: TestDatabase;
  let api: TestApi;
  let worker: INestApplicationContext;
  let browser: Browser;
  let webDir: string;
  let base: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

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

  async function as(username: string) {
    const token = await api.login(username, 'samverka-demo');
    return async <T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
      const result = await api.gql<T>(query, variables, token);
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data as T;
    };
  }

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
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(`${username}: ${m.text()}`));
    await page.goto(`${base}/`);
    await page.getByLabel('Användarnamn').fill(username);
    await page.getByLabel('Lösenord').fill('samverka-demo');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Mina personer' }));
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

  /** The accessible name of the focused element, as a keyboard user hears it. */
  const focusedName = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const byLabel = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`)?.textContent : null;
      return (el.getAttribute('aria-label') ?? byLabel ?? el.textContent ?? '').trim();
    });

  /** Presses Tab until the element named `name` has focus (a keyboard user's way there). */
  async function tabTo(page: Page, name: string, backwards = false, max = 30): Promise<void> {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
      if ((await focusedName(page)) === name) return;
    }
    throw new Error(`Tab never reached "${name}"`);
  }

  const rowNames = async (page: Page) =>
    (await page.locator('table.caseload tbody th[scope="row"] a').allTextContents()).map((s) => s.trim());
  const personTab = (page: Page, name: string) => page.locator('nav.tabs').getByRole('link', { name });

  let lenaId: string;
  let proposalTitle: string;

  beforeAll(async () => {
    const social = await as('socialworker');
    const { caseload } = await social(
      `{ caseload(first: 200) { edges { node { personId person { givenName familyName } } } } }`,
    );
    lenaId = caseload.edges.find((e: any) => e.node.person.givenName === 'Lena').node.personId;
    // One other person's follow-up has passed, as if time had gone by (the API takes no follow-up date in the past).
    const other = caseload.edges.find((e: any) => e.node.person.givenName !== 'Lena').node.personId;
    await db.dataSource.query(
      `UPDATE sip_plan SET follow_up_on = current_date - 5 WHERE person_id = $1 AND status <> 'CLOSED'`,
      [other],
    );
    // A SIP meeting in three days at 10:00 (Swedish time), and a proposal of the psychiatrist's that waits for the social worker's vote.
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const { me } = await social(`{ me { id } }`);
    await social(`mutation($i: PlanSipMeetingInput!) { planSipMeeting(input: $i) { id } }`, {
      i: {
        personId: lenaId,
        startsAt: new Date(`${day}T09:00:00Z`).toISOString(),
        location: 'Farsta, rum 2',
        participantStaffIds: [me.id],
        invitePerson: false,
      },
    });
    proposalTitle = 'Ansök om försökslägenhet';
    const psych = await as('psychiatrist');
    await psych(`mutation($i: OpenProposalInput!) { openProposal(input: $i) { id } }`, {
      i: {
        personId: lenaId,
        type: 'HOUSING_PLACEMENT',
        title: proposalTitle,
        rationale: 'Har skött träningslägenheten i ett halvår.',
        deadline: new Date(Date.now() + 5 * 86_400_000).toISOString(),
      },
    });
    // The worker derives the meeting's reminders from the data within moments.
    await eventually(async () => {
      const { person } = await social(`query($id: ID!) { person(id: $id) { upcomingReminders { subject } } }`, {
        id: lenaId,
      });
      return person.upcomingReminders.some((r: any) => r.subject === 'SIP_MEETING');
    }, 20_000);
  });

  it('shows where things stand with Lena on the first screen, and "your vote is missing" until she votes', async () => {
    const page = await signIn('socialworker');
    await page.getByRole('link', { name: 'Lena Sandberg' }).click();
    const glance = page.getByRole('region', { name: 'Läget just nu' });
    await expectVisible(glance);
    // Everything below is on the first screen, above the fold.
    const box = await glance.boundingBox();
    expect(box!.y).toBeLessThan(900);

    const votes = glance.locator('.votes-missing');
    await expectText(votes, new RegExp(`^Din röst saknas.*${proposalTitle}.*rösta senast`));
    await expectText(glance.getByTestId('glance-meeting'), /^\d{1,2} [a-zé]+\.? \d{4} \d{2}:\d{2}( · .+)?$/);
    await expectText(glance.getByTestId('glance-follow-up'), /^\d{1,2} [a-zé]+\.? \d{4}$/);
    await expectText(
      glance.getByTestId('glance-coordinator'),
      /^Elin Bergkvist \(Socialsekreterare, Farsta stadsdelsförvaltning\)/,
    );
    await expectText(glance.getByTestId('glance-decisions'), /^\d+ öppna$/);
    await expectText(glance.getByTestId('glance-housing'), /^Träningslägenhet.*sedan/);
    await expectText(glance.getByTestId('glance-last-contact'), /^för \d+ dagar sedan/);
    await expectText(glance.getByTestId('glance-consent'), /^Gäller/);
    await expectText(glance.getByTestId('glance-act'), /^ACT Stockholm Syd · i jour nu: .*Jourtelefon: 08-465 004 10/);
    const responsibilities = glance.locator('ul.responsibilities > li');
    expect(await responsibilities.count()).toBeGreaterThan(0);
    await expectText(responsibilities.first(), /Övergripande ansvar/);
    // Phone numbers are links a phone can call.
    expect(await glance.locator('a[href^="tel:"]').count()).toBeGreaterThan(0);
    // The reminders say what they are about and when it happens, then when the reminder is sent.
    await expectText(
      page
        .getByRole('region', { name: 'Kommande påminnelser' })
        .locator('li')
        .filter({ hasText: /^SIP-möte \d/ })
        .first(),
      /^SIP-möte \d{1,2} [a-zé]+\.? \d{4} \d{2}:\d{2}SIP-möte .*påminnelsen skickas/,
    );
    // Forms are behind buttons: no form field on the first screen.
    expect(await page.locator('main form').count()).toBe(0);
    await checkPage(page, 'overview-01-person-glance');

    // The other forms open in dialogs, each checked open.
    await page.getByRole('button', { name: 'Registrera ett samtycke' }).click();
    await expectVisible(page.getByRole('dialog', { name: 'Registrera ett samtycke' }));
    await checkPage(page, 'overview-02-consent-dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Registrera en kontroll' }).click();
    await expectVisible(page.getByRole('dialog', { name: 'Registrera en kontroll' }));
    await checkPage(page, 'overview-03-check-dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    // She votes on the decisions tab; back on the overview the notice is gone.
    await personTab(page, 'Beslut').click();
    const proposal = page.getByTestId('proposal').filter({ hasText: proposalTitle });
    await proposal.getByLabel('Instämmer', { exact: true }).check();
    await proposal.getByRole('button', { name: 'Rösta' }).click();
    await expectText(proposal.getByTestId('tally'), /^1 för/);
    await personTab(page, 'Översikt').click();
    await expectVisible(page.getByRole('region', { name: 'Läget just nu' }));
    await page.waitForFunction(() => document.querySelector('.status-loading') === null);
    // The overview is read again (the vote refreshed what was cached), and the notice is gone.
    await page.locator('.votes-missing').waitFor({ state: 'detached' });
    await expectText(page.getByTestId('glance-decisions'), /^\d+ öppna$/);
    await checkPage(page, 'overview-04-person-voted');

    // The votes missing are each reader's own: the nurse (no vote) never had one; the psychiatrist proposed but has not voted yet.
    const nurse = await signIn('nurse');
    await nurse.getByRole('link', { name: 'Lena Sandberg' }).click();
    await expectVisible(nurse.getByRole('region', { name: 'Läget just nu' }));
    await nurse.waitForFunction(() => document.querySelector('.status-loading') === null);
    expect(await nurse.locator('.votes-missing').count()).toBe(0);
    const psych = await signIn('psychiatrist');
    await psych.getByRole('link', { name: 'Lena Sandberg' }).click();
    await expectText(psych.locator('.votes-missing'), new RegExp(`^Din röst saknas.*${proposalTitle}`));
  });

  it('records a contact with the keyboard alone: the dialog opens, a refusal focuses the field, and focus returns to the button', async () => {
    const page = await signIn('socialworker');
    await page.getByRole('link', { name: 'Lena Sandberg' }).click();
    const glance = page.getByRole('region', { name: 'Läget just nu' });
    await expectVisible(glance);
    await page.waitForFunction(() => document.querySelector('.status-loading') === null);

    const opener = glance.getByRole('button', { name: 'Registrera en kontakt' });
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Registrera en kontakt' });
    await expectVisible(dialog);
    await checkPage(page, 'overview-05-contact-dialog');
    // Escape with nothing typed closes at once.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focusedName(page)).toBe('Registrera en kontakt');

    await page.keyboard.press('Enter');
    await expectVisible(dialog);
    // Save with no summary: the API refuses, and focus lands on the summary with the message beside it.
    await tabTo(page, 'Registrera');
    await page.keyboard.press('Enter');
    await expectText(dialog.locator('.field-error'), 'Fyll i fältet.');
    expect(await focusedName(page)).toBe('Vad hände');
    await checkPage(page, 'overview-06-contact-dialog-error');
    await page.keyboard.type('Ringde Lena om mötet på torsdag; hon kommer.');
    // The kind: back to the first field and choose "Telefon" with the arrow keys.
    await tabTo(page, 'Typ av kontakt', true);
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    expect(await dialog.getByLabel('Typ av kontakt').inputValue()).toBe('PHONE');
    await tabTo(page, 'Registrera');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focusedName(page)).toBe('Registrera en kontakt');
    await expectText(
      page.locator('section[aria-labelledby="timeline-heading"] ol.timeline > li').first(),
      /^Telefonsamtal.*Ringde Lena om mötet på torsdag/,
    );
    await expectText(page.getByTestId('glance-last-contact'), /^i dag/);
  });

  it('filters and sorts the caseload on the server: overdue follow-up, awaiting my vote, no contact for N days, longest without contact', async () => {
    const social = await as('socialworker');
    const names = async (variables: Record<string, unknown>) =>
      (
        await social(
          `query($filter: CaseloadFilter, $sort: CaseloadSort) { caseload(first: 200, filter: $filter, sort: $sort) { edges { node { person { givenName familyName } } } } }`,
          variables,
        )
      ).caseload.edges.map((e: any) => `${e.node.person.givenName} ${e.node.person.familyName}`);
    const page = await signIn('socialworker');
    await expectVisible(page.locator('table.caseload tbody tr').first());
    const all = await rowNames(page);
    expect(all).toEqual(await names({}));
    await checkPage(page, 'overview-07-caseload');

    const show = page.getByLabel('Visa', { exact: true });
    const byOrder = page.getByLabel('Ordning', { exact: true });
    const rowsBecome = async (expected: string[]) => {
      await page.waitForFunction(
        (n) =>
          document.querySelectorAll('table.caseload tbody tr').length === n ||
          (n === 0 && document.querySelector('table.caseload') === null),
        expected.length,
      );
      await page.waitForFunction(() => document.querySelector('.status-loading') === null);
      expect(await rowNames(page)).toEqual(expected);
    };

    await show.selectOption({ label: 'Försenad uppföljning' });
    const overdue = await names({ filter: { followUpOverdue: true } });
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.length).toBeLessThan(all.length);
    await rowsBecome(overdue);
    expect(await page.locator('table.caseload tbody tr').filter({ hasText: 'försenad' }).count()).toBe(overdue.length);
    expect(page.url()).toContain('visa=overdue');
    await checkPage(page, 'overview-08-caseload-overdue');

    // Lena's proposal waits for the psychiatrist (the social worker voted in the first test, or not, if run alone).
    const awaiting = await names({ filter: { awaitingMyVote: true } });
    await show.selectOption({ label: 'Väntar på min röst' });
    await rowsBecome(awaiting);
    await checkPage(page, 'overview-09-caseload-awaiting-vote');

    await show.selectOption({ label: 'Ingen kontakt på ett tag' });
    const days = page.getByLabel('Ingen kontakt på minst (dagar)');
    await days.fill('30');
    await days.press('Enter');
    const quiet = await names({ filter: { noContactForDays: 30 } });
    expect(quiet.length).toBeLessThan(all.length);
    await rowsBecome(quiet);
    expect(page.url()).toContain('dagar=30');
    await checkPage(page, 'overview-10-caseload-no-contact');

    await show.selectOption({ label: 'Alla' });
    await byOrder.selectOption({ label: 'Längst sedan kontakt först' });
    const longest = await names({ sort: 'LAST_CONTACT' });
    expect(longest).not.toEqual(all);
    await rowsBecome(longest);
    await byOrder.selectOption({ label: 'Efternamn' });
    await rowsBecome(await names({ sort: 'NAME' }));
    // The choice is in the address: a reload keeps it.
    await page.reload();
    await expectVisible(page.locator('table.caseload'));
    await rowsBecome(await names({ sort: 'NAME' }));
    expect(await byOrder.inputValue()).toBe('NAME');
    await checkPage(page, 'overview-11-caseload-by-name');
  });
});
