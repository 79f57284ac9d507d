import { disputeWonEntry, DomainError, paymentTaxPart, refundEntry, reverseShares, type Posting, type RevenueShare } from '@civic/domain';
import { allocateLargestRemainder } from '@civic/domain';
import type { EntityManager } from 'typeorm';
import { Invoice, Payment } from '../entities/commerce.entity.js';
import { addToCreditNote } from './credit-notes.js';
import { postJournalEntries } from './ledger-store.js';
import { invoiceFacts } from './revenue-store.js';

export interface RecordRefundInput {
  paymentId: string;
  kind: 'refund' | 'chargeback';
  amount: number;
  /** The provider's reference (a Stripe refund or dispute id, a bank transfer's reference). */
  reference: string;
  reason?: string;
  occurredAt: Date;
  recordedByUserId?: string | null;
  /**
   * The credit note this refund pays out (a refund of the same licence's payment): the note
   * already took the amount off the receivable and the tax, so the refund's entry settles the
   * receivable instead, and the note counts the amount as settled.
   */
  creditNoteId?: string;
}

export interface RefundRecord {
  id: string;
  paymentId: string;
  invoiceId: string;
  kind: 'refund' | 'chargeback';
  provider: string;
  reference: string;
  amount: number;
  currency: string;
  occurredAt: Date;
}

/**
 * SQL for the minor units given back on a payment so far (its id given as SQL, e.g. `p.id` or
 * `$1`): refunds and chargebacks, less chargebacks won back.
 */
export const givenBackSql = (paymentId: string) =>
  `(SELECT coalesce(sum(r.amount), 0) FROM refunds r WHERE r.payment_id = ${paymentId} AND NOT EXISTS (SELECT 1 FROM dispute_reinstatements d WHERE d.refund_id = r.id))`;

/** A payment's revenue shares still standing: the split of the payment less every reversal so far. */
async function standingShares(manager: EntityManager, paymentId: string): Promise<{ shares: RevenueShare[]; tax: number }> {
  const rows: Array<{ account: string; dataset_id: string | null; amount: string }> = await manager.query(
    `SELECT p.account, p.dataset_id, (-sum(p.amount))::text AS amount
       FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id
      WHERE (e.idempotency_key = 'payment:' || $1::text
             OR e.idempotency_key IN (SELECT r.kind || ':' || r.id FROM refunds r WHERE r.payment_id = $1::uuid)
             OR e.idempotency_key IN (SELECT 'dispute-won:' || d.refund_id FROM dispute_reinstatements d JOIN refunds r ON r.id = d.refund_id WHERE r.payment_id = $1::uuid))
        AND (p.account IN ('platform_revenue', 'tax_payable') OR p.account LIKE 'agency\\_payable:%' OR p.account LIKE 'vendor\\_payable:%')
      GROUP BY p.account, p.dataset_id
      ORDER BY p.account, p.dataset_id NULLS FIRST`,
    [paymentId],
  );
  const shares: RevenueShare[] = [];
  let tax = 0;
  for (const row of rows) {
    const amount = Number(row.amount);
    if (row.account === 'tax_payable') {
      // The payment entry does not touch tax_payable (the invoice did); reversals give it back.
      tax += amount;
      continue;
    }
    const [kind, owner] = row.account.split(':');
    if (kind === 'platform_revenue') shares.push({ party: 'platform', amount, rateBp: 0 });
    else if (kind === 'agency_payable') shares.push({ party: 'agency', agencyId: owner!, datasetId: row.dataset_id, amount, rateBp: 0 });
    else shares.push({ party: 'vendor', vendorId: owner!, amount, rateBp: 0 });
  }
  return { shares, tax };
}

/**
 * Records money given back on a payment (a refund, or a chargeback the card network took)
 * and posts its journal entry: the provider pays it out, its tax part is no longer owed, and
 * every revenue share still standing is reversed in proportion. Once per provider reference;
 * never more than what remains of the payment. Call inside a transaction.
 */
