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

const PASSWORD = 'samverka-demo';

/**
 * Issue 12 §1, administration in real headless Chromium against the real API (this file's own database with
 * the demo data): the administrator lands on the administration, not an empty caseload; creates a unit and a
 * staff member, authorises them for protected whereabouts, creates an ACT team, adds them to it and puts them
 * on call (the week's gaps shown); creates an integration client whose key is shown once and revokes it; and
 * reaches Bull Board. An organisation administrator sees only their own organisation and is refused another's;
 * a deactivated staff member's next request is refused. Every state is checked with axe-core.
 */
describe('administration in the browser', () => {
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
    expect(pageErrors.splice(0)).toEqual([]);
  });

  async function signIn(username: string, heading: string): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'sv-SE',
      timezoneId: 'Europe/Stockholm',
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(`${username}: ${error.message}`));
    // A refused request is an answer the page explains; the browser logs the HTTP status of some, nothing else.
    page.on(
      'console',
      (m) =>
        m.type() === 'error' &&
        !/Failed to load resource/.test(m.text()) &&
        pageErrors.push(`${username}: ${m.text()}`),
    );
    page.on('dialog', (dialog) => void dialog.accept());
    await page.goto(`${base}/`);
    await page.getByLabel('Användarnamn').fill(username);
    await page.getByLabel('Lösenord').fill(PASSWORD);
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: heading }));
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

  async function openAdminPage(page: Page, linkName: string, heading: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Administration' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Administration' }));
    await page.getByRole('main').getByRole('link', { name: linkName }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: heading }));
    await page.waitForFunction(() => document.querySelector('.status-loading') === null);
  }

  const dialog = (page: Page) => page.locator('dialog[open]');

  it('lands the administrator on the administration; they create a unit and a staff member, add them to an ACT team and put them on call', async () => {
    const page = await signIn('admin', 'Administration');
    // No caseload and no care pages in the menu: an administrator sees no person.
    const menu = page.getByRole('navigation', { name: 'Huvudmeny' });
    expect(await menu.getByRole('link', { name: 'Mina personer' }).isVisible()).toBe(false);
    expect(await menu.getByRole('link', { name: 'Sök person' }).isVisible()).toBe(false);
    await checkPage(page, 'admin-home');

    // A unit, then a staff member in it.
    await openAdminPage(page, 'Personal och enheter', 'Personal och enheter');
    expect(await page.getByLabel('Organisation').locator('option:checked').textContent()).toMatch(/^Område hemlöshet/);
    await page.getByRole('button', { name: 'Ny enhet' }).click();
    await dialog(page).getByLabel('Enhetens namn').fill('Uppsökarteam Norr');
    await checkPage(page, 'admin-new-unit');
    await dialog(page).getByRole('button', { name: 'Skapa' }).click();
    await expectVisible(page.getByRole('listitem').filter({ hasText: 'Uppsökarteam Norr' }));

    await page.getByRole('button', { name: 'Ny personal' }).click();
    // A required field left empty: the message is at the field, and focus goes there.
    await dialog(page).getByRole('button', { name: 'Skapa' }).click();
    await expectText(dialog(page).locator('.field-invalid .field-error').first(), 'Obligatoriskt fält');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('id'))).toBe(
      await dialog(page).getByLabel('Förnamn').getAttribute('id'),
    );
    await dialog(page).getByLabel('Förnamn').fill('Tove');
    await dialog(page).getByLabel('Efternamn').fill('Lindqvist');
    await dialog(page).getByLabel('Yrke').selectOption({ label: 'Sjuksköterska' });
    await dialog(page).getByLabel('Enhet').selectOption({ label: 'Uppsökarteam Norr' });
    await dialog(page).getByLabel('Inloggnings-id hos organisationen').fill('tove.lindqvist@example.org');
    await checkPage(page, 'admin-new-staff');
    await dialog(page).getByRole('button', { name: 'Skapa' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Tove Lindqvist' });
    await expectVisible(row);
    await expectText(row.getByRole('cell').nth(1), 'Uppsökarteam Norr');

    // Authorised for protected whereabouts.
    await row.getByRole('button', { name: 'Roller' }).click();
    await expectVisible(dialog(page).getByRole('heading', { name: 'Roller för Tove Lindqvist' }));
    await dialog(page).getByLabel('Behörig till skyddad vistelseort').check();
    await checkPage(page, 'admin-roles');
    await dialog(page).getByRole('button', { name: 'Spara' }).click();
    await expectVisible(row.locator('.tag', { hasText: 'Behörig till skyddad vistelseort' }));
    const [stored] = await db.dataSource.query(
      `SELECT whereabouts_authorised, unit_id IS NOT NULL AS in_unit, profession FROM staff_member WHERE given_name = 'Tove' AND family_name = 'Lindqvist'`,
    );
    expect(stored).toEqual({ whereabouts_authorised: true, in_unit: true, profession: 'NURSE' });
    await checkPage(page, 'admin-staff');

    // A new ACT team; Tove on its roster at half time, and on call tomorrow 08–16.
    await openAdminPage(page, 'ACT-team och jour', 'ACT-team och jour');
    await page.getByRole('button', { name: 'Nytt ACT-team' }).click();
    await dialog(page).getByLabel('Teamets namn').fill('ACT Norr');
    await dialog(page)
      .getByLabel('Organisation', { exact: true })
      .selectOption({ label: 'Område hemlöshet, Stockholms stad' });
    await dialog(page).getByRole('button', { name: 'Skapa' }).click();
    const team = page.locator('section', { has: page.getByRole('heading', { level: 2, name: /ACT Norr/ }) });
    await expectVisible(team.getByText('Teamet har inga medlemmar ännu.'));
    await team.getByRole('button', { name: 'Lägg till medlem' }).click();
    await dialog(page)
      .getByLabel('Medlem')
      .selectOption({ label: 'Tove Lindqvist (Sjuksköterska, Område hemlöshet, Stockholms stad)' });
    await dialog(page).getByLabel('Roll').fill('sjuksköterska');
    await dialog(page).getByLabel('Tjänstgöringsgrad i teamet (procent)').fill('50');
    await checkPage(page, 'admin-add-member');
    await dialog(page).getByRole('button', { name: 'Lägg till' }).click();
    const member = team.getByRole('row').filter({ hasText: 'Tove Lindqvist' });
    await expectText(member.getByRole('cell').nth(2), '50 %');

    // No shift yet: every day of the week is a gap.
    const week = team.locator('table.on-call tbody tr');
    await expectText(week.nth(1).locator('td').first(), 'Ingen jour');
    await team.getByRole('button', { name: 'Lägg till jourpass' }).click();
    const tomorrow = new Date(Date.now() + 24 * 3600_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
    await dialog(page).getByLabel('Medlem').selectOption({ label: 'Tove Lindqvist' });
    await dialog(page).getByLabel('Börjar').fill(`${tomorrow}T08:00`);
    await dialog(page).getByLabel('Slutar').fill(`${tomorrow}T16:00`);
    await checkPage(page, 'admin-add-shift');
    await dialog(page).getByRole('button', { name: 'Lägg till' }).click();
    await expectText(week.nth(1).locator('td').first(), '08:00–16:00 Tove Lindqvist');
    // The rest of the day is still a gap: midnight to eight and four to midnight.
    await expectText(week.nth(1).locator('td').nth(1), /00:00–08:00\s*16:00–00:00/);
    const [shift] = await db.dataSource.query(
      `SELECT to_char(s.starts_at AT TIME ZONE 'Europe/Stockholm', 'HH24:MI') AS starts, to_char(s.ends_at AT TIME ZONE 'Europe/Stockholm', 'HH24:MI') AS ends FROM act_on_call_shift s JOIN staff_member m ON m.id = s.staff_id WHERE m.given_name = 'Tove'`,
    );
    expect(shift).toEqual({ starts: '08:00', ends: '16:00' });
    await checkPage(page, 'admin-act-teams');
  });

  it('shows an integration client its key once, rotates and revokes it, sends a failed delivery again and opens Bull Board', async () => {
    const page = await signIn('admin', 'Administration');
    await openAdminPage(page, 'Integrationer', 'Integrationer');
    await page.getByRole('button', { name: 'Ny integrationsklient' }).click();
    await dialog(page).getByLabel('Klientens namn').fill('Personalsystemet');
    await dialog(page)
      .getByLabel('Organisation', { exact: true })
      .selectOption({ label: 'Område hemlöshet, Stockholms stad' });
    await dialog(page).getByLabel('Ändra personal och enheter i sin egen organisation').check();
    await checkPage(page, 'admin-new-client');
    await dialog(page).getByRole('button', { name: 'Skapa' }).click();
    const key = ((await page.locator('.secret').textContent()) ?? '').trim();
    expect(key).toMatch(/^svk_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    await checkPage(page, 'admin-client-key');
    const asClient = () =>
      api.gql<{ organisations: { edges: unknown[] } }>(
        `{ organisations(first: 1) { edges { node { id } } } }`,
        {},
        key,
      );
    expect((await asClient()).data?.organisations.edges).toHaveLength(1);
    // Shown once: after a reload the key is gone from the page.
    await page.reload();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Integrationer' }));
    await page.waitForFunction(() => document.querySelector('.status-loading') === null);
    expect(await page.content()).not.toContain(key);
    const client = page.getByRole('row').filter({ hasText: 'Personalsystemet' });
    // A new key: shown once, the old one refused from then on.
    await client.getByRole('button', { name: 'Ny nyckel för Personalsystemet' }).click();
    await expectVisible(page.locator('.secret'));
    const rotated = ((await page.locator('.secret').textContent()) ?? '').trim();
    expect(rotated).toMatch(/^svk_/);
    expect(rotated).not.toBe(key);
    expect((await asClient()).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const asRotated = () =>
      api.gql<{ organisations: { edges: unknown[] } }>(
        `{ organisations(first: 1) { edges { node { id } } } }`,
        {},
        rotated,
      );
    expect((await asRotated()).data?.organisations.edges).toHaveLength(1);
    await page.getByRole('button', { name: 'Jag har sparat nyckeln' }).click();
    expect(await page.locator('.secret').count()).toBe(0);

    // OAuth: a client secret with an expiry, shown once, that gets an access token; a public key for private_key_jwt.
    const clientId = ((await client.locator('code').textContent()) ?? '').trim();
    expect(clientId).toMatch(/^cl_[0-9a-f]{32}$/);
    await page.getByRole('button', { name: 'Ny klienthemlighet för Personalsystemet' }).click();
    await dialog(page)
      .getByLabel('Gäller till och med')
      .fill(new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10));
    await dialog(page).getByRole('button', { name: 'Skapa hemlighet' }).click();
    await expectVisible(page.locator('.secret'));
    const secret = ((await page.locator('.secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^svs_[A-Za-z0-9_-]{43}$/);
    const granted = await fetch(api.url.replace(/\/graphql$/, '/oauth/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: secret,
      }).toString(),
    });
    expect([granted.status, ((await granted.json()) as { scope?: string }).scope]).toEqual([
      200,
      'directory.read directory.write',
    ]);
    await page.getByRole('button', { name: 'Jag har sparat nyckeln' }).click();
    const credentials = page.getByRole('region', { name: 'OAuth för Personalsystemet' });
    await expectVisible(credentials.getByText(`${secret.slice(0, 8)}…`));
    await credentials.getByRole('button', { name: 'Registrera publik nyckel för Personalsystemet' }).click();
    await dialog(page)
      .getByLabel('Publik nyckel (JWK)')
      .fill(
        JSON.stringify({
          kty: 'EC',
          crv: 'P-256',
          x: '47xoA1eJVCdrjEHu8Pk38QOd97jOYdAWXjlc2Ei0Lcg',
          y: 'GF4n2HYBx_c-lgOJ-RgtaBHLpwDUHGCAtiMU4t_0Wzk',
          kid: 'personalsystemet-2026',
        }),
      );
    await checkPage(page, 'admin-client-public-key');
    await dialog(page).getByRole('button', { name: 'Registrera nyckel' }).click();
    await expectVisible(credentials.getByText('personalsystemet-2026'));
    await checkPage(page, 'admin-client-oauth');

    // A webhook subscription for the client, made here: its signing secret shown once, then a new one.
    await openAdminPage(page, 'Webhooks', 'Webhooks');
    await page.getByRole('button', { name: 'Ny prenumeration' }).click();
    await dialog(page).getByRole('button', { name: 'Skapa' }).click();
    // Refused with nothing filled in: focus on the first field in error.
    expect(
      await dialog(page)
        .getByLabel('Klient')
        .evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await dialog(page)
      .getByLabel('Klient')
      .selectOption({ label: 'Personalsystemet (Område hemlöshet, Stockholms stad)' });
    await dialog(page).getByLabel('Adress').fill('https://personalsystemet.example/samverka');
    await dialog(page).getByLabel('Aktualitet avslutad').check();
    await checkPage(page, 'admin-new-webhook');
    await dialog(page).getByRole('button', { name: 'Skapa' }).click();
    await expectVisible(page.locator('.secret'));
    const signing = ((await page.locator('.secret').textContent()) ?? '').trim();
    expect(signing).toMatch(/^whsec_/);
    const subscription = page.getByRole('row').filter({ hasText: 'https://personalsystemet.example/samverka' });
    await expectVisible(subscription.getByText('Aktiv'));
    await page.getByRole('button', { name: 'Jag har sparat hemligheten' }).click();
    await subscription
      .getByRole('button', {
        name: 'Ny signeringshemlighet för webhooken till https://personalsystemet.example/samverka',
      })
      .click();
    await expectVisible(page.locator('.secret'));
    const newSigning = ((await page.locator('.secret').textContent()) ?? '').trim();
    expect(newSigning).toMatch(/^whsec_/);
    expect(newSigning).not.toBe(signing);
    await checkPage(page, 'admin-webhook-secret');
    await page.getByRole('button', { name: 'Jag har sparat hemligheten' }).click();
    await openAdminPage(page, 'Integrationer', 'Integrationer');

    await client.getByRole('button', { name: 'Återkalla Personalsystemet' }).click();
    await expectVisible(client.getByText('Återkallad'));
    expect((await asRotated()).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');

    await openAdminPage(page, 'Misslyckade utskick', 'Misslyckade utskick');
    await expectVisible(page.getByText('Inga misslyckade utskick.'));
    // An e-mail that failed after its last attempt (the mail server refused it), sent again once the cause is fixed.
    const [person] = await db.dataSource.query(`SELECT id FROM person LIMIT 1`);
    const [recipient] = await db.dataSource.query(`SELECT id FROM staff_member WHERE username = 'nurse'`);
    await db.dataSource.query(
      `INSERT INTO reminder (key, rule, person_id, subject_id, due_at, status, fired_at) VALUES ('web-admin-failed', 'CONSENT_EXPIRED', $1, $1, now(), 'FIRED', now())`,
      [person.id],
    );
    const [failed] = await db.dataSource.query(
      `INSERT INTO delivery (reminder_key, recipient_staff_id, channel, idempotency_key, status, attempts, last_error, failed_at) VALUES ('web-admin-failed', $1, 'EMAIL', 'web-admin-failed', 'FAILED', 5, 'Error550', now()) RETURNING id`,
      [recipient.id],
    );
    await page.reload();
    const delivery = page.getByRole('row').filter({ hasText: 'Error550' });
    await expectText(delivery.getByRole('cell').nth(0), 'E-post');
    await expectText(delivery.getByRole('cell').nth(1), 'Samtycket har upphört');
    await checkPage(page, 'admin-deliveries');
    await delivery.getByRole('button', { name: 'Skicka igen' }).click();
    await expectVisible(page.getByText('Inga misslyckade utskick.'));
    expect(await db.dataSource.query(`SELECT status FROM delivery WHERE retry_of = $1`, [failed.id])).toEqual([
      { status: 'PENDING' },
    ]);

    // Bull Board is the API's page, not the client's, and the session cookie lets the administrator in.
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Administration' }).click();
    await page.getByRole('link', { name: 'Jobbköerna (Bull Board)' }).click();
    await page.waitForURL(`${base}/admin/queues`);
    await page.waitForFunction(() => document.getElementById('__UI_CONFIG__') !== null);
    expect(await page.title()).not.toContain('Samverka');
  });

  it('lets an organisation administrator manage only their own organisation, and refuses them another', async () => {
    // The administrator makes the social worker her organisation's administrator, in the browser.
    const admin = await signIn('admin', 'Administration');
    await openAdminPage(admin, 'Personal och enheter', 'Personal och enheter');
    await admin.getByLabel('Organisation').selectOption({ label: 'Farsta stadsdelsförvaltning' });
    const [who] = await db.dataSource.query(
      `SELECT given_name || ' ' || family_name AS name FROM staff_member WHERE username = 'socialworker'`,
    );
    const row = admin.getByRole('row').filter({ hasText: who.name as string });
    await row.getByRole('button', { name: 'Roller' }).click();
    await dialog(admin).getByLabel('Organisationsadministratör').check();
    await dialog(admin).getByRole('button', { name: 'Spara' }).click();
    await expectVisible(row.locator('.tag', { hasText: 'Organisationsadministratör' }));

    // She still has her caseload, and now the administration of Farsta: no other organisation is offered.
    const page = await signIn('socialworker', 'Mina personer');
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Administration' }).click();
    await expectText(
      page.getByRole('main').locator('p').first(),
      'Här hanterar du personal och enheter i Farsta stadsdelsförvaltning.',
    );
    expect(await page.getByRole('link', { name: 'ACT-team och jour' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Integrationer' }).count()).toBe(0);
    await checkPage(page, 'admin-home-organisation-administrator');
    await openAdminPage(page, 'Personal och enheter', 'Personal och enheter');
    await expectVisible(page.getByRole('heading', { level: 2, name: 'Personal i Farsta stadsdelsförvaltning' }));
    expect(await page.getByLabel('Organisation').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Ny organisation' }).count()).toBe(0);
    await checkPage(page, 'admin-organisation-administrator');
    // Her unit is created; the same request for another organisation is refused by the API.
    await page.getByRole('button', { name: 'Ny enhet' }).click();
    await dialog(page).getByLabel('Enhetens namn').fill('Mottagning Farsta');
    await dialog(page).getByRole('button', { name: 'Skapa' }).click();
    await expectVisible(page.getByRole('listitem').filter({ hasText: 'Mottagning Farsta' }));
    const [other] = await db.dataSource.query(`SELECT id FROM organisation WHERE name = 'Psykiatri Södra Stockholm'`);
    const refusal = await page.evaluate(async (organisationId) => {
      const csrf = /(?:^|;\s*)(?:__Host-)?samverka_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({
          query: `mutation($i: CreateUnitInput!) { createUnit(input: $i) { id } }`,
          variables: { i: { organisationId, name: 'Inte min enhet' } },
        }),
      });
      return (await response.json()) as { data: unknown; errors?: Array<{ extensions?: { code?: string } }> };
    }, other.id as string);
    expect([refusal.data, refusal.errors?.[0].extensions?.code]).toEqual([null, 'FORBIDDEN']);
    expect(await db.dataSource.query(`SELECT 1 FROM unit WHERE name = 'Inte min enhet'`)).toEqual([]);
    // A care page of the administration she has no part in says so.
    await page.goto(`${base}/admin/act-teams`);
    await expectVisible(page.getByText('Den här sidan är till för administratörer.'));
  });

  it("refuses a deactivated staff member's next request, and a care worker sees no administration", async () => {
    const nurse = await signIn('nurse', 'Mina personer');
    expect(
      await nurse.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Administration' }).count(),
    ).toBe(0);

    const admin = await signIn('admin', 'Administration');
    await openAdminPage(admin, 'Personal och enheter', 'Personal och enheter');
    await admin.getByLabel('Organisation').selectOption({ label: 'Psykiatri Södra Stockholm' });
    const [who] = await db.dataSource.query(
      `SELECT given_name || ' ' || family_name AS name FROM staff_member WHERE username = 'nurse'`,
    );
    const row = admin.getByRole('row').filter({ hasText: who.name as string });
    await row.getByRole('button', { name: `Inaktivera ${who.name}` }).click();
    await expectVisible(row.getByText('Inaktiverat'));

    // Her very next request (the page reloaded, her session cookie still there) is refused: back to the login page.
    await nurse.reload();
    await expectVisible(nurse.getByRole('heading', { level: 2, name: 'Logga in' }));
    await expectVisible(nurse.getByText(/Din session har upphört/));
    // And she cannot sign in again.
    await nurse.getByLabel('Användarnamn').fill('nurse');
    await nurse.getByLabel('Lösenord').fill(PASSWORD);
    await nurse.getByRole('button', { name: 'Logga in' }).click();
    await expectVisible(nurse.getByText(/Fel användarnamn eller lösenord/));

    // Activated again, she signs in.
    await row.getByRole('button', { name: `Aktivera ${who.name}` }).click();
    await expectVisible(row.getByText('Aktivt'));
    await nurse.getByRole('button', { name: 'Logga in' }).click();
    await expectVisible(nurse.getByRole('heading', { level: 1, name: 'Mina personer' }));
  });
});
