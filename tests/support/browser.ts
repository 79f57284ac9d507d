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
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
