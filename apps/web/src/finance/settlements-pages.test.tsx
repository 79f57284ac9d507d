import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { member } from '../test/catalog-fixtures';
import { bodyOf, invoice } from '../test/commerce-fixtures';
import { apiError, clearMockApi, mockApi } from '../test/mock-api';
import { renderPage, resetPage, settle } from '../test/render-page';
import { periodOf, shiftPeriod } from './finance-format';
import type { Settlement } from './finance-types';
import { InvoicePayments, PaidAmount, refundRequestOf } from './invoice-payments';
import { endedPeriods, isMarkable, SettlementsPage } from './settlements-page';

const analyst = member('finance_analyst', ['invoices:read', 'invoices:settle', 'finance:read', 'finance:manage'], 'finance');
const supervisor = member('supervisor', ['invoices:read', 'audit:read', 'finance:read'], 'platform');

const LAST_MONTH = shiftPeriod(periodOf(), -1);

const settlement = (overrides: Partial<Settlement>): Settlement => ({
  id: '5e000000-0000-4000-8000-000000000001',
  kind: 'payout',
  organizationId: 'a0000000-0000-4000-8000-0000000000f1',
  organizationName: '城流数据科技 CityFlow Analytics',
  period: LAST_MONTH,
  currency: 'CNY',
  amount: 713_208,
  method: 'bank_instruction',
  status: 'pending',
  providerReference: null,
  failureReason: null,
  createdAt: '2026-12-01T02:00:00.000Z',
  paidAt: null,
  ...overrides,
});
const prepared = [
  settlement({}),
  settlement({ id: '5e000000-0000-4000-8000-000000000002', kind: 'remittance', organizationName: '市气象局 Meteorological Bureau', amount: 203_773, method: 'remittance_statement' }),
  settlement({ id: '5e000000-0000-4000-8000-000000000003', organizationName: 'Stripe Vendor', amount: 10_000, method: 'stripe_transfer', status: 'failed', failureReason: 'Account closed' }),
  settlement({ id: '5e000000-0000-4000-8000-000000000004', organizationName: 'Stripe Vendor Two', amount: 5_000, method: 'stripe_transfer' }),
];

describe('settlement helpers', () => {
  it('offers ended months only and marks bank transfers, remittances and failed Stripe transfers', () => {
    expect(endedPeriods(new Date('2026-03-10T00:00:00Z'), 3)).toEqual(['2026-02', '2026-01', '2025-12']);
    expect(isMarkable({ method: 'bank_instruction', status: 'pending' })).toBe(true);
    expect(isMarkable({ method: 'remittance_statement', status: 'pending' })).toBe(true);
    expect(isMarkable({ method: 'stripe_transfer', status: 'pending' })).toBe(false);
    expect(isMarkable({ method: 'stripe_transfer', status: 'failed' })).toBe(true);
    expect(isMarkable({ method: 'bank_instruction', status: 'paid' })).toBe(false);
  });
});

