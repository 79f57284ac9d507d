import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, shoot } from '../support/browser.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';
import { startWeb, type RunningWeb } from '../support/web.js';

const HEADER = '年份,城市建设中渠道建设占比(%),渠道综合应用率(%),渠道建设形式创新率(%),城市整体建设优化率(%)';
const ROWS = ['2011,39,33,20,36', '2012,40,37,23,45', '2013,44,45,23,55', '2014,46,47,26,65', '2015,48,50,29,70'];


/**
 * Opens a select and picks the option titled `title`, again while the select does not show it:
 * under load a click can land while the option list is still opening and be lost.
 */
async function pickOption(page: Page, testId: string, title: string): Promise<void> {
  const shows = () => page.evaluate(([id, text]) => Boolean(document.querySelector(`[data-testid="${id}"]`)?.closest('.ant-select')?.textContent?.includes(text!)), [testId, title]);
  const option = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').getByTitle(title, { exact: true });
  for (let attempt = 1; ; attempt += 1) {
    // A list left open by a lost click is used as it is; a closed one is opened.
    if (!(await option.isVisible())) await page.getByTestId(testId).click();
    await option.click();
    for (let waited = 0; waited < 2_000 && !(await shows()); waited += 100) await page.waitForTimeout(100);
    if ((await shows()) || attempt === 4) return;
  }
}

