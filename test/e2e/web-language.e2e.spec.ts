import fs from 'node:fs';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '../../libs/auth/src';
import { DemoLogin, seedDemoData } from '../../libs/domain/src/demo/demo-data';
import {
  buildWebClient,
  expectVisible,
  launchBrowser,
  screenshot,
  seriousAccessibilityViolations,
} from '../support/browser';
import { startTestApi, TestApi } from '../support/test-api';
import { fillRoute, webClientRoutes } from '../support/web-routes';
import { createTestDatabase, TestDatabase } from '../support/test-database';

// Every route and dialog for each of the 13 demo logins: on the shared 2-core machine under load this took over 15 minutes.
jest.setTimeout(1_800_000);

/**
 * English words that must not appear on a Swedish screen (whole words, case-insensitive). Words that are
 * also Swedish are left out: person, plan, team, status, start, data, in, is, not, by, all, back, total.
 */
const ENGLISH_WORDS = [
  'the',
  'and',
  'of',
  'to',
  'with',
  'for',
  'from',
  'you',
  'your',
  'are',
  'was',
  'has',
  'have',
  'been',
  'will',
  'this',
  'that',
  'which',
  'when',
  'there',
  'on',
  'at',
  'or',
  'must',
  'should',
  'cannot',
  'please',
  'required',
  'invalid',
  'save',
  'cancel',
  'loading',
  'error',
  'failed',
  'delete',
  'edit',
  'close',
  'submit',
  'search',
  'next',
  'previous',
  'yes',
  'unknown',
  'none',
  'settings',
  'notifications',
  'notification',
  'reports',
  'decision',
  'decisions',
  'overview',
  'meeting',
  'meetings',
  'consent',
  'housing',
  'contact',
  'contacts',
  'reminder',
  'reminders',
  'vote',
  'votes',
  'agree',
  'disagree',
  'proposal',
  'discharge',
  'episode',
  'member',
  'members',
  'date',
  'time',
  'name',
  'phone',
  'address',
  'children',
  'relatives',
  'group',
  'intervention',
  'interventions',
  'need',
  'needs',
  'goal',
  'goals',
  'follow-up',
  'overdue',
  'open',
  'closed',
  'active',
  'draft',
  'week',
  'day',
  'days',
  'month',
  'today',
  'yesterday',
  'tomorrow',
  'sign',
  'username',
  'password',
  'retry',
  'show',
  'hide',
  'add',
  'new',
  'remove',
  'update',
  'summary',
  'comment',
  'reason',
  'unread',
  'mark',
  'read',
  'more',
  'email',
  'e-mail',
  'language',
  'caseload',
  'coordinator',
  'nurse',
  'psychiatrist',
  'social',
  'worker',
  'manager',
  'held',
  'cancelled',
  'planned',
  'participants',
  'minutes',
];
const ENGLISH = new RegExp(`(?<![\\p{L}\\p{N}_-])(${ENGLISH_WORDS.join('|')})(?![\\p{L}\\p{N}_-])`, 'iu');
/** An enum value shown as it is (SOCIAL_WORKER, HOUSING_FIRST). */
const ENUM_CODE = /\b[A-Z]{2,}(?:_[A-Z]+)+\b/;

/** English terms Swedish staff use as they are: an ACT team's "case manager". */
const SWEDISH_LOANS = /\bcase managers?\b/gi;

interface Finding {
  where: string;
  text: string;
}