describe('<SettlementsPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  it('prepares last month, words a refusal, lists the settlements with totals and records a transfer', async () => {
    let listed: Settlement[] = [];
    let runs = 0;
    const api = mockApi({
      'GET /api/v1/finance/settlements': () => ({ items: listed }),
      'POST /api/v1/finance/settlements/run': () => {
        runs += 1;
        if (runs === 1) return apiError(409, 'billing.period_open', 'Settlements are prepared for a period that has ended.');
        listed = prepared;
        return { items: listed };
      },
      'POST /api/v1/finance/settlements/:id/mark-paid': () => ({ ...prepared[0]!, status: 'paid', providerReference: 'BANK-9', paidAt: '2026-12-02T04:00:00.000Z' }),
    });
    await renderPage(<SettlementsPage />, { path: '/console/finance/settlements', route: '/console/finance/settlements', me: analyst });
    expect(await screen.findByTestId('settlements-empty')).toBeInTheDocument();

    fireEvent.click(screen.getByTestId('settlements-prepare'));
    const error = await screen.findByTestId('settlements-prepare-error');
    expect(error).toHaveAttribute('data-code', 'billing.period_open');
    expect(error).toHaveTextContent('has not ended yet');

    fireEvent.click(screen.getByTestId('settlements-prepare'));
    await waitFor(() => expect(screen.getAllByTestId('settlement-row')).toHaveLength(4));
    expect(screen.queryByTestId('settlements-prepare-error')).not.toBeInTheDocument();
    expect(await bodyOf(api.requests, 'POST', '/api/v1/finance/settlements/run')).toEqual({ period: LAST_MONTH });
    const [payout, remittance, failed, stripe] = screen.getAllByTestId('settlement-row') as HTMLElement[];
    expect(payout).toHaveTextContent('Payout to vendor');
    expect(payout).toHaveTextContent('Bank transfer');
    expect(within(payout!).getByTestId('settlement-amount')).toHaveTextContent('¥7,132.08');
    expect(remittance).toHaveTextContent('Remittance to agency');
    expect(remittance).toHaveTextContent('Treasury remittance');
    expect(failed).toHaveTextContent('Account closed');
    expect(within(failed!).getByTestId('settlement-mark-paid')).toBeInTheDocument();
    expect(within(stripe!).queryByTestId('settlement-mark-paid')).not.toBeInTheDocument();
    expect(within(stripe!).getByTestId('settlement-statement-pdf')).toBeInTheDocument();
    expect(screen.getByTestId('settlements-total-payout')).toHaveTextContent('¥7,282.08');
    expect(screen.getByTestId('settlements-total-remittance')).toHaveTextContent('¥2,037.73');

    fireEvent.click(within(payout!).getByTestId('settlement-mark-paid'));
    fireEvent.click(await screen.findByTestId('settlement-mark-paid-submit'));
    expect(await screen.findByText('This field is required')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('settlement-mark-paid-reference'), { target: { value: 'BANK-9' } });
    fireEvent.click(screen.getByTestId('settlement-mark-paid-submit'));
    await waitFor(() => expect(screen.queryByTestId('settlement-mark-paid-reference')).not.toBeInTheDocument());
    await settle(100);
    const body = (await act(() => bodyOf(api.requests, 'POST', `/api/v1/finance/settlements/${prepared[0]!.id}/mark-paid`))) as { reference: string; paidAt: string };
    expect(body.reference).toBe('BANK-9');
    expect(Number.isNaN(Date.parse(body.paidAt))).toBe(false);
  });

  it('shows supervisors the settlements without preparing or marking them paid', async () => {
    mockApi({ 'GET /api/v1/finance/settlements': { items: prepared } });
    await renderPage(<SettlementsPage />, { path: '/console/finance/settlements', route: `/console/finance/settlements?period=${LAST_MONTH}`, me: supervisor });
    await waitFor(() => expect(screen.getAllByTestId('settlement-row')).toHaveLength(4));
    expect(screen.getByTestId('settlements-read-only')).toBeInTheDocument();
    expect(screen.queryByTestId('settlements-prepare')).not.toBeInTheDocument();
    expect(screen.queryByTestId('settlement-mark-paid')).not.toBeInTheDocument();
    expect(screen.getAllByTestId('settlement-statement-csv')).toHaveLength(4);
  });
});

