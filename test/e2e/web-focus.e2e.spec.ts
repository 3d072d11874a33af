import fs from 'node:fs';
import { Browser, Page } from 'playwright-core';
import { hashPassword } from '../../libs/auth/src';
import { seedDemoData } from '../../libs/domain/src/demo/demo-data';
import { buildWebClient, expectVisible, launchBrowser } from '../support/browser';
import { startTestApi, TestApi } from '../support/test-api';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import { fillRoute, webClientRoutes } from '../support/web-routes';

jest.setTimeout(300_000);

interface FocusRing {
  element: string;
  /** Where the indicator was found: outline or box-shadow; null when there is none. */
  kind: 'outline' | 'box-shadow' | null;
  ring: string | null;
  background: string;
  contrast: number;
}

/**
 * The focused element's focus indicator (its outline, else the first colour of its box-shadow) and the
 * contrast of that colour against the background it is drawn on: outside the element (outline-offset >= 0)
 * the nearest ancestor's background, blended down to the page; inside it, the element's own.
 */
function focusRing(page: Page): Promise<FocusRing | null> {
  return page.evaluate(() => {
    type FocusRingResult = { element: string; kind: 'outline' | 'box-shadow' | null; ring: string | null; background: string; contrast: number };
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const parse = (colour: string): [number, number, number, number] | null => {
      const m = colour.match(/rgba?\(([\d.]+)[, ]+([\d.]+)[, ]+([\d.]+)(?:[, /]+([\d.]+%?))?\)/);
      if (!m) return null;
      const alpha = m[4] === undefined ? 1 : m[4].endsWith('%') ? Number(m[4].slice(0, -1)) / 100 : Number(m[4]);
      return [Number(m[1]), Number(m[2]), Number(m[3]), alpha];
    };
    /** The colour an element's background shows, its own blended over its ancestors' down to white. */
    const backgroundOf = (start: Element | null): [number, number, number] => {
      const layers: [number, number, number, number][] = [];
      for (let at: Element | null = start; at; at = at.parentElement) {
        const c = parse(getComputedStyle(at).backgroundColor);
        if (c && c[3] > 0) {
          layers.push(c);
          if (c[3] >= 1) break;
        }
      }
      let rgb: [number, number, number] = [255, 255, 255];
      for (const [r, g, b, a] of layers.reverse()) rgb = [r * a + rgb[0] * (1 - a), g * a + rgb[1] * (1 - a), b * a + rgb[2] * (1 - a)];
      return rgb;
    };
    const luminance = ([r, g, b]: number[]) => {
      const [R, G, B] = [r, g, b].map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * R + 0.7152 * G + 0.0722 * B;
    };
    const style = getComputedStyle(el);
    let kind: 'outline' | 'box-shadow' | null = null;
    let ring: [number, number, number, number] | null = null;
    if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) {
      kind = 'outline';
      ring = parse(style.outlineColor);
    } else if (style.boxShadow && style.boxShadow !== 'none') {
      kind = 'box-shadow';
      ring = parse(style.boxShadow);
    }
    const inside = kind === 'outline' ? parseFloat(style.outlineOffset) < 0 : /inset/.test(style.boxShadow);
    /**
     * What is drawn just beyond the ring on its left, right, top and bottom (the element under that point, as
     * laid out, not as nested: a positioned element may sit over another's background); the darkest or
     * lightest of them, whichever is closest to the ring, is checked.
     */
    const besides = (): [number, number, number][] => {
      const rect = el.getBoundingClientRect();
      const reach = (kind === 'outline' ? parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth) : 4) + 2;
      const points: [number, number][] = [
        [rect.left - reach, rect.top + rect.height / 2],
        [rect.right + reach, rect.top + rect.height / 2],
        [rect.left + rect.width / 2, rect.top - reach],
        [rect.left + rect.width / 2, rect.bottom + reach],
      ];
      const found: [number, number, number][] = [];
      for (const [x, y] of points) {
        if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
        const under = document.elementsFromPoint(x, y).find((e) => e !== el && !el.contains(e));
        if (under) found.push(backgroundOf(under));
      }
      return found.length > 0 ? found : [backgroundOf(el.parentElement)];
    };
    const candidates = inside ? [backgroundOf(el)] : besides();
    const name = `${el.tagName.toLowerCase()}${el.getAttribute('type') ? `[type=${el.getAttribute('type')}]` : ''}${el.id ? `#${el.id}` : ''}${el.getAttribute('class') ? `.${el.getAttribute('class')!.split(' ').join('.')}` : ''} "${(el.textContent ?? el.getAttribute('aria-label') ?? '').trim().slice(0, 40)}"`;
    if (!ring || ring[3] === 0) return { element: name, kind: null, ring: null, background: `rgb(${candidates[0].map(Math.round).join(', ')})`, contrast: 0 };
    let worst: FocusRingResult | null = null;
    for (const background of candidates) {
      // A translucent ring shows blended over the background.
      const shown = [0, 1, 2].map((i) => ring![i] * ring![3] + background[i] * (1 - ring![3]));
      const [light, dark] = [luminance(shown), luminance(background)].sort((a, b) => b - a);
      const contrast = Math.round(((light + 0.05) / (dark + 0.05)) * 100) / 100;
      if (!worst || contrast < worst.contrast) worst = { element: name, kind, ring: `rgb(${shown.map(Math.round).join(', ')})`, background: `rgb(${background.map(Math.round).join(', ')})`, contrast };
    }
    return worst;
  });
}

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
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
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
    const personId = (await page.locator('table.caseload tbody tr a[href^="/persons/"]').first().getAttribute('href'))!.split('/')[2];
    for (const route of webClientRoutes()) {
      const url = fillRoute(route, { personId })!;
      await page.goto(`${base}${url}`);
      await page.waitForFunction(() => document.querySelector('main h1') !== null && document.querySelector('.status-loading') === null);
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
