import fs from 'node:fs';
import { Browser, Page } from 'playwright-core';
import { hashPassword } from '../../libs/auth/src';
import { seedDemoData } from '../../libs/domain/src/demo/demo-data';
import { buildWebClient, expectVisible, launchBrowser } from '../support/browser';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { FocusRing, focusRing } from '../support/focus-ring';
import { fillRoute, webClientRoutes } from '../support/web-routes';

jest.setTimeout(300_000);

/**
 * Keyboard users see where they are: tabbing through each page of the web client (signed out and signed
 * in), every element that takes focus shows a focus ring with at least 3:1 contrast against the background
 * beside it (WCAG 2.2, 1.4.11 and 2.4.13).
 */
describe('web client focus ring', () => {
  let db: TestDatabase;
  let api: TestApi;
  let browser: Browser;
  let webDir: string;
  let base: string;

  beforeAll(async () => {
    webDir = buildWebClient();
    db = await createTestDatabase();
    await seedDemoData(db.dataSource, { hashPassword: (p) => hashPassword(p) });
    api = await startTestApi(db, { webClientDir: webDir });
    base = api.url.replace(/\/graphql$/, '');
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await db?.drop();
    if (webDir) fs.rmSync(webDir, { recursive: true, force: true });
  });

  /** Tabs from the top of the page until focus comes round again (at most `limit` stops); the ring at each stop. */
  async function tabThrough(page: Page, limit = 80): Promise<FocusRing[]> {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const seen: FocusRing[] = [];
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press('Tab');
      const ring = await focusRing(page);
      if (!ring) continue;
      if (seen.length > 0 && ring.element === seen[0].element) break;
      seen.push(ring);
    }
    return seen;
  }

  it('finds a ring with too little contrast, or none', async () => {
    const page = await browser.newPage();
    await page.setContent(
      '<style>a:focus-visible{outline:3px solid #f2b705} button:focus-visible{outline:none} input:focus-visible{outline:none;box-shadow:0 0 0 3px #1d5c63}</style>' +
        '<a href="#x">faint</a><button>none</button><input aria-label="shadow">',
    );
    const rings = await tabThrough(page, 3);
    await page.close();
    expect(rings.map((r) => [r.kind, r.contrast >= 3])).toEqual([
      ['outline', false],
      [null, false],
      ['box-shadow', true],
    ]);
  });

  it('shows a focus ring of at least 3:1 on every element that takes focus, on every page', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'sv-SE',
      timezoneId: 'Europe/Stockholm',
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const faint: Array<{ page: string } & FocusRing> = [];
    let stops = 0;

    await page.goto(`${base}/`);
    await expectVisible(page.getByLabel('Användarnamn'));
    for (const ring of await tabThrough(page)) {
      stops++;
      if (ring.contrast < 3) faint.push({ page: 'login', ...ring });
    }

    await page.getByLabel('Användarnamn').fill('socialworker');
    await page.getByLabel('Lösenord').fill('samverka-demo');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expectVisible(page.locator('table.caseload tbody tr').first());
    const personId = (await page
      .locator('table.caseload tbody tr a[href^="/persons/"]')
      .first()
      .getAttribute('href'))!.split('/')[2];
    for (const route of webClientRoutes()) {
      const url = fillRoute(route, { personId })!;
      await page.goto(`${base}${url}`);
      await page.waitForFunction(
        () => document.querySelector('main h1') !== null && document.querySelector('.status-loading') === null,
      );
      for (const ring of await tabThrough(page)) {
        stops++;
        if (ring.contrast < 3) faint.push({ page: route, ...ring });
      }
    }
    await context.close();
    expect(stops).toBeGreaterThan(50);
    expect(faint).toEqual([]);
  });
});
