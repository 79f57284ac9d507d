import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { member } from '../test/catalog-fixtures';
import { bodyOf, queriesOf } from '../test/commerce-fixtures';
import { apiError, clearMockApi, mockApi } from '../test/mock-api';
import { captureSavedFiles } from '../test/saved-files';
import { renderPage, resetPage, settle } from '../test/render-page';
import type { PeriodList, ReconciliationReport, RevenueReport, RevenueRow, SellerStatement } from './finance-types';
import { revenueExportName } from './finance-api';
import { PeriodsPage } from './periods-page';
import { PolicyPage } from './policy-page';
import { ReconciliationPage } from './reconciliation-page';
import { RevenuePage } from './revenue-page';
import { StatementPage } from './statement-page';

const analyst = member('finance_analyst', ['invoices:read', 'invoices:settle', 'finance:read', 'finance:manage'], 'finance');
const supervisor = member('supervisor', ['invoices:read', 'audit:read', 'finance:read'], 'platform');
const vendor = member('vendor_admin', ['products:manage', 'offers:manage', 'revenue:read'], 'vendor');
const steward = member('steward', ['datasets:manage', 'revenue:read'], 'agency');

const SCENIC = '1c861f2f-de07-4b3b-90b5-88b2ad48e3ce';
const CONGESTION = '0e386a10-58f9-4cb2-b776-e1ac949e6195';
const WEATHER = 'de5ca40e-7041-484c-a664-1979c3fe5ffd';

const row = (overrides: Partial<RevenueRow>): RevenueRow => ({ key: '2026-11', labelZh: '2026-11', labelEn: '2026-11', currency: 'CNY', net: 0, platform: 0, agencies: 0, vendors: 0, payments: 0, ...overrides });
const scenic = row({ key: SCENIC, labelZh: '景区客流与天气', labelEn: 'Scenic-spot visitors and weather', net: 905_660, platform: 90_566, agencies: 181_132, vendors: 633_962, payments: 1 });
const congestion = row({ key: CONGESTION, labelZh: '道路拥堵指数', labelEn: 'Road congestion index', net: 113_208, platform: 11_321, agencies: 22_641, vendors: 79_246, payments: 1 });

function report(groupBy: RevenueReport['groupBy'], rows: RevenueRow[]): RevenueReport {
  const total = rows.reduce((sum, item) => ({ ...sum, net: sum.net + item.net, platform: sum.platform + item.platform, agencies: sum.agencies + item.agencies, vendors: sum.vendors + item.vendors, payments: sum.payments + item.payments }), row({ key: 'total', labelZh: '合计', labelEn: 'Total' }));
  return { groupBy, from: null, to: null, rows, totals: rows.length ? [total] : [] };
}

