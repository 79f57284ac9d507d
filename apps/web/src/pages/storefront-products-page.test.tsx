import { screen, within } from '@testing-library/react';
import type { ProductSummary } from '../api/schema-types';
import { i18n } from '../i18n/i18n';
import { clearMockApi, mockApi } from '../test/mock-api';
import { renderPage, resetPage } from '../test/render-page';
import { StorefrontProductsPage } from './storefront-products-page';

let next = 0;
const summary = (slug: string, entryPrice: ProductSummary['entryPrice']): ProductSummary => ({
  id: `a0000000-0000-4000-8000-${String((next += 1)).padStart(12, '0')}`,
  slug,
  kind: 'derived',
  titleZh: `产品 ${slug}`,
  titleEn: `Product ${slug}`,
  theme: 'transport',
  status: 'published',
  organizationName: '城流数据科技 CityFlow Analytics',
  version: 1,
  rowCount: 360,
  updatedAt: '2026-11-20T08:00:00.000Z',
  submittedAt: null,
  rejectionReason: null,
  entryPrice,
});

describe('<StorefrontProductsPage>', () => {
  afterEach(async () => {
    resetPage();
    clearMockApi();
    await i18n.changeLanguage('en');
  });

  for (const [language, texts] of [
    ['en', ['From ¥99.00 a month', 'Free', 'Priced by usage', 'From ¥8,880.00, paid once', 'Free plan · paid from ¥1,200.00 a year']],
    ['zh-CN', ['¥99.00/月起', '免费', '按用量计费', '¥8,880.00 起（一次性）', '有免费方案 · 付费 ¥1,200.00/年起']],
  ] as const) {
    it(`shows on each card what the product costs at the least (${language})`, async () => {
      await i18n.changeLanguage(language);
      mockApi({
        'GET /api/v1/catalog/products': {
          items: [
            summary('monthly', { kind: 'from', amount: 9_900, currency: 'CNY', interval: 'month' }),
            summary('open-data', { kind: 'free' }),
            summary('by-rows', { kind: 'usage', currency: 'CNY' }),
            summary('one-purchase', { kind: 'from', amount: 888_000, currency: 'CNY', interval: null }),
            summary('free-for-research', { kind: 'free', amount: 120_000, currency: 'CNY', interval: 'year' }),
            summary('no-offers-yet', null),
          ],
        },
      });
      await renderPage(<StorefrontProductsPage />, { path: '/products', route: '/products' });
      const cards = await screen.findAllByTestId('product-card');
      expect(cards).toHaveLength(6);
      const prices = cards.map((card) => within(card).queryByTestId('product-card-price')?.textContent ?? null);
      expect(prices).toEqual([...texts, null]);
    });
  }
});
