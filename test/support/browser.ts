import axe from 'axe-core';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser, chromium, Locator, Page, Request } from 'playwright-core';

/** Debian's Chromium: playwright-core drives it, and downloads no browser of its own. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const root = path.resolve(__dirname, '../..');
export const ARTIFACTS = path.join(root, 'test-artifacts', 'web');

/** Installs Debian's chromium package when it is missing and we may (root with apt-get); otherwise says how. */
export function ensureChromium(): void {
  if (fs.existsSync(CHROMIUM)) return;
  const canInstall = process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get');
  if (canInstall) {
    process.stdout.write(`Chromium is missing at ${CHROMIUM}; installing it: apt-get install -y chromium\n`);
    const result = spawnSync(
      'sh',
      ['-c', 'apt-get install -y chromium || (apt-get update && apt-get install -y chromium)'],
      { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } },
    );
    if (result.status === 0 && fs.existsSync(CHROMIUM)) return;
  }
  throw new Error(
    `The browser tests need Chromium at ${CHROMIUM}. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH)`,
  );
}

export async function launchBrowser(): Promise<Browser> {
  ensureChromium();
  // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/** Builds the web client (Vite) into a fresh directory and returns it. */
export function buildWebClient(): string {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samverka-web-'));
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', path.join(root, 'apps/web/vite.config.mts'), '--outDir', outDir, '--emptyOutDir'],
    { cwd: root, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`building the web client failed: ${result.stderr}${result.stdout}`);
  return outDir;
}

/** Builds the API's first-screen renderer (apps/web/src/server-entry.tsx, Vite's SSR build) into a fresh directory and returns it. */
export function buildWebRenderer(): string {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'samverka-web-server-'));
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [
      vite,
      'build',
      '--config',
      path.join(root, 'apps/web/vite.config.mts'),
      '--ssr',
      'src/server-entry.tsx',
      '--outDir',
      outDir,
      '--emptyOutDir',
    ],
    // React's production build, as scripts/build.js makes it (under jest NODE_ENV is `test`, which would have JSX
    // compiled for React's development runtime, missing from the production build the renderer bundles).
    { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (result.status !== 0)
    throw new Error(`building the first-screen renderer failed: ${result.stderr}${result.stdout}`);
  return outDir;
}

export interface AxeFinding {
  id: string;
  impact: string | null | undefined;
  help: string;
  targets: string[];
}

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function seriousAccessibilityViolations(page: Page): Promise<AxeFinding[]> {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not restrict.
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => String(n.target)),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * Waits until the element's text is `expected` (a string: equal after trimming; a RegExp: matching),
 * as Playwright's own assertions would; playwright-core ships none. Fails with the last text seen.
 */
export async function expectText(locator: Locator, expected: string | RegExp, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const seen =
      (await locator.textContent({ timeout: Math.max(1, until - Date.now()) }).catch(() => null))?.trim() ?? null;
    if (seen !== null && (typeof expected === 'string' ? seen === expected : expected.test(seen))) return;
    if (Date.now() > until)
      throw new Error(`expected ${locator} to have text ${expected}, but it was ${JSON.stringify(seen)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function expectVisible(locator: Locator, timeoutMs = 15_000): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout: timeoutMs });
}

/** The GraphQL operations a request carries (["Me", "Caseload"] for a batch), none for any other request. */
export function operationsOf(request: Request): string[] {
  if (!request.url().endsWith('/graphql') || request.method() !== 'POST') return [];
  const body: unknown = JSON.parse(request.postData() ?? '{}');
  return (Array.isArray(body) ? body : [body]).map(
    (b: { query?: string }) => /^\s*(?:query|mutation)\s+(\w+)/.exec(b.query ?? '')?.[1] ?? '?',
  );
}
