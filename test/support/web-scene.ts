// The setup every browser test of the web client shares: the client built, its own database with the demo
// data, the API serving both, headless Chromium, and a signed-in page per demo login. Page errors and
// console errors are collected for the test to assert none (a refused save's 400 is an answer, not an error).
import fs from 'node:fs';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { hashPassword } from '../../libs/auth/src';
import { seedDemoData } from '../../libs/domain/src/demo/demo-data';
import {
  buildWebClient,
  buildWebRenderer,
  expectVisible,
  launchBrowser,
  screenshot,
  seriousAccessibilityViolations,
} from './browser';
import { startTestApi, TestApi } from './test-api';
import { createTestDatabase, TestDatabase } from './test-database';

export const DEMO_PASSWORD = 'samverka-demo';

export interface WebScene {
  db: TestDatabase;
  api: TestApi;
  browser: Browser;
  /** The client's origin, e.g. http://127.0.0.1:4321. */
  base: string;
  /** Errors the pages raised or logged since the last look; empties the list. */
  takeErrors(): string[];
  /** A new page at / (not signed in), in Swedish, in Stockholm time. */
  newPage(label: string): Promise<Page>;
  /** A new page signed in as the demo login `username`, on the page titled `landing` (the caseload, or the administration for an administrator). */
  signIn(username: string, landing?: string): Promise<Page>;
  /** A GraphQL call as the demo login `username`; throws on errors. */
  call<T = any>(username: string, query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Screenshot into test-artifacts/web/ plus axe-core: fails on a serious or critical violation. */
  checkPage(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * As deployed, a signed-in browser opening the caseload or an overview gets its first screen rendered by the API;
 * `firstScreen: false` leaves the renderer out, for tests of the client's own start (which every other page and
 * every page the API could not render takes).
 */
export async function startWebScene(options: { firstScreen?: boolean } = {}): Promise<WebScene> {
  const webDir = buildWebClient();
  const rendererDir = options.firstScreen === false ? undefined : buildWebRenderer();
  const db = await createTestDatabase();
  await seedDemoData(db.dataSource, { hashPassword: (p) => hashPassword(p) });
  const api = await startTestApi(db, { webClientDir: webDir, webRendererDir: rendererDir });
  const base = api.url.replace(/\/graphql$/, '');
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const tokens = new Map<string, string>();

  const newPage = async (label: string) => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'sv-SE',
      timezoneId: 'Europe/Stockholm',
    });
    contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => errors.push(`${label}: ${error.message}`));
    page.on(
      'console',
      (m) => m.type() === 'error' && !/status of 400/.test(m.text()) && errors.push(`${label}: ${m.text()}`),
    );
    await page.goto(`${base}/`);
    return page;
  };

  return {
    db,
    api,
    browser,
    base,
    takeErrors: () => errors.splice(0),
    newPage,
    async signIn(username, landing = 'Mina personer') {
      const page = await newPage(username);
      await page.getByLabel('Användarnamn').fill(username);
      await page.getByLabel('Lösenord').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Logga in' }).click();
      await expectVisible(page.getByRole('heading', { level: 1, name: landing }));
      return page;
    },
    async call(username, query, variables = {}) {
      if (!tokens.has(username)) tokens.set(username, await api.login(username, DEMO_PASSWORD));
      const result = await api.gql(query, variables, tokens.get(username));
      if (result.errors) throw new Error(JSON.stringify(result.errors));
      return result.data as any;
    },
    async checkPage(page, name) {
      await page.waitForFunction(() => document.querySelector('.status-loading') === null);
      await screenshot(page, name);
      expect({ page: name, violations: await seriousAccessibilityViolations(page) }).toEqual({
        page: name,
        violations: [],
      });
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await api.close();
      await db.drop();
      fs.rmSync(webDir, { recursive: true, force: true });
      if (rendererDir) fs.rmSync(rendererDir, { recursive: true, force: true });
    },
  };
}

/**
 * The scene of a test file: started before its tests and closed after them, and after each test no error left on
 * any page (`ignoredErrors`: what a test provokes on purpose, such as the browser's note that it is offline).
 * The object is filled in when the scene has started, so use it inside tests and hooks only.
 */
export function useWebScene(options: { firstScreen?: boolean; ignoredErrors?: RegExp } = {}): WebScene {
  const scene = {} as WebScene;
  beforeAll(async () => {
    Object.assign(scene, await startWebScene({ firstScreen: options.firstScreen }));
  });
  afterAll(async () => {
    await scene.close?.();
  });
  afterEach(() => {
    expect(scene.takeErrors().filter((error) => !options.ignoredErrors?.test(error))).toEqual([]);
  });
  return scene;
}
