import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const found = process.env.CHROMIUM_PATH ?? CANDIDATES.find((candidate) => existsSync(candidate));
  if (!found) throw new Error('Chromium not found: install chromium or set CHROMIUM_PATH (the test command installs it on Debian as root).');
  return found;
}

export const screenshotDir = path.join(path.dirname(new URL(import.meta.url).pathname), '../browser/screenshots');

/**
 * Screenshots are for people to open: taken only when BROWSER_SCREENSHOTS is set (`1`, or `all`
 * to add desktop widths where a spec loops over widths). A plain test run only asserts.
 */
export const screenshotsWanted = Boolean(process.env.BROWSER_SCREENSHOTS);

export async function shoot(page: Page, name: string, options: { fullPage?: boolean; before?: () => Promise<void> } = {}): Promise<void> {
  if (!screenshotsWanted) return;
  await options.before?.();
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: options.fullPage ?? true });
}

/** Widths a page loop checks: phones always; desktop too when BROWSER_SCREENSHOTS=all. */
export const loopWidths: number[] = process.env.BROWSER_SCREENSHOTS === 'all' ? [1366, 390] : [390];

/** What a page shows as an error: alerts, messages, notifications, form and field errors. */
const ERROR_TEXTS = '.ant-alert-error, .ant-alert-warning, .ant-message-notice, .ant-notification-notice, .ant-form-item-explain-error, .ant-typography-danger, [data-testid$="-error"]';

/**
 * Keeps the last things a browser context saw go wrong (failed API calls, console errors, page
 * errors) and, when a test fails, prints them with each open page's address and on-screen errors
 * and saves a screenshot of each page (support/browser-environment.cjs calls it).
 */
function recordFailures(context: BrowserContext): () => void {
  const started = Date.now();
  const events: string[] = [];
  const note = (line: string) => {
    events.push(`+${((Date.now() - started) / 1000).toFixed(1)}s ${line}`);
    if (events.length > 40) events.shift();
  };
  context.on('response', (response) => {
    if (response.status() >= 400 && response.url().includes('/api/')) note(`${response.request().method()} ${response.url()} → ${response.status()}`);
  });
  context.on('requestfailed', (request) => {
    if (request.url().includes('/api/')) note(`${request.method()} ${request.url()} failed: ${request.failure()?.errorText ?? 'unknown'}`);
  });
  context.on('console', (message) => {
    if (message.type() === 'error') note(`console: ${message.text().slice(0, 500)}`);
  });
  context.on('weberror', (error) => note(`page error: ${error.error().message.slice(0, 500)}`));
  const report = async (testName: string): Promise<void> => {
    const lines = [`Browser state when "${testName}" failed:`];
    const slug = testName.toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 80);
    for (const [index, page] of context.pages().entries()) {
      if (page.isClosed()) continue;
      lines.push(`  page ${index}: ${page.url()}`);
      const texts = await page
        .locator(ERROR_TEXTS)
        .evaluateAll((nodes) => nodes.filter((node) => (node as HTMLElement).offsetParent !== null).map((node) => (node as HTMLElement).innerText.trim().replace(/\s+/g, ' ').slice(0, 300)))
        .catch(() => [] as string[]);
      for (const text of new Set(texts)) if (text) lines.push(`    on screen: ${text}`);
      const file = path.join(screenshotDir, `failure-${slug}-${index}.png`);
      if (await page.screenshot({ path: file, fullPage: true, timeout: 10_000 }).then(() => true, () => false)) lines.push(`    screenshot: ${file}`);
    }
    lines.push(...(events.length ? events.map((line) => `  ${line}`) : ['  no failed API call or console error']));
    process.stderr.write(`${lines.join('\n')}\n`);
  };
  (globalThis as { __civicBrowserFailureReport?: typeof report }).__civicBrowserFailureReport = report;
  return () => {
    const holder = globalThis as { __civicBrowserFailureReport?: typeof report };
    if (holder.__civicBrowserFailureReport === report) delete holder.__civicBrowserFailureReport;
  };
}

/** Debian's Chromium, headless, in a fresh profile, with no background network traffic. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  mkdirSync(screenshotDir, { recursive: true });
  const profile = await mkdtemp(path.join(os.tmpdir(), 'civic-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1366, height: 860 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const forget = recordFailures(context);
  return {
    context,
    async close() {
      forget();
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
