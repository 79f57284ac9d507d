import type { Page } from 'playwright-core';
import { launchBrowser, shoot, loopWidths } from '../support/browser.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';
import { startWeb, type RunningWeb } from '../support/web.js';
import { apiOk, Http, login } from '../support/http.js';

const PASSWORD = 'Demo-pass-2026';
const SURVEY = 'urban-channel-construction-survey-2011-2015';
const HOSPITAL = 'hospital-outpatient-visits';
const SQL = `SELECT "年份" AS year,\n       "渠道综合应用率(%)" - "渠道建设形式创新率(%)" AS gap\nFROM survey\nORDER BY year`;

type Language = 'zh-CN' | 'en';

/**
 * Clicks a listing action (`listing-<action>`) and its confirmation until `banner` shows. On a
 * loaded machine a click that lands while the confirmation is still opening can be lost: the
 * confirmation is opened again if it closed, and clicked again (once the action is in flight,
 * its button ignores clicks).
 */
async function confirmListingAction(page: Page, action: 'submit' | 'publish', banner: string): Promise<void> {
  const confirm = page.getByTestId(`listing-confirm-${action}`);
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    if (!(await confirm.isVisible())) await page.getByTestId(`listing-${action}`).click({ timeout: 5_000 }).catch(() => undefined);
    await confirm.click({ timeout: 5_000 }).catch(() => undefined);
    const done = await page
      .getByTestId(banner)
      .waitFor({ timeout: 10_000 })
      .then(() => true)
      .catch(() => false);
    if (done) return;
  }
  throw new Error(`the product's ${action} did not go through`);
}

