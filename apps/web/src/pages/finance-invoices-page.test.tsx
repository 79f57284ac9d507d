import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { member } from '../test/catalog-fixtures';
import { invoice } from '../test/commerce-fixtures';
import { clearMockApi, json, mockApi } from '../test/mock-api';
import { renderPage, resetPage, settle } from '../test/render-page';
import { FinanceInvoicesPage, filtersOf } from './finance-invoices-page';

const analyst = member('finance_analyst', ['invoices:read', 'invoices:settle', 'finance:read', 'finance:manage'], 'finance');

const jsdomMatchMedia = window.matchMedia;

/** A viewport `width` pixels wide, as antd's breakpoints read it. */
function viewport(width: number) {
  window.matchMedia = (query: string) => {
    const min = /min-width:\s*(\d+)px/.exec(query);
    const max = /max-width:\s*(\d+(?:\.\d+)?)px/.exec(query);
    const matches = (!min || width >= Number(min[1])) && (!max || width <= Number(max[1]));
    return { matches, media: query, onchange: null, addListener: () => undefined, removeListener: () => undefined, addEventListener: () => undefined, removeEventListener: () => undefined, dispatchEvent: () => false } as MediaQueryList;
  };
}

const refunded = invoice({
  id: 'd1000000-0000-4000-8000-000000000004',
  number: 'INV-2026-000002',
  status: 'paid',
  total: 960_000,
  amountPaid: 960_000,
  amountRefunded: 20_000,
  paymentInstructions: null,
  payments: [{ id: '9a000000-0000-4000-8000-000000000002', provider: 'offline', reference: 'BANK-INV-2026-000002', amount: 960_000, refunded: 20_000, receivedAt: '2026-11-21T02:00:00.000Z' }],
});
const open = invoice();

