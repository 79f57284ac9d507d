import { screen, waitFor, within } from '@testing-library/react';
import { clearMockApi, mockApi } from '../test/mock-api';
import { renderPage, resetPage } from '../test/render-page';
import { DisclosurePage } from './disclosure-page';

const report = {
  year: 2026,
  generatedAt: '2026-11-24T08:00:00.000Z',
  netRevenue: { CNY: 1_179_200 },
  agencyRoyalties: { CNY: 235_900 },
  platformFees: { CNY: 117_920 },
  licensees: 7,
  agencies: [{ agencyId: 'a1', agencyName: 'Municipal Transport Bureau', currency: 'CNY', royalties: 176_900, datasets: 1 }],
  datasets: [{ datasetId: 'd1', titleZh: '道路交通流量', titleEn: 'Road traffic flow', agencyName: 'Municipal Transport Bureau', classification: 'open', currency: 'CNY', royalties: 176_900, products: 2 }],
  prices: [{ productSlug: 'road-congestion', productTitleZh: '道路拥堵指数', productTitleEn: 'Road congestion index', sellerName: 'CityFlow', offerNameZh: '企业月度订阅', offerNameEn: 'Business monthly', priceZh: '每月 ¥1,200.00', priceEn: '¥1,200.00 per month', licensees: 3 }],
};

describe('<DisclosurePage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('shows the year’s revenue, the agencies’ royalties by dataset, the price list and the licensees without a login', async () => {
    mockApi({ 'GET /api/v1/public/disclosure/2026': report });
    await renderPage(<DisclosurePage />, { path: '/disclosure/:year', route: '/disclosure/2026' });
    expect(await screen.findByText('Public disclosure 2026: revenue from government data')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId('disclosure-net')).toHaveTextContent('11,792.00'));
    expect(screen.getByTestId('disclosure-agencies')).toHaveTextContent('2,359.00');
    expect(screen.getByTestId('disclosure-licensees')).toHaveTextContent('7');
    expect(screen.getByText('Road traffic flow')).toBeInTheDocument();
    expect(screen.getByText('¥1,200.00 per month')).toBeInTheDocument();
    expect(screen.getByText('Road congestion index').closest('a')).toHaveAttribute('href', '/products/road-congestion');
  });

  it('fits the price list to a phone: the product with its seller and offer, the price with its licensees', async () => {
    // jsdom reports no breakpoint: the page lays itself out for a phone.
    mockApi({ 'GET /api/v1/public/disclosure/2026': { ...report, agencies: [...report.agencies, { agencyId: 'a2', agencyName: '市文化广电旅游局 Culture and Tourism Bureau', currency: 'CNY', royalties: 59_000, datasets: 1 }] } });
    await renderPage(<DisclosurePage />, { path: '/disclosure/:year', route: '/disclosure/2026' });
    const prices = await screen.findByTestId('disclosure-prices');
    expect(within(prices).getAllByRole('columnheader').map((header) => header.textContent)).toEqual(['Product', 'Price']);
    const row = within(prices).getByText('Road congestion index').closest('tr') as HTMLElement;
    expect(row).toHaveTextContent('Business monthly');
    expect(row).toHaveTextContent('¥1,200.00 per month');
    expect(row).toHaveTextContent('Licensees 3');
    // The agency of each dataset beneath it, its column hidden.
    expect(screen.getByText('Road traffic flow').closest('td')).toHaveTextContent('Municipal Transport Bureau');
    expect(screen.getByTestId('disclosure-agency-chart')).toHaveAttribute('data-bars', '2');
  });
});
