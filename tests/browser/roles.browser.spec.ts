import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser, shoot } from '../support/browser.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';
import { startWeb, type RunningWeb } from '../support/web.js';

/** What each role must (and must not) find in its console navigation. */
const ROLES: Array<{ role: string; email: string; nav: string[]; hidden: string[] }> = [
  { role: 'platform_admin', email: 'admin@platform.demo', nav: ['home', 'catalog', 'product-reviews', 'members', 'api-keys', 'audit', 'organizations', 'queues'], hidden: ['datasets', 'products', 'access-requests'] },
  { role: 'supervisor', email: 'supervisor@platform.demo', nav: ['home', 'catalog', 'product-reviews', 'members', 'api-keys', 'audit', 'organizations'], hidden: ['queues', 'datasets', 'products'] },
  { role: 'steward', email: 'steward@transport.demo', nav: ['home', 'catalog', 'datasets', 'products', 'product-reviews', 'access-requests', 'members', 'api-keys'], hidden: ['my-access', 'audit', 'organizations', 'queues'] },
  { role: 'vendor_admin', email: 'vendor@cityflow.demo', nav: ['home', 'catalog', 'products', 'my-access', 'members', 'api-keys'], hidden: ['datasets', 'product-reviews', 'access-requests', 'audit', 'organizations'] },
  { role: 'buyer_admin', email: 'buyer@harbor.demo', nav: ['home', 'catalog', 'my-access', 'members', 'api-keys'], hidden: ['datasets', 'products', 'product-reviews', 'access-requests', 'audit', 'organizations'] },
  { role: 'buyer_member', email: 'member@harbor.demo', nav: ['home', 'catalog', 'my-access', 'members', 'api-keys'], hidden: ['datasets', 'products', 'product-reviews', 'access-requests', 'audit', 'organizations'] },
  { role: 'finance_analyst', email: 'analyst@finance.demo', nav: ['home', 'catalog', 'members', 'api-keys'], hidden: ['datasets', 'products', 'product-reviews', 'my-access', 'audit', 'organizations'] },
];