/** Every text on the page a user can see or hear: text nodes shown, and labels, titles, placeholders and alt texts. */
async function textsOnPage(page: Page): Promise<Finding[]> {
  return page.evaluate(() => {
    const found: { where: string; text: string }[] = [];
    const describe = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ').join('.')}` : ''}`;
    // English on purpose: the language switch's own "English", marked lang="en".
    const english = (el: Element | null) =>
      !!el?.closest('[lang]:not(html)') && el.closest('[lang]:not(html)')!.getAttribute('lang') === 'en';
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim();
      if (!parent || !text || english(parent) || parent.closest('script, style, noscript')) continue;
      // Rendered only: a text in a closed <details>, a hidden element or display:none is not read.
      if (!parent.checkVisibility?.({ visibilityProperty: true }) && parent.tagName !== 'OPTION') continue;
      found.push({ where: describe(parent), text });
    }
    for (const el of document.querySelectorAll(
      '[aria-label], [title], [placeholder], [alt], [aria-description], [aria-roledescription], input[type=button], input[type=submit]',
    )) {
      if (english(el)) continue;
      for (const attribute of [
        'aria-label',
        'title',
        'placeholder',
        'alt',
        'aria-description',
        'aria-roledescription',
        'value',
      ]) {
        if (attribute === 'value' && !(el instanceof HTMLInputElement && ['button', 'submit'].includes(el.type)))
          continue;
        const value = el.getAttribute(attribute)?.trim();
        if (value) found.push({ where: `${describe(el)}[${attribute}]`, text: value });
      }
    }
    found.push({ where: 'document.title', text: document.title });
    return found;
  });
}

/** axe-core runs for these (the fullest caseloads, both principals and the ACT team); it costs seconds a page. */
const AXE_LOGINS = ['socialworker', 'nurse', 'psychiatrist', 'casemanager'];
/**
 * Pages walked with axe-core by someone else than AXE_LOGINS: the administration by the administrator and the
 * audit pages by the auditor, whose pages they are ('/' for the auditor is the audit home, where they land).
 */
const AXE_ROUTES: Array<{ prefix: string; username: string }> = [
  { prefix: '/admin', username: 'admin' },
  { prefix: '/audit', username: 'auditor' },
  { prefix: '/', username: 'auditor' },
];
const axeFor = (username: string, route: string) =>
  AXE_LOGINS.includes(username) ||
  AXE_ROUTES.some((r) => r.username === username && (route === r.prefix || route.startsWith(`${r.prefix}/`)));

/**
 * The web client in Swedish, walked page by page as every demo login: no English word on any page or in any
 * form or dialog that a button on it opens, and nothing serious for axe-core anywhere on the walk.
 */
