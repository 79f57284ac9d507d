import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { member } from '../test/catalog-fixtures';
import { invoice } from '../test/commerce-fixtures';
import { clearMockApi, mockApi } from '../test/mock-api';
import { renderPage, resetPage, settle } from '../test/render-page';
import { InvoicesPage } from './invoices-page';

const buyerAdmin = member('buyer_admin', ['licenses:read', 'licenses:buy']);

describe('<InvoicesPage>', () => {
  afterEach(() => {
    resetPage();
    clearMockApi();
  });

  const transfer = invoice({
    lines: [
      { kind: 'subscription_fee', descriptionZh: '每月 ¥1,200.00', descriptionEn: '¥1,200.00 a month', quantity: 1, unitAmount: 120_000, amount: 120_000 },
      { kind: 'usage', descriptionZh: '超出部分', descriptionEn: 'Usage beyond the plan', quantity: 203_120, unitAmount: 0, amount: 0 },
    ],
  });
  const card = invoice({ id: 'd1000000-0000-4000-8000-000000000009', number: 'INV-2026-000200', provider: 'stripe', kind: 'usage', total: 60_000, paymentInstructions: null });

  async function expand(number: string): Promise<HTMLElement> {
    const row = screen.getAllByTestId('invoice-row').find((candidate) => candidate.getAttribute('data-invoice-number') === number) as HTMLElement;
    fireEvent.click(within(row).getByRole('button', { name: /expand/i }));
    await settle();
    return row.nextElementSibling as HTMLElement;
  }

  it('says an open invoice Stripe collects is charged to the card on file, and gives bank details only for offline ones', async () => {
    mockApi({ 'GET /api/v1/invoices': { items: [transfer, card] } });
    await renderPage(<InvoicesPage />, { path: '/console/invoices', route: '/console/invoices', me: buyerAdmin });
    await waitFor(() => expect(screen.getAllByTestId('invoice-row')).toHaveLength(2));

    const byCard = await expand('INV-2026-000200');
    expect(within(byCard).getByTestId('card-on-file')).toHaveTextContent('Charged to your card on file through Stripe');
    expect(within(byCard).queryByTestId('bank-transfer')).not.toBeInTheDocument();
    // Not finalized by Stripe yet: no page to pay it on.
    expect(within(byCard).queryByTestId('pay-online')).not.toBeInTheDocument();

    const byTransfer = await expand('INV-2026-000123');
    expect(within(byTransfer).getByTestId('bank-transfer')).toHaveTextContent('INV-2026-000123');
    // Quantities read as the numbers beside them do: with thousands separators.
    expect(within(byTransfer).getAllByTestId('invoice-line-quantity').map((cell) => cell.textContent)).toEqual(['1', '203,120']);
    expect(within(byTransfer).queryByTestId('card-on-file')).not.toBeInTheDocument();
  });

  it('says so instead of naming an account when finance has set none', async () => {
    const unset = { ...transfer, paymentInstructions: { ...transfer.paymentInstructions!, payee: null, bank: null, accountNumber: null } };
    mockApi({ 'GET /api/v1/invoices': { items: [unset] } });
    await renderPage(<InvoicesPage />, { path: '/console/invoices', route: '/console/invoices', me: buyerAdmin });
    const byTransfer = await expand('INV-2026-000123');
    expect(within(byTransfer).getByTestId('bank-transfer-no-account')).toHaveTextContent("Government finance has not set the platform's collection account yet");
    expect(within(byTransfer).queryByTestId('bank-transfer-account')).toBeNull();
    expect(within(byTransfer).getByTestId('bank-transfer-reference')).toHaveTextContent('INV-2026-000123');
  });

  it('says nothing about paying a Stripe invoice that is paid', async () => {
    mockApi({ 'GET /api/v1/invoices': { items: [{ ...card, status: 'paid', amountPaid: 60_000 }] } });
    await renderPage(<InvoicesPage />, { path: '/console/invoices', route: '/console/invoices', me: buyerAdmin });
    await waitFor(() => expect(screen.getAllByTestId('invoice-row')).toHaveLength(1));
    const expanded = await expand('INV-2026-000200');
    expect(within(expanded).getByTestId('invoice-view')).toBeInTheDocument();
    expect(screen.queryByTestId('card-on-file')).not.toBeInTheDocument();
  });

  it('links an open Stripe invoice to Stripe’s page, where a declined buyer pays with another card', async () => {
    mockApi({ 'GET /api/v1/invoices': { items: [{ ...card, overdue: true, payOnlineUrl: 'https://invoice.stripe.com/i/acct_1/test_123' }] } });
    await renderPage(<InvoicesPage />, { path: '/console/invoices', route: '/console/invoices', me: buyerAdmin });
    await waitFor(() => expect(screen.getAllByTestId('invoice-row')).toHaveLength(1));
    const expanded = await expand('INV-2026-000200');
    const link = within(expanded).getByTestId('pay-online');
    expect(link).toHaveAttribute('href', 'https://invoice.stripe.com/i/acct_1/test_123');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(link).toHaveTextContent('Pay this invoice on Stripe’s page with another card');
  });
});