describe('<InvoicePayments> refunds', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  const paidInvoice = invoice({
    status: 'paid',
    amountPaid: 120_000,
    amountRefunded: 20_000,
    payments: [{ id: '9a000000-0000-4000-8000-000000000001', provider: 'offline', reference: 'BANK-INV-123', amount: 120_000, refunded: 20_000, receivedAt: '2026-11-21T02:00:00.000Z' }],
  });

  it('converts the amount typed in yuan to fen exactly and keeps the reference only when one is asked for', () => {
    expect(refundRequestOf({ amount: '1,000.10', reason: ' Duplicate ', kind: 'refund', reference: ' BANK-R1 ' }, 'CNY', 'offline')).toEqual({ amount: 100_010, kind: 'refund', reason: 'Duplicate', reference: 'BANK-R1' });
    expect(refundRequestOf({ amount: '0.07', reason: 'x', reference: 'ignored' }, 'CNY', 'stripe')).toEqual({ amount: 7, kind: 'refund', reason: 'x' });
    expect(refundRequestOf({ amount: '12', reason: 'x', kind: 'chargeback', reference: 'dp_1' }, 'JPY', 'stripe')).toEqual({ amount: 12, kind: 'chargeback', reason: 'x', reference: 'dp_1' });
  });

  it('shows the VAT and the payments, requires a reason and sends minor units', async () => {
    const api = mockApi({
      'POST /api/v1/finance/payments/:id/refunds': (request: Request) =>
        request.clone().json().then((body: { amount: number }) =>
          body.amount > 100_000
            ? apiError(409, 'billing.refund_exceeds_payment', 'At most 100000 minor units of this payment can still be given back.', [{ remaining: 100_000, requested: body.amount }])
            : new Response(JSON.stringify({ id: '7f000000-0000-4000-8000-000000000001', paymentId: paidInvoice.payments[0]!.id, invoiceId: paidInvoice.id, kind: 'refund', provider: 'offline', reference: 'BANK-R1', amount: body.amount, currency: 'CNY', occurredAt: '2026-11-25T00:00:00.000Z' }), { status: 201, headers: { 'Content-Type': 'application/json' } }),
        ),
    });
    await renderPage(<InvoicePayments invoice={paidInvoice} canRefund />, { path: '/console/finance/invoices', route: '/console/finance/invoices', me: analyst });
    expect(screen.getByTestId('invoice-payments')).toHaveTextContent('VAT included (6%)');
    expect(screen.getByTestId('invoice-vat')).toHaveTextContent('¥67.92');
    expect(screen.getByTestId('payment-refunded')).toHaveTextContent('¥200.00');

    fireEvent.click(screen.getByTestId('payment-refund'));
    expect(await screen.findByTestId('refund-remaining')).toHaveTextContent('¥1,000.00');
    expect(screen.getByText('At most ¥1,000.00.')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('refund-amount'), { target: { value: '1000.01' } });
    fireEvent.change(screen.getByTestId('refund-reference'), { target: { value: 'BANK-R1' } });
    fireEvent.click(screen.getByTestId('refund-submit'));
    // The reason is required; the amount above what remains is refused before any request.
    expect(await screen.findByText('This field is required')).toBeInTheDocument();
    expect(await screen.findAllByText('At most ¥1,000.00 of this payment can still be given back.')).not.toHaveLength(0);
    // The limit is said once: the hint beneath the field gives way to its error.
    expect(screen.getAllByText(/At most ¥1,000\.00/)).toHaveLength(1);
    expect(api.requests).toHaveLength(0);

    fireEvent.change(screen.getByTestId('refund-amount'), { target: { value: '250.5' } });
    fireEvent.change(screen.getByTestId('refund-reason'), { target: { value: 'Cancelled within the trial' } });
    fireEvent.click(screen.getByTestId('refund-submit'));
    await waitFor(() => expect(screen.queryByTestId('refund-amount')).not.toBeInTheDocument());
    await settle(100);
    expect(await act(() => bodyOf(api.requests, 'POST', `/api/v1/finance/payments/${paidInvoice.payments[0]!.id}/refunds`))).toEqual({ amount: 25_050, kind: 'refund', reason: 'Cancelled within the trial', reference: 'BANK-R1' });
  });

  it('marks a row of an invoice list when part or all of what was paid went back', async () => {
    mockApi({});
    await renderPage(
      <>
        <PaidAmount invoice={paidInvoice} />
        <PaidAmount invoice={{ ...paidInvoice, amountRefunded: 120_000 }} />
        <PaidAmount invoice={{ ...paidInvoice, amountRefunded: 0 }} />
      </>,
      { path: '/console/finance/invoices', route: '/console/finance/invoices', me: analyst },
    );
    const [partly, fully] = screen.getAllByTestId('invoice-refund-status');
    expect(partly).toHaveAttribute('data-value', 'partly_refunded');
    expect(partly).toHaveTextContent('Partly refunded');
    expect(fully).toHaveAttribute('data-value', 'refunded');
    expect(screen.getAllByTestId('invoice-row-refunded').map((element) => element.textContent)).toEqual(['¥200.00 refunded', '¥1,200.00 refunded']);
    expect(screen.getAllByTestId('invoice-paid')).toHaveLength(3);
  });

  it('hides the refund action without finance:manage', async () => {
    mockApi({});
    await renderPage(<InvoicePayments invoice={paidInvoice} canRefund={false} />, { path: '/console/finance/invoices', route: '/console/finance/invoices', me: supervisor });
    expect(screen.getByTestId('payment-row')).toHaveTextContent('BANK-INV-123');
    expect(screen.queryByTestId('payment-refund')).not.toBeInTheDocument();
  });
});
