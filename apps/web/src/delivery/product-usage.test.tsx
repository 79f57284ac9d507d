import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { i18n } from '../i18n/i18n';
import { member } from '../test/catalog-fixtures';
import { axisLabels, sizeCharts } from '../test/chart-size';
import { clearMockApi, mockApi } from '../test/mock-api';
import { renderPage, resetPage } from '../test/render-page';
import { ProductUsage } from './product-usage';

const productId = 'b0000000-0000-4000-8000-0000000000a1';
const vendor = member('vendor_admin', ['products:manage', 'offers:manage'], 'vendor');


describe('<ProductUsage>', () => {
  let restoreCharts = () => undefined as void;
  afterEach(async () => {
    restoreCharts();
    restoreCharts = () => undefined;
    resetPage();
    clearMockApi();
    await i18n.changeLanguage('en');
  });

  it('charts API calls by default and switches the measure to rows or bytes', async () => {
    mockApi({
      'GET /api/v1/products/:id/usage': {
        productId,
        days: [
          { day: '2026-11-19', api_call: 3, row: 120, byte: 4096, consumers: 1 },
          { day: '2026-11-20', api_call: 5, row: 300, byte: 8192, consumers: 2 },
        ],
        totals: { api_call: 8, row: 420, byte: 12_288 },
        licensees: 2,
      },
    });
    await renderPage(<ProductUsage productId={productId} />, { path: '/', route: '/', me: vendor });
    const chart = await screen.findByTestId('product-usage-chart');
    expect(chart).toHaveAttribute('data-measure', 'api_call');
    expect(chart).toHaveAttribute('aria-label', 'API calls and receiving organizations per day');

    fireEvent.click(screen.getByText('Rows', { selector: '.ant-segmented-item-label' }));
    await waitFor(() => expect(screen.getByTestId('product-usage-chart')).toHaveAttribute('data-measure', 'row'));
    expect(screen.getByTestId('product-usage-chart')).toHaveAttribute('aria-label', 'Rows and receiving organizations per day');

    fireEvent.click(screen.getByText('Data delivered', { selector: '.ant-segmented-item-label' }));
    await waitFor(() => expect(screen.getByTestId('product-usage-chart')).toHaveAttribute('data-measure', 'byte'));
  });

  it('names who received the most, with what each received, and marks the own organization', async () => {
    mockApi({
      'GET /api/v1/products/:id/usage': {
        productId,
        days: [{ day: '2026-11-20', api_call: 6, row: 1_500, byte: 2_000_000, consumers: 2 }],
        totals: { api_call: 6, row: 1_500, byte: 2_000_000 },
        licensees: 1,
        consumers: [
          { organization: { id: 'o-1', slug: 'sunrise', name: '朝阳保险 Sunrise Insurance', kind: 'enterprise' }, own: false, api_call: 4, row: 1_480, byte: 1_990_000, lastDeliveredAt: '2026-11-20T09:00:00.000Z' },
          { organization: { id: 'o-2', slug: 'cityflow', name: '城流数据科技 CityFlow Analytics', kind: 'vendor' }, own: true, api_call: 2, row: 20, byte: 10_000, lastDeliveredAt: '2026-11-20T08:00:00.000Z' },
        ],
      },
    });
    await renderPage(<ProductUsage productId={productId} />, { path: '/', route: '/', me: vendor });
    const table = await screen.findByTestId('product-usage-receivers');
    const rows = within(table).getAllByRole('row').slice(1).map((row) => within(row).getAllByRole('cell').map((cell) => cell.textContent));
    expect(rows.map((cells) => cells.slice(0, 4))).toEqual([
      ['朝阳保险 Sunrise Insurance ', '4', '1,480', '2 MB'],
      ['城流数据科技 CityFlow Analytics Your organization', '2', '20', '10 kB'],
    ]);
    // Usage is kept per hour, so the last delivery is an hour: shown as a span, not as its start.
    const span = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).formatRange(new Date('2026-11-20T09:00:00.000Z'), new Date('2026-11-20T10:00:00.000Z'));
    expect(rows[0]![rows[0]!.length - 1]).toBe(span);
    expect(span).toMatch(/–/);
  });

  for (const [language, rowsLabel, labels] of [
    ['en', 'Rows', ['0', '45K', '90K', '135K', '180K']],
    ['zh-CN', '行数', ['0', '4.5万', '9万', '13.5万', '18万']],
  ] as const) {
    it(`writes large counts on the axis compactly, in one style (${language})`, async () => {
      // The axis made room for 5 characters: 135,000 showed as "35,000".
      restoreCharts = sizeCharts();
      await i18n.changeLanguage(language);
      mockApi({
        'GET /api/v1/products/:id/usage': {
          productId,
          days: [
            { day: '2026-11-19', api_call: 3, row: 120_000, byte: 4096, consumers: 1 },
            { day: '2026-11-20', api_call: 5, row: 170_000, byte: 8192, consumers: 2 },
          ],
          totals: { api_call: 8, row: 290_000, byte: 12_288 },
          licensees: 2,
        },
      });
      await renderPage(<ProductUsage productId={productId} />, { path: '/', route: '/', me: vendor });
      await screen.findByTestId('product-usage-chart');
      fireEvent.click(screen.getByText(rowsLabel, { selector: '.ant-segmented-item-label' }));
      await waitFor(() => expect(axisLabels(screen.getByTestId('product-usage-chart'), 'y')).toEqual(labels));
      expect(axisLabels(screen.getByTestId('product-usage-chart'), 'y-right')).toEqual(['0', '1', '2', '3', '4']);
    });
  }

  it('calls the organizations that received data by one name in the totals and the chart', async () => {
    mockApi({
      'GET /api/v1/products/:id/usage': {
        productId,
        days: [{ day: '2026-11-20', api_call: 5, row: 300, byte: 8192, consumers: 2 }],
        totals: { api_call: 5, row: 300, byte: 8192 },
        licensees: 2,
      },
    });
    await renderPage(<ProductUsage productId={productId} />, { path: '/', route: '/', me: vendor });
    expect(within(await screen.findByTestId('product-usage-licensees')).getByText('Receiving organizations')).toBeInTheDocument();
    expect(screen.getByTestId('product-usage-chart')).toHaveAttribute('aria-label', 'API calls and receiving organizations per day');
    const zh = i18n.getFixedT('zh-CN');
    expect(zh('delivery.productUsage.consumers')).toBe('接收组织数');
    expect(zh('delivery.productUsage.chartLabel', { measure: zh('delivery.productUsage.rows') })).toContain(zh('delivery.productUsage.consumers'));
  });
});
