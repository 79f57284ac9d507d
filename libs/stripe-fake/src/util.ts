import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A random base62 string. */
export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHABET[bytes[i] % 62];
  return out;
}

/** Id lengths roughly as Stripe issues them (the part after the prefix). */
const ID_LENGTH: Record<string, number> = {
  cus: 14,
  prod: 14,
  acct: 16,
  si: 14,
  req: 14,
  cs_test: 58,
};

/** `cus_…`, `cs_test_…`, `evt_…`: a Stripe-looking id. */
export function newId(prefix: string): string {
  return `${prefix}_${randomToken(ID_LENGTH[prefix] ?? 24)}`;
}

/** A deep copy through JSON: what a client would see on the wire. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What changed between two snapshots of an object, as Stripe's `data.previous_attributes`:
 * for each changed key the old value (`null` when the key did not exist). Nested plain objects
 * (metadata, cancellation_details, …) are compared key by key; lists and arrays are compared whole.
 */
export function previousAttributes(before: unknown, after: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(before) || !isPlainObject(after)) return undefined;
  const out: Record<string, unknown> = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    const a = before[key];
    const b = after[key];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    const isList = (v: unknown) => isPlainObject(v) && v.object === 'list';
    if (isPlainObject(a) && isPlainObject(b) && !isList(a) && !isList(b)) {
      out[key] = previousAttributes(a, b) ?? {};
    } else {
      out[key] = a === undefined ? null : a;
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Stripe's zero-decimal currencies: amounts are whole units. */
export const ZERO_DECIMAL_CURRENCIES = new Set([
  'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf',
]);
const THREE_DECIMAL_CURRENCIES = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** `1000`, `usd` → `$10.00` (for the hosted pages). */
export function formatAmount(amount: number, currency: string): string {
  const code = currency.toLowerCase();
  const digits = ZERO_DECIMAL_CURRENCIES.has(code) ? 0 : THREE_DECIMAL_CURRENCIES.has(code) ? 3 : 2;
  const value = amount / 10 ** digits;
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: code.toUpperCase(),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(value);
  } catch {
    return `${value.toFixed(digits)} ${code.toUpperCase()}`;
  }
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const SECONDS_PER_DAY = 86_400;

export type Interval = 'day' | 'week' | 'month' | 'year';

/**
 * The start of billing cycle `n` for a subscription anchored at `anchor` (unix seconds), as
 * Stripe computes it: months keep the anchor's day of month, clamped to the month's last day
 * (an anchor on Jan 31 renews on Feb 28/29, then Mar 31).
 */
export function cycleStart(anchor: number, interval: Interval, intervalCount: number, n: number): number {
  if (interval === 'day') return anchor + n * intervalCount * SECONDS_PER_DAY;
  if (interval === 'week') return anchor + n * intervalCount * 7 * SECONDS_PER_DAY;
  const months = n * intervalCount * (interval === 'year' ? 12 : 1);
  const date = new Date(anchor * 1000);
  const totalMonths = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(totalMonths / 12);
  const month = totalMonths % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(date.getUTCDate(), lastDay);
  return Math.floor(
    Date.UTC(year, month, day, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()) / 1000,
  );
}

export const DAY = SECONDS_PER_DAY;
