import { Tooltip } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { shortId } from './finance-format';
import type { JournalEntry, JournalEntryKind } from './finance-types';

/** Every kind of journal entry the ledger posts. */
export const journalEntryKinds: readonly JournalEntryKind[] = ['invoice_issued', 'invoice_voided', 'credit_note', 'payment', 'refund', 'chargeback', 'dispute_won', 'payout', 'remittance', 'reversal'];

export function isJournalEntryKind(value: string): value is JournalEntryKind {
  return (journalEntryKinds as readonly string[]).includes(value);
}

/** The invoice number an entry's memo names ("Payment … for invoice INV-2026-000002"): the last one written. */
export function invoiceNumberIn(memo: string): string | null {
  const numbers = memo.match(/\b(?:INV|CN)-[0-9A-Z-]*\d/g);
  return numbers ? (numbers[numbers.length - 1] ?? null) : null;
}

/** A dimension's value on the first posting that carries it. */
function dimensionOf(entry: Pick<JournalEntry, 'postings'>, key: string): string | null {
  for (const posting of entry.postings) {
    const value = posting.dimensions?.[key];
    if (value) return value;
  }
  return null;
}

/** The reference the ledger wrote into a payment's, payout's or remittance's memo. */
function referenceInMemo(kind: JournalEntryKind, memo: string): string | null {
  if (kind === 'payment') return /^Payment (.+?) for invoice \S+$/.exec(memo)?.[1] ?? null;
  if (kind === 'payout') return /^Payout (.+)$/.exec(memo)?.[1] ?? null;
  if (kind === 'remittance') return /^Remittance (.+)$/.exec(memo)?.[1] ?? null;
  return null;
}

/**
 * What an entry is about, for a description in any language: the invoice number and the
 * payment's, payout's or remittance's reference, from the memo the ledger wrote, else the
 * short id of what the postings carry.
 */
export function entryReferences(entry: Pick<JournalEntry, 'kind' | 'memo' | 'postings'>): { invoice: string | null; reference: string | null } {
  const kind: string = entry.kind;
  const invoiceId = dimensionOf(entry, 'invoice');
  const invoice = invoiceNumberIn(entry.memo) ?? (invoiceId ? shortId(invoiceId) : null);
  if (!isJournalEntryKind(kind)) return { invoice, reference: null };
  const dimension = kind === 'payment' || kind === 'payout' || kind === 'remittance' ? dimensionOf(entry, kind) : null;
  return { invoice, reference: referenceInMemo(kind, entry.memo) ?? (dimension ? shortId(dimension) : null) };
}

/** The kind of an entry in the reader's language; an unknown kind as the API wrote it. */
export function entryKindLabel(kind: string, t: TFunction): string {
  return isJournalEntryKind(kind) ? t(`finance.journal.kinds.${kind}`) : kind;
}

/**
 * An entry described in the reader's language from its kind ("收款 BANK-1（发票 INV-…）"),
 * instead of the English memo the ledger stores. Without the number or reference it needs, the
 * kind alone.
 */
export function describeEntry(entry: Pick<JournalEntry, 'kind' | 'memo' | 'postings'>, t: TFunction): string {
  const kind: string = entry.kind;
  if (!isJournalEntryKind(kind)) return entry.memo;
  const { invoice, reference } = entryReferences(entry);
  switch (kind) {
    case 'payment':
      return invoice && reference ? t('finance.journal.descriptions.payment', { reference, invoice }) : entryKindLabel(kind, t);
    case 'payout':
    case 'remittance':
      return reference ? t(`finance.journal.descriptions.${kind}`, { reference }) : entryKindLabel(kind, t);
    default:
      return invoice ? t(`finance.journal.descriptions.${kind}`, { invoice }) : entryKindLabel(kind, t);
  }
}

/** An entry's description; the memo the ledger stored (in English) on hover. */
export function EntryDescription({ entry }: { entry: Pick<JournalEntry, 'kind' | 'memo' | 'postings'> }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t('finance.journal.storedMemo', { memo: entry.memo })}>
      <span data-testid="journal-description" data-memo={entry.memo}>
        {describeEntry(entry, t)}
      </span>
    </Tooltip>
  );
}
