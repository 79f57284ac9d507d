/**
 * The double-entry ledger. Every money event posts one journal entry: postings to accounts
 * whose amounts (minor units; debit positive, credit negative) sum to zero per currency.
 * Entries are immutable and carry an idempotency key; a correction is a reversing entry.
 *
 * Accounts (a key, with the organization after a colon where there is one per organization):
 * - `receivable`                buyers owe us (asset)
 * - `clearing:<provider>`       money held at the payment provider or the bank (asset)
 * - `billed_revenue`            invoiced, not yet collected and split (liability until paid)
 * - `tax_payable`               VAT collected for the tax office (liability)
 * - `platform_revenue`          the platform's fee (income)
 * - `vendor_payable:<org>`      owed to a vendor until paid out (liability)
 * - `agency_payable:<org>`      owed to an agency until remitted (liability)
 * - `refunds`                   money returned to buyers beyond what was split (contra income)
 */
import { DomainError } from '../errors/domain-error.js';
import { allocateLargestRemainder } from '../pricing/money.js';
import type { RevenueShare } from './revenue-split.js';

export const ACCOUNT_KINDS = ['receivable', 'clearing', 'billed_revenue', 'tax_payable', 'platform_revenue', 'vendor_payable', 'agency_payable', 'refunds'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Whether an account's natural balance is a debit (assets) or a credit (the rest). */
export const ACCOUNT_NORMAL_SIDE: Readonly<Record<AccountKind, 'debit' | 'credit'>> = {
  receivable: 'debit',
  clearing: 'debit',
  billed_revenue: 'credit',
  tax_payable: 'credit',
  platform_revenue: 'credit',
  vendor_payable: 'credit',
  agency_payable: 'credit',
  refunds: 'debit',
};

export function accountKey(kind: AccountKind, owner?: string): string {
  return owner ? `${kind}:${owner}` : kind;
}

export function accountKind(key: string): AccountKind {
  const kind = key.split(':', 1)[0] as AccountKind;
  if (!ACCOUNT_KINDS.includes(kind)) throw new DomainError('ledger.unbalanced', `Unknown account ${key}`, { account: key });
  return kind;
}

export const ENTRY_KINDS = ['invoice_issued', 'invoice_voided', 'credit_note', 'payment', 'refund', 'chargeback', 'dispute_won', 'payout', 'remittance', 'reversal'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** The entries that move revenue shares: what revenue reports, settlements and the provider's clearing account add up. */
export const REVENUE_ENTRY_KINDS = ['payment', 'refund', 'chargeback', 'dispute_won'] as const satisfies readonly EntryKind[];

export interface Posting {
  account: string;
  /** Minor units: debit positive, credit negative. */
  amount: number;
  currency: string;
  /** What the posting is about, for reports (dataset, product, licence…). */
  dimensions?: Record<string, string>;
}

export interface JournalEntryDraft {
  kind: EntryKind;
  /** Unique per money event: posting the same key twice posts once. */
  idempotencyKey: string;
  occurredAt: Date;
  memo: string;
  postings: Posting[];
}

/** Merges postings to the same account, currency and dimensions, and drops zeros. */
export function compactPostings(postings: readonly Posting[]): Posting[] {
  const merged = new Map<string, Posting>();
  for (const posting of postings) {
    const key = `${posting.account}|${posting.currency}|${JSON.stringify(posting.dimensions ?? {})}`;
    const found = merged.get(key);
    if (found) found.amount += posting.amount;
    else merged.set(key, { ...posting, dimensions: posting.dimensions ? { ...posting.dimensions } : undefined });
  }
  return [...merged.values()].filter((posting) => posting.amount !== 0);
}

/** Throws ledger.unbalanced unless the entry has postings of whole minor units summing to zero per currency. */
export function assertBalanced(entry: Pick<JournalEntryDraft, 'idempotencyKey' | 'postings'>): void {
  if (entry.postings.length < 2) throw new DomainError('ledger.unbalanced', 'A journal entry has at least two postings', { key: entry.idempotencyKey });
  const sums = new Map<string, bigint>();
  for (const posting of entry.postings) {
    if (!Number.isSafeInteger(posting.amount)) throw new DomainError('ledger.unbalanced', 'Postings are whole minor units', { key: entry.idempotencyKey, amount: posting.amount });
    accountKind(posting.account);
    sums.set(posting.currency, (sums.get(posting.currency) ?? 0n) + BigInt(posting.amount));
  }
  for (const [currency, sum] of sums) {
    if (sum !== 0n) throw new DomainError('ledger.unbalanced', 'A journal entry sums to zero in every currency', { key: entry.idempotencyKey, currency, sum: String(sum) });
  }
}

function entry(draft: JournalEntryDraft): JournalEntryDraft {
  const postings = compactPostings(draft.postings);
  const result = { ...draft, postings };
  assertBalanced(result);
  return result;
}

export interface InvoiceFacts {
  id: string;
  number: string;
  currency: string;
  subtotal: number;
  tax: number;
  total: number;
  licenseId: string;
  productId: string;
  organizationId: string;
}

const invoiceDimensions = (invoice: InvoiceFacts) => ({ invoice: invoice.id, license: invoice.licenseId, product: invoice.productId, buyer: invoice.organizationId });

/** An issued invoice: the buyer owes the total; the net is billed revenue, the tax is owed to the tax office. */
export function invoiceIssuedEntry(invoice: InvoiceFacts, occurredAt: Date): JournalEntryDraft | null {
  if (invoice.total === 0) return null;
  const dimensions = invoiceDimensions(invoice);
  return entry({
    kind: 'invoice_issued',
    idempotencyKey: `invoice:${invoice.id}`,
    occurredAt,
    memo: `Invoice ${invoice.number}`,
    postings: [
      { account: 'receivable', amount: invoice.total, currency: invoice.currency, dimensions },
      { account: 'billed_revenue', amount: -invoice.subtotal, currency: invoice.currency, dimensions },
      { account: 'tax_payable', amount: -invoice.tax, currency: invoice.currency, dimensions },
    ],
  });
}

/** A voided invoice that was never paid: the issue entry reversed. */
export function invoiceVoidedEntry(invoice: InvoiceFacts, occurredAt: Date): JournalEntryDraft | null {
  const issued = invoiceIssuedEntry(invoice, occurredAt);
  if (!issued) return null;
  return entry({ kind: 'invoice_voided', idempotencyKey: `invoice-void:${invoice.id}`, occurredAt, memo: `Invoice ${invoice.number} voided`, postings: issued.postings.map((posting) => ({ ...posting, amount: -posting.amount })) });
}

/**
 * A credit note (a period's final reading came out lower: volume pricing): the buyer owes that
 * much less (or is owed it), the net is no longer billed revenue and the tax is no longer owed.
 * No share moves: a credit settled against an open invoice leaves less to be paid and split; a
 * credit refunded reverses the shares of the payment it is refunded from (see refundEntry).
 */
export function creditNoteEntry(creditNote: InvoiceFacts, occurredAt: Date): JournalEntryDraft | null {
  if (creditNote.total === 0) return null;
  const dimensions = invoiceDimensions(creditNote);
  return entry({
    kind: 'credit_note',
    idempotencyKey: `credit-note:${creditNote.id}`,
    occurredAt,
    memo: `Credit note ${creditNote.number}`,
    postings: [
      { account: 'billed_revenue', amount: creditNote.subtotal, currency: creditNote.currency, dimensions },
      { account: 'tax_payable', amount: creditNote.tax, currency: creditNote.currency, dimensions },
      { account: 'receivable', amount: -creditNote.total, currency: creditNote.currency, dimensions },
    ],
  });
}

/** The part of a payment that is tax, in proportion to its invoice's tax. */
export function paymentTaxPart(amount: number, invoice: Pick<InvoiceFacts, 'subtotal' | 'tax' | 'currency' | 'total'>): { net: number; tax: number } {
  if (invoice.tax === 0) return { net: amount, tax: 0 };
  if (amount === invoice.total) return { net: invoice.subtotal, tax: invoice.tax };
  const [net, tax] = allocateLargestRemainder({ amount, currency: invoice.currency }, [invoice.subtotal, invoice.tax]);
  return { net: net!.amount, tax: tax!.amount };
}

export function shareAccount(share: RevenueShare): string {
  if (share.party === 'platform') return 'platform_revenue';
  if (share.party === 'agency') return accountKey('agency_payable', share.agencyId);
  return accountKey('vendor_payable', share.vendorId);
}

function shareDimensions(share: RevenueShare, base: Record<string, string>): Record<string, string> {
  if (share.party === 'agency' && share.datasetId) return { ...base, dataset: share.datasetId };
  return base;
}

export interface PaymentFacts {
  id: string;
  provider: string;
  amount: number;
  currency: string;
  reference: string;
}

/**
 * Money received against an invoice: the provider holds it, the buyer owes that much less,
 * and the net part of it (billed revenue) is divided into the revenue shares.
 */
export function paymentEntry(payment: PaymentFacts, invoice: InvoiceFacts, shares: readonly RevenueShare[], occurredAt: Date): JournalEntryDraft {
  const dimensions = { ...invoiceDimensions(invoice), payment: payment.id };
  const { net } = paymentTaxPart(payment.amount, invoice);
  const split = shares.reduce((sum, share) => sum + share.amount, 0);
  if (split !== net) throw new DomainError('ledger.unbalanced', 'The revenue shares must sum to the net of the payment', { net, split });
  return entry({
    kind: 'payment',
    idempotencyKey: `payment:${payment.id}`,
    occurredAt,
    memo: `Payment ${payment.reference} for invoice ${invoice.number}`,
    postings: [
      { account: accountKey('clearing', payment.provider), amount: payment.amount, currency: payment.currency, dimensions },
      { account: 'receivable', amount: -payment.amount, currency: payment.currency, dimensions },
      { account: 'billed_revenue', amount: net, currency: payment.currency, dimensions },
      ...shares.map((share) => ({ account: shareAccount(share), amount: -share.amount, currency: payment.currency, dimensions: shareDimensions(share, dimensions) })),
    ],
  });
}

/**
 * Money returned to the buyer (refund) or taken back by the card network (chargeback): the
 * provider pays it out, the tax part is no longer owed, and every share is reversed by
 * `reversals` (negative amounts from reverseShares, summing to minus the net part).
 */
export function refundEntry(
  kind: 'refund' | 'chargeback',
  refund: { id: string; amount: number; currency: string; provider: string; /** The credit note this refund settles. */ creditNote?: string },
  invoice: InvoiceFacts,
  parts: { net: number; tax: number },
  reversals: readonly RevenueShare[],
  occurredAt: Date,
): JournalEntryDraft {
  const dimensions = { ...invoiceDimensions(invoice), refund: refund.id };
  const reversed = reversals.reduce((sum, share) => sum + share.amount, 0);
  if (reversed !== -parts.net || parts.net + parts.tax !== refund.amount) {
    throw new DomainError('ledger.unbalanced', 'The reversals must sum to the net of the refund', { net: parts.net, reversed });
  }
  if (refund.creditNote && kind !== 'refund') throw new DomainError('ledger.unbalanced', 'Only a refund can settle a credit note', { refund: refund.id });
  // Refunding a credit note pays out what the note already took off the receivable, billed
  // revenue and tax: the shares it reverses go back to billed revenue instead of to tax and cash.
  const settling = refund.creditNote
    ? [
        { account: 'receivable', amount: refund.amount, currency: refund.currency, dimensions: { ...dimensions, credit_note: refund.creditNote } },
        { account: 'billed_revenue', amount: -parts.net, currency: refund.currency, dimensions: { ...dimensions, credit_note: refund.creditNote } },
      ]
    : [{ account: 'tax_payable', amount: parts.tax, currency: refund.currency, dimensions }];
  return entry({
    kind,
    idempotencyKey: `${kind}:${refund.id}`,
    occurredAt,
    memo: `${kind === 'refund' ? 'Refund' : 'Chargeback'} on invoice ${invoice.number}`,
    postings: [
      { account: accountKey('clearing', refund.provider), amount: -refund.amount, currency: refund.currency, dimensions },
      ...settling,
      ...reversals.map((share) => ({ account: shareAccount(share), amount: -share.amount, currency: refund.currency, dimensions: shareDimensions(share, dimensions) })),
    ],
  });
}

/**
 * A chargeback the merchant won: the card network gives the money back, so the chargeback's
 * postings are reversed (the provider holds the money again, its tax part is owed again, and
 * every share the chargeback took back stands again).
 */
export function disputeWonEntry(chargeback: Pick<JournalEntryDraft, 'idempotencyKey' | 'postings' | 'memo'>, occurredAt: Date): JournalEntryDraft {
  if (!chargeback.idempotencyKey.startsWith('chargeback:')) throw new DomainError('ledger.unbalanced', 'Only a chargeback can be won back', { key: chargeback.idempotencyKey });
  return entry({
    kind: 'dispute_won',
    idempotencyKey: `dispute-won:${chargeback.idempotencyKey.slice('chargeback:'.length)}`,
    occurredAt,
    memo: `Dispute won: ${chargeback.memo}`,
    postings: chargeback.postings.map((posting) => ({ ...posting, amount: -posting.amount })),
  });
}

/** Paying a vendor (payout) or an agency (remittance) what it is owed. */
export function settlementEntry(
  kind: 'payout' | 'remittance',
  settlement: { id: string; organizationId: string; amount: number; currency: string; provider: string; reference: string },
  occurredAt: Date,
): JournalEntryDraft {
  if (!Number.isSafeInteger(settlement.amount) || settlement.amount <= 0) throw new DomainError('billing.invalid_amount', 'A settlement is a positive amount', { amount: settlement.amount });
  const payable = accountKey(kind === 'payout' ? 'vendor_payable' : 'agency_payable', settlement.organizationId);
  const dimensions = { [kind]: settlement.id };
  return entry({
    kind,
    idempotencyKey: `${kind}:${settlement.id}`,
    occurredAt,
    memo: `${kind === 'payout' ? 'Payout' : 'Remittance'} ${settlement.reference}`,
    postings: [
      { account: payable, amount: settlement.amount, currency: settlement.currency, dimensions },
      { account: accountKey('clearing', settlement.provider), amount: -settlement.amount, currency: settlement.currency, dimensions },
    ],
  });
}

/** A correction: the given entry's postings with opposite signs. */
export function reversalEntry(original: Pick<JournalEntryDraft, 'idempotencyKey' | 'postings' | 'memo'>, occurredAt: Date, reason: string): JournalEntryDraft {
  return entry({
    kind: 'reversal',
    idempotencyKey: `reversal:${original.idempotencyKey}`,
    occurredAt,
    memo: `Reversal of ${original.memo}: ${reason}`,
    postings: original.postings.map((posting) => ({ ...posting, amount: -posting.amount })),
  });
}

/** Balances per account and currency from postings (what the database derives the same way). */
export function balances(postings: Iterable<Pick<Posting, 'account' | 'amount' | 'currency'>>): Map<string, bigint> {
  const result = new Map<string, bigint>();
  for (const posting of postings) {
    const key = `${posting.account}|${posting.currency}`;
    result.set(key, (result.get(key) ?? 0n) + BigInt(posting.amount));
  }
  return result;
}

/** Accounting periods are calendar months in the finance office's time zone. */
export const FINANCE_TIME_ZONE = 'Asia/Shanghai';
/** Asia/Shanghai has kept UTC+8 without daylight saving time since 1991. */
const FINANCE_OFFSET_MS = 8 * 3_600_000;

/** The accounting period ('YYYY-MM') a moment belongs to. */
export function accountingPeriod(at: Date): string {
  const local = new Date(at.getTime() + FINANCE_OFFSET_MS);
  return `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** [start, end) of an accounting period as instants. */
export function accountingPeriodRange(period: string): { start: Date; end: Date } {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (!match) throw new DomainError('billing.period_not_found', 'A period is written YYYY-MM', { period });
  const year = Number(match[1]);
  const month = Number(match[2]);
  const start = new Date(Date.UTC(year, month - 1, 1) - FINANCE_OFFSET_MS);
  const end = new Date(Date.UTC(year, month, 1) - FINANCE_OFFSET_MS);
  return { start, end };
}
