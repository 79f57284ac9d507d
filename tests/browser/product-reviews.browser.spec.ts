import type { Page } from 'playwright-core';
import { launchBrowser, shoot } from '../support/browser.js';
import { apiOk, Http, login } from '../support/http.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';
import { startWeb, type RunningWeb } from '../support/web.js';

const PASSWORD = 'Demo-pass-2026';
const HOUSING = 'second-hand-housing-transactions';
// A timestamp column (month), counts per district and month: the housing bureau's conditional data, aggregated.
const SQL = `SELECT district, CAST(date_trunc('month', transaction_date) AS TIMESTAMP) AS month, count(*) AS deals, round(avg(price_per_sqm)) AS avg_price_per_sqm
FROM housing GROUP BY ALL ORDER BY month, district`;

type Language = 'zh-CN' | 'en';

describe('product reviews in headless Chromium: the list by state, reviewer states, the review page', () => {
  let platform: RunningPlatform;
  let web: RunningWeb;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let product: { id: string; slug: string };

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: true });
    web = await startWeb(platform.baseUrl);
    browser = await launchBrowser();
    const http = new Http(platform.baseUrl);
    const vendor = (await login(http, 'vendor@cityflow.demo', PASSWORD)).token;
    const housing = (await login(http, 'steward@housing.demo', PASSWORD)).token;
    // CityFlow builds on the housing transactions under a grant for product development, and submits.
    const dataset = await apiOk(http, vendor, 'GET', `/api/v1/catalog/datasets/${HOUSING}`);
    const request = await apiOk(http, vendor, 'POST', '/api/v1/access-requests', {
      datasetId: dataset.id,
      purpose: 'product_development',
      intendedUse: 'Monthly district housing indicators sold as a data product.',
      requestedDays: 365,
    });
    await apiOk(http, housing, 'POST', `/api/v1/agency/access-requests/${request.id}/approve`, {});
    const slug = `housing-months-${Date.now().toString(36)}`;
    const created = await apiOk(http, vendor, 'POST', '/api/v1/products', {
      kind: 'derived',
      slug,
      titleZh: '分区月度二手房成交',
      titleEn: 'Second-hand home sales by district and month',
      descriptionEn: 'Monthly second-hand home sales by district.',
      theme: 'housing',
      sql: SQL,
      inputs: [{ name: 'housing', datasetId: dataset.id }],
    });
    const started = await apiOk(http, vendor, 'POST', `/api/v1/products/${created.id}/runs`);
    for (let run = started; ['queued', 'running'].includes(run.status); await new Promise((resolve) => setTimeout(resolve, 200))) {
      run = await apiOk(http, vendor, 'GET', `/api/v1/products/${created.id}/runs/${started.id}`);
      if (run.status === 'failed') throw new Error(`run failed: ${JSON.stringify(run)}`);
    }
    await apiOk(http, vendor, 'POST', `/api/v1/products/${created.id}/submit`);
    // The bureau approves; the operator has yet to decide.
    await apiOk(http, housing, 'POST', `/api/v1/product-reviews/${created.id}/decision`, { decision: 'approve' });
    product = { id: created.id, slug };
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await platform?.close();
  });

  async function signedIn(email: string, language: Language, width: number): Promise<Page> {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
    await page.addInitScript((lang) => window.localStorage.setItem('civic.language', lang), language);
    await page.goto(`${web.url}/login`);
    await page.getByTestId('login-email').fill(email);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/console/);
    return page;
  }

  async function settled(page: Page): Promise<void> {
    await page.waitForFunction(() => !document.querySelector('.ant-spin-blur, .ant-spin-spinning, .ant-skeleton'));
  }

  /** No sideways scrolling of the page itself (tables may scroll inside). */
  async function expectNoOverflow(page: Page, name: string): Promise<void> {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect([name, overflow <= 1]).toEqual([name, true]);
  }

  it("shows the operator what is in review with the agency's decision, and the decided reviews a tab away", async () => {
    for (const language of ['en', 'zh-CN'] as const) {
      for (const width of [1366, 390]) {
        const suffix = `${language}${width < 600 ? '-phone' : ''}`;
        const page = await signedIn('admin@platform.demo', language, width);
        if (width >= 600) await page.getByTestId('nav-product-reviews').click();
        else await page.goto(`${web.url}/console/product-reviews`);
        const row = page.locator('tr', { has: page.getByTestId(`review-link-${product.slug}`) });
        await row.waitFor();
        await settled(page);
        // The bureau approved; the operator's own decision is awaited.
        expect(await row.getByTestId('reviewer-standing').evaluateAll((lines) => lines.map((line) => [line.getAttribute('data-kind'), line.getAttribute('data-standing')]))).toEqual([
          ['platform', 'waiting'],
          ['agency', 'approved'],
        ]);
        expect(await row.getByTestId('review-awaiting-you').count()).toBe(1);
        await shoot(page, `product-reviews-in-review-${suffix}`);
        await expectNoOverflow(page, `in review ${suffix}`);

        await page.getByTestId('review-list-tab-decided').click();
        await page.waitForURL(/tab=decided/);
        await page.locator('[data-testid="review-list-status"][data-status="approved"]').first().waitFor();
        await settled(page);
        expect(await page.getByTestId(`review-link-${product.slug}`).count()).toBe(0);
        await shoot(page, `product-reviews-decided-${suffix}`);
        await expectNoOverflow(page, `decided ${suffix}`);

        // Everything: this review too, its bureau's approval beside the operator's wait.
        await page.getByTestId('review-list-tab-all').click();
        await page.waitForURL(/tab=all/);
        await page.getByTestId(`review-link-${product.slug}`).waitFor();
        await settled(page);
        await shoot(page, `product-reviews-all-${suffix}`);
        await expectNoOverflow(page, `all ${suffix}`);

        // The review page: the bureau's long name keeps its icon beside it; the sample's months read as dates.
        await page.goto(`${web.url}/console/product-reviews/${product.id}`);
        await page.getByTestId('review-sample').locator('time').first().waitFor();
        await settled(page);
        const month = await page.getByTestId('review-sample').locator('time').first().innerText();
        expect(month).toBe(language === 'en' ? 'Jan 1, 2023' : '2023年1月1日');
        const agencyLine = page.locator('[data-testid="required-reviewer"][data-kind="agency"] [data-testid="reviewer-line"]');
        const [icon, name] = await Promise.all([agencyLine.locator('.anticon').first().boundingBox(), agencyLine.locator('strong').first().boundingBox()]);
        // The icon is on the name's first line.
        expect(Math.abs(icon!.y + icon!.height / 2 - (name!.y + Math.min(name!.height, 22) / 2))).toBeLessThan(8);
        await shoot(page, `product-review-page-${suffix}`);
        await expectNoOverflow(page, `review page ${suffix}`);
        await page.close();
      }
    }
  }, 240_000);

  it('lets supervision and the involved agency find decided reviews, and keeps them from other agencies', async () => {
    const http = new Http(platform.baseUrl);
    const operator = (await login(http, 'admin@platform.demo', PASSWORD)).token;
    await apiOk(http, operator, 'POST', `/api/v1/product-reviews/${product.id}/decision`, { decision: 'approve' });

    for (const [email, language, width, name] of [
      ['supervisor@platform.demo', 'en', 1366, 'supervisor-en'],
      ['supervisor@platform.demo', 'zh-CN', 390, 'supervisor-zh-CN-phone'],
      ['steward@housing.demo', 'zh-CN', 1366, 'agency-zh-CN'],
      ['steward@housing.demo', 'en', 390, 'agency-en-phone'],
    ] as const) {
      const page = await signedIn(email, language, width);
      await page.goto(`${web.url}/console/product-reviews?tab=decided`);
      const row = page.locator('tr', { has: page.getByTestId(`review-link-${product.slug}`) });
      await row.waitFor();
      await settled(page);
      expect(await row.getByTestId('reviewer-standing').evaluateAll((lines) => lines.map((line) => line.getAttribute('data-standing')))).toEqual(['approved', 'approved']);
      expect(await row.getByTestId('review-list-status').getAttribute('data-status')).toBe('approved');
      await shoot(page, `product-reviews-decided-${name}`);
      await expectNoOverflow(page, name);
      // From the review, the way back leads to the decided reviews.
      await page.getByTestId(`review-link-${product.slug}`).click();
      await page.getByTestId('review-state').waitFor();
      await page.locator('.ant-breadcrumb a').first().click();
      await page.waitForURL(/\/console\/product-reviews\?tab=decided$/);
      await page.close();
    }

    const other = await signedIn('steward@transport.demo', 'en', 1366);
    await other.goto(`${web.url}/console/product-reviews?tab=all`);
    await other.getByTestId('product-review-queue').waitFor();
    await settled(other);
    expect(await other.getByTestId(`review-link-${product.slug}`).count()).toBe(0);
    await other.goto(`${web.url}/console/product-reviews/${product.id}`);
    await other.getByTestId('review-not-found').waitFor();
    await other.close();
  }, 180_000);
});