/** Answers like the API: by product, or one product's months when drilled into. */
function revenueAnswer(request: Request) {
  const query = new URL(request.url).searchParams;
  if (query.get('format') === 'xlsx') {
    // A workbook without a file name from the server: the page names it.
    return new Response(new Uint8Array([0x50, 0x4b, 0x03, 0x04]), { headers: { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
  }
  if (query.get('format') === 'csv') {
    return new Response('group,key\nproduct,total\n', { headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="revenue-by-product-2026-01-2026-11.csv"' } });
  }
  const groupBy = query.get('groupBy') as RevenueReport['groupBy'];
  if (query.get('filterId') === SCENIC) return groupBy === 'product' ? report('product', [scenic]) : report(groupBy, [row({ ...scenic, key: '2026-10', labelZh: '2026-10', labelEn: '2026-10', net: 905_660 })]);
  return groupBy === 'product' ? report('product', [scenic, congestion]) : report(groupBy, [row({ net: 1_018_868, platform: 101_887, agencies: 203_773, vendors: 713_208, payments: 2 })]);
}

describe('<RevenuePage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('shows net revenue and its shares by product, drills into a product by month, and exports CSV', async () => {
    const api = mockApi({ 'GET /api/v1/finance/revenue': revenueAnswer });
    const files = captureSavedFiles();
    const { blobs: created, names: saved } = files;
    await renderPage(<RevenuePage />, { path: '/console/finance/revenue', route: '/console/finance/revenue?groupBy=product&from=2026-01&to=2026-11', me: analyst });

    await waitFor(() => expect(screen.getAllByTestId('revenue-row')).toHaveLength(2));
    const [first] = screen.getAllByTestId('revenue-row');
    expect(within(first as HTMLElement).getByTestId('revenue-net')).toHaveTextContent('¥9,056.60');
    expect(within(first as HTMLElement).getByTestId('revenue-platform')).toHaveTextContent('¥905.66');
    expect(first).toHaveTextContent('10%');
    expect(within(first as HTMLElement).getByTestId('revenue-vendors')).toHaveTextContent('¥6,339.62');
    expect(screen.getByTestId('revenue-total-net')).toHaveTextContent('¥10,188.68');
    expect(screen.getByTestId('revenue-summary')).toHaveTextContent('¥1,018.87');
    expect(screen.getByTestId('revenue-chart')).toHaveAttribute('data-bars', '2');
    expect(queriesOf(api.requests, '/api/v1/finance/revenue')).toContain('?groupBy=product&from=2026-01&to=2026-11');

    fireEvent.click(within(first as HTMLElement).getByTestId('revenue-drill'));
    await waitFor(() => expect(screen.getByTestId('test-location')).toHaveTextContent(`groupBy=period&from=2026-01&to=2026-11&filterBy=product&filterId=${SCENIC}`));
    expect(await screen.findByTestId('revenue-filter')).toHaveTextContent('Scenic-spot visitors and weather');
    await waitFor(() => expect(screen.getByTestId('revenue-report')).toHaveAttribute('data-group-by', 'period'));
    expect(screen.getByTestId('revenue-row')).toHaveTextContent('October 2026');
    // A time series: every month of the range, the empty ones at zero.
    expect(screen.getByTestId('revenue-chart')).toHaveAttribute('data-bars', '11');

    fireEvent.click(screen.getByTestId('revenue-export'));
    await waitFor(() => expect(created).toHaveLength(1));
    expect(queriesOf(api.requests, '/api/v1/finance/revenue')).toContain(`?groupBy=period&from=2026-01&to=2026-11&filterBy=product&filterId=${SCENIC}&format=csv`);
    expect(await screen.findByText('Saved revenue-by-product-2026-01-2026-11.csv.')).toBeInTheDocument();
    await settle(200);
    expect(saved).toEqual(['revenue-by-product-2026-01-2026-11.csv']);
    files.restore();
    // A byte order mark first, so spreadsheet programs read the Chinese names as UTF-8.
    // Inside act: the success message may still animate meanwhile.
    const bytes = await act(() => files.bytes(0));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('exports a drilled-down report as an Excel workbook, named after its filter when the server gives no name', async () => {
    const api = mockApi({ 'GET /api/v1/finance/revenue': revenueAnswer });
    const files = captureSavedFiles();
    const { blobs: created, names: saved } = files;
    try {
      await renderPage(<RevenuePage />, { path: '/console/finance/revenue', route: `/console/finance/revenue?groupBy=period&from=2026-01&to=2026-11&filterBy=product&filterId=${SCENIC}`, me: analyst });
      await screen.findByTestId('revenue-row');
      // Both formats side by side.
      expect(screen.getByTestId('revenue-export')).toHaveTextContent('Export CSV');
      fireEvent.click(screen.getByTestId('revenue-export-xlsx'));
      await waitFor(() => expect(created).toHaveLength(1));
      expect(queriesOf(api.requests, '/api/v1/finance/revenue')).toContain(`?groupBy=period&from=2026-01&to=2026-11&filterBy=product&filterId=${SCENIC}&format=xlsx`);
      const name = `revenue-by-period-product-${SCENIC.slice(0, 8)}-2026-01-2026-11.xlsx`;
      expect(await screen.findByText(`Saved ${name}.`)).toBeInTheDocument();
      await settle(200);
      expect(saved).toEqual([name]);
      // The workbook is saved as it came (no byte order mark).
      const bytes = await act(() => files.bytes(0));
      expect([...bytes]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    } finally {
      files.restore();
    }
  });

  it('names an export after the grouping, the filter and the range', () => {
    expect(revenueExportName({ groupBy: 'product', from: '2026-01', to: '2026-11' }, 'csv')).toBe('revenue-by-product-2026-01-2026-11.csv');
    expect(revenueExportName({ groupBy: 'period', filterBy: 'agency', filterId: 'a0000000-0000-4000-8000-000000000001', from: '2026-01', to: '2026-03' }, 'xlsx')).toBe('revenue-by-period-agency-a0000000-2026-01-2026-03.xlsx');
    expect(revenueExportName({ groupBy: 'vendor' }, 'xlsx')).toBe('revenue-by-vendor.xlsx');
  });

  it('labels themes with the catalog vocabulary and says that agency figures are royalties', async () => {
    mockApi({
      'GET /api/v1/finance/revenue': (request: Request) =>
        new URL(request.url).searchParams.get('groupBy') === 'theme'
          ? report('theme', [row({ key: 'transport', labelZh: 'transport', labelEn: 'transport', net: 113_208, platform: 11_321, agencies: 22_641, vendors: 79_246, payments: 1 })])
          : report('agency', [row({ key: 'a0000000-0000-4000-8000-000000000001', labelZh: '市气象局 Meteorological Bureau', labelEn: '市气象局 Meteorological Bureau', net: 66_037, agencies: 66_037, payments: 2 })]),
    });
    await renderPage(<RevenuePage />, { path: '/console/finance/revenue', route: '/console/finance/revenue?groupBy=theme&from=2026-01&to=2026-11', me: supervisor });
    expect(await screen.findByTestId('revenue-row')).toHaveTextContent('Transport and passenger flow');
    expect(screen.queryByTestId('revenue-drill')).not.toBeInTheDocument();
    resetPage();
    await renderPage(<RevenuePage />, { path: '/console/finance/revenue', route: '/console/finance/revenue?groupBy=agency&from=2026-01&to=2026-11', me: supervisor });
    expect(await screen.findByTestId('revenue-royalties-only')).toBeInTheDocument();
    expect(await screen.findByTestId('revenue-row')).toHaveTextContent('¥660.37');
    expect(screen.queryByTestId('revenue-net')).not.toBeInTheDocument();
  });
});

const periods: PeriodList = {
  currentPeriod: '2026-11',
  items: [
    { period: '2026-11', entries: 5, netRevenue: { CNY: 1_018_868 }, closed: false, closedAt: null, closedBy: null, note: null },
    { period: '2026-09', entries: 2, netRevenue: { CNY: 113_208 }, closed: true, closedAt: '2026-10-02T02:00:00.000Z', closedBy: '财政分析员 Finance Analyst', note: 'September signed off' },
  ],
};

describe('<ReconciliationPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  const reconciliation: ReconciliationReport = {
    from: null,
    to: null,
    matched: false,
    providers: [{ provider: 'stripe', currency: 'CNY', providerNet: 40_000, ledgerNet: 40_000 }],
    providerRecords: { provider: 'stripe', error: null, movements: 5, matched: 4, totals: [{ currency: 'CNY', provider: 41_234, recorded: 40_000 }] },
    issues: [{ kind: 'provider_movement_unrecorded', reference: 'stripe:txn_1Stranger', message: 'Stripe reports a payment we have no record of.', currency: 'CNY', expected: 1_234, actual: null }],
    paymentsChecked: 2,
    invoicesChecked: 3,
  };

  it("compares our records with Stripe's own and lists what Stripe has that we do not", async () => {
    mockApi({ 'GET /api/v1/finance/reconciliation': reconciliation });
    await renderPage(<ReconciliationPage />, { path: '/console/finance/reconciliation', route: '/console/finance/reconciliation', me: analyst });
    const stripe = await screen.findByTestId('reconciliation-stripe');
    expect(stripe).toHaveAttribute('data-movements', '5');
    expect(stripe).toHaveAttribute('data-matched', '4');
    expect(within(stripe).getByTestId('stripe-total')).toHaveAttribute('data-agrees', 'false');
    expect(within(stripe).getByTestId('stripe-total')).toHaveTextContent('¥412.34 / ¥400.00');
    const issue = screen.getByTestId('issue-row');
    expect(issue).toHaveAttribute('data-kind', 'provider_movement_unrecorded');
    expect(issue).toHaveTextContent('Not in our records');
    expect(issue).toHaveTextContent('stripe:txn_1Stranger');
    expect(issue).toHaveTextContent('¥12.34');
  });

  it('says when Stripe could not be read, and shows no Stripe section without Stripe', async () => {
    mockApi({ 'GET /api/v1/finance/reconciliation': { ...reconciliation, providerRecords: { ...reconciliation.providerRecords!, error: 'connect ECONNREFUSED', movements: 0, matched: 0, totals: [] } } });
    await renderPage(<ReconciliationPage />, { path: '/console/finance/reconciliation', route: '/console/finance/reconciliation', me: analyst });
    expect(await screen.findByTestId('reconciliation-stripe')).toHaveTextContent("Stripe's records could not be read: connect ECONNREFUSED");
    resetPage();
    clearMockApi();
    mockApi({ 'GET /api/v1/finance/reconciliation': { ...reconciliation, matched: true, issues: [], providerRecords: null } });
    await renderPage(<ReconciliationPage />, { path: '/console/finance/reconciliation', route: '/console/finance/reconciliation', me: analyst });
    expect(await screen.findByTestId('reconciliation-no-issues')).toBeInTheDocument();
    expect(screen.queryByTestId('reconciliation-stripe')).not.toBeInTheDocument();
  });
});

describe('<PeriodsPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('lets a finance analyst close an ended period, showing why the API refused first', async () => {
    let attempts = 0;
    let listed = periods;
    const api = mockApi({
      'GET /api/v1/finance/periods': () => listed,
      'POST /api/v1/finance/periods/:period/close': () => {
        attempts += 1;
        if (attempts === 1) {
          return apiError(409, 'billing.unreconciled', 'The ledger does not reconcile with the payment records; resolve the differences first.', [
            { kind: 'payment_not_posted', reference: 'offline:BANK-7781', message: 'A payment has no journal entry.', currency: 'CNY', expected: 120_000, actual: null },
          ]);
        }
        listed = { ...periods, items: [periods.items[0]!, { period: '2026-10', entries: 0, netRevenue: {}, closed: true, closedAt: '2026-11-24T02:00:00.000Z', closedBy: '财政分析员 Finance Analyst', note: 'Quiet month' }, periods.items[1]!] };
        return listed;
      },
    });
    await renderPage(<PeriodsPage />, { path: '/console/finance/periods', route: '/console/finance/periods', me: analyst });

    await waitFor(() => expect(screen.getAllByTestId('period-row')).toHaveLength(3));
    const [current, october, september] = screen.getAllByTestId('period-row') as HTMLElement[];
    expect(within(current!).getByTestId('period-net')).toHaveTextContent('¥10,188.68');
    expect(within(current!).getByTestId('period-status')).toHaveTextContent('Current');
    // The current month has not ended; September is closed; last month (no entries) is still to close.
    expect(within(current!).queryByRole('button')).not.toBeInTheDocument();
    expect(within(september!).getByTestId('period-status')).toHaveTextContent('Closed');
    expect(september).toHaveTextContent('September signed off');
    expect(within(october!).getByTestId('period-status')).toHaveTextContent('Open');

    fireEvent.click(within(october!).getByTestId('period-close-2026-10'));
    fireEvent.change(await screen.findByTestId('period-close-note'), { target: { value: 'Quiet month' } });
    expect(screen.getByRole('dialog')).toHaveTextContent('Close October 2026');
    expect(screen.getByRole('dialog')).toHaveTextContent('Journal entries0');
    fireEvent.click(screen.getByTestId('period-close-confirm'));
    const error = await screen.findByTestId('period-close-error');
    expect(error).toHaveAttribute('data-code', 'billing.unreconciled');
    expect(error).toHaveTextContent('does not reconcile');
    expect(within(error).getByTestId('period-close-error-issues')).toHaveTextContent('Payment not posted offline:BANK-7781');

    fireEvent.click(screen.getByTestId('period-close-confirm'));
    await waitFor(() => expect(screen.queryByTestId('period-close-note')).not.toBeInTheDocument());
    expect(await screen.findByText('October 2026 is closed.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByTestId('period-row')[1]).toHaveAttribute('data-closed', 'true'));
    await settle(200);
    expect(await act(() => bodyOf(api.requests, 'POST', '/api/v1/finance/periods/2026-10/close'))).toEqual({ note: 'Quiet month' });
  });

  it('shows supervisors the periods without the close action', async () => {
    mockApi({ 'GET /api/v1/finance/periods': periods });
    await renderPage(<PeriodsPage />, { path: '/console/finance/periods', route: '/console/finance/periods', me: supervisor });
    await waitFor(() => expect(screen.getAllByTestId('period-row')).toHaveLength(3));
    expect(screen.getByTestId('periods-read-only')).toBeInTheDocument();
    expect(screen.queryByTestId('period-close-2026-10')).not.toBeInTheDocument();
    expect(screen.queryByText('Actions')).not.toBeInTheDocument();
  });
});

describe('<PolicyPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  const view = {
    policy: { id: 'f0000000-0000-4000-8000-000000000001', platformFeeBp: 1000, defaultRoyaltyBp: 2000, vatRateBp: 600, note: 'Initial policy', collectionAccount: null, createdAt: '2026-11-01T00:00:00.000Z' },
    royaltyRates: [{ agencyId: 'a0000000-0000-4000-8000-000000000001', agencyName: '市气象局 Meteorological Bureau', datasetId: WEATHER, datasetTitleZh: '气象日观测数据', datasetTitleEn: 'Daily weather observations', royaltyBp: 2500, updatedAt: '2026-11-02T00:00:00.000Z' }],
  };

  it('shows the policy in percent and puts a refused split beside the field', async () => {
    const api = mockApi({
      'GET /api/v1/finance/policy': view,
      'GET /api/v1/catalog/datasets': { items: [], total: 0, page: 1, pageSize: 1, facets: [] },
      'POST /api/v1/finance/policy': apiError(409, 'billing.invalid_split', 'The platform fee and the highest royalty rate together exceed 100 %.', [
        { field: 'platformFeeBp', messages: ['at most 7500 with royalty rates up to 2500 basis points'] },
      ]),
    });
    await renderPage(<PolicyPage />, { path: '/console/finance/policy', route: '/console/finance/policy', me: analyst });
    expect(await screen.findByTestId('policy-platform-fee')).toHaveTextContent('10%');
    expect(screen.getByTestId('policy-vat')).toHaveTextContent('6%');
    expect(screen.getByTestId('royalty-rate-row')).toHaveTextContent('Daily weather observations');
    expect(screen.getByTestId('royalty-rate')).toHaveTextContent('25%');

    fireEvent.change(screen.getByTestId('policy-form-platform-fee'), { target: { value: '76' } });
    fireEvent.click(screen.getByTestId('policy-form-submit'));
    // The form checks the highest royalty itself before asking the API…
    expect(await screen.findByText('The platform fee and the highest royalty (25%) together exceed 100 %.')).toBeInTheDocument();
    expect(api.requests.some((request) => request.method === 'POST')).toBe(false);
    // … and words the API's refusal (a rate it knows of and the page not yet) beside the field.
    fireEvent.change(screen.getByTestId('policy-form-platform-fee'), { target: { value: '75' } });
    fireEvent.click(screen.getByTestId('policy-form-submit'));
    expect(await screen.findByText('At most 75%: the platform fee and the royalties together cannot exceed 100 %.')).toBeInTheDocument();
    expect(await bodyOf(api.requests, 'POST', '/api/v1/finance/policy')).toEqual({ platformFeeBp: 7500, defaultRoyaltyBp: 2000, vatRateBp: 600 });
    expect(screen.getByTestId('policy-form-error')).toHaveTextContent('cannot exceed 100 %');
  });

  it('keeps the collection account with a new policy, and takes a new one only whole and well-formed', async () => {
    const account = { payee: 'Civic Data Operations Centre', bank: 'Demo Bank, City Branch', accountNumber: '6212 2600 0000 0000 001' };
    const withAccount = { ...view, policy: { ...view.policy, collectionAccount: account } };
    const api = mockApi({
      'GET /api/v1/finance/policy': withAccount,
      'GET /api/v1/catalog/datasets': { items: [], total: 0, page: 1, pageSize: 1, facets: [] },
      'POST /api/v1/finance/policy': withAccount,
    });
    await renderPage(<PolicyPage />, { path: '/console/finance/policy', route: '/console/finance/policy', me: analyst });
    expect(await screen.findByTestId('policy-collection-account')).toHaveTextContent('6212 2600 0000 0000 001');
    expect(screen.getByTestId('policy-form-account-number')).toHaveValue('6212 2600 0000 0000 001');

    fireEvent.change(screen.getByTestId('policy-form-bank'), { target: { value: '' } });
    fireEvent.change(screen.getByTestId('policy-form-account-number'), { target: { value: '6212#2600' } });
    fireEvent.click(screen.getByTestId('policy-form-submit'));
    expect(await screen.findByText('Fill in the holder, the bank and the account number together.')).toBeInTheDocument();
    expect(await screen.findByText('Digits and letters, with single spaces or hyphens between groups.')).toBeInTheDocument();
    expect(api.requests.some((request) => request.method === 'POST')).toBe(false);

    fireEvent.change(screen.getByTestId('policy-form-bank'), { target: { value: 'Demo Bank, Harbour Branch' } });
    fireEvent.change(screen.getByTestId('policy-form-account-number'), { target: { value: '6212-2600-0000-0000-002' } });
    fireEvent.click(screen.getByTestId('policy-form-submit'));
    await waitFor(async () =>
      expect(await bodyOf(api.requests, 'POST', '/api/v1/finance/policy')).toEqual({
        platformFeeBp: 1000,
        defaultRoyaltyBp: 2000,
        vatRateBp: 600,
        collectionAccount: { payee: 'Civic Data Operations Centre', bank: 'Demo Bank, Harbour Branch', accountNumber: '6212-2600-0000-0000-002' },
      }),
    );
  });

  it('shows supervisors the policy without the forms', async () => {
    mockApi({ 'GET /api/v1/finance/policy': view });
    await renderPage(<PolicyPage />, { path: '/console/finance/policy', route: '/console/finance/policy', me: supervisor });
    expect(await screen.findByTestId('policy-default-royalty')).toHaveTextContent('20%');
    expect(screen.getByTestId('policy-collection-account')).toHaveTextContent('Not set: buyers paying by bank transfer see no account to pay.');
    expect(screen.queryByTestId('policy-form')).not.toBeInTheDocument();
    expect(screen.queryByTestId('royalty-form')).not.toBeInTheDocument();
  });
});

