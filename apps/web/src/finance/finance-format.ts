// Pure helpers of the finance console: accounting periods, basis points, ledger sides and
// sums per currency. Amounts stay integers of minor units; only display formats them.
import type { AccountKind, AgeingBucketName, JournalEntryKind, Posting, ReconciliationIssueKind, RevenueFilterBy, RevenueGroup } from './finance-types';

export const revenueGroups: readonly RevenueGroup[] = ['period', 'agency', 'dataset', 'product', 'vendor', 'theme'];

/** Groups whose rows can be opened to see that one agency, dataset, product or vendor by period. */
export const drillableGroups: readonly RevenueFilterBy[] = ['agency', 'dataset', 'product', 'vendor'];

export function isRevenueGroup(value: unknown): value is RevenueGroup {
  return typeof value === 'string' && (revenueGroups as readonly string[]).includes(value);
}

export function isDrillable(group: string): group is RevenueFilterBy {
  return (drillableGroups as readonly string[]).includes(group);
}

/** Whether an account's natural balance is a debit (assets, contra income) or a credit (liabilities, income). */
export const accountNormalSide: Readonly<Record<AccountKind, 'debit' | 'credit'>> = {
  receivable: 'debit',
  clearing: 'debit',
  billed_revenue: 'credit',
  tax_payable: 'credit',
  platform_revenue: 'credit',
  vendor_payable: 'credit',
  agency_payable: 'credit',
  refunds: 'debit',
};
export const accountKinds = Object.keys(accountNormalSide) as AccountKind[];

/** The chart of accounts' order: assets, liabilities, income, contra income. */
const accountOrder: Readonly<Record<AccountKind, number>> = {
  receivable: 1,
  clearing: 2,
  billed_revenue: 3,
  tax_payable: 4,
  vendor_payable: 5,
  agency_payable: 6,
  platform_revenue: 7,
  refunds: 8,
};

/** Balances in the chart of accounts' order, then by organization and currency. */
export function sortAccounts<T extends { kind: AccountKind; organizationName: string | null; account: string; currency: string }>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) =>
      (accountOrder[a.kind] ?? 99) - (accountOrder[b.kind] ?? 99) ||
      (a.organizationName ?? a.account).localeCompare(b.organizationName ?? b.account) ||
      a.currency.localeCompare(b.currency),
  );
}

export const entryKindColors: Readonly<Record<JournalEntryKind, string>> = {
  invoice_issued: 'blue',
  invoice_voided: 'default',
  credit_note: 'gold',
  payment: 'green',
  refund: 'orange',
  chargeback: 'red',
  dispute_won: 'lime',
  payout: 'purple',
  remittance: 'cyan',
  reversal: 'magenta',
};

export const ageingBuckets: readonly AgeingBucketName[] = ['current', '1-30', '31-60', '61-90', '90+'];
export const ageingColors: Readonly<Record<AgeingBucketName, string>> = {
  current: '#52c41a',
  '1-30': '#faad14',
  '31-60': '#fa8c16',
  '61-90': '#f5222d',
  '90+': '#a8071a',
};

export const issueKinds: readonly ReconciliationIssueKind[] = [
  'payment_not_posted',
  'posting_without_payment',
  'amount_mismatch',
  'invoice_not_posted',
  'refund_not_posted',
  'unbalanced_entry',
  'provider_total_mismatch',
];

/** The three parties a payment's net is divided among, with their chart colours. */
export const shareParts = ['platform', 'agencies', 'vendors'] as const;
export type SharePart = (typeof shareParts)[number];
export const shareColors: Readonly<Record<SharePart, string>> = { platform: '#0b5cad', agencies: '#389e0d', vendors: '#d48806' };

/** Dimensions the ledger writes on postings (what a posting is about). */
export const knownDimensions = ['invoice', 'payment', 'refund', 'license', 'product', 'dataset', 'buyer', 'payout', 'remittance'] as const;
export type KnownDimension = (typeof knownDimensions)[number];
export function isKnownDimension(value: string): value is KnownDimension {
  return (knownDimensions as readonly string[]).includes(value);
}

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isPeriod(value: unknown): value is string {
  return typeof value === 'string' && PERIOD.test(value);
}

/** The accounting period (YYYY-MM) of an instant: periods are months in Beijing time, as the ledger books them. */
export function periodOf(at: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).formatToParts(at);
  const year = parts.find((part) => part.type === 'year')?.value ?? '1970';
  const month = parts.find((part) => part.type === 'month')?.value ?? '01';
  return `${year}-${month}`;
}

