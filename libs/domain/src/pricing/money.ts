/**
 * Money: an integer amount of a currency's minor units (fen, cents) and its ISO 4217 code.
 * Never a float. `Money` is what JSON, the database (bigint/int8 columns) and the API carry;
 * every result is checked to be a safe integer, and products that may pass 2^53 are computed
 * with bigint first and refused (pricing.amount_out_of_range) when they do not fit back.
 *
 * The currency table (codes and exponents) is dinero.js's ISO 4217 list; currencies whose
 * minor unit is not a power of ten (MGA, MRU) are not supported. dinero.js's own `allocate`
 * hands leftover units to the largest ratios round-robin; the platform splits money by the
 * largest remainder method instead (the same rule as revenue shares along lineage), so
 * `allocateLargestRemainder` is implemented here with bigint.
 */
import { dinero, type Dinero } from 'dinero.js';
import * as ISO_4217 from 'dinero.js/currencies';
import { DomainError } from '../errors/domain-error.js';

/** Integer minor units + ISO 4217 code, e.g. `{ amount: 120000, currency: 'CNY' }` is ¥1,200.00. */
export interface Money {
  amount: number;
  currency: string;
}

export const DEFAULT_CURRENCY = 'CNY';

interface CurrencyDefinition {
  code: string;
  exponent: number;
}

const CURRENCIES: ReadonlyMap<string, CurrencyDefinition> = new Map(
  Object.values(ISO_4217 as Record<string, { code: string; base: number | readonly number[]; exponent: number }>)
    .filter((currency) => currency.base === 10)
    .map((currency) => [currency.code, { code: currency.code, exponent: currency.exponent }]),
);

/** ISO 4217 codes the platform accepts, sorted. */
export const SUPPORTED_CURRENCIES: readonly string[] = [...CURRENCIES.keys()].sort();

export function isSupportedCurrency(code: unknown): code is string {
  return typeof code === 'string' && CURRENCIES.has(code);
}

/** Digits after the decimal point of a currency: CNY 2, JPY 0, KWD 3. */
export function currencyExponent(code: string): number {
  const currency = CURRENCIES.get(code);
  if (!currency) throw new DomainError('pricing.unsupported_currency', `Unsupported currency: ${String(code)}`, { currency: code });
  return currency.exponent;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Converts a bigint result back to a safe integer, or refuses it. */
export function toSafeAmount(value: bigint, context: Record<string, unknown> = {}): number {
  if (value > MAX_SAFE || value < -MAX_SAFE) {
    throw new DomainError('pricing.amount_out_of_range', 'The amount is beyond what can be stored exactly (2^53 − 1 minor units)', {
      ...context,
      amount: value.toString(),
    });
  }
  return Number(value);
}

function assertAmount(amount: number | bigint): bigint {
  if (typeof amount === 'bigint') return amount;
  if (!Number.isSafeInteger(amount)) {
    throw new DomainError('pricing.invalid_money', 'A money amount is a safe integer of minor units', { amount: String(amount) });
  }
  return BigInt(amount);
}

/** A checked Money value (the default currency is CNY). Accepts a bigint that fits. */
export function money(amount: number | bigint, currency: string = DEFAULT_CURRENCY): Money {
  currencyExponent(currency);
  const value = assertAmount(amount);
  return { amount: toSafeAmount(value, { currency }), currency };
}

export function zeroMoney(currency: string = DEFAULT_CURRENCY): Money {
  return money(0, currency);
}

/** Validates an untrusted value (e.g. read back from JSON) as Money. */
export function isMoney(value: unknown): value is Money {
  if (typeof value !== 'object' || value === null) return false;
  const { amount, currency } = value as Record<string, unknown>;
  return typeof amount === 'number' && Number.isSafeInteger(amount) && isSupportedCurrency(currency);
}

function assertMoney(value: Money): void {
  if (!isMoney(value)) throw new DomainError('pricing.invalid_money', 'Not a valid money value', { value });
}

function assertSameCurrency(a: Money, b: Money): void {
  assertMoney(a);
  assertMoney(b);
  if (a.currency !== b.currency) {
    throw new DomainError('pricing.currency_mismatch', `Cannot combine ${a.currency} with ${b.currency}`, { currencies: [a.currency, b.currency] });
  }
}

export function addMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return { amount: toSafeAmount(BigInt(a.amount) + BigInt(b.amount), { currency: a.currency }), currency: a.currency };
}

export function subtractMoney(a: Money, b: Money): Money {
  assertSameCurrency(a, b);
  return { amount: toSafeAmount(BigInt(a.amount) - BigInt(b.amount), { currency: a.currency }), currency: a.currency };
}

/** Sum of amounts of one currency; the empty sum is zero of `currency`. */
export function sumMoney(values: readonly Money[], currency: string = values[0]?.currency ?? DEFAULT_CURRENCY): Money {
  return values.reduce((total, value) => addMoney(total, value), zeroMoney(currency));
}

/** Multiplies by an integer (a quantity, a number of periods); never by a fraction. */
export function multiplyMoney(value: Money, factor: number | bigint): Money {
  assertMoney(value);
  if (typeof factor === 'number' && !Number.isSafeInteger(factor)) {
    throw new DomainError('pricing.invalid_money', 'Money is multiplied by integers only', { factor: String(factor) });
  }
  return { amount: toSafeAmount(BigInt(value.amount) * BigInt(factor), { currency: value.currency }), currency: value.currency };
}

