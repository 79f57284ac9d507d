import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { launchBrowser, shoot, loopWidths } from '../support/browser.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';
import { startWeb, type RunningWeb } from '../support/web.js';
import { apiOk, Http, login } from '../support/http.js';

const PASSWORD = 'Demo-pass-2026';
const CONGESTION = 'road-congestion-index-by-district-hour-weather';
const BUYER = 'buyer@harbor.demo';
const OUTPATIENT = 'outpatient-demand-by-district-department-month';

type Language = 'zh-CN' | 'en';

/**
 * The offline purchase journey in headless Chromium: a buyer compares offers in the calculator,
 * buys a subscription (terms, acceptance, invoice to pay by bank transfer), government finance
 * records the transfer, and the buyer's licence is in force. Then every new commerce page at
 * phone width in both languages (no sideways scrolling; BROWSER_SCREENSHOTS=all adds desktop).
 */
describe('licensing and commerce in headless Chromium', () => {
  let platform: RunningPlatform;
  let web: RunningWeb;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  const suffix = Date.now().toString(36);
  let offerId = '';
  let meteredOfferId = '';
  let productId = '';
  let licenseId = '';
  let invoiceNumber = '';
  /** The CSV the buyer downloaded: a fingerprinted copy, traced back to the buyer by the seller. */
  let deliveredCsv: Buffer | null = null;

  beforeAll(async () => {
    platform = await startPlatform();
    web = await startWeb(platform.baseUrl);
    browser = await launchBrowser();
    // A subscription of its own, so the journey does not depend on what other test files bought.
    const vendor = await apiLogin('vendor@cityflow.demo');
    productId = (await (await fetch(`${platform.baseUrl}/api/v1/catalog/products/${CONGESTION}`)).json()).id;
    const templates = (await apiCall(vendor, 'GET', '/api/v1/license-templates')).items as Array<{ id: string; key: string }>;
    const created = await apiCall(vendor, 'POST', `/api/v1/products/${productId}/offers`, {
      templateId: templates.find((template) => template.key === 'commercial-internal')!.id,
      nameZh: `浏览器月度订阅 ${suffix}`,
      nameEn: `Browser monthly ${suffix}`,
      pricePlan: { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 88_800 },
    });
    await apiCall(vendor, 'POST', `/api/v1/offers/${created.id}/publish`);
    offerId = created.id;
    const own = (await apiCall(vendor, 'GET', `/api/v1/products/${productId}/offers`)).items as Array<{ id: string; status: string; pricePlan: { kind: string; metered?: { tiers?: unknown[] } } }>;
    // The seeded graduated offer (other test files add and archive offers of their own on this product).
    meteredOfferId = own.find((offer) => offer.status === 'published' && offer.pricePlan.kind === 'metered' && Boolean(offer.pricePlan.metered?.tiers))?.id ?? '';
    // A purpose-bound purchase over restricted data waiting for the health commission, for the approvals page.
    const outpatient = (await (await fetch(`${platform.baseUrl}/api/v1/catalog/products/${OUTPATIENT}/offers`)).json()).items[0];
    if (outpatient) {
      const sunrise = await apiLogin('buyer@sunrise.demo');
      const terms = await apiCall(sunrise, 'GET', `/api/v1/offers/${outpatient.id}/terms`);
      await apiCall(sunrise, 'POST', '/api/v1/licenses', {
        offerId: outpatient.id,
        termsSha256: terms.termsSha256,
        acceptTerms: true,
        purpose: 'research',
        intendedUse: 'Plan clinic opening hours by district; results shared with the district health offices only.',
      }).catch(() => undefined);
    }
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await platform?.close();
  });

  const apiLogin = async (email: string): Promise<string> => (await login(new Http(platform.baseUrl), email, PASSWORD)).token;
  const apiCall = (token: string, method: string, route: string, body?: unknown): Promise<any> => apiOk(new Http(platform.baseUrl), token, method, route, body);

  async function freshPage(language: Language, width = 1366): Promise<Page> {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
    await page.addInitScript((lang) => window.localStorage.setItem('civic.language', lang), language);
    return page;
  }

  async function fillLogin(page: Page, email: string): Promise<void> {
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
  }

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${web.url}/login`);
    await fillLogin(page, email);
    await page.waitForURL(/\/console/);
  }

  it('lets a buyer compare offers, buy a subscription offline and see it in force once finance records the transfer', async () => {
    // An anonymous visitor compares the offers for an expected use, without a refresh attempt
    // (there is no session to restore) and without errors in the console.
    const buyer = await freshPage('en');
    const refreshes: string[] = [];
    const consoleErrors: string[] = [];
    buyer.on('request', (request) => {
      if (request.url().includes('/api/v1/auth/refresh')) refreshes.push(request.url());
    });
    buyer.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await buyer.goto(`${web.url}/products/${CONGESTION}`);
    await buyer.locator(`[data-testid="offer-card"][data-offer-id="${offerId}"]`).waitFor();
    await buyer.getByTestId('calculator-months').fill('6');
    await buyer.getByTestId('calculator-quantity').fill('2000000');
    await buyer.locator('[data-testid="calculator-result"][data-months="6"][data-quantity="2000000"]').waitFor();
    await buyer.getByTestId('estimate-chart').locator('.recharts-bar-rectangle').first().waitFor();
    const totals = await buyer.getByTestId('estimate-row').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-total'))));
    expect(totals.length).toBeGreaterThanOrEqual(4);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    // Our subscription: 6 months × ¥888.
    expect(await buyer.locator(`[data-testid="estimate-row"][data-offer-id="${offerId}"]`).getAttribute('data-total')).toBe(String(6 * 88_800));
    // The seeded monthly subscription's 14-day trial: the first days free, then the paid months.
    const trial = buyer.locator('[data-testid="estimate-trial"][data-trial-days="14"]');
    await trial.waitFor();
    expect(await trial.innerText()).toMatch(/First 14 days free[\s\S]*then ¥1,200\.00 a month[\s\S]*6 paid months after the trial/);
    await buyer.getByTestId('price-calculator').scrollIntoViewIfNeeded();
    await shoot(buyer, 'commerce-storefront-calculator-en');
    expect(refreshes).toEqual([]);
    expect(consoleErrors).toEqual([]);

    // Buying needs a sign-in, then comes back to the checkout.
    await buyer.locator(`[data-testid="offer-card"][data-offer-id="${offerId}"]`).getByTestId('offer-buy').click();
    await buyer.waitForURL(/\/login$/);
    await fillLogin(buyer, BUYER);
    await buyer.waitForURL(/\/licenses\/new\?/);
    await buyer.getByTestId('checkout-terms').getByTestId('terms-sha256').waitFor();
    const sha = (await buyer.getByTestId('checkout-terms').getByTestId('terms-sha256').innerText()).trim();
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    await shoot(buyer, 'commerce-checkout-terms-en');
    await buyer.getByTestId('checkout-next').click();
    await buyer.getByTestId('checkout-accept-box').click();
    await buyer.getByTestId('checkout-submit').click();
    await buyer.locator('[data-testid="checkout-outcome"][data-state="pending_payment"]').waitFor();
    await buyer.getByTestId('checkout-pay').click();
    await buyer.getByTestId('bank-transfer').waitFor();
    invoiceNumber = (await buyer.getByTestId('bank-transfer').getAttribute('data-invoice-number')) ?? '';
    expect(await buyer.getByTestId('bank-transfer-reference').innerText()).toContain(invoiceNumber);
    expect(await buyer.getByTestId('bank-transfer-amount').innerText()).toBe('¥888.00');
    // The account to transfer to: the collection account of the finance policy in force.
    expect(await buyer.getByTestId('bank-transfer-account').innerText()).toMatch(/^[0-9A-Za-z]+(?:[ -][0-9A-Za-z]+)*$/);
    expect(await buyer.getByTestId('bank-transfer-payee').innerText()).not.toBe('');
    await shoot(buyer, 'commerce-checkout-invoice-en');
    await buyer.getByTestId('checkout-license-link').click();
    await buyer.waitForURL(/\/console\/licenses\/[0-9a-f-]{36}$/);
    licenseId = buyer.url().split('/').pop()!;
    await buyer.locator('[data-testid="license-state"][data-value="pending_payment"]').first().waitFor();
    expect(await buyer.getByTestId('license-terms').getByTestId('terms-sha256').innerText()).toContain(sha);
    await buyer.close();

    // Government finance records the bank transfer.
    const finance = await freshPage('zh-CN');
    await signIn(finance, 'analyst@finance.demo');
    await finance.getByTestId('nav-finance-invoices').click();
    const row = finance.locator(`[data-testid="finance-invoice-row"][data-invoice-number="${invoiceNumber}"]`);
    await row.waitFor();
    await row.getByTestId(`invoice-mark-paid-${invoiceNumber}`).click();
    expect(await finance.getByTestId('mark-paid-amount').inputValue()).toBe('888.00');
    await finance.getByTestId('mark-paid-reference').fill(`BANK-${suffix}`);
    await shoot(finance, 'commerce-finance-mark-paid-zh-CN');
    await finance.getByTestId('mark-paid-submit').click();
    await finance.locator(`[data-testid="finance-invoice-row"][data-invoice-number="${invoiceNumber}"][data-status="paid"]`).waitFor();
    await finance.close();

    // The buyer's licence is in force.
    const back = await freshPage('en');
    await signIn(back, BUYER);
    await back.getByTestId('nav-licenses').click();
    await back.locator(`[data-testid="license-row"][data-license-id="${licenseId}"][data-state="active"]`).waitFor();
    await back.goto(`${web.url}/console/licenses/${licenseId}`);
    await back.locator('[data-testid="license-state"][data-value="active"]').first().waitFor();
    expect(await back.getByTestId('license-timeline').innerText()).toContain('Payment received');
    // A subscription renews at the end of its period (a term-limited licence would say its term instead).
    await back.locator('[data-testid="entitlement-ending"][data-kind="renews"]').waitFor();
    expect(await back.getByTestId('entitlement-ending').innerText()).toMatch(/^On .+, at the end of the current period$/);
    await shoot(back, 'commerce-license-active-en');
    // The licence opens the data: a query in the browser, filtered and paged (metered as API calls)…
    await back.getByTestId('explorer-filter-column').click();
    await back.locator('.ant-select-item-option[title^="district"]').click();
    await back.getByTestId('explorer-filter-value').fill('南山区');
    await back.getByTestId('explorer-filter-add').click();
    await back.getByTestId('explorer-run').click();
    await back.getByTestId('explorer-rows').waitFor();
    const firstPage = Number(await back.getByTestId('explorer-count').getAttribute('data-value'));
    expect(firstPage).toBe(20);
    expect(await back.getByTestId('explorer-rows').innerText()).not.toMatch(/福田区|罗湖区/);
    await back.getByTestId('explorer-more').click();
    await back.waitForFunction((before) => Number(document.querySelector('[data-testid="explorer-count"]')?.getAttribute('data-value')) > before, firstPage);
    await shoot(back, 'delivery-explorer-en');
    // … and a whole file through a signed link, downloaded by the browser.
    const [download] = await Promise.all([back.waitForEvent('download'), back.getByTestId('data-download-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^road-congestion-index-by-district-hour-weather-v\d+\.csv$/);
    const saved = await download.path();
    deliveredCsv = await readFile(saved);
    expect(deliveredCsv.toString('utf8').split('\n')[0]).toContain('district');
    // A refused query says why, and the previous answer goes: its rows are not this query's.
    await back.getByTestId('explorer-filter-column').click();
    await back.locator('.ant-select-item-option[title^="hour_of_day"]').click();
    await back.getByTestId('explorer-filter-value').fill("7'; DROP TABLE x; --");
    await back.getByTestId('explorer-run').click();
    await back.getByTestId('explorer-error').waitFor();
    expect(await back.getByTestId('explorer-error').innerText()).toContain('hour_of_day');
    expect(await back.getByTestId('explorer-rows').count()).toBe(0);
    expect(await back.getByTestId('explorer-more').count()).toBe(0);
    await shoot(back, 'delivery-explorer-refused-en');
    await back.close();
  }, 120_000);

  it('lets the seller trace a leaked copy back to the licence it was delivered under', async () => {
    expect(deliveredCsv).not.toBeNull();
    for (const language of ['en', 'zh-CN'] as const) {
      const vendor = await freshPage(language);
      await signIn(vendor, 'vendor@cityflow.demo');
      await vendor.goto(`${web.url}/console/products/${productId}`);
      await vendor.getByTestId('product-leak-trace').click();
      await vendor.waitForURL(new RegExp(`/console/products/${productId}/leak-trace$`));
      // The copy as it was found, re-ordered: its marker rows still name the licence.
      const [header, ...rows] = deliveredCsv!.toString('utf8').trimEnd().split('\n');
      await vendor.getByTestId('leak-upload-input').setInputFiles({ name: 'found-on-a-forum.csv', mimeType: 'text/csv', buffer: Buffer.from([header, ...rows.reverse()].join('\n')) });
      await vendor.locator('[data-testid="leak-result"][data-outcome="match"]').waitFor();
      expect(await vendor.getByTestId('leak-match').getByTestId('leak-buyer').innerText()).toContain('Harbor');
      expect(await vendor.getByTestId('leak-how').first().getAttribute('data-kind')).toBe('canaries');
      expect(await vendor.getByTestId('leak-license').first().getAttribute('href')).toMatch(/^\/console\/sales\/[0-9a-f-]{36}$/);
      await shoot(vendor, `delivery-leak-trace-${language}`);
      // A file that is no licence's copy.
      await vendor.getByTestId('leak-again').click();
      await vendor.getByTestId('leak-upload-input').setInputFiles({ name: 'elsewhere.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\n不存在区,25,dry,0.5,1\n`) });
      await vendor.locator('[data-testid="leak-result"][data-outcome="none"]').waitFor();
      await vendor.close();
    }
  }, 120_000);

  it('fits a phone and reads in both languages on every commerce page', async () => {
    expect(licenseId).not.toBe('');
    // Some use of the licence, so its usage chart and the product's deliveries have something to show.
    const buyerToken = await apiLogin(BUYER);
    for (const query of ['limit=5', 'limit=20&order=congestion_index.desc', 'limit=3&format=csv']) await apiCall(buyerToken, 'GET', `/api/v1/data/${CONGESTION}/rows?${query}`);
    // A key with a long name and several scopes, for the API keys page on a phone.
    await apiCall(buyerToken, 'POST', '/api/v1/api-keys', { name: `Nightly congestion import for the logistics dashboard ${suffix}`, scopes: ['catalog:read', 'data:read'] });
    // `fits`: elements that must be whole on a phone (inside the page, nothing clipped or scrolled away).
    const pages: Array<{ name: string; who: string | null; url: string; ready: string; click?: string; then?: string; fits?: string[] }> = [
      { name: 'commerce-storefront', who: null, url: `/products/${CONGESTION}`, ready: 'estimate-row', fits: ['estimate-row', 'estimate-trial'] },
      // The buyer holds this offer since the purchase above: the checkout links to the licence instead of selling it again.
      { name: 'commerce-checkout-held', who: BUYER, url: `/licenses/new?product=${CONGESTION}&offer=${offerId}`, ready: 'checkout-held', fits: ['checkout-held-link'] },
      { name: 'commerce-licenses', who: BUYER, url: '/console/licenses', ready: 'license-row', fits: ['licenses-filter', 'licenses-table', 'license-period'] },
      // Ready once the entitlement service has answered for each action.
      { name: 'commerce-license', who: BUYER, url: `/console/licenses/${licenseId}`, ready: 'entitlement' },
      { name: 'delivery-license-usage', who: BUYER, url: `/console/licenses/${licenseId}`, ready: 'usage-daily-chart' },
      { name: 'commerce-invoices', who: BUYER, url: '/console/invoices', ready: 'invoice-row' },
      { name: 'delivery-api-keys', who: BUYER, url: '/console/api-keys', ready: 'api-keys-table', fits: ['api-keys-table'] },
      { name: 'commerce-offers-tab', who: 'vendor@cityflow.demo', url: `/console/products/${productId}?tab=offers`, ready: 'offer-row' },
      { name: 'delivery-product-usage', who: 'vendor@cityflow.demo', url: `/console/products/${productId}?tab=usage`, ready: 'product-usage-chart' },
      { name: 'delivery-leak-trace-page', who: 'vendor@cityflow.demo', url: `/console/products/${productId}/leak-trace`, ready: 'leak-trace-page' },
      ...(meteredOfferId
        ? [{ name: 'commerce-offer-form', who: 'vendor@cityflow.demo', url: `/console/products/${productId}?tab=offers`, ready: 'offer-row', click: `offer-edit-${meteredOfferId}`, then: 'offer-form-tiers' }]
        : []),
      { name: 'commerce-sales', who: 'vendor@cityflow.demo', url: '/console/sales', ready: 'sale-row' },
      { name: 'commerce-sale', who: 'vendor@cityflow.demo', url: `/console/sales/${licenseId}`, ready: 'license-event' },
      { name: 'commerce-payouts', who: 'vendor@cityflow.demo', url: '/console/payouts', ready: 'payouts-offline' },
      { name: 'commerce-approvals', who: 'steward@health.demo', url: '/console/license-approvals', ready: 'approval-row' },
      { name: 'commerce-finance', who: 'analyst@finance.demo', url: '/console/finance/invoices', ready: 'finance-invoice-row' },
      { name: 'commerce-price-caps', who: 'admin@platform.demo', url: '/console/price-caps', ready: 'cap-row' },
      { name: 'commerce-license-templates', who: 'admin@platform.demo', url: '/console/license-templates', ready: 'template-card' },
      {
        name: 'commerce-license-template-form',
        who: 'admin@platform.demo',
        url: '/console/license-templates',
        ready: 'template-card',
        click: 'template-new-version-research-noncommercial',
        then: 'template-form-policy',
      },
    ];
    // One sign-in per person; the language is switched in place (texts differ in length).
    const people = [...new Set(pages.map((entry) => entry.who))];
    for (const width of loopWidths) {
      for (const who of people) {
        await browser.context.clearCookies();
        const page = await browser.context.newPage();
        await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
        if (who) await signIn(page, who);
        else await page.goto(web.url);
        for (const language of ['zh-CN', 'en'] as const) {
          await page.evaluate((lang) => window.localStorage.setItem('civic.language', lang), language);
          for (const entry of pages.filter((candidate) => candidate.who === who)) {
            await page.goto(`${web.url}${entry.url}`);
            await page.getByTestId(entry.ready).first().waitFor();
            if (entry.click) {
              await page.getByTestId(entry.click).click();
              await page.getByTestId(entry.then!).first().waitFor();
              await page.getByTestId(entry.then!).first().scrollIntoViewIfNeeded();
            }
            // Tables fade in once loaded, dialogs zoom in: shoot the settled page.
            await page.waitForFunction(() => !document.querySelector('.ant-spin-blur, .ant-spin-spinning, [class*="-appear-active"], [class*="-enter-active"]'));
            const name = `${entry.name}-${language}${width < 600 ? '-phone' : ''}`;
            await shoot(page, name);
            if (width < 600) {
              const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
              expect([name, overflow <= 1]).toEqual([name, true]);
              for (const testId of entry.fits ?? []) {
                // Past the viewport's edge, or cut by a scroll container of its own (a table's).
                const clipped = await page.getByTestId(testId).evaluateAll((elements) =>
                  elements.filter(
                    (element) =>
                      element.getBoundingClientRect().right > window.innerWidth + 1 ||
                      [element, ...element.querySelectorAll('.ant-table-content, .ant-table-body')].some((box) => box.clientWidth > 0 && box.scrollWidth > box.clientWidth + 1),
                  ).length,
                );
                expect([name, testId, clipped]).toEqual([name, testId, 0]);
              }
            }
          }
        }
        await page.close();
      }
    }
  }, 300_000);
});
