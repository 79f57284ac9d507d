import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { i18n } from '../i18n/i18n';
import { member } from '../test/catalog-fixtures';
import { clearMockApi, mockApi } from '../test/mock-api';
import { renderPage, resetPage, settle } from '../test/render-page';
import type { JournalEntry, Posting } from './finance-types';
import { describeEntry, entryReferences, journalEntryKinds } from './journal-description';
import { LedgerPage } from './ledger-page';

const analyst = member('finance_analyst', ['invoices:read', 'invoices:settle', 'finance:read', 'finance:manage'], 'finance');

const INVOICE = '7038903f-0000-4000-8000-000000000001';
const PAYMENT = '347eb902-0000-4000-8000-000000000001';
const PAYOUT = '5e000000-0000-4000-8000-000000000001';

const posting = (account: string, amount: number, dimensions: Record<string, string>): Posting => ({ account, amount, currency: 'CNY', dimensions });

function entry(id: number, kind: string, memo: string, postings: Posting[]): JournalEntry {
  return { id, kind: kind as JournalEntry['kind'], idempotencyKey: `${kind}:${id}`, period: '2026-11', occurredAt: '2026-11-24T09:17:00.000Z', memo, postings };
}

const onInvoice = { invoice: INVOICE };
const entries: JournalEntry[] = [
  entry(9, 'payout', 'Payout BANK-OUT-77', [posting('vendor_payable:v1', 633_962, { payout: PAYOUT }), posting('clearing:offline', -633_962, { payout: PAYOUT })]),
  entry(8, 'dispute_won', 'Dispute won: Chargeback on invoice INV-2026-000002', [posting('clearing:stripe', 10_000, onInvoice), posting('receivable', -10_000, onInvoice)]),
  entry(7, 'refund', 'Refund on invoice INV-2026-000002', [posting('clearing:offline', -20_000, onInvoice), posting('vendor_payable:v1', 20_000, onInvoice)]),
  entry(4, 'payment', 'Payment BANK-IN-2026-000002 for invoice INV-2026-000002', [
    posting('clearing:offline', 960_000, { ...onInvoice, payment: PAYMENT }),
    posting('receivable', -960_000, { ...onInvoice, payment: PAYMENT }),
  ]),
  entry(3, 'invoice_issued', 'Invoice INV-2026-000002', [posting('receivable', 960_000, onInvoice), posting('billed_revenue', -960_000, onInvoice)]),
];

describe('journal descriptions', () => {
  it('take the invoice number and the reference from the memo, else from what the postings carry', () => {
    expect(entryReferences(entries[3]!)).toEqual({ invoice: 'INV-2026-000002', reference: 'BANK-IN-2026-000002' });
    expect(entryReferences(entries[0]!)).toEqual({ invoice: null, reference: 'BANK-OUT-77' });
    // A memo written some other way: the short ids of the invoice and the payment.
    expect(entryReferences(entry(5, 'payment', 'Manual correction', entries[3]!.postings))).toEqual({ invoice: '7038903f', reference: '347eb902' });
  });

  it('read in Chinese for every kind of entry, with the numbers of the memo', () => {
    const zh = i18n.getFixedT('zh-CN');
    const en = i18n.getFixedT('en');
    expect(describeEntry(entries[3]!, zh)).toBe('收款 BANK-IN-2026-000002（发票 INV-2026-000002）');
    expect(describeEntry(entries[2]!, zh)).toBe('退款（发票 INV-2026-000002）');
    expect(describeEntry(entries[1]!, zh)).toBe('争议胜诉，拒付款项返还（发票 INV-2026-000002）');
    expect(describeEntry(entries[0]!, zh)).toBe('服务商结算付款 BANK-OUT-77');
    expect(describeEntry(entries[4]!, zh)).toBe('开具发票 INV-2026-000002');
    expect(describeEntry(entries[3]!, en)).toBe('Payment BANK-IN-2026-000002 for invoice INV-2026-000002');
    // Without the number it needs, the kind alone; an unknown kind keeps its memo.
    expect(describeEntry(entry(6, 'reversal', 'Reversal of a test entry: typo', []), zh)).toBe('冲销');
    expect(describeEntry(entry(6, 'write_off', 'Written off', []), zh)).toBe('Written off');
    // Every kind has a name and a description in both languages.
    for (const kind of journalEntryKinds) {
      for (const language of ['en', 'zh-CN']) {
        expect([kind, language, i18n.exists(`finance.journal.kinds.${kind}`, { lng: language }), i18n.exists(`finance.journal.descriptions.${kind}`, { lng: language })]).toEqual([kind, language, true, true]);
      }
    }
  });
});

describe('<LedgerPage> journal', () => {
  afterEach(async () => {
    resetPage();
    clearMockApi();
    await i18n.changeLanguage('en');
  });

  it('describes each entry in the reader’s language and keeps the stored memo at hand', async () => {
    mockApi({
      'GET /api/v1/finance/accounts': { items: [] },
      'GET /api/v1/finance/journal': { items: entries, nextBefore: null },
    });
    await renderPage(<LedgerPage />, { path: '/console/finance/ledger', route: '/console/finance/ledger?tab=journal', me: analyst });
    await waitFor(() => expect(screen.getAllByTestId('journal-row')).toHaveLength(5));
    const [payout, disputeWon, , payment] = screen.getAllByTestId('journal-row') as HTMLElement[];
    expect(within(payment!).getByTestId('journal-kind')).toHaveTextContent('Payment');
    expect(within(payment!).getByTestId('journal-description')).toHaveTextContent('Payment BANK-IN-2026-000002 for invoice INV-2026-000002');
    expect(within(disputeWon!).getByTestId('journal-kind')).toHaveTextContent('Dispute won');
    expect(within(payout!).getByTestId('journal-description')).toHaveTextContent('Vendor payout BANK-OUT-77');

    await act(() => i18n.changeLanguage('zh-CN'));
    await settle();
    expect(within(payment!).getByTestId('journal-kind')).toHaveTextContent('收款');
    const description = within(payment!).getByTestId('journal-description');
    expect(description).toHaveTextContent('收款 BANK-IN-2026-000002（发票 INV-2026-000002）');
    expect(description).toHaveAttribute('data-memo', 'Payment BANK-IN-2026-000002 for invoice INV-2026-000002');
    expect(within(payout!).getByTestId('journal-description')).toHaveTextContent('服务商结算付款 BANK-OUT-77');
    expect(screen.getByTestId('journal-table')).not.toHaveTextContent('Refund on invoice');

    // The memo as stored, on hover and above the entry's postings.
    fireEvent.mouseEnter(description);
    expect(await screen.findByText('记账摘要原文：Payment BANK-IN-2026-000002 for invoice INV-2026-000002', { selector: '.ant-tooltip-container, .ant-tooltip-inner' })).toBeInTheDocument();
    fireEvent.click(within(payment!).getByRole('button'));
    expect(await screen.findByTestId('journal-memo')).toHaveTextContent('记账摘要原文：Payment BANK-IN-2026-000002 for invoice INV-2026-000002');
    expect(within(screen.getByTestId('journal-postings')).getAllByTestId('dimension-invoice')[0]).toHaveTextContent('INV-2026-000002');
  });
});
