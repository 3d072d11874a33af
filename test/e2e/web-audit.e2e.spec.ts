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
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(300_000);

/**
 * Issue 12 §2, the auditor's screens in real headless Chromium against the real API on this file's own
 * database with the demo data: the auditor lands on the audit home (not a caseload) with the chain's check,
 * finds a person's log extract by the identity number the person gives (keyboard only), exports it to CSV
 * (formula-safe), prints the plain-words extract (print view: only the extract, no buttons or fields), reviews
 * an emergency access and an entry of a sample with what was found, and never sees care data. Care staff do not
 * get the audit pages. axe-core checks every state; screenshots go to test-artifacts/web/.
 */
describe("the auditor's screens in the browser", () => {
  let db: TestDatabase;
  let api: TestApi;
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
    base = api.url.replace(/\/graphql$/, '');
    browser = await launchBrowser();
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

  async function as(username: string) {
    const token = await api.login(username, 'samverka-demo');
    return async <T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
      const result = await api.gql<T>(query, variables, token);
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data as T;
    };
  }

  async function signIn(username: string, heading: string): Promise<Page> {
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
    // A refused input is answered 400 (the invalid number below), which the browser reports by itself.
    page.on(
      'console',
      (m) => m.type() === 'error' && !/status of 400/.test(m.text()) && pageErrors.push(`${username}: ${m.text()}`),
    );
    await page.goto(`${base}/`);
    await page.getByLabel('Användarnamn').fill(username);
    await page.getByLabel('Lösenord').fill('samverka-demo');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: heading }));
    return page;
  }

  async function settled(page: Page): Promise<void> {
    await page.waitForFunction(
      () => document.querySelector('main h1') !== null && document.querySelector('.status-loading') === null,
    );
  }

  async function check(page: Page, name: string): Promise<void> {
    await settled(page);
    await screenshot(page, name);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }

  /** A person on the social worker's caseload with a personnummer, and that person's family name (care data the auditor must never see). */
  async function personWithNumber(): Promise<{ id: string; number: string; familyName: string; givenName: string }> {
    const social = await as('socialworker');
    const { caseload } = await social<any>(
      `{ caseload(first: 50) { edges { node { person { id givenName familyName identityKind identityNumber } } } } }`,
    );
    const found = caseload.edges
      .map((e: any) => e.node.person)
      .find((p: any) => p.identityKind === 'PERSONNUMMER' && p.identityNumber);
    expect(found).toBeDefined();
    return { id: found.id, number: found.identityNumber, familyName: found.familyName, givenName: found.givenName };
  }

  it('care staff land on their caseload, have no audit menu, and are told the audit pages are not theirs', async () => {
    const page = await signIn('socialworker', 'Mina personer');
    await expect(
      page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Loggutdrag' }).count(),
    ).resolves.toBe(0);
    await page.goto(`${base}/audit/person`);
    await expectText(page.locator('main'), /Sidan är till för granskare/);
    await expect(page.getByLabel('Person-, samordnings- eller reservnummer').count()).resolves.toBe(0);
    await check(page, 'audit-care-staff-refused');
  });

  it("an auditor opens a person's log extract by keyboard, exports it, prints it for the person, and reviews an emergency access", async () => {
    const person = await personWithNumber();
    // Someone without a relation opens the person's data in an emergency: the auditor reviews it.
    const outsider = await as('peersupport');
    await outsider(`mutation($i: OpenEmergencyAccessInput!) { openEmergencyAccess(input: $i) { id } }`, {
      i: { personId: person.id, reason: 'Hittad medvetslös vid dagverksamheten, behöver läkemedelslistan' },
    });

    const page = await signIn('auditor', 'Granskning');
    // The audit home instead of a caseload: the menu, and the chain's check.
    const menu = page.getByRole('navigation', { name: 'Huvudmeny' });
    for (const item of ['Loggutdrag', 'Stickprov', 'Nödåtkomster', 'Skyddade uppgifter', 'Avslut'])
      await expectVisible(menu.getByRole('link', { name: item }));
    await expect(menu.getByRole('link', { name: 'Mina personer' }).count()).resolves.toBe(0);
    await expectText(page.locator('main'), /Kedjan är hel/);
    await check(page, 'audit-home');

    // The extract, with the keyboard alone: the number as the person gives it (10 digits with a dash).
    await menu.getByRole('link', { name: 'Loggutdrag' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Loggutdrag för en person' }));
    await check(page, 'audit-extract-form');
    // A wrong number: the error at its field, focus on it.
    await page.getByLabel('Person-, samordnings- eller reservnummer').focus();
    await page.keyboard.type('19800101-0000');
    await page.keyboard.press('Enter');
    await expectText(page.locator('.field-error'), /Kontrollera numret/);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    await check(page, 'audit-extract-invalid');
    await page.keyboard.press('Control+A');
    const digits = person.number.replace(/\D/g, '');
    expect(digits).toHaveLength(12);
    await page.keyboard.type(`${digits.slice(2, 8)}-${digits.slice(8)}`);
    // Through the period's fields (left empty: the whole log; a date field has a stop per part) to the button.
    for (let i = 0; i < 12 && (await page.evaluate(() => document.activeElement?.textContent)) !== 'Visa'; i++)
      await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Visa');
    await page.keyboard.press('Enter');
    const table = page.locator('table.access-log');
    await expectVisible(table);
    await expectText(table, /Elin Bergkvist/);
    await expectText(page.locator('main [role="status"]'), /rader i perioden/);
    await check(page, 'audit-extract');

    // CSV: the rows as shown, formula-safe, a byte-order mark for Excel.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Exportera till CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^loggutdrag-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^"När";"Vem";"Roll";"Organisation"/);
    expect(lines.length - 1).toBe(await table.locator('tbody tr').count());
    expect(csv).toContain('"Elin Bergkvist"');
    expect(lines.slice(1).every((l) => /^"\d{4}-\d{2}-\d{2}T/.test(l))).toBe(true);
    expect(csv).not.toContain(person.familyName);

    // The printable extract, in plain words: only the extract on paper, no buttons or fields.
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => {
        (window as unknown as { printed: number }).printed++;
      };
    });
    await page.getByRole('button', { name: 'Skriv ut utdrag till personen' }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    const extract = page.locator('.log-extract');
    await expectVisible(extract);
    await expectText(extract, /Utdrag ur åtkomstloggen/);
    await expectText(extract, /Elin Bergkvist på .+ (läste|registrerade)/);
    await expectText(extract, /Här ser du vem som har tagit del av dina uppgifter/);
    const visibleControls = await page.evaluate(
      () =>
        [...document.querySelectorAll('button, input, select, textarea, nav, header')].filter((el) =>
          (el as HTMLElement).checkVisibility(),
        ).length,
    );
    expect(visibleControls).toBe(0);
    await expect(page.locator('table.access-log').isVisible()).resolves.toBe(false);
    await screenshot(page, 'audit-extract-print');
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('main').textContent()).not.toContain(person.familyName);

    // The emergency access: who, from where, why; marked reviewed with a note, by keyboard.
    await menu.getByRole('link', { name: 'Nödåtkomster' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Nödåtkomster att granska' }));
    const item = page.locator('.review-list > li').filter({ hasText: 'Hittad medvetslös vid dagverksamheten' });
    await expectVisible(item);
    await expectText(item.getByRole('heading', { level: 2 }), /Tobias Lundell/);
    await check(page, 'audit-emergency');
    await item.getByLabel('Anteckning (frivillig)').focus();
    await page.keyboard.type('Befogad: personen var akut sjuk, ingen i gruppen nåbar.');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Markera som granskad');
    await page.keyboard.press('Enter');
    // Only the unreviewed are listed: it is gone; with all shown, it is reviewed with the note.
    await expect(item.waitFor({ state: 'detached' })).resolves.toBeUndefined();
    await page.getByLabel('Visa bara de som inte är granskade').uncheck();
    const reviewed = page.locator('.review-list > li').filter({ hasText: 'Hittad medvetslös vid dagverksamheten' });
    await expectText(reviewed, /Granskad .*Befogad: personen var akut sjuk/);
    await check(page, 'audit-emergency-reviewed');
    const [row] = await db.dataSource.query(
      `SELECT reviewed_by, review_note FROM emergency_access WHERE person_id = $1 ORDER BY opened_at DESC LIMIT 1`,
      [person.id],
    );
    expect(row.review_note).toBe('Befogad: personen var akut sjuk, ingen i gruppen nåbar.');

    // From the review, the person's extract by link (no number typed): the auditor's own reading is in it.
    await reviewed.getByRole('link', { name: 'Personens loggutdrag' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Loggutdrag för en person' }));
    await page.getByRole('button', { name: 'Visa' }).click();
    await expectText(page.locator('table.access-log'), /Greta Nyberg/);
    await expectText(page.locator('table.access-log'), /Nödåtkomst/);
    expect(await page.locator('body').textContent()).not.toContain(person.familyName);
  });

  it('an auditor draws a sample, marks an entry reviewed with what was found, and sees the same sample after a reload; the other review lists and a staff log show', async () => {
    const page = await signIn('auditor', 'Granskning');
    await page.goto(`${base}/audit/sample`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Stickprov ur loggen' }));
    await check(page, 'audit-sample-form');
    // The keyboard alone: the size, Enter draws.
    await page.getByLabel('Antal rader').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('5');
    await page.keyboard.press('Enter');
    const rows = page.locator('table.access-log tbody tr');
    await expect(rows.first().waitFor()).resolves.toBeUndefined();
    expect(await rows.count()).toBe(5);
    await expectText(page.locator('main [role="status"]'), /5 rader, 0 granskade/);
    await check(page, 'audit-sample');
    const ids = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-entry')));

    const first = rows.first();
    await first.getByLabel('Vad du fann').focus();
    await page.keyboard.type('Behörig: personens samordnare');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Markera som granskad');
    await page.keyboard.press('Enter');
    await expectText(page.locator('main [role="status"]'), /5 rader, 1 granskade/);
    await expectText(rows.first(), /Behörig: personens samordnare/);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-entry')))).toEqual(ids);

    // The address keeps the sample: after a reload, the same entries, the review kept.
    await page.reload();
    await expect(rows.first().waitFor()).resolves.toBeUndefined();
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-entry')))).toEqual(ids);
    await expectText(rows.first(), /Granskad .*/);
    const [review] = await db.dataSource.query(`SELECT finding FROM access_log_review WHERE entry_id = $1`, [ids[0]]);
    expect(review.finding).toBe('Behörig: personens samordnare');

    // The staff member's log, from the entry's link.
    await rows.first().locator('td').first().getByRole('link').click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Vad en anställd har tagit del av' }));
    await expectVisible(page.locator('table.access-log'));
    await check(page, 'audit-staff-log');

    // A staff member's log chosen with the keyboard alone: organisation, then the staff member, then Visa.
    await page.goto(`${base}/audit/staff`);
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Vad en anställd har tagit del av' }));
    const organisation = page.getByLabel('Organisation', { exact: true });
    await organisation.focus();
    const farsta = await organisation
      .locator('option', { hasText: 'Farsta stadsdelsförvaltning' })
      .getAttribute('value');
    for (let i = 0; i < 50 && (await organisation.inputValue()) !== farsta; i++) await page.keyboard.press('ArrowDown');
    expect(await organisation.inputValue()).toBe(farsta);
    await page.keyboard.press('Tab');
    const member = page.getByLabel('Anställd', { exact: true });
    await expect(
      member.locator('option', { hasText: 'Elin Bergkvist' }).waitFor({ state: 'attached' }),
    ).resolves.toBeUndefined();
    const elin = await member.locator('option', { hasText: 'Elin Bergkvist' }).getAttribute('value');
    for (let i = 0; i < 50 && (await member.inputValue()) !== elin; i++) await page.keyboard.press('ArrowDown');
    expect(await member.inputValue()).toBe(elin);
    for (let i = 0; i < 12 && (await page.evaluate(() => document.activeElement?.textContent)) !== 'Visa'; i++)
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expectText(page.locator('main [role="status"]'), /rader i perioden|inte tagit del/);
    await check(page, 'audit-staff-chosen');

    for (const [path, heading] of [
      ['/audit/protection', 'Ändrade skyddsnivåer att granska'],
      ['/audit/endings', 'Avslut att granska'],
    ]) {
      await page.goto(`${base}${path}`);
      await expectVisible(page.getByRole('heading', { level: 1, name: heading }));
      await check(page, `audit-${path.split('/')[2]}`);
    }
  });
});