export async function recordRefund(manager: EntityManager, input: RecordRefundInput): Promise<{ refund: RefundRecord; created: boolean }> {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) throw new DomainError('billing.invalid_amount', 'A refund is a positive whole number of minor units.');
  const payment = await manager.findOneBy(Payment, { id: input.paymentId });
  if (!payment) throw new DomainError('billing.payment_not_found', 'Payment not found.');
  const invoice = await manager.findOne(Invoice, { where: { id: payment.invoiceId }, lock: { mode: 'pessimistic_write' } });
  if (!invoice) throw new DomainError('billing.invoice_not_found', 'Invoice not found.');
  const existing: Array<Record<string, unknown>> = await manager.query(`SELECT * FROM refunds WHERE provider = $1 AND provider_reference = $2`, [payment.provider, input.reference]);
  if (existing[0]) {
    if (existing[0].payment_id !== payment.id) throw new DomainError('billing.duplicate_reference', 'This refund reference is already recorded against another payment.');
    return { refund: toRecord(existing[0]), created: false };
  }
  const refunded: Array<{ sum: string }> = await manager.query(`SELECT ${givenBackSql('$1::uuid')}::text AS sum`, [payment.id]);
  const remaining = Number(payment.amount) - Number(refunded[0]?.sum ?? 0);
  if (input.amount > remaining) {
    throw new DomainError('billing.refund_exceeds_payment', `At most ${remaining} minor units of this payment can still be given back.`, [{ remaining, requested: input.amount }]);
  }
  const creditNote = input.creditNoteId ? await creditNoteToRefund(manager, input.creditNoteId, invoice, input) : null;
  const rows: Array<Record<string, unknown>> = await manager.query(
    `INSERT INTO refunds (kind, payment_id, invoice_id, provider, provider_reference, amount, currency, reason, recorded_by_user_id, occurred_at, credit_note_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
    [input.kind, payment.id, invoice.id, payment.provider, input.reference, input.amount, payment.currency, input.reason ?? '', input.recordedByUserId ?? null, input.occurredAt, creditNote?.id ?? null],
  );
  const refund = toRecord(rows[0]!);
  await manager.update(Invoice, { id: invoice.id }, { amountRefunded: Number(invoice.amountRefunded) + input.amount, updatedAt: new Date() });

  // The payment's net and tax parts still standing, and the refund's parts in their proportion.
  const { shares, tax: taxReturned } = await standingShares(manager, payment.id);
  const standingNet = shares.reduce((sum, share) => sum + share.amount, 0);
  const paymentTax = Number(payment.amount) - (await paymentNet(manager, payment.id));
  const standingTax = paymentTax + taxReturned; // taxReturned is negative: tax given back earlier
  // A credit note's refund takes its net and tax in the note's proportion (its entry took them off).
  const [net, tax] = creditNote
    ? [paymentTaxPart(input.amount, creditNote).net, paymentTaxPart(input.amount, creditNote).tax]
    : allocateLargestRemainder({ amount: input.amount, currency: payment.currency }, [standingNet, Math.max(standingTax, 0)]).map((part) => part.amount);
  const reversals = net! > 0 ? reverseShares(shares, net!, payment.currency) : shares.map((share) => ({ ...share, amount: 0 }));
  const productRows: Array<{ product_id: string }> = await manager.query(`SELECT product_id FROM licenses WHERE id = $1`, [invoice.licenseId]);
  const entry = refundEntry(
    input.kind,
    { id: refund.id, amount: input.amount, currency: payment.currency, provider: payment.provider, ...(creditNote ? { creditNote: creditNote.id } : {}) },
    invoiceFacts(invoice, productRows[0]!.product_id),
    { net: net!, tax: tax! },
    reversals.filter((share) => share.amount !== 0),
    input.occurredAt,
  );
  await postJournalEntries(manager, [entry]);
  if (creditNote) {
    await manager.query(
      `INSERT INTO credit_applications (credit_note_id, refund_id, amount, currency, applied_at) VALUES ($1, $2, $3, $4, $5)`,
      [creditNote.id, refund.id, input.amount, payment.currency, input.occurredAt],
    );
    await addToCreditNote(manager, creditNote.id, input.amount, input.occurredAt);
  }
  return { refund, created: true };
}

/** The credit note a refund is to pay out, locked: of the refunded invoice's licence, open, with at least the amount left. */
async function creditNoteToRefund(manager: EntityManager, creditNoteId: string, invoice: Invoice, input: RecordRefundInput): Promise<Invoice> {
  const note = await manager.findOne(Invoice, { where: { id: creditNoteId }, lock: { mode: 'pessimistic_write' } });
  if (!note || note.kind !== 'credit_note') throw new DomainError('billing.invoice_not_found', 'Credit note not found.');
  if (input.kind !== 'refund' || note.licenseId !== invoice.licenseId || note.currency !== invoice.currency) {
    throw new DomainError('billing.credit_note_mismatch', 'A credit note is refunded from a payment of the same licence, in its currency.');
  }
  const left = note.total - Number(note.amountCredited);
  if (note.status !== 'open' || input.amount > left) {
    throw new DomainError('billing.credit_exceeds_note', `At most ${Math.max(0, note.status === 'open' ? left : 0)} minor units of this credit note are left to refund.`, [{ left, requested: input.amount }]);
  }
  return note;
}

export interface ReinstateChargebackInput {
  /** The provider's reference of the chargeback (a Stripe dispute id). */
  reference: string;
  provider: string;
  occurredAt: Date;
}

/**
 * A chargeback the merchant won: the money comes back. Recorded once per chargeback (a row of
 * dispute_reinstatements), the invoice's refunded amount goes down by it, and the chargeback's
 * journal entry is reversed by a `dispute_won` entry, so every share it took back stands again.
 * Null when no such chargeback is recorded. Call inside a transaction.
 */
export async function reinstateChargeback(manager: EntityManager, input: ReinstateChargebackInput): Promise<{ created: boolean } | null> {
  const chargebacks: Array<{ id: string; invoice_id: string; amount: string }> = await manager.query(
    `SELECT id, invoice_id, amount::text FROM refunds WHERE provider = $1 AND provider_reference = $2 AND kind = 'chargeback'`,
    [input.provider, input.reference],
  );
  const chargeback = chargebacks[0];
  if (!chargeback) return null;
  const invoice = await manager.findOne(Invoice, { where: { id: chargeback.invoice_id }, lock: { mode: 'pessimistic_write' } });
  if (!invoice) throw new DomainError('billing.invoice_not_found', 'Invoice not found.');
  const inserted: unknown[] = await manager.query(
    `INSERT INTO dispute_reinstatements (refund_id, occurred_at) VALUES ($1, $2) ON CONFLICT (refund_id) DO NOTHING RETURNING refund_id`,
    [chargeback.id, input.occurredAt],
  );
  if (inserted.length === 0) return { created: false };
  await manager.update(Invoice, { id: invoice.id }, { amountRefunded: Number(invoice.amountRefunded) - Number(chargeback.amount), updatedAt: new Date() });
  const key = `chargeback:${chargeback.id}`;
  const entries: Array<{ memo: string }> = await manager.query(`SELECT memo FROM journal_entries WHERE idempotency_key = $1`, [key]);
  const postings: Array<{ account: string; currency: string; amount: string; dimensions: Record<string, string> }> = await manager.query(
    `SELECT p.account, trim(p.currency) AS currency, p.amount::text, p.dimensions FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id
      WHERE e.idempotency_key = $1 ORDER BY p.id`,
    [key],
  );
  if (!entries[0] || postings.length === 0) throw new DomainError('ledger.unbalanced', 'The chargeback has no journal entry to reverse.', { key });
  const reversed: Posting[] = postings.map((posting) => ({ account: posting.account, currency: posting.currency, amount: Number(posting.amount), dimensions: posting.dimensions }));
  await postJournalEntries(manager, [disputeWonEntry({ idempotencyKey: key, memo: entries[0].memo, postings: reversed }, input.occurredAt)]);
  return { created: true };
}

/** The net (tax-free) part of a payment as its journal entry split it. */
async function paymentNet(manager: EntityManager, paymentId: string): Promise<number> {
  const rows: Array<{ net: string }> = await manager.query(
    `SELECT coalesce(sum(p.amount), 0)::text AS net FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id
      WHERE e.idempotency_key = 'payment:' || $1::text AND p.account = 'billed_revenue'`,
    [paymentId],
  );
  return Number(rows[0]?.net ?? 0);
}

function toRecord(row: Record<string, unknown>): RefundRecord {
  return {
    id: row.id as string,
    paymentId: row.payment_id as string,
    invoiceId: row.invoice_id as string,
    kind: row.kind as 'refund' | 'chargeback',
    provider: row.provider as string,
    reference: row.provider_reference as string,
    amount: Number(row.amount),
    currency: (row.currency as string).trim(),
    occurredAt: row.occurred_at as Date,
  };
}
