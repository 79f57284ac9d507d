import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { launchBrowser, loopWidths, shoot } from '../support/browser.js';
import { apiOk, Http, login, signUp } from '../support/http.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';
import { startWeb, type RunningWeb } from '../support/web.js';

const PASSWORD = 'Demo-pass-2026';
const FINANCE = 'analyst@finance.demo';
const SUPERVISOR = 'supervisor@platform.demo';
const VENDOR = 'vendor@cityflow.demo';
const WEATHER_STEWARD = 'steward@weather.demo';
const SCENIC = 'scenic-visitors-and-weather-by-district-month';

type Language = 'zh-CN' | 'en';

/** This accounting period (YYYY-MM, Beijing time). */
const periodOfNow = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** An amount of CNY fen as the console writes it in English: 1018868 → "¥10,188.68". */
const yuan = (fen: number) => new Intl.NumberFormat('en', { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol' }).format(fen / 100);

interface Bought {
  invoiceId: string;
  number: string;
  total: number;
}

/**
 * Government finance's console in headless Chromium, over money the test makes itself: new
 * enterprises buy two subscriptions paid by bank transfer (finance records the transfers) and a
 * third left unpaid. Every issued invoice and recorded payment posts to the ledger, so revenue,
 * the ledger, receivables, reconciliation and the periods have figures to show; the UI's figures
 * are checked against the API's (other test files of the run may have sold too). Then the
 * sellers' statements, and every finance page at phone width in both languages
 * (BROWSER_SCREENSHOTS=all adds desktop).
 */
describe('finance console in headless Chromium', () => {
  let platform: RunningPlatform;
  let web: RunningWeb;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let financeToken = '';
  let paid: Bought;
  let open: Bought;
  let refunded: Bought & { remaining: number };
  let scenicProductId = '';

  const http = () => new Http(platform.baseUrl);
  const call = (token: string, method: string, route: string, body?: unknown): Promise<any> => apiOk(http(), token, method, route, body);

  async function buy(token: string, slug: string, kind: string): Promise<Bought> {
    const offers = (await call(token, 'GET', `/api/v1/catalog/products/${slug}/offers`)).items as Array<{ id: string; pricePlan: { kind: string; trialDays?: number }; approvalNeeded: boolean }>;
    // Offers that start with a free trial issue no invoice at checkout: only those without one.
    const offer = offers.find((candidate) => candidate.pricePlan.kind === kind && !candidate.pricePlan.trialDays && !candidate.approvalNeeded);
    if (!offer) throw new Error(`no ${kind} offer on ${slug}`);
    const terms = await call(token, 'GET', `/api/v1/offers/${offer.id}/terms`);
    const license = await call(token, 'POST', '/api/v1/licenses', { offerId: offer.id, termsSha256: terms.termsSha256, acceptTerms: true });
    const checkout = await call(token, 'POST', `/api/v1/licenses/${license.id}/checkout`, {});
    return { invoiceId: checkout.invoice.id, number: checkout.invoice.number, total: checkout.invoice.total };
  }

  const markPaid = (invoice: Bought) =>
    call(financeToken, 'POST', `/api/v1/finance/invoices/${invoice.invoiceId}/mark-paid`, { reference: `BANK-${invoice.number}`, amount: invoice.total, receivedAt: new Date().toISOString() });

  beforeAll(async () => {
    platform = await startPlatform();
    web = await startWeb(platform.baseUrl);
    browser = await launchBrowser();
    financeToken = (await login(http(), FINANCE, PASSWORD)).token;
    // Buyers of their own, so the purchases never meet another test file's licences.
    const [first, second, third, fourth] = [await signUp(http()), await signUp(http()), await signUp(http()), await signUp(http())];
    const toRefund = await buy(first.token, SCENIC, 'hybrid');
    const toRefundPaid = await markPaid(toRefund);
    paid = await buy(second.token, SCENIC, 'hybrid');
    await markPaid(paid);
    open = await buy(third.token, SCENIC, 'hybrid');
    scenicProductId = (await call(financeToken, 'GET', `/api/v1/catalog/products/${SCENIC}`)).id;
    // Part of the first payment goes back: the invoice lists show it, and the refund dialog has a limit to tell.
    const payment = (toRefundPaid.payments as Array<{ id: string; amount: number }>)[0]!;
    await call(financeToken, 'POST', `/api/v1/finance/payments/${payment.id}/refunds`, { amount: 10_000, kind: 'refund', reason: 'Cancelled within the trial', reference: `BANK-R-${toRefund.number}` });
    refunded = { ...toRefund, remaining: payment.amount - 10_000 };
    // A transfer that arrived last month (recorded today), so last month has settlements to list; skipped when another test file closed the month.
    const lastMonthSale = await buy(fourth.token, SCENIC, 'hybrid');
    const [year, month] = periodOfNow().split('-').map(Number) as [number, number];
    const receivedAt = new Date(Date.UTC(month === 1 ? year - 1 : year, month === 1 ? 11 : month - 2, 15, 4)).toISOString();
    await call(financeToken, 'POST', `/api/v1/finance/invoices/${lastMonthSale.invoiceId}/mark-paid`, { reference: `BANK-${lastMonthSale.number}`, amount: lastMonthSale.total, receivedAt }).catch(() => undefined);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await platform?.close();
  });

  async function signedIn(email: string, language: Language, width = 1366): Promise<Page> {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
    // The language is stored, not pinned: a page may switch it later and reload.
    await page.goto(`${web.url}/login`);
    await page.evaluate((lang) => window.localStorage.setItem('civic.language', lang), language);
    await page.reload();
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/console/);
    return page;
  }

  /** Waits for tables to fade in and dialogs to open: a settled page to assert on and shoot. */
  const settled = (page: Page) => page.waitForFunction(() => !document.querySelector('.ant-spin-blur, .ant-spin-spinning, .ant-skeleton, [class*="-appear-active"], [class*="-enter-active"]'));

  it('shows revenue by share, drills into a product and exports CSV', async () => {
    const page = await signedIn(FINANCE, 'en');
    await page.getByTestId('nav-group-finance').waitFor();
    await page.getByTestId('nav-finance-revenue').click();
    await page.waitForURL(/\/console\/finance\/revenue/);
    const shown = page.locator('[data-testid="revenue-report"][data-group-by="period"]');
    await shown.waitFor();
    // The default range is the last twelve months; the figures are the API's for that range.
    const search = `from=${await shown.getAttribute('data-from')}&to=${await shown.getAttribute('data-to')}`;
    expect(search).toMatch(/^from=\d{4}-\d{2}&to=\d{4}-\d{2}$/);
    const byPeriod = await call(financeToken, 'GET', `/api/v1/finance/revenue?groupBy=period&${search}`);
    const total = byPeriod.totals.find((item: { currency: string }) => item.currency === 'CNY');
    expect(total.net).toBeGreaterThanOrEqual(paid.total * 0.9);
    expect(await page.getByTestId('revenue-total-net').innerText()).toContain(yuan(total.net));
    expect(await page.getByTestId('revenue-total-platform').innerText()).toContain(yuan(total.platform));
    expect(await page.getByTestId('revenue-total-agencies').innerText()).toContain(yuan(total.agencies));
    expect(await page.getByTestId('revenue-total-vendors').innerText()).toContain(yuan(total.vendors));
    await page.getByTestId('revenue-chart').locator('.recharts-bar-rectangle').first().waitFor();
    await settled(page);
    await shoot(page, 'finance-revenue-en');

    // By product: each product a row, the shares in its columns.
    await page.getByTestId('revenue-group-by').click();
    await page.locator('.ant-select-item-option[title="Product"]').click();
    await page.locator('[data-testid="revenue-report"][data-group-by="product"]').waitFor();
    const byProduct = await call(financeToken, 'GET', `/api/v1/finance/revenue?groupBy=product&${search}`);
    const scenic = byProduct.rows.find((item: { key: string }) => item.key === scenicProductId);
    const row = page.locator(`[data-testid="revenue-row"][data-key="${scenicProductId}"]`);
    expect(await row.getByTestId('revenue-net').innerText()).toBe(yuan(scenic.net));
    expect(await row.getByTestId('revenue-platform').innerText()).toBe(yuan(scenic.platform));
    expect(Number(await page.getByTestId('revenue-chart').getAttribute('data-bars'))).toBe(Math.min(12, byProduct.rows.length));
    await settled(page);
    await shoot(page, 'finance-revenue-by-product-en');

    // Drill-down: the product month by month.
    await row.getByTestId('revenue-drill').click();
    await page.waitForURL(new RegExp(`filterBy=product&filterId=${scenicProductId}`));
    await page.locator('[data-testid="revenue-report"][data-group-by="period"]').waitFor();
    // The filter names the product once its row is read.
    await page.getByTestId('revenue-filter').filter({ hasText: 'Scenic-spot visitors' }).waitFor();
    expect(await page.getByTestId('revenue-total-net').innerText()).toContain(yuan(scenic.net));

    // CSV of what is on screen, with a byte order mark for spreadsheet programs.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('revenue-export').click()]);
    expect(download.suggestedFilename()).toMatch(/^revenue-by-period-\d{4}-\d{2}-\d{4}-\d{2}\.csv$/);
    const csv = await readFile(await download.path());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8').slice(1).split('\n')[0]).toBe('group,key,label_zh,label_en,currency,net_minor,platform_minor,agencies_minor,vendors_minor,payments,net,platform,agencies,vendors');

    // The same as an Excel workbook (a zip file), saved as the server sent it.
    const [workbook] = await Promise.all([page.waitForEvent('download'), page.getByTestId('revenue-export-xlsx').click()]);
    expect(workbook.suggestedFilename()).toMatch(/^revenue-by-period-.*\.xlsx$/);
    const xlsx = await readFile(await workbook.path());
    expect(xlsx.subarray(0, 2).toString('latin1')).toBe('PK');
    await page.close();
  }, 120_000);

  it('shows the ledger: balanced account balances and the journal of an invoice', async () => {
    const page = await signedIn(FINANCE, 'zh-CN');
    await page.getByTestId('nav-finance-ledger').click();
    await page.getByTestId('account-row').first().waitFor();
    const accounts = (await call(financeToken, 'GET', '/api/v1/finance/accounts')).items as Array<{ account: string; balance: number }>;
    expect(await page.getByTestId('account-row').count()).toBe(accounts.length);
    expect(await page.getByTestId('trial-balance').getAttribute('data-balanced')).toBe('true');
    const clearing = accounts.find((item) => item.account === 'clearing:offline')!;
    expect(await page.locator('[data-testid="account-row"][data-account="clearing:offline"]').getByTestId('account-debit').innerText()).toBe(yuan(clearing.balance));
    await settled(page);
    await shoot(page, 'finance-ledger-accounts-zh-CN');

    // An account opens its entries.
    await page.locator('[data-testid="account-open"][data-account="receivable"]').click();
    await page.waitForURL(/tab=journal&account=receivable/);
    await page.getByTestId('journal-row').first().waitFor();

    // The paid invoice's entries: issued, then paid; its postings carry the invoice.
    await page.goto(`${web.url}/console/finance/ledger?tab=journal&invoiceId=${paid.invoiceId}`);
    await page.getByTestId('journal-invoice-filter').waitFor();
    await page.locator('[data-testid="journal-row"][data-kind="payment"]').waitFor();
    expect(await page.getByTestId('journal-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-kind')))).toEqual(['payment', 'invoice_issued']);
    // Described in Chinese from the entry's kind; the ledger's English memo stays at hand.
    const description = page.locator('[data-testid="journal-row"][data-kind="payment"]').getByTestId('journal-description');
    expect(await description.innerText()).toBe(`收款 BANK-${paid.number}（发票 ${paid.number}）`);
    expect(await description.getAttribute('data-memo')).toBe(`Payment BANK-${paid.number} for invoice ${paid.number}`);
    expect(await page.locator('[data-testid="journal-row"][data-kind="invoice_issued"]').getByTestId('journal-description').innerText()).toBe(`开具发票 ${paid.number}`);
    await page.locator('[data-testid="journal-row"][data-kind="payment"] .ant-table-row-expand-icon').click();
    const postings = page.getByTestId('journal-postings').first();
    await postings.waitFor();
    expect(await postings.locator('[data-testid="account-label"][data-account="clearing:offline"]').count()).toBe(1);
    expect(await postings.getByTestId('posting-debit').first().innerText()).toBe(yuan(paid.total));
    expect(await postings.getByTestId('dimension-invoice').first().innerText()).toContain(paid.number);
    await settled(page);
    await shoot(page, 'finance-ledger-journal-zh-CN');
    await page.close();
  }, 120_000);

  it('shows receivables by age and the reconciliation with the payment records', async () => {
    const page = await signedIn(FINANCE, 'en');
    await page.getByTestId('nav-finance-receivables').click();
    const unpaid = page.locator(`[data-testid="receivable-row"][data-invoice-number="${open.number}"]`);
    await unpaid.waitFor();
    expect(await unpaid.getAttribute('data-bucket')).toBe('current');
    expect(await unpaid.getByTestId('receivable-outstanding').innerText()).toBe(yuan(open.total));
    await page.getByTestId('ageing-chart').locator('.recharts-bar-rectangle').first().waitFor();
    const ageing = await call(financeToken, 'GET', '/api/v1/finance/receivables/ageing');
    const outstanding = ageing.buckets.filter((bucket: { currency: string }) => bucket.currency === 'CNY').reduce((sum: number, bucket: { outstanding: number }) => sum + bucket.outstanding, 0);
    expect(await page.getByTestId('receivables-total').innerText()).toContain(yuan(outstanding));
    await settled(page);
    await shoot(page, 'finance-receivables-en');
    // The invoice number opens its journal.
    await unpaid.getByTestId('receivable-invoice-link').click();
    await page.waitForURL(new RegExp(`invoiceId=${open.invoiceId}`));
    await page.locator('[data-testid="journal-row"][data-kind="invoice_issued"]').waitFor();

    await page.getByTestId('nav-finance-reconciliation').click();
    const report = page.getByTestId('reconciliation-report');
    await report.waitFor();
    const api = await call(financeToken, 'GET', '/api/v1/finance/reconciliation');
    expect(await report.getAttribute('data-matched')).toBe(String(api.matched));
    expect(Number(await report.getAttribute('data-issues'))).toBe(api.issues.length);
    expect(await page.getByTestId('reconciliation-status').innerText()).toMatch(api.matched ? /^Reconciled/ : new RegExp(`^Not reconciled: ${api.issues.length} difference`));
    const offline = api.providers.find((total: { provider: string; currency: string }) => total.provider === 'offline' && total.currency === 'CNY');
    expect(await page.locator('[data-testid="provider-row"][data-provider="offline"]').getByTestId('provider-net').innerText()).toBe(yuan(offline.providerNet));
    expect(await page.getByTestId('issue-row').count()).toBe(api.issues.length);
    await settled(page);
    await shoot(page, 'finance-reconciliation-en');
    await page.close();
  }, 120_000);

  it('lists the periods with their net revenue; only finance analysts close them', async () => {
    const periods = await call(financeToken, 'GET', '/api/v1/finance/periods');
    const current = periods.items.find((item: { period: string }) => item.period === periods.currentPeriod);
    const page = await signedIn(FINANCE, 'zh-CN');
    await page.getByTestId('nav-finance-periods').click();
    const row = page.locator(`[data-testid="period-row"][data-period="${periods.currentPeriod}"]`);
    await row.waitFor();
    expect(await row.getByTestId('period-status').getAttribute('data-value')).toBe('current');
    expect(await row.getByTestId('period-net').innerText()).toBe(yuan(current.netRevenue.CNY));
    expect(await row.getByTestId('period-entries').innerText()).toBe(new Intl.NumberFormat('zh-CN').format(current.entries));
    // The current month cannot be closed before it ends.
    expect(await row.locator('button').count()).toBe(0);
    // Last month can (closing it is left to the e2e tests: it would lock the month for every test file of the run).
    const [year, month] = (periods.currentPeriod as string).split('-').map(Number) as [number, number];
    const previous = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
    const close = page.getByTestId(`period-close-${previous}`);
    if ((await page.locator(`[data-testid="period-row"][data-period="${previous}"][data-closed="false"]`).count()) === 1) {
      await close.click();
      await page.getByTestId('period-close-note').fill('月末结账');
      await settled(page);
      expect(await page.locator('.ant-modal').innerText()).toContain('不可撤销');
      await shoot(page, 'finance-period-close-zh-CN');
      await page.getByTestId('period-close-cancel').click();
      await page.getByTestId('period-close-note').waitFor({ state: 'detached' });
    }
    await settled(page);
    await shoot(page, 'finance-periods-zh-CN');
    await page.close();

    // Supervision follows the periods without the action.
    const supervisor = await signedIn(SUPERVISOR, 'en');
    await supervisor.getByTestId('nav-finance-periods').click();
    await supervisor.getByTestId('period-row').first().waitFor();
    await supervisor.getByTestId('periods-read-only').waitFor();
    expect(await supervisor.locator('[data-testid^="period-close-"]').count()).toBe(0);
    await supervisor.close();
  }, 120_000);

  it('shows the sharing policy in percent and checks a new one before sending it', async () => {
    const { policy } = await call(financeToken, 'GET', '/api/v1/finance/policy');
    const percent = (bp: number) => `${bp / 100}%`;
    const page = await signedIn(FINANCE, 'en');
    await page.getByTestId('nav-finance-policy').click();
    await page.getByTestId('policy-current').waitFor();
    expect(await page.getByTestId('policy-platform-fee').innerText()).toBe(percent(policy.platformFeeBp));
    expect(await page.getByTestId('policy-default-royalty').innerText()).toBe(percent(policy.defaultRoyaltyBp));
    expect(await page.getByTestId('policy-vat').innerText()).toBe(percent(policy.vatRateBp));
    expect(await page.getByTestId('policy-form-platform-fee').inputValue()).toBe((policy.platformFeeBp / 100).toFixed(2));
    // A fee that leaves no room for the royalties is refused beside the field, before any request (the policy of the run stays as it is).
    let posted = false;
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/v1/finance/policy')) posted = true;
    });
    await page.getByTestId('policy-form-platform-fee').fill('95');
    await page.getByTestId('policy-form-submit').click();
    await page.getByText(/together exceed 100 %/).waitFor();
    expect(posted).toBe(false);
    await settled(page);
    await shoot(page, 'finance-policy-en');
    await page.close();
  }, 120_000);

  it('prepares last month\'s settlements and lists them with totals and statements', async () => {
    const periods = await call(financeToken, 'GET', '/api/v1/finance/periods');
    const [year, month] = (periods.currentPeriod as string).split('-').map(Number) as [number, number];
    const previous = month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
    const page = await signedIn(FINANCE, 'en');
    await page.getByTestId('nav-finance-settlements').click();
    await page.waitForURL(/\/console\/finance\/settlements/);
    await page.getByTestId('settlements-totals').waitFor();
    await settled(page);
    // Last month is chosen; preparing it (safe to repeat) answers with whatever it owes, maybe nothing: the test's sales are this month's.
    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/api/v1/finance/settlements/run') && response.request().method() === 'POST'),
      page.getByTestId('settlements-prepare').click(),
    ]);
    expect(answer.status()).toBe(200);
    const prepared = (await answer.json()).items as Array<{ id: string; kind: string; period: string }>;
    expect(prepared.filter((item) => item.period !== previous)).toEqual([]);
    await settled(page);
    const listed = (await call(financeToken, 'GET', `/api/v1/finance/settlements?period=${previous}`)).items as Array<{ kind: string; amount: number; currency: string }>;
    expect(listed.length).toBe(prepared.length);
    expect(await page.getByTestId('settlement-row').count()).toBe(listed.length);
    if (listed.length === 0) await page.getByTestId('settlements-empty').waitFor();
    const payouts = listed.filter((item) => item.kind === 'payout' && item.currency === 'CNY').reduce((sum, item) => sum + item.amount, 0);
    expect(await page.getByTestId('settlements-total-payout').first().innerText()).toContain(yuan(payouts));
    expect(await page.locator('[data-testid="settlements-prepare-error"]').count()).toBe(0);
    await page.close();

    // Both widths, both languages; supervision reads without the actions.
    for (const width of [1366, 390]) {
      for (const language of ['en', 'zh-CN'] as const) {
        const shown = await signedIn(FINANCE, language, width);
        await shown.goto(`${web.url}/console/finance/settlements?period=${previous}`);
        await shown.getByTestId('settlements-totals').waitFor();
        await settled(shown);
        const title = await shown.getByTestId('page-title').innerText();
        expect(/[\u4e00-\u9fff]/.test(title)).toBe(language === 'zh-CN');
        await shoot(shown, `finance-settlements-${language}${width < 600 ? '-phone' : '-desktop'}`);
        expect(await shown.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
        await shown.close();
      }
    }
    const supervisor = await signedIn(SUPERVISOR, 'en');
    await supervisor.getByTestId('nav-finance-settlements').click();
    await supervisor.getByTestId('settlements-read-only').waitFor();
    expect(await supervisor.getByTestId('settlements-prepare').count()).toBe(0);
    expect(await supervisor.getByTestId('settlement-mark-paid').count()).toBe(0);
    await supervisor.close();
  }, 180_000);

  it('shows a vendor its earnings and an agency its royalties', async () => {
    const vendor = await signedIn(VENDOR, 'en');
    // The menu names the page as it names itself: a vendor's earnings, apart from its licences sold ("Sales").
    expect(await vendor.getByTestId('nav-revenue').innerText()).toBe('Earnings');
    expect(await vendor.getByTestId('nav-sales').innerText()).toBe('Sales');
    await vendor.getByTestId('nav-revenue').click();
    await vendor.locator('[data-testid="statement"][data-role="vendor"]').waitFor();
    expect(await vendor.getByTestId('page-title').innerText()).toBe('Earnings');
    await vendor.locator(`[data-testid="statement-row"][data-product-id="${scenicProductId}"]`).first().waitFor();
    await vendor.getByTestId('statement-chart').locator('.recharts-bar-rectangle').first().waitFor();
    const sales = await call((await login(http(), VENDOR, PASSWORD)).token, 'GET', '/api/v1/revenue/statement');
    expect(await vendor.getByTestId('statement-owed').innerText()).toContain(yuan(-sales.balances[0].balance));
    await settled(vendor);
    await shoot(vendor, 'finance-statement-vendor-en');
    await vendor.close();

    const steward = await signedIn(WEATHER_STEWARD, 'zh-CN');
    expect(await steward.getByTestId('nav-revenue').innerText()).toBe('数据分成');
    await steward.getByTestId('nav-revenue').click();
    await steward.locator('[data-testid="statement"][data-role="agency"]').waitFor();
    expect(await steward.getByTestId('page-title').innerText()).toBe('数据分成');
    // Both products are built on the weather observations.
    expect(await steward.getByTestId('statement-row').count()).toBeGreaterThanOrEqual(2);
    expect(await steward.getByTestId('statement-table').innerText()).toContain('气象日观测数据');
    await settled(steward);
    await shoot(steward, 'finance-statement-agency-zh-CN');
    await steward.close();
  }, 120_000);

  it('publishes the year\'s revenue from government data to anyone, without a login', async () => {
    const report = await call(financeToken, 'GET', `/api/v1/public/disclosure/${new Date().getFullYear()}`);
    for (const [language, width] of [['en', 1366], ['zh-CN', 390]] as const) {
      await browser.context.clearCookies();
      const page = await browser.context.newPage();
      await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
      await page.goto(`${web.url}/`);
      await page.evaluate((lang) => window.localStorage.setItem('civic.language', lang), language);
      await page.goto(`${web.url}/disclosure`);
      await page.getByTestId('disclosure-page').waitFor();
      await page.getByTestId('disclosure-licensees').waitFor();
      expect(await page.getByTestId('disclosure-licensees').innerText()).toContain(String(report.licensees));
      if (language === 'en') expect(await page.getByTestId('disclosure-agencies').innerText()).toContain(yuan(report.agencyRoyalties.CNY));
      await page.getByTestId('disclosure-agency-chart').locator('.recharts-bar-rectangle').first().waitFor();
      await settled(page);
      await shoot(page, `disclosure-${language}${width < 600 ? '-phone' : ''}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      // The brand whole; the price list within the screen, nothing scrolled out of it.
      expect(await page.getByTestId('brand').evaluate((brand) => brand.scrollWidth <= brand.clientWidth + 1)).toBe(true);
      const prices = page.getByTestId('disclosure-prices');
      const pricesBox = (await prices.boundingBox())!;
      expect(pricesBox.x + pricesBox.width).toBeLessThanOrEqual(width);
      expect(await prices.locator('.ant-table-content, .ant-table-body').first().evaluate((table) => table.scrollWidth <= table.clientWidth + 1)).toBe(true);
      // Names beside the bars never touch, and carry the whole name for a tooltip.
      const ticks = page.getByTestId('disclosure-agency-chart').getByTestId('category-tick');
      const boxes = (await ticks.evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().toJSON()))) as Box[];
      expect(boxes.length).toBe(report.agencies.length);
      boxes.sort((a, b) => a.y - b.y);
      for (let index = 1; index < boxes.length; index += 1) expect(boxes[index]!.y).toBeGreaterThanOrEqual(boxes[index - 1]!.y + boxes[index - 1]!.height + 4);
      expect(await ticks.evaluateAll((elements) => elements.map((element) => element.querySelector('title')?.textContent).sort())).toEqual(report.agencies.map((agency: { agencyName: string }) => agency.agencyName).sort());
      await page.close();
    }
  }, 120_000);

  it('writes the revenue axis in one style in Chinese', async () => {
    const page = await signedIn(FINANCE, 'zh-CN');
    await page.goto(`${web.url}/console/finance/revenue`);
    await page.getByTestId('revenue-chart').locator('.recharts-bar-rectangle').first().waitFor();
    await settled(page);
    // The amounts' ticks (the months' are on the other axis).
    const ticks = (await page.getByTestId('revenue-chart').locator('.recharts-cartesian-axis-tick-value').allTextContents()).map((tick) => tick.trim()).filter((tick) => tick.startsWith('¥'));
    expect(ticks.length).toBeGreaterThan(2);
    // Every label abbreviated (¥5万) or none (¥3,000): never "¥9000" beside "¥1.2万".
    expect(new Set(ticks.filter((tick) => tick !== '¥0').map((tick) => /[万亿]/.test(tick))).size).toBe(1);
    for (const tick of ticks) expect(tick).not.toMatch(/\d{4}/);
    await shoot(page, 'finance-revenue-zh-CN');
    await page.close();
  }, 120_000);

  it('opens the console menu over the page on a phone, closes it on navigation, and keeps the header apart', async () => {
    for (const language of ['zh-CN', 'en'] as const) {
      const page = await signedIn(FINANCE, language, 390);
      await page.getByTestId('console-menu-button').waitFor();
      await settled(page);
      // The organization's name shortens before it reaches the language switch and the user menu.
      const organization = (await page.getByTestId('current-organization').boundingBox())!;
      const languageSwitch = (await page.getByTestId('language-switch').boundingBox())!;
      const userMenu = (await page.getByTestId('user-menu').boundingBox())!;
      expect([overlaps(organization, languageSwitch), overlaps(organization, userMenu), overlaps(languageSwitch, userMenu)]).toEqual([false, false, false]);
      expect(organization.x + organization.width).toBeLessThanOrEqual(languageSwitch.x);

      // The menu covers the page instead of pushing it aside.
      const content = page.locator('.ant-layout-content');
      const before = (await content.boundingBox())!;
      expect(before.width).toBeGreaterThanOrEqual(390 - 2 * 12 - 1);
      await page.getByTestId('console-menu-button').click();
      const drawer = page.getByTestId('console-nav-drawer');
      await drawer.waitFor();
      // Slid fully in (its motion may not have begun when the panel appears).
      await page.waitForFunction(() => document.querySelector('[data-testid="console-nav-drawer"]')!.getBoundingClientRect().left >= 0);
      await settled(page);
      expect(await content.boundingBox()).toEqual(before);
      const panel = (await drawer.boundingBox())!;
      expect(panel.x).toBeGreaterThanOrEqual(0);
      expect(panel.x + panel.width).toBeLessThanOrEqual(390);
      await shoot(page, `console-menu-${language}-phone`, { fullPage: false });

      // Choosing a page closes it; the page's title keeps its words whole.
      await drawer.getByTestId('nav-finance-settlements').click();
      await page.waitForURL(/\/console\/finance\/settlements/);
      await drawer.waitFor({ state: 'hidden' });
      await page.getByTestId('settlements-totals').waitFor();
      const title = await page.getByTestId('page-title').evaluate((element) => ({ height: element.getBoundingClientRect().height, line: parseFloat(getComputedStyle(element).lineHeight) }));
      expect(title.height).toBeLessThan(title.line * 1.5);
      await page.close();
    }
  }, 120_000);

  it('marks refunded invoices in the lists and says the refund limit once, at both widths', async () => {
    for (const [language, width] of [['en', 1366], ['zh-CN', 390]] as const) {
      const page = await signedIn(FINANCE, language, width);
      const suffix = `${language}${width < 600 ? '-phone' : '-desktop'}`;
      await page.goto(`${web.url}/console/finance/invoices`);
      const row = page.locator(`[data-testid="finance-invoice-row"][data-invoice-number="${refunded.number}"]`);
      await row.waitFor();
      expect(await row.getByTestId('invoice-refund-status').getAttribute('data-value')).toBe('partly_refunded');
      expect(await row.getByTestId('invoice-row-refunded').getAttribute('data-amount')).toBe('10000');
      await settled(page);
      await shoot(page, `finance-invoices-${suffix}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);

      // The payment and its Refund button, within the screen.
      await row.locator('.ant-table-row-expand-icon').click();
      const refund = page.getByTestId('payment-refund');
      await refund.waitFor();
      await settled(page);
      await shoot(page, `finance-invoice-payments-${suffix}`);
      const button = (await refund.boundingBox())!;
      expect(button.x + button.width).toBeLessThanOrEqual(width);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);

      // More than remains: the limit is said once, as the field's error.
      await refund.click();
      await page.getByTestId('refund-amount').fill(((refunded.remaining + 100) / 100).toFixed(2));
      await page.getByTestId('refund-reason').fill('Too much');
      await page.getByTestId('refund-submit').click();
      await page.locator('.ant-modal .ant-form-item-explain-error').first().waitFor();
      await settled(page);
      const dialog = await page.locator('.ant-modal').innerText();
      expect(dialog.split(language === 'en' ? 'At most' : '最多').length - 1).toBe(1);
      await shoot(page, `finance-refund-limit-${suffix}`, { fullPage: false });
      await page.locator('.ant-modal-footer button').first().click();
      await page.getByTestId('refund-amount').waitFor({ state: 'detached' });
      await page.close();
    }
  }, 120_000);

  it('fits a phone and reads in both languages on every finance page', async () => {
    const pages: Array<{ name: string; who: string; url: string; ready: string }> = [
      { name: 'finance-revenue', who: FINANCE, url: '/console/finance/revenue', ready: 'revenue-table' },
      { name: 'finance-revenue-by-agency', who: FINANCE, url: '/console/finance/revenue?groupBy=agency', ready: 'revenue-table' },
      { name: 'finance-invoices', who: FINANCE, url: '/console/finance/invoices', ready: 'finance-invoice-row' },
      { name: 'finance-ledger-accounts', who: FINANCE, url: '/console/finance/ledger', ready: 'account-row' },
      { name: 'finance-ledger-journal', who: FINANCE, url: `/console/finance/ledger?tab=journal&invoiceId=${paid.invoiceId}`, ready: 'journal-row' },
      { name: 'finance-receivables', who: FINANCE, url: '/console/finance/receivables', ready: 'receivable-row' },
      { name: 'finance-reconciliation', who: FINANCE, url: '/console/finance/reconciliation', ready: 'reconciliation-report' },
      { name: 'finance-settlements', who: FINANCE, url: '/console/finance/settlements', ready: 'settlements-totals' },
      { name: 'finance-periods', who: FINANCE, url: '/console/finance/periods', ready: 'period-row' },
      { name: 'finance-policy', who: FINANCE, url: '/console/finance/policy', ready: 'policy-current' },
      { name: 'finance-statement-vendor', who: VENDOR, url: '/console/revenue', ready: 'statement-row' },
      { name: 'finance-statement-agency', who: WEATHER_STEWARD, url: '/console/revenue', ready: 'statement-row' },
    ];
    for (const width of loopWidths) {
      for (const who of [...new Set(pages.map((entry) => entry.who))]) {
        const page = await signedIn(who, 'zh-CN', width);
        for (const language of ['zh-CN', 'en'] as const) {
          await page.evaluate((lang) => window.localStorage.setItem('civic.language', lang), language);
          for (const entry of pages.filter((candidate) => candidate.who === who)) {
            await page.goto(`${web.url}${entry.url}`);
            await page.getByTestId(entry.ready).first().waitFor();
            if (entry.name === 'finance-ledger-journal') await page.locator('.ant-table-row-expand-icon').first().click();
            await settled(page);
            const name = `${entry.name}-${language}${width < 600 ? '-phone' : '-desktop'}`;
            // The page's own texts in the chosen language (names of organizations are bilingual).
            const title = await page.getByTestId('page-title').innerText();
            expect([name, /[\u4e00-\u9fff]/.test(title)]).toEqual([name, language === 'zh-CN']);
            await shoot(page, name);
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            expect([name, overflow <= 1]).toEqual([name, true]);
          }
        }
        await page.close();
      }
    }
  }, 300_000);
});