/** A period moved by whole months: ("2026-01", -1) → "2025-12". */
export function shiftPeriod(period: string, months: number): string {
  const match = PERIOD.exec(period);
  if (!match) throw new RangeError(`Not a period: ${period}`);
  const index = Number(match[1]) * 12 + (Number(match[2]) - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Every period from `from` to `to` inclusive (empty when from is after to; at most 240). */
export function periodsBetween(from: string, to: string): string[] {
  const periods: string[] = [];
  for (let period = from; period <= to && periods.length < 240; period = shiftPeriod(period, 1)) periods.push(period);
  return periods;
}

/** "2026-03" as the reader reads a month: "Mar 2026", "2026年3月". */
export function formatPeriod(period: string, language: string, month: 'short' | 'long' = 'short'): string {
  const match = PERIOD.exec(period);
  if (!match) return period;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 15));
  return new Intl.DateTimeFormat(language, { year: 'numeric', month, timeZone: 'UTC' }).format(date);
}

/** Basis points as a percentage in the reader's language: 1250 → "12.5%". */
export function formatBasisPoints(bp: number, language: string): string {
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 2 }).format(bp / 10_000);
}

/** A percentage typed with at most two decimals as basis points (12.5 → 1250); null when out of 0–100 or finer than 0.01. */
export function percentToBasisPoints(percent: number | string | null | undefined): number | null {
  if (percent === null || percent === undefined || percent === '') return null;
  const text = String(percent).trim();
  const match = /^(\d{1,3})(?:\.(\d{0,2}))?$/.exec(text);
  if (!match) return null;
  const bp = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0') || '0');
  return bp > 10_000 ? null : bp;
}

/** Basis points as the percentage a form edits: 1250 → 12.5. */
export function basisPointsToPercent(bp: number): number {
  return Number((bp / 100).toFixed(2));
}

/** The organization id of a per-organization account ("vendor_payable:<id>"), if any. */
export function accountOwner(account: string): string | null {
  const index = account.indexOf(':');
  return index === -1 ? null : account.slice(index + 1);
}

/** The kind of an account key, when it is one the ledger knows. */
export function accountKindOf(account: string): AccountKind | null {
  const kind = account.split(':', 1)[0] ?? '';
  return (accountKinds as string[]).includes(kind) ? (kind as AccountKind) : null;
}

/** Debit positive, credit negative: which column an amount goes in. */
export function debitCredit(amount: number): { debit: number | null; credit: number | null } {
  if (amount > 0) return { debit: amount, credit: null };
  if (amount < 0) return { debit: null, credit: -amount };
  return { debit: null, credit: null };
}

/** Amounts added up per currency, in first-seen order. */
export function sumByCurrency<T>(items: readonly T[], currency: (item: T) => string, amount: (item: T) => number): Array<{ currency: string; amount: number }> {
  const totals = new Map<string, number>();
  for (const item of items) totals.set(currency(item), (totals.get(currency(item)) ?? 0) + amount(item));
  return [...totals.entries()].map(([code, total]) => ({ currency: code, amount: total }));
}

/**
 * An entry's size for a list: its largest posting per currency (a payment's money received,
 * an invoice's total). The sum of the debits would count the same money twice (a payment
 * debits both the clearing account and billed revenue).
 */
export function entryAmounts(postings: readonly Posting[]): Array<{ currency: string; amount: number }> {
  const largest = new Map<string, number>();
  for (const posting of postings) largest.set(posting.currency, Math.max(largest.get(posting.currency) ?? 0, Math.abs(posting.amount)));
  return [...largest.entries()].map(([currency, amount]) => ({ currency, amount }));
}

/** Whether an entry's postings sum to zero in every currency. */
export function isBalanced(postings: readonly Posting[]): boolean {
  return sumByCurrency(postings, (posting) => posting.currency, (posting) => posting.amount).every((total) => total.amount === 0);
}

/** A UUID shortened for display: its first eight characters. */
export function shortId(id: string): string {
  return /^[0-9a-f]{8}-/.test(id) ? id.slice(0, 8) : id;
}

/** The currencies present, the one with the largest absolute amount first. */
export function currenciesByWeight<T>(items: readonly T[], currency: (item: T) => string, amount: (item: T) => number): string[] {
  return sumByCurrency(items, currency, (item) => Math.abs(amount(item)))
    .sort((a, b) => b.amount - a.amount)
    .map((total) => total.currency);
}
