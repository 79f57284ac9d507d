import { screen, waitFor, within } from '@testing-library/react';
import { member } from '../test/catalog-fixtures';
import { clearMockApi, mockApi } from '../test/mock-api';
import { renderPage, resetPage } from '../test/render-page';
import type { AgeingReport } from './finance-types';
import { ReceivablesPage } from './receivables-page';

const analyst = member('finance_analyst', ['invoices:read', 'invoices:settle', 'finance:read', 'finance:manage'], 'finance');

const report: AgeingReport = {
  asOf: '2026-11-24T08:00:00.000Z',
  buckets: [
    { bucket: 'current', currency: 'CNY', invoices: 1, outstanding: 4_400 },
    { bucket: '1-30', currency: 'CNY', invoices: 1, outstanding: 12_500 },
    { bucket: '31-60', currency: 'CNY', invoices: 0, outstanding: 0 },
    { bucket: '61-90', currency: 'CNY', invoices: 0, outstanding: 0 },
    { bucket: '90+', currency: 'CNY', invoices: 0, outstanding: 0 },
  ],
  invoices: [
    { id: 'd1000000-0000-4000-8000-000000000001', number: 'INV-2026-000001', buyerName: 'Harbor Logistics', currency: 'CNY', outstanding: 12_500, dueAt: '2026-11-10T00:00:00.000Z', daysOverdue: 14, bucket: '1-30' },
    { id: 'd1000000-0000-4000-8000-000000000002', number: 'INV-2026-000002', buyerName: 'Sunrise Travel', currency: 'CNY', outstanding: 4_400, dueAt: '2026-12-01T00:00:00.000Z', daysOverdue: 0, bucket: 'current' },
  ],
  openCredits: [{ id: 'd1000000-0000-4000-8000-000000000003', number: 'CN-2026-000003', buyerName: 'Harbor Logistics', currency: 'CNY', amount: 4_600, issuedAt: '2026-11-20T00:00:00.000Z' }],
};

describe('<ReceivablesPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('lists what buyers owe by age, and apart from it the credit notes the platform still owes them, with the way to refund them', async () => {
    mockApi({ 'GET /api/v1/finance/receivables/ageing': report });
    await renderPage(<ReceivablesPage />, { path: '/console/finance/receivables', route: '/console/finance/receivables', me: analyst });
    await waitFor(() => expect(screen.getAllByTestId('receivable-row')).toHaveLength(2));
    expect(screen.getByTestId('receivables-count')).toHaveTextContent('2');
    const credits = screen.getByTestId('receivables-open-credits');
    expect(credits).toHaveTextContent('Credit notes to refund (1)');
    const row = within(credits).getByTestId('open-credit-row');
    expect(row).toHaveAttribute('data-number', 'CN-2026-000003');
    expect(within(row).getByTestId('open-credit-amount')).toHaveTextContent('¥46.00');
    expect(within(credits).getByRole('link', { name: 'Refund on the invoices page' })).toHaveAttribute('href', '/console/finance/invoices?kind=credit_note&status=open');
  });

  it('shows no credit card when no credit is owed', async () => {
    mockApi({ 'GET /api/v1/finance/receivables/ageing': { ...report, openCredits: [] } });
    await renderPage(<ReceivablesPage />, { path: '/console/finance/receivables', route: '/console/finance/receivables', me: analyst });
    await waitFor(() => expect(screen.getAllByTestId('receivable-row')).toHaveLength(2));
    expect(screen.queryByTestId('receivables-open-credits')).not.toBeInTheDocument();
  });
});
