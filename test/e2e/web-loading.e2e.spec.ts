import { BrowserContext, Page } from 'playwright-core';
import { expectVisible, operationsOf, seriousAccessibilityViolations, screenshot } from '../support/browser';
import { useWebScene } from '../support/web-scene';

jest.setTimeout(300_000);

/**
 * How the client loads by itself (apps/web/src/boot.ts, route-data.ts, components/lazy-page.tsx), without the
 * first screen rendered by the API (web-first-screen.e2e.spec.ts), as on every page the API does not render
 * and whenever it cannot: a signed-in load
 * asks who the session belongs to and for the page's data at once; pages most visits never open are
 * fetched when first opened, and one that cannot be fetched (offline) says so and loads on retry; English
 * is fetched when chosen.
 */
describe('web client loading', () => {
  // The browser's own note that it is offline is no error of the page's.
  const scene = useWebScene({ firstScreen: false, ignoredErrors: /ERR_INTERNET_DISCONNECTED|WebSocket/ });

  async function signIn(username: string): Promise<{ context: BrowserContext; page: Page }> {
    const page = await scene.signIn(username);
    return { context: page.context(), page };
  }

  it('asks for the page’s data together with the session check, not after it, on the caseload and on an overview', async () => {
    const { context } = await signIn('socialworker');
    const first = await context.newPage();
    const firstErrors: string[] = [];
    first.on('pageerror', (error) => firstErrors.push(error.message));
    const events: string[] = [];
    const requests: string[][] = [];
    first.on('request', (r) => {
      if (operationsOf(r).length) requests.push(operationsOf(r));
      events.push(...operationsOf(r).map((o) => `ask ${o}`));
    });
    first.on('response', (r) => events.push(...operationsOf(r.request()).map((o) => `answer ${o}`)));
    await first.goto(`${scene.base}/`);
    await expectVisible(first.locator('table.caseload tbody tr').first());
    // Both questions are on their way before the first answer arrives.
    const firstAnswer = events.findIndex((e) => e.startsWith('answer'));
    expect(events.slice(0, firstAnswer)).toEqual(
      expect.arrayContaining(['ask Me', 'ask Caseload', 'ask Notifications']),
    );
    // In one request (one session check on the server, one answer to render)...
    expect(requests[0]).toEqual(expect.arrayContaining(['Me', 'Caseload', 'Notifications']));
    // ...and the page asked for its data once: it found the early request in the cache.
    expect(events.filter((e) => e === 'ask Caseload')).toHaveLength(1);

    const personId = await first.locator('table.caseload tbody tr a').first().getAttribute('href');
    events.splice(0);
    requests.splice(0);
    await first.goto(`${scene.base}${personId}`);
    await expectVisible(first.getByRole('heading', { level: 2, name: 'Läget just nu' }));
    await first.waitForFunction(() => document.querySelector('.status-loading') === null);
    const answered = events.findIndex((e) => e.startsWith('answer'));
    // The overview, its consent card and its reminders card are asked for at once, with the session check.
    expect(events.slice(0, answered)).toEqual(
      expect.arrayContaining(['ask Me', 'ask PersonOverview', 'ask PersonConsents', 'ask PersonReminders']),
    );
    for (const operation of ['PersonOverview', 'PersonConsents', 'PersonReminders'])
      expect(events.filter((e) => e === `ask ${operation}`)).toHaveLength(1);
    expect(requests[0]).toEqual(expect.arrayContaining(['Me', 'PersonOverview', 'PersonConsents', 'PersonReminders']));
    expect(firstErrors).toEqual([]);
  });

  it('says a page could not be fetched while offline, and shows it on retry once back online', async () => {
    const { context, page } = await signIn('socialworker');
    await context.setOffline(true);
    await page.getByRole('link', { name: 'Rapporter' }).click();
    const failed = page.getByRole('alert').filter({ hasText: 'Ingen kontakt med servern' });
    await expectVisible(failed);
    await screenshot(page, 'loading-page-offline');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    // The header still works: the user can go back to a page that is loaded.
    await expectVisible(page.getByRole('link', { name: 'Mina personer' }));

    await context.setOffline(false);
    await page.getByRole('button', { name: 'Försök igen' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Rapporter' }));
    expect(await failed.count()).toBe(0);
  });

  it('fetches English only when it is chosen, and shows it', async () => {
    const { page } = await signIn('nurse');
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(new URL(r.url()).pathname));
    await page.getByRole('button', { name: 'English' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'My persons' }));
    expect(scripts.some((s) => /\/assets\/en-[\w-]+\.js$/.test(s))).toBe(true);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('button', { name: 'Svenska' }).click();
    await expectVisible(page.getByRole('heading', { level: 1, name: 'Mina personer' }));
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('sv');
  });
});
