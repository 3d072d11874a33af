import { Page } from 'playwright-core';
import { expectVisible, operationsOf } from '../support/browser';
import { useWebScene } from '../support/web-scene';

jest.setTimeout(300_000);

/**
 * Runs in the page before its scripts: keeps the first element matching each selector as the parser made it
 * (from the API's markup), so the test can tell whether React hydrated that element or threw the markup away
 * and drew the page again (which it does after a hydration mismatch).
 */
function keepServerElements(selectors: string[]): void {
  const kept: Record<string, Element | null> = {};
  (window as unknown as { __serverElements: typeof kept }).__serverElements = kept;
  document.addEventListener('DOMContentLoaded', () => {
    for (const selector of selectors) kept[selector] = document.querySelector(selector);
  });
}

/**
 * A signed-in browser opening the caseload or a person's overview gets the first screen in the HTML itself
 * (rendered by the API, apps/api/src/web-render.ts) and the client hydrates it: the same elements, no hydration
 * error on the console, no request for what the page already holds, and the page works at once.
 */
describe('web client first screen', () => {
  // After each test, no error on any page: hydration errors and warnings are logged as console errors.
  const scene = useWebScene();

  /** Opens `path` in a fresh tab of a signed-in context; the HTML as sent and the GraphQL operations the page asked for. */
  async function open(signedIn: Page, path: string, selectors: string[]) {
    const page = await signedIn.context().newPage();
    const messages: string[] = [];
    page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && messages.push(m.text()));
    page.on('pageerror', (e) => messages.push(e.message));
    const asked: string[] = [];
    page.on('request', (r) => asked.push(...operationsOf(r)));
    await page.addInitScript(keepServerElements, selectors);
    const response = await page.goto(`${scene.base}${path}`);
    const html = (await response!.text()) ?? '';
    return { page, html, asked, messages, headers: response!.headers() };
  }

  /** Whether each kept element is still the one on screen (hydrated, not redrawn). */
  const stillServerElements = (page: Page, selectors: string[]) =>
    page.evaluate(
      (list) =>
        list.map((s) => {
          const kept = (window as unknown as { __serverElements: Record<string, Element | null> }).__serverElements[s];
          return kept !== null && kept !== undefined && kept.isConnected && document.querySelector(s) === kept;
        }),
      selectors,
    );

  it('sends the caseload rendered, hydrates it without a mismatch or a request, and its links work', async () => {
    const signedIn = await scene.signIn('socialworker');
    const { caseload } = await scene.call('socialworker', `{ caseload(first: 200) { edges { node { personId } } } }`);
    expect(caseload.edges.length).toBeGreaterThan(0);
    const selectors = ['table.caseload tbody tr', 'h1'];
    const { page, html, asked, messages, headers } = await open(signedIn, '/', selectors);

    // The first row is in the HTML itself, with the state the client starts from.
    expect(html).toMatch(/<div id="root">[\s\S]*<table class="caseload">[\s\S]*<tbody>\s*<tr/);
    expect(html).toContain('<script type="application/json" id="samverka-first-screen">');
    expect(html).toContain('Mina personer');
    expect(headers['cache-control']).toBe('no-store');

    await expectVisible(page.locator('table.caseload tbody tr').first());
    // Hydrated: React has attached its handlers (a link navigates in the client), and the elements are the server's.
    await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
    const first = page.locator('table.caseload tbody tr a').first();
    const href = await first.getAttribute('href');
    expect(await stillServerElements(page, selectors)).toEqual([true, true]);
    await first.click();
    await expectVisible(page.getByRole('heading', { level: 2, name: 'Läget just nu' }));
    expect(new URL(page.url()).pathname).toBe(href);
    expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
    // Nothing of the first screen was asked for again (the overview opened afterwards asks for its own).
    expect(asked.filter((o) => o === 'Me' || o === 'Caseload')).toEqual([]);
    expect(messages).toEqual([]);
    await page.close();
  });

  it('sends a person’s overview rendered with its cards, hydrates it, and its tabs and buttons work', async () => {
    const signedIn = await scene.signIn('socialworker');
    const { caseload } = await scene.call('socialworker', `{ caseload(first: 200) { edges { node { personId } } } }`);
    const personId: string = caseload.edges[0].node.personId;
    const selectors = ['main section.card', 'nav.tabs'];
    const { page, html, asked, messages } = await open(signedIn, `/persons/${personId}`, selectors);

    expect(html).toMatch(/<div id="root">[\s\S]*Läget just nu/);
    expect(html).toMatch(/<main[\s\S]*<section class="card/);
    expect(html).not.toContain('status-loading');
    expect(html).toContain('<script type="application/json" id="samverka-first-screen">');

    await expectVisible(page.getByRole('heading', { level: 2, name: 'Läget just nu' }));
    await page.waitForFunction(() => document.querySelector('.status-loading') === null);
    expect(await stillServerElements(page, selectors)).toEqual([true, true]);
    expect(asked.filter((o) => ['Me', 'PersonOverview', 'PersonConsents', 'PersonReminders'].includes(o))).toEqual([]);
    // Interactive: a tab navigates in the client.
    await page.evaluate(() => ((window as unknown as { __samePage: boolean }).__samePage = true));
    await page.locator('nav.tabs').getByRole('link', { name: 'Uppgifter' }).click();
    await page.waitForURL(`**/persons/${personId}/details`);
    expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
    expect(messages).toEqual([]);
    await page.close();
  });
});