describe('web client in Swedish: every page, every role', () => {
  let db: TestDatabase;
  let api: TestApi;
  let browser: Browser;
  let webDir: string;
  let base: string;
  let logins: DemoLogin[];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    webDir = buildWebClient();
    db = await createTestDatabase();
    logins = (await seedDemoData(db.dataSource, { hashPassword: (p) => hashPassword(p) }))!;
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

  function englishIn(findings: Finding[]): Finding[] {
    return (
      findings
        // The demo data counts too: it is written in Swedish, as staff write it.
        .map((f) => ({ ...f, rest: f.text.replace(SWEDISH_LOANS, ' ') }))
        .filter((f) => ENGLISH.test(f.rest) || ENUM_CODE.test(f.rest))
        .map((f) => ({ where: f.where, text: f.text.slice(0, 160) }))
    );
  }

  async function settled(page: Page): Promise<void> {
    await page.waitForFunction(
      () => document.querySelector('main h1') !== null && document.querySelector('.status-loading') === null,
    );
  }

  it('reads the routes from the route table, and tells English from Swedish', () => {
    const routes = webClientRoutes();
    expect(routes).toEqual(
      expect.arrayContaining([
        '/',
        '/notifications',
        '/settings',
        '/team',
        '/reports',
        '/persons/:id',
        '/persons/:id/plan',
        '/persons/:id/decisions',
        '/admin',
        '/admin/staff',
        '/audit',
        '/audit/person',
        '/audit/sample',
      ]),
    );
    expect(
      englishIn([
        { where: 'probe', text: 'Spara ändringarna' },
        { where: 'probe', text: 'Save changes' },
        { where: 'probe', text: 'Status: SOCIAL_WORKER' },
        { where: 'probe', text: 'Case manager' },
        { where: 'probe', text: '· Where the person lives' },
      ]),
    ).toEqual([
      { where: 'probe', text: 'Save changes' },
      { where: 'probe', text: 'Status: SOCIAL_WORKER' },
      { where: 'probe', text: '· Where the person lives' },
    ]);
  });

  it('shows no English on any page, form or dialog, for every demo login, and axe-core finds nothing serious', async () => {
    const routes = webClientRoutes();
    const problems: Array<{ username: string; page: string; english?: Finding[]; axe?: unknown[] }> = [];
    const walked: string[] = [];
    let dialogsOpened = 0;
    for (const login of logins) {
      const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        locale: 'sv-SE',
        timezoneId: 'Europe/Stockholm',
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      // "Leave with unsaved edits?" and the like: answered yes, the walk moves on.
      page.on('dialog', (dialog) => void dialog.accept());

      await page.goto(`${base}/`);
      const loginEnglish = englishIn(await textsOnPage(page));
      if (loginEnglish.length > 0) problems.push({ username: '(signed out)', page: '/', english: loginEnglish });
      await page.getByLabel('Användarnamn').fill(login.username);
      await page.getByLabel('Lösenord').fill('samverka-demo');
      await page.getByRole('button', { name: 'Logga in' }).click();
      await expectVisible(page.locator('main h1'));
      await settled(page);
      const personHref = await page
        .locator('table.caseload tbody tr a[href^="/persons/"]')
        .first()
        .getAttribute('href', { timeout: 1_000 })
        .catch(() => null);
      const personId = personHref?.split('/')[2];

      for (const route of routes) {
        const url = fillRoute(route, { personId });
        if (!url) continue; // nobody on this login's caseload
        await page.goto(`${base}${url}`);
        await settled(page);
        const name = `sv-${login.username}-${route.replace(/[/:]+/g, '-').replace(/^-|-$/g, '') || 'caseload'}`;
        walked.push(`${login.username} ${url}`);
        const check = async (state: string) => {
          const english = englishIn(await textsOnPage(page));
          const axe = axeFor(login.username, route) ? await seriousAccessibilityViolations(page) : [];
          if (english.length > 0 || axe.length > 0)
            problems.push({
              username: login.username,
              page: `${route}${state}`,
              ...(english.length ? { english } : {}),
              ...(axe.length ? { axe } : {}),
            });
        };
        await check('');
        if (login === logins[0]) await screenshot(page, name);

        // Each form or dialog a button on the page opens: a disclosure button (aria-expanded), a dialog opener
        // (aria-haspopup, or the button right before its <dialog>, as components/dialog.tsx renders DialogButton).
        // Numbered first, as the set of closed disclosures changes while one is open.
        const count = await page.evaluate(() => {
          const found = document.querySelectorAll(
            'main button[aria-expanded="false"], main button[aria-haspopup="dialog"], main button[aria-haspopup="true"], main button:has(+ dialog)',
          );
          found.forEach((button, i) => button.setAttribute('data-walk-opener', String(i)));
          return found.length;
        });
        for (let i = 0; i < count; i++) {
          const opener = page.locator(`[data-walk-opener="${i}"]`);
          if ((await opener.count()) === 0) continue;
          if (!(await opener.isVisible()) || !(await opener.isEnabled())) continue;
          const label = ((await opener.textContent()) ?? '').trim();
          await opener.click();
          if ((await page.locator('dialog[open]').count()) > 0) dialogsOpened++;
          await settled(page);
          await check(` [${label}]`);
          // Close it again: Escape for a dialog, the same button for a disclosure.
          if ((await page.locator('dialog[open], [role="dialog"], [role="alertdialog"]').count()) > 0)
            await page.keyboard.press('Escape');
          if ((await opener.getAttribute('aria-expanded').catch(() => null)) === 'true') await opener.click();
        }
      }
    }
    expect(walked.length).toBeGreaterThan(routes.length);
    // The administration is walked by the administrator, who has it (care staff get a notice there).
    expect(walked).toEqual(
      expect.arrayContaining([
        'admin /admin',
        'admin /admin/staff',
        'admin /admin/act-teams',
        'admin /admin/integrations',
        'admin /admin/deliveries',
      ]),
    );
    // The audit pages are walked by the auditor, who has them.
    expect(walked).toEqual(
      expect.arrayContaining([
        'auditor /',
        'auditor /audit',
        'auditor /audit/person',
        'auditor /audit/staff',
        'auditor /audit/sample',
        'auditor /audit/emergency',
        'auditor /audit/protection',
        'auditor /audit/endings',
      ]),
    );
    expect(dialogsOpened).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});
