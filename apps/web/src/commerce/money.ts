// Money as the API carries it: an integer amount of a currency's minor units (fen, cents) and
// its ISO 4217 code. The UI keeps amounts as integers (or as the decimal text a person typed)
// and never multiplies or divides floats: typed text is converted digit by digit, and display
// formats the exact decimal text with Intl.NumberFormat.

/**
 * ISO 4217 minor-unit digits where CLDR (what Intl knows) says otherwise. The API uses the ISO
 * exponents (dinero.js's table); for every other currency Intl's digits are the ISO ones.
 */
const ISO_DIGITS: Readonly<Record<string, number>> = {
  AFN: 2,
  ALL: 2,
  COP: 2,
  HUF: 2,
  IDR: 2,
  IQD: 3,
  IRR: 2,
  KPW: 2,
  LAK: 2,
  LBP: 2,
  MMK: 2,
  PKR: 2,
  SOS: 2,
  SYP: 2,
  YER: 2,
};

const digitsCache = new Map<string, number>();

/** Digits after the decimal point of a currency: CNY 2, JPY 0, KWD 3. */
export function currencyDigits(currency: string): number {
  const code = currency.toUpperCase();
  const known = ISO_DIGITS[code] ?? digitsCache.get(code);
  if (known !== undefined) return known;
  let digits = 2;
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // An unknown code: the API refuses it anyway; show two digits meanwhile.
  }
  digitsCache.set(code, digits);
  return digits;
}

/** The exact decimal text of an amount in major units: 120005 CNY → "1200.05", 5 JPY → "5", -7 CNY → "-0.07". */
export function minorToDecimal(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Not an amount of minor units: ${amount}`);
  const digits = currencyDigits(currency);
  const negative = amount < 0;
  const text = String(Math.abs(amount)).padStart(digits + 1, '0');
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? '' : `.${text.slice(-digits)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

const DECIMAL = /^(\d*)(?:\.(\d*))?$/;

/**
 * Parses what a person typed in major units ("1200.5", "1,200.50", " 0.07 ", "12.", ".5") into
 * minor units exactly, with integer arithmetic on the digits. Null when it is not a
 * non-negative amount with at most the currency's digits, or beyond 2^53 − 1 minor units.
 */
export function decimalToMinor(text: string, currency: string): number | null {
  const cleaned = text.trim().replace(/[,\s\u00a0，]/g, '').replace(/。/g, '.');
  const match = DECIMAL.exec(cleaned);
  if (!match) return null;
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (whole === '' && fraction === '') return null;
  const digits = currencyDigits(currency);
  if (fraction.length > digits) return null;
  const minor = BigInt(`${whole || '0'}${fraction.padEnd(digits, '0')}`);
  return minor > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(minor);
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * How an amount is written: `exact` with all the currency's decimals (¥1,200.00), `compact`
 * abbreviated (¥1.2K, ¥1.2万), `plain` without zero fractions (¥1,200; chart axes).
 */
export type MoneyNotation = 'exact' | 'compact' | 'plain';

/**
 * The (cached) Intl formatter of a currency in a language and notation; compact notation writes
 * at most `compactDigits` decimals (¥1.2万; a chart axis asks for what its ticks need, ¥1.25万).
 */
export function moneyFormatter(currency: string, language: string, notation: MoneyNotation, compactDigits = 1): Intl.NumberFormat {
  const digits = currencyDigits(currency);
  const key = `${language}|${currency}|${notation}${notation === 'compact' ? `|${compactDigits}` : ''}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.NumberFormat(language, {
      style: 'currency',
      currency,
      // ¥ for the platform's own currency in both languages (as the API's price texts write it).
      currencyDisplay: currency === 'CNY' ? 'narrowSymbol' : 'symbol',
      ...(notation === 'compact'
        ? { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: compactDigits }
        : { minimumFractionDigits: notation === 'exact' ? digits : 0, maximumFractionDigits: digits }),
    });
    formatters.set(key, found);
  }
  return found;
}

/** An amount of minor units in the reader's language: 120000 CNY → "¥1,200.00". Exact: the decimal text is formatted, not a float. */
export function formatMoney(amount: number, currency: string, language: string): string {
  return moneyFormatter(currency, language, 'exact').format(minorToDecimal(amount, currency) as Intl.StringNumericLiteral);
}

/** The currency's symbol in the reader's language (¥, US$, $), for money inputs. */
export function currencySymbol(currency: string, language: string): string {
  return moneyFormatter(currency, language, 'exact').formatToParts(0).find((part) => part.type === 'currency')?.value ?? currency;
}