export function negateMoney(value: Money): Money {
  assertMoney(value);
  return { amount: value.amount === 0 ? 0 : -value.amount, currency: value.currency };
}

/** -1, 0 or 1; both amounts must be of the same currency. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  assertSameCurrency(a, b);
  return a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0;
}

export function isZeroMoney(value: Money): boolean {
  assertMoney(value);
  return value.amount === 0;
}

export function isNegativeMoney(value: Money): boolean {
  assertMoney(value);
  return value.amount < 0;
}

/**
 * Splits `total` by non-negative integer weights with the largest remainder (Hamilton)
 * method: each part gets the floor of its exact share, then the units left over go one each
 * to the largest remainders, ties to the earlier weight. Parts always sum to `total`, each is
 * within one minor unit of its exact share, and a zero weight gets nothing. A negative total
 * (a refund) is split as the negation of its opposite, so a refund reverses its sale exactly.
 */
export function allocateLargestRemainder(total: Money, weights: readonly (number | bigint)[]): Money[] {
  assertMoney(total);
  const exact = weights.map((weight, index) => {
    if (typeof weight === 'bigint' ? weight < 0n : !Number.isSafeInteger(weight) || weight < 0) {
      throw new DomainError('pricing.invalid_allocation', 'Allocation weights are non-negative integers', { index, weight: String(weight) });
    }
    return BigInt(weight);
  });
  const sum = exact.reduce((a, b) => a + b, 0n);
  if (sum === 0n) throw new DomainError('pricing.invalid_allocation', 'At least one allocation weight is positive', { count: weights.length });
  const amount = BigInt(total.amount);
  const sign = amount < 0n ? -1n : 1n;
  const magnitude = amount * sign;
  const parts = exact.map((weight, index) => ({ index, floor: (magnitude * weight) / sum, remainder: (magnitude * weight) % sum }));
  const leftover = magnitude - parts.reduce((acc, part) => acc + part.floor, 0n);
  const bonus = new Set(
    [...parts]
      .sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1))
      .slice(0, Number(leftover))
      .map((part) => part.index),
  );
  return parts.map(({ index, floor }) => {
    const part = (floor + (bonus.has(index) ? 1n : 0n)) * sign;
    return { amount: part === 0n ? 0 : Number(part), currency: total.currency };
  });
}

// ---------------------------------------------------------------------------------------------
// Rounding of exact fractions to minor units

/**
 * Rounds the exact non-negative fraction numerator/denominator to an integer, half up
 * (for non-negative values half up and half away from zero agree): 0.5 → 1, 0.49… → 0.
 */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n || numerator < 0n) throw new RangeError('roundHalfUp takes a non-negative fraction with a positive denominator');
  return (2n * numerator + denominator) / (2n * denominator);
}

/** Rounds the exact non-negative fraction up to the next integer. */
export function roundUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n || numerator < 0n) throw new RangeError('roundUp takes a non-negative fraction with a positive denominator');
  return (numerator + denominator - 1n) / denominator;
}

// ---------------------------------------------------------------------------------------------
// Decimal text and display

/** The exact decimal text of an amount in major units: 120005 CNY → "1200.05", 5 JPY → "5". */
export function moneyToDecimal(value: Money): string {
  assertMoney(value);
  const exponent = currencyExponent(value.currency);
  const negative = value.amount < 0;
  const digits = String(Math.abs(value.amount)).padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/**
 * Parses decimal text in major units ("1200.05", "-3", "0.5") into Money, exactly. More
 * decimals than the currency has are refused rather than rounded.
 */
export function moneyFromDecimal(text: string, currency: string = DEFAULT_CURRENCY): Money {
  const exponent = currencyExponent(currency);
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match || (match[3] ?? '').length > exponent) {
    throw new DomainError('pricing.invalid_money', `Not an amount of ${currency} with at most ${exponent} decimals: ${text}`, { text, currency });
  }
  const minor = BigInt(match[2] + (match[3] ?? '').padEnd(exponent, '0'));
  return money(match[1] ? -minor : minor, currency);
}

export type MoneyLocale = 'zh-CN' | 'en';

export interface FormatMoneyOptions {
  /**
   * How the currency is shown. Default: the narrow symbol for CNY (¥, as the platform's own
   * currency), the locale's standard symbol for every other currency (US$ in Chinese, $ in English).
   */
  currencyDisplay?: 'symbol' | 'narrowSymbol' | 'code' | 'name';
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Formats with Intl.NumberFormat using the currency's ISO exponent for the fraction digits
 * (always exact: the decimal text is formatted, not a float). zh-CN and en both group by
 * thousands: ¥1,200.00.
 */
export function formatMoney(value: Money, locale: MoneyLocale, options: FormatMoneyOptions = {}): string {
  const exponent = currencyExponent(value.currency);
  const currencyDisplay = options.currencyDisplay ?? (value.currency === DEFAULT_CURRENCY ? 'narrowSymbol' : 'symbol');
  const key = `${locale}|${value.currency}|${currencyDisplay}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: value.currency,
      currencyDisplay,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    formatters.set(key, formatter);
  }
  // ES2023 Intl.NumberFormat formats decimal strings exactly.
  return formatter.format(moneyToDecimal(value) as `${number}`);
}

/** The same value as a dinero.js object (number calculator), for code that works with dinero. */
export function toDinero(value: Money): Dinero<number> {
  assertMoney(value);
  return dinero({ amount: value.amount, currency: { code: value.currency, base: 10, exponent: currencyExponent(value.currency) } });
}