describe('value-added products in headless Chromium', () => {
  let platform: RunningPlatform;
  let web: RunningWeb;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  const suffix = Date.now().toString(36);
  const title = { zh: `渠道差距 ${suffix}`, en: `Channel gap ${suffix}` };
  let product: { id: string; slug: string } | null = null;

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: true });
    web = await startWeb(platform.baseUrl);
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await platform?.close();
  });

  async function freshPage(language: Language, width = 1366): Promise<Page> {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
    await page.addInitScript((lang) => window.localStorage.setItem('civic.language', lang), language);
    return page;
  }

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${web.url}/login`);
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/console/);
  }

  const apiLogin = async (email: string): Promise<string> => (await login(new Http(platform.baseUrl), email, PASSWORD)).token;
  const apiCall = (token: string, method: string, route: string, body?: unknown): Promise<any> => apiOk(new Http(platform.baseUrl), token, method, route, body);

  async function shot(page: Page, name: string): Promise<void> {
    await shoot(page, name, {
      // CodeMirror measures its lines once scrolled into view: scroll through before a full-page shot.
      before: async () => {
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        await page.waitForTimeout(150);
        await page.evaluate(() => window.scrollTo(0, 0));
      },
    });
  }

  /** Replaces the editor's text as a person would: select all, then type (insert) the new SQL. */
  async function typeSql(page: Page, sql: string): Promise<void> {
    await page.locator('[data-testid="sql-editor"] .cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(sql);
    await page.keyboard.press('Escape');
  }

  it('lets a vendor build a product over open data: dry run, live run, version with its gate report, lineage, submission', async () => {
    const page = await freshPage('en');
    await signIn(page, 'vendor@cityflow.demo');
    await page.getByTestId('nav-products').click();
    await page.getByTestId('products-table').waitFor();
    await page.getByTestId('product-create-open').click();
    await page.getByTestId('product-form-title-zh').fill(title.zh);
    await page.getByTestId('product-form-title-en').fill(title.en);
    await page.getByTestId('product-form-theme').click();
    await page.getByTitle('Transport and passenger flow').click();
    await page.getByTestId('input-source-0').click();
    await page.keyboard.type('channel');
    await page.getByTestId(`input-option-${SURVEY}`).click();
    await page.getByTestId('input-name-0').fill('survey');
    await shot(page, 'products-create-en');
    await page.getByTestId('product-create-submit').click();
    await page.waitForURL(/\/console\/products\/[0-9a-f-]{36}/);
    const id = page.url().split('/').pop()!.split('?')[0]!;
    await page.getByTestId('sql-editor').waitFor();

    // DuckDB's own error, with its line and column, beside the editor.
    await typeSql(page, 'SELECT "年份" AS year\nFROM survey\nWHER "年份" > 2012');
    await page.getByTestId('dry-run').click();
    await page.getByTestId('derive-error').waitFor();
    expect(await page.getByTestId('derive-error').getAttribute('data-code')).toBe('derive.syntax');
    expect(await page.getByTestId('derive-error-location').innerText()).toMatch(/Line 3, column \d+/);
    await shot(page, 'products-dry-run-error-en');
    // A binder error is placed the same way: the line marked, the token underlined.
    await typeSql(page, 'SELECT "年份" AS year\nFROM survey\nORDER BY nothing');
    await page.getByTestId('dry-run').click();
    await page.locator('[data-testid="derive-error"][data-code="derive.unknown_column"]').waitFor();
    expect(await page.getByTestId('derive-error-location').innerText()).toBe('Line 3, column 10');
    expect(await page.locator('.civic-sql-error-line').innerText()).toBe('ORDER BY nothing');
    expect(await page.locator('.civic-sql-error-token').innerText()).toBe('nothing');

    await typeSql(page, SQL);
    await page.getByTestId('dry-run').click();
    await page.getByTestId('dry-run-result').waitFor();
    expect(await page.getByTestId('gate-plan').getAttribute('data-rule')).toBe('none');
    expect(await page.getByTestId('dry-run-columns').innerText()).toContain('survey.年份');
    await page.getByTestId('dry-run-tab-rows').click();
    await page.getByTestId('dry-run-rows').getByRole('cell', { name: '2015', exact: true }).waitFor();
    await shot(page, 'products-dry-run-en');

    // Saves the SQL and runs it; the page follows the run through its stages.
    await page.getByTestId('run-start').click();
    await page.getByTestId('run-progress').waitFor();
    const statuses = new Set<string>();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const progress = page.getByTestId('run-progress');
      const status = (await progress.getAttribute('data-status')) ?? '';
      statuses.add(`${status}:${(await progress.getAttribute('data-stage')) ?? ''}`);
      if (!['queued', 'running'].includes(status)) break;
      if (Date.now() > deadline) throw new Error(`run still ${status}`);
      await page.waitForTimeout(100);
    }
    expect(await page.getByTestId('run-progress').getAttribute('data-status')).toBe('succeeded');
    expect([...statuses].some((seen) => seen.startsWith('queued') || seen.startsWith('running'))).toBe(true);
    expect(await page.locator('[data-testid="run-steps"] .ant-steps-item-finish').count()).toBe(5);
    expect(await page.getByTestId('run-succeeded').innerText()).toContain('Version 1 made: 5 rows.');
    await page.getByTestId('product-current-version').getByText('Version 1').waitFor();
    await shot(page, 'products-run-succeeded-en');

    await page.getByTestId('product-tab-versions').click();
    await page.locator('[data-testid="product-version"][data-version="1"]').waitFor();
    expect(await page.getByTestId('gate-report').first().getAttribute('data-outcome')).toBe('passed');
    expect(await page.getByTestId('gate-summary').first().innerText()).toBe('5 rows passed the gate.');
    await shot(page, 'products-versions-en');

    await page.getByTestId('product-tab-lineage').click();
    await page.locator('[data-testid="lineage-node"][data-kind="dataset_version"]').first().waitFor();
    expect(await page.locator(`[data-testid="lineage-node"][data-slug="${SURVEY}"]`).count()).toBe(1);
    expect(await page.getByTestId('agency-shares').innerText()).toContain('1/1');
    await shot(page, 'products-lineage-en');

    // Submitting needs a description, which buyers read before they buy: written on the Details tab.
    expect(await page.getByTestId('listing-submit').isDisabled()).toBe(true);
    expect(await page.getByTestId('listing-submit-blocked').innerText()).toContain('Describe the product on the Details tab first');
    await shot(page, 'products-submit-needs-description-en');
    await page.getByTestId('product-tab-details').click();
    await page.getByTestId('product-form-description-en').fill('The gap between two channel construction rates, by year.');
    await page.getByTestId('product-metadata-save').click();
    await page.waitForFunction(() => !(document.querySelector('[data-testid="listing-submit"]') as HTMLButtonElement | null)?.disabled);
    await confirmListingAction(page, 'submit', 'banner-submitted');
    expect(await page.getByTestId('product-status').first().getAttribute('data-value')).toBe('submitted');
    expect(await page.getByTestId('sql-editor').getAttribute('data-readonly')).toBe('true');
    const detail = await apiCall(await apiLogin('vendor@cityflow.demo'), 'GET', `/api/v1/products/${id}`);
    product = { id, slug: detail.slug };
    await page.close();
  });

  it('lets the platform operator approve it from the review queue, and the vendor publish it', async () => {
    expect(product).not.toBeNull();
    const admin = await freshPage('zh-CN');
    await signIn(admin, 'admin@platform.demo');
    await admin.getByTestId('nav-product-reviews').click();
    await admin.getByTestId(`review-link-${product!.slug}`).waitFor();
    await shot(admin, 'product-reviews-queue-zh-CN');
    await admin.getByTestId(`review-link-${product!.slug}`).click();
    await admin.getByTestId('gate-report').waitFor();
    expect(await admin.getByTestId('gate-summary').innerText()).toBe('5 行通过隐私检查。');
    await admin.getByTestId('review-tab-derivation').click();
    await admin.getByTestId('review-sql').getByText('FROM survey').waitFor();
    await admin.getByTestId('review-tab-lineage').click();
    await admin.getByTestId('lineage-graph').waitFor();
    await shot(admin, 'product-review-zh-CN');
    await admin.getByTestId('review-approve').click();
    await admin.getByTestId('review-approve-submit').click();
    await admin.getByTestId('review-decided').waitFor();
    await admin.close();

    // Government supervision reads the review, with who decided, and has nothing to decide.
    const supervisor = await freshPage('en', 390);
    await signIn(supervisor, 'supervisor@platform.demo');
    await supervisor.goto(`${web.url}/console/product-reviews/${product!.id}`);
    await supervisor.getByTestId('review-state').waitFor();
    expect(await supervisor.getByTestId('review-decided-by').first().innerText()).toContain('Platform Admin');
    expect(await supervisor.getByTestId('review-approve').count()).toBe(0);
    await shot(supervisor, 'product-review-supervisor-en-phone');
    await supervisor.close();

    const vendor = await freshPage('en');
    await signIn(vendor, 'vendor@cityflow.demo');
    await vendor.goto(`${web.url}/console/products/${product!.id}`);
    await vendor.getByTestId('banner-approved').waitFor();
    await confirmListingAction(vendor, 'publish', 'banner-published');
    await vendor.close();
  });

  it('shows the published product to anonymous visitors: description, schema, privacy, sample and lineage', async () => {
    expect(product).not.toBeNull();
    for (const language of ['en', 'zh-CN'] as const) {
      const page = await freshPage(language);
      await page.goto(web.url);
      await page.getByTestId('header-products').click();
      await page.waitForURL(/\/products$/);
      await page.locator(`[data-testid="product-card"][data-slug="${product!.slug}"]`).waitFor();
      await shot(page, `storefront-products-${language}`);
      // Words of the title find it (and nothing else), and stay in the address.
      await page.getByTestId('storefront-search').fill(suffix);
      await page.getByTestId('storefront-search').press('Enter');
      await page.waitForURL(new RegExp(`[?&]q=${suffix}`));
      await page.waitForFunction((count) => document.querySelectorAll('[data-testid="product-card"]').length === count, 1);
      await page.locator(`[data-testid="product-card"][data-slug="${product!.slug}"]`).getByTestId('product-card-title').click();
      await page.getByTestId('product-title').waitFor();
      expect(await page.getByTestId('product-title').innerText()).toBe(language === 'en' ? title.en : title.zh);
      expect(await page.getByTestId('product-publisher').innerText()).toContain('CityFlow');
      expect(await page.getByTestId('product-privacy').getByTestId('gate-outcome').getAttribute('data-value')).toBe('passed');
      await page.getByTestId('product-tab-sample').click();
      await page.getByTestId('product-sample').getByRole('cell', { name: '2015', exact: true }).waitFor();
      await page.getByTestId('product-tab-lineage').click();
      await page.locator(`[data-testid="lineage-node"][data-slug="${SURVEY}"]`).waitFor();
      await shot(page, `storefront-product-${language}`);
      // The tab is in the address, so a reload keeps it; a dataset in the lineage leads to its page.
      expect(new URL(page.url()).searchParams.get('tab')).toBe('lineage');
      await page.reload();
      await page.locator(`[data-testid="lineage-node"][data-slug="${SURVEY}"]`).click();
      await page.waitForURL(new RegExp(`/catalog/${SURVEY}$`));
      await page.close();
    }
  });

  it('fits a phone and reads in both languages on every product page, and shows a gate that suppressed small cells', async () => {
    expect(product).not.toBeNull();
    // A product over restricted hospital data, made through the API: its gate suppresses small cells
    // and the health commission must review it.
    const vendorToken = await apiLogin('vendor@cityflow.demo');
    const hospital = await (await fetch(`${platform.baseUrl}/api/v1/catalog/datasets/${HOSPITAL}`)).json();
    const restricted = await apiCall(vendorToken, 'POST', '/api/v1/products', {
      kind: 'derived',
      slug: `browser-outpatient-${suffix}`,
      titleZh: `门诊量（按区与科室）${suffix}`,
      titleEn: `Outpatient visits by district and department ${suffix}`,
      descriptionEn: 'Outpatient visits by district and department.',
      theme: 'health',
      sql: 'SELECT district, department, icd10_chapter, count(*) AS visits, round(avg(cost_yuan)) AS avg_cost\nFROM visits\nGROUP BY ALL',
      inputs: [{ name: 'visits', datasetId: hospital.id }],
    });
    const started = await apiCall(vendorToken, 'POST', `/api/v1/products/${restricted.id}/runs`);
    for (let run = started; ['queued', 'running'].includes(run.status); await new Promise((resolve) => setTimeout(resolve, 200))) {
      run = await apiCall(vendorToken, 'GET', `/api/v1/products/${restricted.id}/runs/${started.id}`);
      if (!['queued', 'running'].includes(run.status)) expect(run.status).toBe('succeeded');
    }
    await apiCall(vendorToken, 'POST', `/api/v1/products/${restricted.id}/submit`);
    // A draft the platform sent back: the vendor's list says so.
    const survey = await (await fetch(`${platform.baseUrl}/api/v1/catalog/datasets/${SURVEY}`)).json();
    const sentBack = await apiCall(vendorToken, 'POST', '/api/v1/products', {
      kind: 'derived',
      slug: `browser-sent-back-${suffix}`,
      titleZh: `退回修改 ${suffix}`,
      titleEn: `Sent back ${suffix}`,
      descriptionEn: 'Channel construction by year.',
      theme: 'statistics',
      sql: SQL,
      inputs: [{ name: 'survey', datasetId: survey.id }],
    });
    const sentBackRun = await apiCall(vendorToken, 'POST', `/api/v1/products/${sentBack.id}/runs`);
    for (let run = sentBackRun; ['queued', 'running'].includes(run.status); await new Promise((resolve) => setTimeout(resolve, 200))) {
      run = await apiCall(vendorToken, 'GET', `/api/v1/products/${sentBack.id}/runs/${sentBackRun.id}`);
    }
    await apiCall(vendorToken, 'POST', `/api/v1/products/${sentBack.id}/submit`);
    await apiCall(await apiLogin('admin@platform.demo'), 'POST', `/api/v1/product-reviews/${sentBack.id}/decision`, { decision: 'reject', reason: 'Describe the method.' });
    const own = (await apiCall(vendorToken, 'GET', '/api/v1/products')) as { items: Array<{ id: string; slug: string }> };
    const seededOutpatient = own.items.find((item) => item.slug.startsWith('outpatient-demand'));

    const published = (await (await fetch(`${platform.baseUrl}/api/v1/catalog/products`)).json()) as { items: Array<{ slug: string; theme: string }> };
    const outpatient = published.items.find((item) => item.slug.startsWith('outpatient-demand'));
    const pages: Array<{ name: string; who: string | null; url: string; ready: string; click?: string; then?: string }> = [
      { name: 'products-list', who: 'vendor@cityflow.demo', url: '/console/products', ready: 'product-changes-requested' },
      { name: 'products-workspace', who: 'vendor@cityflow.demo', url: `/console/products/${product!.id}`, ready: 'sql-editor' },
      { name: 'products-workspace-runs', who: 'vendor@cityflow.demo', url: `/console/products/${product!.id}?tab=runs`, ready: 'run-history' },
      { name: 'products-workspace-suppressed', who: 'vendor@cityflow.demo', url: `/console/products/${restricted.id}?tab=versions`, ready: 'gate-report' },
      ...(seededOutpatient
        ? [{ name: 'products-workspace-seeded-versions', who: 'vendor@cityflow.demo', url: `/console/products/${seededOutpatient.id}?tab=versions`, ready: 'gate-report' }]
        : []),
      { name: 'products-workspace-review', who: 'vendor@cityflow.demo', url: `/console/products/${restricted.id}?tab=review`, ready: 'review-state' },
      { name: 'products-workspace-details', who: 'vendor@cityflow.demo', url: `/console/products/${product!.id}?tab=details`, ready: 'product-metadata-form' },
      { name: 'product-reviews-agency', who: 'steward@health.demo', url: '/console/product-reviews', ready: 'product-review-queue' },
      { name: 'product-review-restricted', who: 'steward@health.demo', url: `/console/product-reviews/${restricted.id}`, ready: 'gate-report' },
      { name: 'storefront-products', who: null, url: '/products', ready: 'product-card' },
      { name: 'storefront-product', who: null, url: `/products/${product!.slug}`, ready: 'product-privacy' },
      { name: 'storefront-product-lineage', who: null, url: `/products/${product!.slug}`, ready: 'product-privacy', click: 'product-tab-lineage', then: 'lineage-graph' },
      // The demo's product on restricted hospital data (when the seed made it): no sample, and why.
      ...(outpatient
        ? [{ name: 'storefront-product-restricted', who: null, url: `/products/${outpatient.slug}`, ready: 'product-privacy', click: 'product-tab-sample', then: 'product-no-sample' }]
        : []),
    ];
    // Every page at phone width in both languages (text lengths differ) is checked for sideways
    // scrolling; desktop shots of every page are for people looking (BROWSER_SCREENSHOTS=all).
    for (const language of ['zh-CN', 'en'] as const) {
      for (const width of loopWidths) {
        let signedInAs: string | null = null;
        let page = await freshPage(language, width);
        for (const entry of pages) {
          if (entry.who !== signedInAs) {
            await page.close();
            page = await freshPage(language, width);
            if (entry.who) await signIn(page, entry.who);
            signedInAs = entry.who;
          }
          await page.goto(`${web.url}${entry.url}`);
          await page.getByTestId(entry.ready).first().waitFor();
          if (entry.click) {
            await page.getByTestId(entry.click).click();
            await page.getByTestId(entry.then!).first().waitFor();
          }
          await page.waitForFunction(() => !document.querySelector('.ant-spin-blur, .ant-spin-spinning'));
          const name = `${entry.name}-${language}${width < 600 ? '-phone' : ''}`;
          await shot(page, name);
          if (width < 600) {
            const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
            expect([name, overflow <= 1]).toEqual([name, true]);
          }
        }
        await page.close();
      }
    }
  }, 300_000);

  it("lets a steward set small-cell handling and a join pseudonym on the agency's data", async () => {
    const page = await freshPage('en');
    await signIn(page, 'steward@health.demo');
    const hospital = await (await fetch(`${platform.baseUrl}/api/v1/catalog/datasets/${HOSPITAL}`)).json();
    await page.goto(`${web.url}/console/datasets/${hospital.id}`);
    await page.getByTestId('manage-tab-metadata').click();
    await page.getByTestId('dataset-form-small-cells').waitFor();
    await shot(page, 'steward-small-cells-en');
    await page.getByTestId('manage-tab-columns').click();
    const personal = hospital.columns.find((column: { sensitivity: string }) => column.sensitivity === 'personal') as { name: string; joinPseudonym: boolean };
    expect(personal).toBeDefined();
    const toggle = page.getByTestId(`column-pseudonym-${personal.name}`);
    await toggle.waitFor();
    expect(await toggle.isDisabled()).toBe(false);
    const publicColumn = hospital.columns.find((column: { sensitivity: string }) => column.sensitivity !== 'personal');
    if (publicColumn) expect(await page.getByTestId(`column-pseudonym-${publicColumn.name}`).isDisabled()).toBe(true);
    // The seed may already expose it as a pseudonym: the switch shows the saved setting and flips it.
    expect(await toggle.getAttribute('aria-checked')).toBe(String(personal.joinPseudonym));
    await toggle.click();
    await page.waitForFunction(
      ([testId, expected]) => document.querySelector(`[data-testid="${testId}"]`)?.getAttribute('aria-checked') === expected,
      [`column-pseudonym-${personal.name}`, String(!personal.joinPseudonym)] as const,
    );
    expect(await page.getByTestId('columns-save').innerText()).toMatch(/1/);
    await shot(page, 'steward-pseudonym-en');
    // Other tests read this dataset: leave it as it was.
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await page.close();
  });

  it("completes inputs, columns, keywords and functions in the SQL editor, and tells a draft's owner when an input's privacy settings changed after its last run", async () => {
    // An agency's dataset of its own (other tests read the demo data), and a vendor's draft over it, run once.
    const stewardToken = await apiLogin('steward@transport.demo');
    const http = new Http(platform.baseUrl);
    const dataset = await apiCall(stewardToken, 'POST', '/api/v1/agency/datasets', {
      slug: `browser-readings-${suffix}`,
      titleZh: `路段读数 ${suffix}`,
      titleEn: `Road readings ${suffix}`,
      theme: 'transport',
      classification: 'open',
      minGroupSize: 2,
      smallCells: 'suppress',
    });
    const uploaded = await http.upload(`/api/v1/agency/datasets/${dataset.id}/uploads`, 'readings.csv', 'district,year,vehicles\nA,2021,10\nA,2022,12\nA,2023,11\nB,2021,7\nB,2022,9\nB,2023,8\nC,2021,3\n', { token: stewardToken });
    for (let ingestion = uploaded.body; ingestion.status !== 'succeeded'; await new Promise((resolve) => setTimeout(resolve, 150))) {
      ingestion = await apiCall(stewardToken, 'GET', `/api/v1/agency/ingestions/${uploaded.body.id}`);
      if (!['queued', 'running', 'succeeded'].includes(ingestion.status)) throw new Error(`ingestion ${ingestion.status}`);
    }
    await apiCall(stewardToken, 'PUT', `/api/v1/agency/datasets/${dataset.id}/columns`, { columns: [{ name: 'district', sensitivity: 'quasi_identifier' }] });
    await apiCall(stewardToken, 'POST', `/api/v1/agency/datasets/${dataset.id}/publish`);
    const vendorToken = await apiLogin('vendor@cityflow.demo');
    const draft = await apiCall(vendorToken, 'POST', '/api/v1/products', {
      kind: 'derived',
      slug: `browser-readings-${suffix}`,
      titleZh: `各区读数 ${suffix}`,
      titleEn: `Readings by district ${suffix}`,
      theme: 'transport',
      sql: 'SELECT district, count(*) AS readings\nFROM readings\nGROUP BY district',
      inputs: [{ name: 'readings', datasetId: dataset.id }],
    });
    const started = await apiCall(vendorToken, 'POST', `/api/v1/products/${draft.id}/runs`);
    for (let run = started; ['queued', 'running'].includes(run.status); await new Promise((resolve) => setTimeout(resolve, 200))) {
      run = await apiCall(vendorToken, 'GET', `/api/v1/products/${draft.id}/runs/${started.id}`);
      if (!['queued', 'running'].includes(run.status)) expect(run.status).toBe('succeeded');
    }

    const completions = (page: Page) => page.locator('.cm-tooltip-autocomplete .cm-completionLabel').allInnerTexts();
    for (const language of ['en', 'zh-CN'] as const) {
      const page = await freshPage(language);
      await signIn(page, 'vendor@cityflow.demo');
      await page.goto(`${web.url}/console/products/${draft.id}`);
      await page.getByTestId('sql-editor').waitFor();
      // A new SELECT list: Ctrl+Space offers the input, its columns, keywords and functions.
      await page.locator('[data-testid="sql-editor"] .cm-content').click();
      await page.keyboard.press('Control+End');
      await page.keyboard.press('Enter');
      await page.keyboard.type('HAVING ');
      await page.keyboard.press('Control+Space');
      // The list opened while "HAVING" was typed may still show that word alone: wait for the new one.
      await page.waitForFunction(() => {
        const labels = [...document.querySelectorAll('.cm-tooltip-autocomplete .cm-completionLabel')].map((label) => label.textContent);
        return labels.length >= 4 && labels[0] !== 'HAVING';
      });
      // The columns of the input the query reads, then the input, then keywords and functions.
      expect((await completions(page)).slice(0, 4)).toEqual(['district', 'vehicles', 'year', 'readings']);
      await shot(page, `products-sql-completion-${language}`);
      await page.keyboard.type('cou');
      await page.waitForFunction(() => [...document.querySelectorAll('.cm-tooltip-autocomplete .cm-completionLabel')].some((label) => label.textContent === 'count_if'));
      expect((await completions(page)).slice(0, 2)).toEqual(['count', 'count_if']);
      await page.keyboard.press('Escape');
      for (let index = 0; index < 3; index += 1) await page.keyboard.press('Backspace');
      // After the input's name and a dot: only its columns.
      await page.keyboard.type('readings.');
      await page.waitForFunction(() => document.querySelectorAll('.cm-tooltip-autocomplete .cm-completionLabel').length === 3);
      expect(await completions(page)).toEqual(['district', 'vehicles', 'year']);
      await shot(page, `products-sql-completion-columns-${language}`);
      await page.keyboard.press('Escape');
      expect(await page.getByTestId('settings-changed').count()).toBe(0);
      await page.close();
    }

    // The agency raises k: the draft is not run by itself; its editor says so, in both languages.
    await apiCall(stewardToken, 'PATCH', `/api/v1/agency/datasets/${dataset.id}`, { minGroupSize: 3 });
    let k = { from: 2, to: 3 };
    for (const [language, width] of [['zh-CN', 1366], ['en', 1366], ['zh-CN', 390]] as const) {
      const page = await freshPage(language, width);
      await signIn(page, 'vendor@cityflow.demo');
      await page.goto(`${web.url}/console/products/${draft.id}`);
      await page.getByTestId('settings-changed').waitFor();
      expect(await page.getByTestId('settings-changed-readings').innerText()).toBe(
        language === 'en' ? `Input readings: minimum group size raised (${k.from} → ${k.to})` : `输入 readings：最小分组规模调高（${k.from} → ${k.to}）`,
      );
      await shot(page, `products-settings-changed-${language}${width < 600 ? '-phone' : ''}`);
      if (width < 600) expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
      if (language === 'en') {
        // Run again under today's settings: once it has run, there is nothing more to say.
        await page.getByTestId('settings-changed-run').click();
        await page.getByTestId('run-succeeded').getByText(/^Version 2 made/).waitFor({ timeout: 60_000 });
        await page.getByTestId('product-current-version').getByText('Version 2').waitFor();
        expect(await page.getByTestId('settings-changed').count()).toBe(0);
        await shot(page, 'products-settings-changed-ran-en');
        // Raised again (every row is then a small cell): the editor says so once more.
        await apiCall(stewardToken, 'PATCH', `/api/v1/agency/datasets/${dataset.id}`, { minGroupSize: 4 });
        k = { from: 3, to: 4 };
      }
      await page.close();
    }
  }, 180_000);

  it("keeps a phone's workspace readable: inputs as cards, the lineage at its own size and the shares in view; empty SQL explained beside the editor", async () => {
    const vendorToken = await apiLogin('vendor@cityflow.demo');
    const own = (await apiCall(vendorToken, 'GET', '/api/v1/products')) as { items: Array<{ id: string; slug: string }> };
    const road = own.items.find((item) => item.slug.startsWith('road-congestion'));
    expect(road).toBeDefined();
    for (const language of ['en', 'zh-CN'] as const) {
      const page = await freshPage(language, 390);
      await signIn(page, 'vendor@cityflow.demo');
      const inView = (selector: string) =>
        page.evaluate((css) => [...document.querySelectorAll(css)].map((element) => Math.round(element.getBoundingClientRect().right) <= window.innerWidth), selector);

      await page.goto(`${web.url}/console/products/${road!.id}`);
      await page.getByTestId('inputs-table-item').first().waitFor();
      expect(await page.getByTestId('inputs-table').getAttribute('data-layout')).toBe('cards');
      expect(await inView('[data-testid="inputs-table-item"]')).toEqual([true, true]);

      await page.goto(`${web.url}/console/products/${road!.id}?tab=lineage`);
      await page.locator('[data-testid="lineage-node"]').first().waitFor();
      // Drawn at its own size (text readable), scrolled sideways rather than zoomed out to fit.
      expect(await page.getByTestId('lineage-graph').getAttribute('data-fit')).toBe('scroll');
      expect(await page.locator('.react-flow__viewport').evaluate((element) => getComputedStyle(element).transform)).toMatch(/^matrix\(1, 0, 0, 1,/);
      await page.getByTestId('agency-share-bar').first().waitFor();
      expect(await inView('[data-testid="agency-share-bar"]')).toEqual([true, true]);
      await shot(page, `products-workspace-lineage-${language}-phone`);
      await page.close();
    }

    // Emptying the SQL of a draft: said beside the editor, and nothing to try, save or run.
    const page = await freshPage('en', 390);
    await signIn(page, 'vendor@cityflow.demo');
    const survey = await (await fetch(`${platform.baseUrl}/api/v1/catalog/datasets/${SURVEY}`)).json();
    const draft = await apiCall(vendorToken, 'POST', '/api/v1/products', {
      kind: 'derived',
      titleZh: `空 SQL ${suffix}`,
      titleEn: `Empty SQL ${suffix}`,
      theme: 'statistics',
      sql: SQL,
      inputs: [{ name: 'survey', datasetId: survey.id }],
    });
    await page.goto(`${web.url}/console/products/${draft.id}`);
    await page.getByTestId('sql-editor').waitFor();
    await page.locator('[data-testid="sql-editor"] .cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.getByTestId('sql-problem').getByText('The SQL is empty').waitFor();
    expect(await page.getByTestId('dry-run').isDisabled()).toBe(true);
    expect(await page.getByTestId('run-start').isDisabled()).toBe(true);
    expect(await page.getByTestId('sql-length').innerText()).toBe('0 / 100,000 characters');
    await shot(page, 'products-workspace-empty-sql-en-phone');
    await page.close();
  }, 180_000);
});