describe('<StatementPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  const line = { period: '2026-11', productId: SCENIC, productTitleZh: '景区客流与天气', productTitleEn: 'Scenic-spot visitors and weather', datasetId: null, datasetTitleZh: null, datasetTitleEn: null, currency: 'CNY', amount: 633_962, payments: 1 };

  it("shows a vendor's earnings by month and what it is owed", async () => {
    const sales: SellerStatement = {
      role: 'vendor',
      lines: [line, { ...line, productId: CONGESTION, productTitleZh: '道路拥堵指数', productTitleEn: 'Road congestion index', amount: 79_246 }],
      balances: [{ account: 'vendor_payable:v1', kind: 'vendor_payable', organizationName: 'CityFlow', currency: 'CNY', balance: -713_208 }],
    };
    const payout = { id: '5e000000-0000-4000-8000-000000000001', kind: 'payout' as const, organizationId: 'v1', organizationName: 'CityFlow', period: '2026-10', currency: 'CNY', amount: 633_962, method: 'bank_instruction' as const, status: 'paid' as const, providerReference: 'BANK-1', failureReason: null, createdAt: '2026-11-01T02:00:00.000Z', paidAt: '2026-11-03T02:00:00.000Z' };
    const api = mockApi({ 'GET /api/v1/revenue/statement': sales, 'GET /api/v1/revenue/settlements': { items: [payout] } });
    await renderPage(<StatementPage />, { path: '/console/revenue', route: '/console/revenue?from=2026-06&to=2026-11', me: vendor });
    await waitFor(() => expect(screen.getAllByTestId('statement-row')).toHaveLength(2));
    // Its share of what was sold, named apart from the licences it sold ("Sales").
    expect(screen.getByTestId('page-title')).toHaveTextContent('Earnings');
    expect(screen.getAllByTestId('statement-amount')[0]).toHaveTextContent('¥6,339.62');
    expect(screen.getByTestId('statement-earned')).toHaveTextContent('¥7,132.08');
    expect(screen.getByTestId('statement-owed')).toHaveTextContent('¥7,132.08');
    expect(screen.getByTestId('statement-chart')).toBeInTheDocument();
    expect(screen.queryByText('Dataset')).not.toBeInTheDocument();
    expect(queriesOf(api.requests, '/api/v1/revenue/statement')).toEqual(['?from=2026-06&to=2026-11']);
    // Its own payouts, each with its statement.
    const own = await screen.findByTestId('own-settlement-row');
    expect(own).toHaveTextContent('¥6,339.62');
    expect(within(own).getByTestId('settlement-status')).toHaveTextContent('Paid');
    expect(within(own).getByTestId('settlement-statement-pdf')).toBeInTheDocument();
  });

  it("shows an agency's royalties by dataset", async () => {
    mockApi({
      'GET /api/v1/revenue/settlements': { items: [] },
      'GET /api/v1/revenue/statement': {
        role: 'agency',
        lines: [{ ...line, datasetId: WEATHER, datasetTitleZh: '气象日观测数据', datasetTitleEn: 'Daily weather observations', amount: 60_377 }],
        balances: [],
      } satisfies SellerStatement,
    });
    await renderPage(<StatementPage />, { path: '/console/revenue', route: '/console/revenue?from=2026-06&to=2026-11', me: steward });
    expect(await screen.findByTestId('statement-row')).toHaveTextContent('Daily weather observations');
    expect(screen.getByTestId('page-title')).toHaveTextContent('Royalties');
    expect(screen.getByTestId('statement-row')).toHaveTextContent('¥603.77');
    expect(screen.getByTestId('statement-owed')).toHaveTextContent('¥0.00');
  });
});