describe('catalog and supervised access in headless Chromium', () => {
  let platform: RunningPlatform;
  let web: RunningWeb;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: true });
    web = await startWeb(platform.baseUrl);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await platform?.close();
  });

  async function freshPage(language: 'zh-CN' | 'en', width = 1366): Promise<Page> {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: 900 });
    await page.addInitScript((lang) => window.localStorage.setItem('civic.language', lang), language);
    return page;
  }

  async function signIn(page: Page, email: string): Promise<void> {
    await page.goto(`${web.url}/login`);
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill('Demo-pass-2026');
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/console/);
  }

  it('finds datasets by a Chinese word, narrows by a facet and opens an open dataset with a preview', async () => {
    const page = await freshPage('zh-CN');
    await page.goto(`${web.url}/catalog`);
    await page.getByTestId('catalog-search-input').fill('交通');
    await page.getByTestId('catalog-search-input').press('Enter');
    await page.waitForURL(/q=/);
    await page.locator('[data-testid="dataset-card"][data-slug="road-traffic-flow-hourly"]').waitFor();
    expect(await page.getByTestId('catalog-total').innerText()).toMatch(/\d/);
    await shoot(page, 'catalog-search-zh-CN');

    await page.getByTestId('facet-option-classification-open').click();
    await page.waitForURL(/classification=open/);
    for (const tag of await page.getByTestId('dataset-card').getByTestId('classification-tag').all()) expect(await tag.getAttribute('data-value')).toBe('open');
    // A second value of the same facet widens the search (any of them), with a chip for each.
    await page.goto(`${web.url}/catalog?classification=open`);
    await page.getByTestId('facet-option-classification-conditional').click();
    await page.waitForURL(/classification=open&classification=conditional/);
    await page.getByTestId('active-filter-classification-conditional').waitFor();
    await page.getByTestId('active-filter-classification-open').waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="dataset-card"] [data-testid="classification-tag"]')].some((tag) => tag.getAttribute('data-value') === 'conditional'),
    );
    for (const tag of await page.getByTestId('dataset-card').getByTestId('classification-tag').all()) expect(['open', 'conditional']).toContain(await tag.getAttribute('data-value'));
    expect(await page.getByTestId('facet-option-classification-open').isChecked()).toBe(true);
    await shoot(page, 'catalog-multi-facet-zh-CN');

    await page.goto(`${web.url}/catalog/urban-channel-construction-survey-2011-2015`);
    await page.getByTestId('dataset-title').waitFor();
    await page.getByTestId('dataset-tab-preview').click();
    await page.getByRole('cell', { name: '2015', exact: true }).waitFor();
    expect(await page.getByRole('cell', { name: '70', exact: true }).count()).toBeGreaterThan(0);
    await shoot(page, 'dataset-preview-zh-CN');
    await page.close();
  });

  it('combines several values per facet in English, and clears one with its chip', async () => {
    const page = await freshPage('en');
    await page.goto(`${web.url}/catalog?theme=environment&theme=meteorology&classification=open`);
    await page.getByTestId('active-filter-theme-meteorology').waitFor();
    await page.locator('[data-testid="dataset-card"]').first().waitFor();
    for (const card of await page.getByTestId('dataset-card').all()) expect(await card.getByTestId('classification-tag').getAttribute('data-value')).toBe('open');
    expect(await page.getByTestId('facet-option-theme-environment').isChecked()).toBe(true);
    expect(await page.getByTestId('facet-option-theme-meteorology').isChecked()).toBe(true);
    await shoot(page, 'catalog-multi-facet-en');
    await page.getByTestId('active-filter-theme-meteorology').getByRole('button', { name: 'Close' }).click();
    await page.waitForURL(/\/catalog\?theme=environment&classification=open$/);
    // The URL changes first; the panel follows on the next render.
    await page.waitForFunction(() => (document.querySelector('[data-testid="facet-option-theme-meteorology"]') as HTMLInputElement | null)?.checked === false);
    expect(await page.getByTestId('facet-option-theme-environment').isChecked()).toBe(true);
    await page.close();
  });

  it('shows a steward how a dataset is used: totals, deliveries over time and top consumers', async () => {
    const survey = 'urban-channel-construction-survey-2011-2015';
    const { id } = (await (await fetch(`${platform.baseUrl}/api/v1/catalog/datasets/${survey}`)).json()) as { id: string };
    // Deliveries of each kind: an anonymous preview and CSV download, a buyer's Parquet download.
    const harbor = (await (
      await fetch(`${platform.baseUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'buyer@harbor.demo', password: 'Demo-pass-2026' }),
      })
    ).json()) as { accessToken: string };
    for (const [route, token] of [
      ['preview', undefined],
      ['download?format=csv', undefined],
      ['download?format=parquet', harbor.accessToken],
    ] as const) {
      const response = await fetch(`${platform.baseUrl}/api/v1/catalog/datasets/${survey}/${route}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }

    for (const language of ['en', 'zh-CN'] as const) {
      const page = await freshPage(language);
      await signIn(page, 'steward@stats.demo');
      await page.goto(`${web.url}/console/datasets/${id}`);
      await page.getByTestId('manage-tab-usage').click();
      await page.getByTestId('usage-chart').waitFor();
      expect(Number(await page.getByTestId('usage-total-deliveries').getAttribute('data-value'))).toBeGreaterThanOrEqual(3);
      expect(Number(await page.getByTestId('usage-total-parquet').getAttribute('data-value'))).toBeGreaterThanOrEqual(1);
      expect(await page.getByTestId('usage-consumers').innerText()).toContain('Harbor Logistics');
      expect(await page.locator('[data-testid="usage-chart"] .recharts-bar-rectangle').count()).toBeGreaterThan(0);
      await shoot(page, `steward-usage-${language}`);
      if (language === 'en') {
        // Twelve months by month.
        await page.getByTestId('usage-preset-12m').click();
        await page.waitForFunction(() => document.querySelector('[data-testid="usage-chart"]')?.getAttribute('data-buckets') === '12');
        await shoot(page, 'steward-usage-12-months-en');
      }
      await page.close();
    }
  });

  it('never offers rows of restricted data, and invites visitors to sign in for conditional data', async () => {
    const page = await freshPage('en');
    await page.goto(`${web.url}/catalog/hospital-outpatient-visits`);
    await page.getByTestId('restricted-notice').waitFor();
    expect(await page.getByTestId('download-csv').count()).toBe(0);
    await page.goto(`${web.url}/catalog/district-energy-consumption-monthly`);
    await page.getByTestId('access-sign-in').waitFor();
    expect(await page.getByTestId('download-csv').count()).toBe(0);
    await shoot(page, 'dataset-conditional-anonymous-en');
    await page.close();
  });

  it('lets a steward create a dataset, upload a GB18030 file with progress, and publish it', async () => {
    const page = await freshPage('en');
    await signIn(page, 'steward@stats.demo');
    await page.getByTestId('nav-datasets').click();
    await page.getByTestId('dataset-create-open').click();
    const title = `Browser survey ${Date.now().toString(36)}`;
    await page.getByTestId('dataset-form-title-zh').fill(`浏览器调查 ${title}`);
    await page.getByTestId('dataset-form-title-en').fill(title);
    // The option list is virtual: pick one of the first themes, which are rendered.
    await pickOption(page, 'dataset-form-theme', 'Transport and passenger flow');
    await page.getByTestId('dataset-form-classification').getByText('Open', { exact: true }).click();
    await page.locator('[data-testid="dataset-form-classification"] .ant-radio-wrapper-checked', { hasText: 'Open' }).waitFor();
    await page.getByTestId('dataset-create-submit').click();
    await page.waitForURL(/\/console\/datasets\/[0-9a-f-]{36}/);

    const dir = await mkdtemp(path.join(os.tmpdir(), 'civic-upload-'));
    const file = path.join(dir, 'survey-gbk.csv');
    const { default: iconv } = await import('iconv-lite');
    writeFileSync(file, iconv.encode(`${HEADER}\r\n${ROWS.join('\r\n')}\r\n`, 'gb18030'));
    await page.getByTestId('dataset-upload-input').setInputFiles(file);
    const status = page.getByTestId('ingestion-status').first();
    await page.waitForFunction(() => document.querySelector('[data-testid="ingestion-status"]')?.getAttribute('data-status') === 'succeeded', undefined, { timeout: 30_000 });
    expect(await status.getAttribute('data-status')).toBe('succeeded');
    await shoot(page, 'steward-upload-en');

    await page.getByTestId('dataset-publish').click();
    await page.getByRole('button', { name: /publish/i }).last().click();
    await page.goto(`${web.url}/catalog?q=${encodeURIComponent(title)}`);
    await page.getByTestId('dataset-card-title').getByText(title).waitFor();
    await page.close();
  });

  it('takes a buyer from an access request to an approved grant and a download', async () => {
    const buyer = await freshPage('en');
    await signIn(buyer, 'buyer@sunrise.demo');
    await buyer.goto(`${web.url}/catalog/second-hand-housing-transactions`);
    await buyer.getByTestId('request-access-open').click();
    await pickOption(buyer, 'access-request-purpose', 'Risk management');
    await buyer.getByTestId('access-request-intended-use').fill('Pricing models for home insurance; only district-level results are published.');
    await buyer.getByTestId('access-request-submit').click();
    await buyer.getByTestId('access-pending').waitFor();
    await buyer.close();

    const steward = await freshPage('zh-CN');
    await signIn(steward, 'steward@housing.demo');
    await steward.getByTestId('nav-access-requests').click();
    // Other test files leave requests of their own in the queue: approve Sunrise's.
    const approve = steward.getByRole('row').filter({ hasText: 'Sunrise Insurance' }).locator('button[data-testid^="access-approve-"]').first();
    await approve.waitFor();
    await shoot(steward, 'steward-access-queue-zh-CN');
    await approve.click();
    await steward.getByTestId('access-approve-submit').click();
    await steward.getByText('已批准').first().waitFor();
    await steward.close();

    const again = await freshPage('en');
    await signIn(again, 'buyer@sunrise.demo');
    await again.goto(`${web.url}/catalog/second-hand-housing-transactions`);
    await again.getByTestId('download-csv').waitFor();
    const download = again.waitForEvent('download');
    await again.getByTestId('download-csv').click();
    expect((await download).suggestedFilename()).toMatch(/^second-hand-housing-transactions-v\d+\.csv$/);
    await shoot(again, 'buyer-granted-en');
    await again.close();
  });
});