describe('web app in headless Chromium', () => {
  let platform: RunningPlatform;
  let web: RunningWeb;
  let browser: { context: BrowserContext; close(): Promise<void> };

  beforeAll(async () => {
    platform = await startPlatform();
    web = await startWeb(platform.baseUrl);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await platform?.close();
  });

  async function freshPage(language: 'zh-CN' | 'en'): Promise<Page> {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.addInitScript((lang) => window.localStorage.setItem('civic.language', lang), language);
    return page;
  }

  it('shows the public storefront in Chinese and in English', async () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const page = await freshPage(language);
      await page.goto(web.url);
      await page.getByTestId('hero-login').waitFor();
      const text = await page.locator('body').innerText();
      if (language === 'zh-CN') expect(text).toMatch(/[\u4e00-\u9fff]{4,}/);
      else expect(text).not.toMatch(/[\u4e00-\u9fff]{6,}/);
      await shoot(page, `landing-${language}`);
      await page.close();
    }
  });

  for (const { role, email, nav, hidden } of ROLES) {
    it(`signs in as ${role} and shows that role's navigation`, async () => {
      const page = await freshPage(role === 'vendor_admin' ? 'en' : 'zh-CN');
      await page.goto(`${web.url}/login`);
      await page.getByTestId('login-email').fill(email);
      await page.getByTestId('login-password').fill('Demo-pass-2026');
      await page.getByTestId('login-submit').click();
      await page.waitForURL(/\/console/);
      for (const key of nav) await page.getByTestId(`nav-${key}`).waitFor();
      for (const key of hidden) expect(await page.getByTestId(`nav-${key}`).count()).toBe(0);
      await page.getByTestId('nav-members').click();
      // Rows arrive after the table renders: wait for this user's own row.
      await page.getByTestId('members-table').getByText(email).waitFor();
      // Invitations belong to member management: shown exactly to the roles that manage members.
      expect(await page.getByTestId('invitations-table').count()).toBe(role === 'buyer_member' || role === 'supervisor' ? 0 : 1);
      await shoot(page, `console-${role}`);
      await page.close();
    });
  }

  it('lets a buyer admin create an API key that is shown once, and lists it by prefix', async () => {
    const page = await freshPage('en');
    await page.goto(`${web.url}/login`);
    await page.getByTestId('login-email').fill('buyer@sunrise.demo');
    await page.getByTestId('login-password').fill('Demo-pass-2026');
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/console/);
    await page.getByTestId('nav-api-keys').click();
    await page.getByTestId('api-key-create-open').click();
    await page.getByTestId('api-key-name').fill('browser-made key');
    const scopeLabels = await page.getByTestId('api-key-scopes').innerText();
    for (const scope of ['catalog:read', 'data:read', 'usage:read']) expect(scopeLabels).toContain(scope);
    await page.getByTestId('api-key-submit').click();
    const secret = page.getByText(/cdm_[a-z0-9x]{8}_[A-Za-z0-9_-]{32}/);
    await secret.first().waitFor();
    await shoot(page, 'api-key-created', { fullPage: false });
    const shown = (await secret.first().innerText()).match(/cdm_[a-z0-9x]{8}/)![0];
    await page.getByTestId('api-key-done').click();
    // Once dismissed, the secret is gone from the page for good.
    await secret.first().waitFor({ state: 'detached' });
    await page.getByTestId('api-keys-table').getByText('browser-made key').waitFor();
    const table = await page.getByTestId('api-keys-table').innerText();
    expect(table).toContain('browser-made key');
    expect(table).toContain(shown);
    expect(await page.locator('body').innerText()).not.toMatch(/cdm_[a-z0-9x]{8}_[A-Za-z0-9_-]{32}/);
    await page.close();
  });

  it('shows the audit log to the supervisor and verifies the chain', async () => {
    const page = await freshPage('zh-CN');
    await page.goto(`${web.url}/login`);
    await page.getByTestId('login-email').fill('supervisor@platform.demo');
    await page.getByTestId('login-password').fill('Demo-pass-2026');
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/console/);
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-table').getByText('auth.login').first().waitFor();
    await page.getByTestId('audit-filter-actor').fill('buyer@sunrise.demo');
    await page.getByTestId('audit-filter-action').fill('api_key');
    await page.getByTestId('audit-filter-submit').click();
    await page.getByTestId('audit-table').getByText('api_key.created').first().waitFor();
    expect(await page.getByTestId('audit-table').getByText('auth.login').count()).toBe(0);
    await page.getByTestId('audit-verify').click();
    await page.getByTestId('audit-verify-result').waitFor();
    await shoot(page, 'audit-supervisor');
    await page.close();
  });

  it('fits a phone-width screen without sideways scrolling', async () => {
    const page = await freshPage('zh-CN');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${web.url}/login`);
    await page.getByTestId('login-email').fill('buyer@harbor.demo');
    await page.getByTestId('login-password').fill('Demo-pass-2026');
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/console/);
    await page.goto(`${web.url}/console/members`);
    await page.getByTestId('members-table').getByText('buyer@harbor.demo').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    // The navigation opens over the page from the menu button, and closes again.
    expect(await page.getByTestId('nav-members').count()).toBe(0);
    await page.getByTestId('console-menu-button').click();
    await page.getByTestId('nav-api-keys').waitFor();
    await shoot(page, 'phone-nav-open-zh-CN', { fullPage: false });
    await page.keyboard.press('Escape');
    await page.getByTestId('console-nav-drawer').waitFor({ state: 'hidden' });
    await shoot(page, 'phone-members-zh-CN');
    expect(overflow).toBeLessThanOrEqual(1);
    await page.close();
  });
});
