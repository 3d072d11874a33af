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
import { syntheticPersonnummer } from '../support/fixtures';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';

jest.setTimeout(180_000);

/**
 * Issue 11, the person's lifecycle in real headless Chromium against the real API and the demo data: a
 * social worker finds nobody, registers a person without documents (keyboard only), finds them again by
 * temporary reference and by name and birth year, re-identifies them, answers the children question,
 * adds, edits and ends a relative and records a move; a nurse without a relation who searches by a full
 * personnummer is told "known: ask for access", and the person's coordinator is told. Every state is
 * checked with axe-core and saved as a screenshot under test-artifacts/web/.
 */
describe('the person lifecycle in the browser', () => {
  let db: TestDatabase;
  let api: TestApi;
  let browser: Browser;
  let webDir: string;
  let base: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  /** Console errors a step expects (the browser logs the refused requests of a failed save). */
  let expectedConsoleErrors: RegExp | null = null;

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

  async function checkPage(page: Page, name: string): Promise<void> {
    await page.waitForFunction(() => document.querySelector('.status-loading') === null);
    await screenshot(page, name);
    expect({ page: name, violations: await seriousAccessibilityViolations(page) }).toEqual({
      page: name,
      violations: [],
    });
  }

  const nav = (page: Page, name: string) =>
    page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name });
  const dialog = (page: Page) => page.locator('dialog[open]');
  /** The accessible label of the focused element. */
  const focusedLabel = (page: Page) =>
    page.evaluate(() => {
      const active = document.activeElement as HTMLElement | null;
      return active?.id ? (document.querySelector(`label[for="${active.id}"]`)?.textContent ?? null) : null;
    });

  async function searchBy(
    page: Page,
    by: 'Identitetsnummer' | 'Referens' | 'Namn och födelseår',
    fields: Record<string, string>,
  ): Promise<void> {
    // From another page, so that no earlier answer is on screen.
    await nav(page, 'Mina personer').click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Mina personer' }));
    await nav(page, 'Sök person').click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Sök person' }));
    await page.getByRole('radio', { name: by }).check();
    for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
    await page.getByRole('button', { name: 'Sök', exact: true }).click();
    await expectVisible(page.getByRole('heading', { name: 'Sökresultat' }));
  }

  it('a social worker registers a person without documents, finds them, re-identifies them and keeps their details', async () => {
    const page = await signIn('socialworker');

    // Find first: nothing by name and birth year; the empty form and its refusal pass axe too.
    await nav(page, 'Sök person').click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Sök person' }));
    await checkPage(page, 'find-person-empty');
    await page.getByRole('button', { name: 'Sök', exact: true }).click();
    await expectText(page.locator('.field-error').first(), 'Obligatoriskt fält');
    expect(await focusedLabel(page)).toBe('Person-, samordnings- eller reservnummer');
    await checkPage(page, 'find-person-errors');

    // A search is no work to lose: leaving it typed in never asks.
    await page.getByLabel('Person-, samordnings- eller reservnummer', { exact: true }).fill('19790312');
    await nav(page, 'Mina personer').click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Mina personer' }));
    await nav(page, 'Sök person').click();
    await page.getByRole('radio', { name: 'Namn och födelseår' }).check();
    await page.getByLabel('Förnamn', { exact: true }).fill('Nora');
    await page.getByLabel('Efternamn', { exact: true }).fill('Utanpapper');
    await page.getByLabel('Födelseår', { exact: true }).fill('1979');
    await checkPage(page, 'find-person-filled');
    await page.getByRole('button', { name: 'Sök', exact: true }).click();
    await expectText(page.getByText('Ingen person hittades'), /Ingen person hittades bland dem du har tillgång till/);
    await checkPage(page, 'find-person-nothing');

    // Register, carrying over what was searched, with the keyboard only.
    await page.getByRole('link', { name: 'Registrera en ny person' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Registrera en person' }));
    expect(await page.getByLabel('Förnamn').inputValue()).toBe('Nora');
    expect(await page.getByLabel('Födelseår').inputValue()).toBe('1979');
    expect(await page.getByLabel('Typ av identitet').inputValue()).toBe('UNIDENTIFIED');
    await checkPage(page, 'register-person-filled');

    // The page heading has focus; Tab walks the form in order.
    const tabTo = async (label: string) => {
      for (let i = 0; i < 12 && (await focusedLabel(page)) !== label; i++) await page.keyboard.press('Tab');
      expect(await focusedLabel(page)).toBe(label);
    };
    await tabTo('Din roll i samverkansgruppen');
    await page.keyboard.type('socialsekreterare, beroendeenheten');
    // Without a legal gender the API refuses at that field: focus moves there and the reason is in Swedish.
    expectedConsoleErrors = /./;
    await page.keyboard.press('Enter');
    await expectText(
      page.locator('.field-invalid .field-error'),
      'Ange juridiskt kön för en person utan personnummer eller samordningsnummer.',
    );
    await page.waitForFunction(() => document.activeElement?.tagName === 'SELECT');
    expect(await focusedLabel(page)).toBe('Juridiskt kön');
    await checkPage(page, 'register-person-errors');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('Juridiskt kön').inputValue()).toBe('FEMALE');
    await tabTo('Din roll i samverkansgruppen');
    await page.keyboard.press('Enter');
    expectedConsoleErrors = null;

    await expectVisible(page.getByRole('heading', { level: 1, name: 'Uppgifter om Nora Utanpapper' }));
    const personPath = new URL(page.url()).pathname;
    expect(personPath).toMatch(/^\/persons\/[0-9a-f-]{36}\/details$/);
    const identity = page.locator('section[aria-labelledby="details-identity"]');
    await expectText(identity.locator('dt:has-text("Ej identifierad") + dd'), '–');
    const reference = (await identity.locator('dt:has-text("Tillfällig referens") + dd').textContent())!.trim();
    expect(reference).toMatch(/^TMP-[A-Z2-9]{6}$/);
    await checkPage(page, 'person-details');

    // Found again by the temporary reference, and by name and birth year.
    await searchBy(page, 'Referens', { 'Tillfällig referens': reference.toLowerCase() });
    await expectVisible(page.getByRole('link', { name: 'Nora Utanpapper (1979)' }));
    await searchBy(page, 'Namn och födelseår', { Förnamn: 'nora', Efternamn: 'Utanpapper', Födelseår: '1979' });
    await checkPage(page, 'find-person-found');
    await page.getByRole('link', { name: 'Nora Utanpapper (1979)' }).click();
    await page.waitForURL(`${base}${personPath.replace(/\/details$/, '')}`);
    await page.locator('nav.tabs').getByRole('link', { name: 'Uppgifter' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Uppgifter om Nora Utanpapper' }));

    // Re-identified: a wrong check digit is refused at the field, the right number decides gender and year.
    await page.getByRole('button', { name: 'Identifiera personen' }).click();
    await expectVisible(dialog(page).getByRole('heading', { name: 'Ny identitet' }));
    await checkPage(page, 'person-reidentify-dialog');
    const number = syntheticPersonnummer('19790312', 42, 'FEMALE');
    const wrong = `${number.slice(0, 11)}${(Number(number[11]) + 1) % 10}`;
    expectedConsoleErrors = /./;
    await dialog(page).getByLabel('Nummer').fill(wrong);
    await dialog(page).getByRole('button', { name: 'Spara identiteten' }).click();
    await expectText(dialog(page).locator('.field-error'), /Numret stämmer inte/);
    expect(await focusedLabel(page)).toBe('Nummer');
    await checkPage(page, 'person-reidentify-errors');
    expectedConsoleErrors = null;
    await dialog(page).getByLabel('Nummer').fill(number);
    await dialog(page).getByRole('button', { name: 'Spara identiteten' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await expectText(identity.locator('dt:has-text("Personnummer") + dd'), `${number.slice(0, 8)}-${number.slice(8)}`);
    await expectText(identity.locator('dt:has-text("Juridiskt kön") + dd'), 'Kvinna');
    await expectVisible(identity.getByText(/^Ej identifierad, ersatt/));
    expect(await page.getByRole('button', { name: 'Identifiera personen' }).count()).toBe(0);

    // The children question: one child, not living with the person, and a note on the impact.
    const children = page.locator('section[aria-labelledby="details-children"]');
    await page.getByRole('button', { name: 'Besvara frågan om barn' }).click();
    await dialog(page).getByRole('radio', { name: 'Har barn' }).check();
    await dialog(page).getByRole('button', { name: 'Lägg till ett barn' }).click();
    await dialog(page).getByLabel('Barn 1: Barnets födelseår').fill('2014');
    await dialog(page).getByLabel('Barnkonsekvens').fill('Dottern bor hos sin pappa; umgänge varannan helg.');
    await checkPage(page, 'person-children-dialog');
    await dialog(page).getByRole('button', { name: 'Spara', exact: true }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await expectText(children.locator('li').first(), /^Barn 1: 2014 \(\d+ år\), bor inte med personen$/);
    await expectVisible(children.getByText('Dottern bor hos sin pappa; umgänge varannan helg.'));

    // A relative: added (may take part in SIP meetings), edited, ended.
    const relatives = page.locator('section[aria-labelledby="details-relatives"]');
    await page.getByRole('button', { name: 'Lägg till en anhörig' }).click();
    await dialog(page).getByRole('button', { name: 'Spara', exact: true }).click();
    await expectText(dialog(page).locator('.field-error').first(), 'Obligatoriskt fält');
    await checkPage(page, 'person-relative-errors');
    // The refusal put focus on the name; the rest with the keyboard only.
    expect(await focusedLabel(page)).toBe('Namn');
    await page.keyboard.type('Karin Utanpapper');
    await page.keyboard.press('Tab');
    expect(await focusedLabel(page)).toBe('Relation');
    await page.keyboard.type('syster');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.closest('label')?.textContent)).toBe(
      'Får delta i SIP-möten',
    );
    await page.keyboard.press('Space');
    expect(await dialog(page).getByLabel('Får delta i SIP-möten').isChecked()).toBe(true);
    await checkPage(page, 'person-relative-dialog');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Spara');
    await page.keyboard.press('Enter');
    await dialog(page).waitFor({ state: 'detached' });
    await expectText(relatives.locator('li').first(), /^Karin Utanpapper \(syster\), får delta i SIP-möten/);

    await relatives.getByRole('button', { name: 'Ändra Karin Utanpapper' }).click();
    await dialog(page).getByLabel('Telefon').fill('070-123 45 67');
    await dialog(page).getByLabel('Får delta i SIP-möten').uncheck();
    await dialog(page).getByRole('button', { name: 'Spara', exact: true }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await expectText(
      relatives.locator('li').first(),
      /^Karin Utanpapper \(syster\), 070-123 45 67, deltar inte i SIP-möten/,
    );

    await relatives.getByRole('button', { name: 'Avsluta Karin Utanpapper som anhörig' }).click();
    await expectVisible(dialog(page).getByText(/avslutas i dag/));
    await checkPage(page, 'person-relative-end-dialog');
    await dialog(page).getByRole('button', { name: 'Avsluta den anhöriga' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await expectVisible(relatives.getByText('Inga anhöriga registrerade.'));

    // A move into a Housing First flat.
    const housing = page.locator('section[aria-labelledby="details-housing"]');
    await page.getByRole('button', { name: 'Registrera en flytt' }).click();
    await dialog(page).getByLabel('Boendeform').selectOption({ label: 'Bostad Först' });
    await dialog(page).getByLabel('Adress').fill('Provgatan 3, Farsta');
    await checkPage(page, 'person-move-dialog');
    await dialog(page).getByRole('button', { name: 'Spara flytten' }).click();
    await dialog(page).waitFor({ state: 'detached' });
    await expectText(housing.locator('p').first(), /^Bostad Först sedan .+, Provgatan 3, Farsta$/);
    await checkPage(page, 'person-details-filled');

    // What the browser did is what the database holds.
    const [stored] = await db.dataSource.query(
      `SELECT p.identity_kind, p.legal_gender, p.birth_year, p.children_status, p.children, p.child_impact_note,
              (SELECT count(*)::int FROM relative r WHERE r.person_id = p.id AND r.ended_on IS NOT NULL) AS ended_relatives,
              (SELECT count(*)::int FROM person_identity_history h WHERE h.person_id = p.id AND h.identity_kind = 'UNIDENTIFIED') AS earlier
         FROM person p WHERE p.family_name = 'Utanpapper'`,
    );
    expect(stored).toEqual({
      identity_kind: 'PERSONNUMMER',
      legal_gender: 'FEMALE',
      birth_year: 1979,
      children_status: 'YES',
      children: [{ birthYear: 2014, livesWithPerson: false }],
      child_impact_note: 'Dottern bor hos sin pappa; umgänge varannan helg.',
      ended_relatives: 1,
      earlier: 1,
    });
  });

  it('a nurse without a relation searching by a full personnummer is told "known: ask for access", and the coordinator is told; a name search gives nothing', async () => {
    const [marianne] = await db.dataSource.query(
      `SELECT p.id, p.identity_number AS number, p.given_name AS "givenName", p.family_name AS "familyName", p.birth_year AS "birthYear", g.coordinator_staff_id AS coordinator
         FROM person p JOIN collaboration_group g ON g.person_id = p.id WHERE p.given_name = 'Marianne'`,
    );
    const [nurse] = await db.dataSource.query(`SELECT id FROM staff_member WHERE username = 'nurse'`);
    const page = await signIn('nurse');

    await searchBy(page, 'Namn och födelseår', {
      Förnamn: marianne.givenName,
      Efternamn: marianne.familyName,
      Födelseår: String(marianne.birthYear),
    });
    await expectVisible(page.getByText('Ingen person hittades bland dem du har tillgång till.'));
    expect(await page.getByRole('link', { name: new RegExp(marianne.familyName) }).count()).toBe(0);

    const formatted = `${marianne.number.slice(0, 8)}-${marianne.number.slice(8)}`;
    await searchBy(page, 'Identitetsnummer', { 'Person-, samordnings- eller reservnummer': formatted });
    await expectText(page.getByRole('alert').locator('strong'), 'Personen är känd: be om åtkomst');
    await expectVisible(page.getByText(/samordnare har fått en notis om att du frågat/));
    expect(await page.getByRole('link', { name: 'Registrera en ny person' }).count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toContain(marianne.familyName);
    await checkPage(page, 'find-person-known-ask-for-access');

    const logged = await db.dataSource.query(
      `SELECT entity FROM access_log WHERE person_id = $1 AND staff_id = $2 AND action = 'IDENTITY_MATCH'`,
      [marianne.id, nurse.id],
    );
    expect(logged).toEqual([{ entity: 'findPersons' }]);
    const told = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM notification WHERE person_id = $1 AND recipient_staff_id = $2 AND kind = 'REGISTER_MATCH'`,
      [marianne.id, marianne.coordinator],
    );
    expect(told).toEqual([{ n: 1 }]);

    // Where the person's consent withholds the family from the nurse's organisation, the details tab says so and offers no change.
    const [lena] = await db.dataSource.query(`SELECT p.id FROM person p WHERE p.given_name = 'Lena'`);
    const [{ organisation_id: psychiatry }] = await db.dataSource.query(
      `SELECT organisation_id FROM staff_member WHERE username = 'nurse'`,
    );
    const token = await api.login('socialworker', 'samverka-demo');
    const limited = await api.gql<any>(
      `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`,
      {
        i: {
          personId: lena.id,
          purpose: 'SHARING',
          scope: 'WHOLE_GROUP',
          givenHow: 'WRITTEN',
          limitations: [{ organisationId: psychiatry, category: 'FAMILY' }],
        },
      },
      token,
    );
    expect(limited.errors).toBeUndefined();
    await page.goto(`${base}/persons/${lena.id}/details`);
    await expectVisible(page.getByRole('heading', { level: 1, name: /^Uppgifter om Lena/ }));
    await expectText(page.locator('section[aria-labelledby="details-relatives"] .notice'), /undantar familjeuppgifter/);
    expect(await page.getByRole('button', { name: 'Lägg till en anhörig' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Besvara frågan om barn' }).count()).toBe(0);
    await expectVisible(page.getByRole('button', { name: 'Registrera en flytt' }));
    await checkPage(page, 'person-details-family-withheld');
  });
});
