import { fireEvent, screen, waitFor } from '@testing-library/react';
import { member } from '../test/catalog-fixtures';
import { clearMockApi, mockApi } from '../test/mock-api';
import { renderPage, resetPage } from '../test/render-page';
import { ProductUsage } from './product-usage';

const productId = 'b0000000-0000-4000-8000-0000000000a1';
const vendor = member('vendor_admin', ['products:manage', 'offers:manage'], 'vendor');

describe('<ProductUsage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
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
});
