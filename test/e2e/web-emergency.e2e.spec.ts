import fs from 'node:fs';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { buildWebClient, expectText, expectVisible, launchBrowser, screenshot, seriousAccessibilityViolations } from '../support/browser';
import { Fixtures, TestStaff } from '../support/fixtures';
import { walkForm } from '../support/keyboard';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(300_000);

/**
 * A member of the group without the person's consent, in the browser: the limited view (whom to contact,
 * whether a plan exists) instead of a bare refusal, and emergency access (nödåtkomst) from it, by keyboard.
 */
describe('limited access and emergency access in the web client', () => {
  let db: TestDatabase;
  let api: TestApi;
  let browser: Browser;
  let webDir: string;
  let base: string;
  let f: Fixtures;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    webDir = buildWebClient();
    db = await createTestDatabase();
    api = await startTestApi(db, { webClientDir: webDir });
    base = api.url.replace(/\/graphql$/, '');
    f = new Fixtures(db.dataSource);
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
    expect(pageErrors.splice(0)).toEqual([]);
  });

  async function signIn(staff: TestStaff): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${base}/`);
    await page.getByLabel('Användarnamn').fill(staff.username);
    await page.getByLabel('Lösenord').fill(staff.password);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Mina personer' }));
    return page;
  }

  async function checkPage(page: Page, name: string): Promise<void> {
    await page.waitForFunction(() => document.querySelector('.status-loading') === null);
    await screenshot(page, name);
    expect({ page: name, violations: await seriousAccessibilityViolations(page) }).toEqual({ page: name, violations: [] });
  }

  it('shows whom to contact instead of a refusal, and opens the person with a reason, by keyboard alone', async () => {
    const s = await f.careSetting({ consent: false });
    const page = await signIn(s.psychiatrist);
    await page.goto(`${base}/persons/${s.person.id}`);
    await expectVisible(page.getByRole('heading', { level: 2, name: 'Begränsad åtkomst' }));
    const coordinator = page.getByRole('listitem').filter({ hasText: 'samordnare' });
    await expectText(coordinator, new RegExp(`${s.socialWorker.staff.givenName} ${s.socialWorker.staff.familyName}`));
    await expectVisible(page.getByText('Personen har ingen SIP-plan.'));
    // The reader is a voting representative too, but not someone to contact about the person.
    expect(await page.getByRole('listitem').filter({ hasText: s.psychiatrist.staff.familyName }).count()).toBe(0);
    // Nothing of the person's own data is on the page.
    expect(await page.locator('main').textContent()).not.toContain(s.person.familyName);
    await checkPage(page, 'emergency-1-limited-view');

    // Keyboard alone: reach the button, open the dialog, a too short reason is refused at its field.
    const open = page.getByRole('button', { name: 'Öppna med nödåtkomst' });
    await open.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Öppna med nödåtkomst' });
    await expectVisible(dialog);
    // Tab reaches every control of the form and its button, Shift+Tab goes back through them, each with a visible ring.
    const walk = await walkForm(page, dialog.locator('form'));
    expect({ unreached: walk.unreached, faint: walk.faint, backward: walk.backward }).toEqual({ unreached: [], faint: [], backward: [...walk.forward].reverse() });
    expect(walk.forward).toEqual(expect.arrayContaining(['Varför uppgifterna behövs nu', 'Öppna med nödåtkomst']));
    const reason = dialog.getByLabel('Varför uppgifterna behövs nu');
    await reason.focus();
    await page.keyboard.type('Akut');
    await dialog.getByRole('button', { name: 'Öppna med nödåtkomst' }).focus();
    await page.keyboard.press('Enter');
    await expectVisible(dialog.locator('.field-error'));
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await checkPage(page, 'emergency-2-reason-refused');
    await page.keyboard.type(': personen hittad medvetslös, läkemedelslista behövs');
    await dialog.getByRole('button', { name: 'Öppna med nödåtkomst' }).focus();
    await page.keyboard.press('Enter');

    // Opened: the overview replaces the limited view.
    await expectVisible(page.getByRole('heading', { level: 2, name: 'Läget just nu' }));
    await expectText(page.getByRole('heading', { level: 1 }), `${s.person.givenName} ${s.person.familyName}`);
    await checkPage(page, 'emergency-3-opened');

    // Logged with the ground EMERGENCY, and the coordinator is told.
    const grounds: Array<{ ground: string }> = await db.dataSource.query(`SELECT DISTINCT ground FROM access_log WHERE person_id = $1 AND staff_id = $2`, [s.person.id, s.psychiatrist.staff.id]);
    expect(grounds.map((g) => g.ground)).toContain('EMERGENCY');
    const told: Array<{ kind: string }> = await db.dataSource.query(`SELECT kind FROM notification WHERE recipient_staff_id = $1 AND person_id = $2`, [s.socialWorker.staff.id, s.person.id]);
    expect(told.map((n) => n.kind)).toContain('EMERGENCY_ACCESS');
  });

  it('tells someone with no relation to the person nothing, not even that the person exists', async () => {
    const s = await f.careSetting({ consent: false });
    const page = await signIn(s.outsider);
    await page.goto(`${base}/persons/${s.person.id}`);
    await expectText(page.getByRole('alert'), /Hittades inte/);
    expect(await page.getByRole('heading', { name: 'Begränsad åtkomst' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Öppna med nödåtkomst' }).count()).toBe(0);
    await checkPage(page, 'emergency-4-no-relation');
  });
});