describe('<FinanceInvoicesPage> refunds and phones', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
    window.matchMedia = jsdomMatchMedia;
  });

  it('marks a partly refunded invoice in its row on a desktop', async () => {
    viewport(1366);
    mockApi({ 'GET /api/v1/finance/invoices': { items: [open, refunded] } });
    await renderPage(<FinanceInvoicesPage />, { path: '/console/finance/invoices', route: '/console/finance/invoices', me: analyst });
    await waitFor(() => expect(screen.getAllByTestId('finance-invoice-row')).toHaveLength(2));
    const [openRow, refundedRow] = screen.getAllByTestId('finance-invoice-row') as HTMLElement[];
    expect(within(refundedRow!).getByTestId('invoice-paid')).toHaveTextContent('¥9,600.00');
    expect(within(refundedRow!).getByTestId('invoice-refund-status')).toHaveTextContent('Partly refunded');
    expect(within(refundedRow!).getByTestId('invoice-row-refunded')).toHaveTextContent('¥200.00 refunded');
    expect(within(openRow!).queryByTestId('invoice-refund-status')).not.toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'Status' })).toBeInTheDocument();
  });

  it('keeps the status, the total, the refund and the actions of each invoice in two columns on a phone', async () => {
    viewport(390);
    mockApi({ 'GET /api/v1/finance/invoices': { items: [open, refunded] } });
    await renderPage(<FinanceInvoicesPage />, { path: '/console/finance/invoices', route: '/console/finance/invoices', me: analyst });
    await waitFor(() => expect(screen.getAllByTestId('finance-invoice-row')).toHaveLength(2));
    expect(screen.getAllByRole('columnheader').map((header) => header.textContent).filter(Boolean)).toEqual(['Invoice', 'Total']);
    const [openRow, refundedRow] = screen.getAllByTestId('finance-invoice-row') as HTMLElement[];
    expect(within(openRow!).getByTestId('invoice-status')).toHaveTextContent('Open');
    expect(openRow).toHaveTextContent('¥1,200.00');
    expect(within(openRow!).getByTestId('invoice-mark-paid-INV-2026-000123')).toBeInTheDocument();
    expect(refundedRow).toHaveTextContent('Paid ¥9,600.00');
    expect(within(refundedRow!).getByTestId('invoice-refund-status')).toHaveTextContent('Partly refunded');

    // The payment and its Refund button stack under each other in the expanded row.
    fireEvent.click(within(refundedRow!).getByRole('button'));
    await settle();
    const payment = await screen.findByTestId('payment-row');
    expect(within(payment).getByTestId('payment-refunded')).toHaveTextContent('¥200.00 refunded');
    expect(within(payment).getByTestId('payment-refund')).toBeInTheDocument();
    expect(within(payment.closest('table') as HTMLElement).queryByText('Actions')).not.toBeInTheDocument();
  });

  it('shows a credit note as a negative amount to settle and refunds it from a payment of its licence', async () => {
    viewport(1366);
    const usage = invoice({
      id: 'd1000000-0000-4000-8000-000000000010',
      number: 'INV-2026-000010',
      kind: 'usage',
      status: 'paid',
      total: 9_000,
      amountPaid: 9_000,
      paymentInstructions: null,
      payments: [{ id: '9a000000-0000-4000-8000-000000000010', provider: 'offline', reference: 'BANK-10', amount: 9_000, refunded: 0, receivedAt: '2026-10-02T02:00:00.000Z' }],
    });
    const creditNote = invoice({
      id: 'd1000000-0000-4000-8000-000000000011',
      number: 'CN-2026-000011',
      kind: 'credit_note',
      status: 'open',
      total: 4_600,
      subtotal: 4_340,
      tax: 260,
      paymentInstructions: null,
      lines: [{ kind: 'usage_adjustment', descriptionZh: '用量更正', descriptionEn: 'Usage correction', quantity: 20_000, unitAmount: -4_600, amount: -4_600 }],
    });
    const api = mockApi({
      'GET /api/v1/finance/invoices': (request: Request) => ({ items: new URL(request.url).searchParams.get('licenseId') ? [usage, creditNote] : [creditNote, usage] }),
      'POST /api/v1/finance/payments/:id/refunds': () =>
        json({ id: 'ab000000-0000-4000-8000-000000000001', paymentId: usage.payments[0]!.id, invoiceId: usage.id, kind: 'refund', provider: 'offline', reference: 'BACK-1', amount: 4_600, currency: 'CNY', occurredAt: '2026-11-24T00:00:00.000Z' }, 201),
    });
    await renderPage(<FinanceInvoicesPage />, { path: '/console/finance/invoices', route: '/console/finance/invoices', me: analyst });
    await waitFor(() => expect(screen.getAllByTestId('finance-invoice-row')).toHaveLength(2));
    const [noteRow] = screen.getAllByTestId('finance-invoice-row') as HTMLElement[];
    expect(noteRow).toHaveTextContent('-¥46.00');
    expect(within(noteRow!).queryByTestId('invoice-paid')).not.toBeInTheDocument();
    expect(within(noteRow!).getByTestId('invoice-status')).toHaveTextContent('To settle');
    expect(within(noteRow!).queryByTestId('invoice-mark-paid-CN-2026-000011')).not.toBeInTheDocument();

    fireEvent.click(within(noteRow!).getAllByRole('button')[0]!);
    await settle();
    expect(await screen.findByTestId('credit-note-left')).toHaveTextContent('¥46.00');
    const payment = await screen.findByTestId('credit-refund-row');
    expect(payment).toHaveTextContent('INV-2026-000010');
    fireEvent.click(within(payment).getByTestId('credit-refund'));
    expect(await screen.findByText('Refund credit note CN-2026-000011')).toBeInTheDocument();
    expect(screen.queryByTestId('refund-kind')).not.toBeInTheDocument();
    expect(screen.getByTestId('refund-remaining')).toHaveTextContent('¥46.00');
    fireEvent.change(screen.getByTestId('refund-reason'), { target: { value: 'Volume credit' } });
    fireEvent.change(screen.getByTestId('refund-reference'), { target: { value: 'BACK-1' } });
    fireEvent.click(screen.getByTestId('refund-submit'));
    await waitFor(() => expect(api.requests.some((request) => request.method === 'POST')).toBe(true));
    const posted = api.requests.find((request) => request.method === 'POST')!;
    expect(posted.url).toContain(`/api/v1/finance/payments/${usage.payments[0]!.id}/refunds`);
    expect(await posted.clone().json()).toEqual({ amount: 4_600, kind: 'refund', reason: 'Volume credit', reference: 'BACK-1', creditNoteId: creditNote.id });
  });

  it('opens with the filters a link gives (the receivables page sends to the open credit notes), ignoring unknown values', async () => {
    expect(filtersOf(new URLSearchParams('kind=credit_note&status=open'))).toEqual({ kind: 'credit_note', status: 'open' });
    expect(filtersOf(new URLSearchParams('kind=gift&status=lost'))).toEqual({});
    viewport(1366);
    const api = mockApi({ 'GET /api/v1/finance/invoices': { items: [] } });
    await renderPage(<FinanceInvoicesPage />, { path: '/console/finance/invoices', route: '/console/finance/invoices?kind=credit_note&status=open', me: analyst });
    await waitFor(() => expect(api.requests.length).toBeGreaterThan(0));
    const query = new URL(api.requests[0]!.url).searchParams;
    expect(Object.fromEntries(query)).toEqual({ kind: 'credit_note', status: 'open' });
    expect(screen.getByTestId('finance-filter-kind')).toHaveTextContent('Credit note');
  });
});
