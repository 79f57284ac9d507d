import fc from 'fast-check';
import {
  addMoney,
  allocateLargestRemainder,
  compareMoney,
  currencyExponent,
  DEFAULT_CURRENCY,
  formatMoney,
  isMoney,
  isSupportedCurrency,
  isZeroMoney,
  money,
  moneyFromDecimal,
  moneyToDecimal,
  multiplyMoney,
  negateMoney,
  roundHalfUp,
  roundUp,
  subtractMoney,
  sumMoney,
  SUPPORTED_CURRENCIES,
  toDinero,
  zeroMoney,
} from './money.js';
import { toSnapshot } from 'dinero.js';
import { expectDomainError } from './test-support.js';

describe('currencies', () => {
  it('knows ISO 4217 exponents through dinero.js', () => {
    expect(DEFAULT_CURRENCY).toBe('CNY');
    expect(currencyExponent('CNY')).toBe(2);
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('KWD')).toBe(3);
    expect(SUPPORTED_CURRENCIES).toContain('CNY');
    expect(SUPPORTED_CURRENCIES.length).toBeGreaterThan(150);
  });

  it('refuses unknown, lower-case and non-decimal currencies', () => {
    for (const code of ['cny', 'XXX', '', 'MGA', 'MRU']) {
      expect(isSupportedCurrency(code)).toBe(false);
      expectDomainError(() => currencyExponent(code), 'pricing.unsupported_currency');
    }
    expect(isSupportedCurrency(42)).toBe(false);
  });
});

describe('money arithmetic', () => {
  it('builds checked values, CNY by default', () => {
    expect(money(120000)).toEqual({ amount: 120000, currency: 'CNY' });
    expect(money(5n, 'JPY')).toEqual({ amount: 5, currency: 'JPY' });
    expect(zeroMoney('USD')).toEqual({ amount: 0, currency: 'USD' });
    for (const bad of [1.5, Number.NaN, Infinity, Number.MAX_SAFE_INTEGER + 1]) expectDomainError(() => money(bad), 'pricing.invalid_money');
    expectDomainError(() => money(2n ** 60n), 'pricing.amount_out_of_range');
    expect(isMoney({ amount: 1, currency: 'CNY' })).toBe(true);
    expect(isMoney({ amount: 1.1, currency: 'CNY' })).toBe(false);
    expect(isMoney({ amount: 1, currency: 'cny' })).toBe(false);
    expect(isMoney(null)).toBe(false);
  });

  it('adds, subtracts, multiplies by integers and compares', () => {
    const a = money(150);
    const b = money(275);
    expect(addMoney(a, b)).toEqual(money(425));
    expect(subtractMoney(a, b)).toEqual(money(-125));
    expect(multiplyMoney(a, 3)).toEqual(money(450));
    expect(multiplyMoney(a, 3n)).toEqual(money(450));
    expect(negateMoney(money(0))).toEqual(money(0));
    expect(Object.is(negateMoney(money(0)).amount, -0)).toBe(false);
    expect(compareMoney(a, b)).toBe(-1);
    expect(compareMoney(b, a)).toBe(1);
    expect(compareMoney(a, money(150))).toBe(0);
    expect(isZeroMoney(money(0))).toBe(true);
    expect(sumMoney([a, b, a])).toEqual(money(575));
    expect(sumMoney([], 'USD')).toEqual(money(0, 'USD'));
    expectDomainError(() => multiplyMoney(a, 1.5), 'pricing.invalid_money');
  });

  it('never mixes currencies', () => {
    expectDomainError(() => addMoney(money(1), money(1, 'USD')), 'pricing.currency_mismatch');
    expectDomainError(() => compareMoney(money(1), money(1, 'USD')), 'pricing.currency_mismatch');
  });

  it('refuses results beyond 2^53 − 1 instead of losing precision', () => {
    const big = money(Number.MAX_SAFE_INTEGER);
    expectDomainError(() => addMoney(big, money(1)), 'pricing.amount_out_of_range');
    expectDomainError(() => multiplyMoney(money(2 ** 30), 2 ** 30), 'pricing.amount_out_of_range');
    expect(subtractMoney(big, money(1)).amount).toBe(Number.MAX_SAFE_INTEGER - 1);
  });

  it('is exact where floats are not', () => {
    expect(addMoney(money(10), money(20))).toEqual(money(30)); // 0.10 + 0.20
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), (x, y) => {
        expect(subtractMoney(addMoney(money(x), money(y)), money(y))).toEqual(money(x));
      }),
    );
  });
});

describe('rounding helpers', () => {
  it('rounds half up and up', () => {
    expect(roundHalfUp(5n, 2n)).toBe(3n); // 2.5 → 3
    expect(roundHalfUp(7n, 2n)).toBe(4n); // 3.5 → 4
    expect(roundHalfUp(149n, 100n)).toBe(1n);
    expect(roundHalfUp(150n, 100n)).toBe(2n);
    expect(roundHalfUp(0n, 7n)).toBe(0n);
    expect(roundUp(1n, 12n)).toBe(1n);
    expect(roundUp(12n, 12n)).toBe(1n);
    expect(roundUp(13n, 12n)).toBe(2n);
    expect(() => roundHalfUp(1n, 0n)).toThrow(RangeError);
    expect(() => roundUp(-1n, 2n)).toThrow(RangeError);
  });
});

describe('allocateLargestRemainder', () => {
  const amounts = (parts: { amount: number }[]) => parts.map((part) => part.amount);

  it('splits by the largest remainder, ties to the earlier weight', () => {
    expect(amounts(allocateLargestRemainder(money(100), [1, 1, 1]))).toEqual([34, 33, 33]);
    expect(amounts(allocateLargestRemainder(money(5), [1, 1]))).toEqual([3, 2]);
    // 10 × 1/6 = 1.67, 10 × 2/6 = 3.33, 10 × 3/6 = 5 → floors 1, 3, 5; the leftover unit goes to 1.67.
    expect(amounts(allocateLargestRemainder(money(10), [1, 2, 3]))).toEqual([2, 3, 5]);
    expect(amounts(allocateLargestRemainder(money(7), [0, 1, 0]))).toEqual([0, 7, 0]);
    expect(amounts(allocateLargestRemainder(money(1), [2n, 3n]))).toEqual([0, 1]);
  });

  it('reverses a sale exactly for a refund', () => {
    expect(amounts(allocateLargestRemainder(money(-100), [1, 1, 1]))).toEqual([-34, -33, -33]);
  });

  it('refuses weights that cannot split anything', () => {
    expectDomainError(() => allocateLargestRemainder(money(1), []), 'pricing.invalid_allocation');
    expectDomainError(() => allocateLargestRemainder(money(1), [0, 0]), 'pricing.invalid_allocation');
    expectDomainError(() => allocateLargestRemainder(money(1), [1, -1]), 'pricing.invalid_allocation');
    expectDomainError(() => allocateLargestRemainder(money(1), [0.5]), 'pricing.invalid_allocation');
  });

  it('always sums to the whole, each part within one unit of its exact share', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 12 }).filter((weights) => weights.some((w) => w > 0)),
        (amount, weights) => {
          const parts = allocateLargestRemainder(money(amount, 'USD'), weights);
          expect(parts.reduce((sum, part) => sum + part.amount, 0)).toBe(amount);
          const total = BigInt(weights.reduce((a, b) => a + b, 0));
          parts.forEach((part, index) => {
            expect(part.currency).toBe('USD');
            // |part × total − amount × weight| < total
            const gap = BigInt(part.amount) * total - BigInt(amount) * BigInt(weights[index]);
            expect(gap < total && gap > -total).toBe(true);
            if (weights[index] === 0) expect(part.amount).toBe(0);
          });
        },
      ),
    );
  });

  it('is deterministic and does not depend on how the weights are scaled', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 2, max: 50 }), (amount, weights, factor) => {
        const once = allocateLargestRemainder(money(amount), weights);
        expect(allocateLargestRemainder(money(amount), weights)).toEqual(once);
        expect(allocateLargestRemainder(money(amount), weights.map((w) => w * factor))).toEqual(once);
      }),
    );
  });
});

describe('decimal text and formatting', () => {
  it('converts to and from exact decimal text', () => {
    expect(moneyToDecimal(money(120005))).toBe('1200.05');
    expect(moneyToDecimal(money(5))).toBe('0.05');
    expect(moneyToDecimal(money(-5))).toBe('-0.05');
    expect(moneyToDecimal(money(5, 'JPY'))).toBe('5');
    expect(moneyToDecimal(money(1, 'KWD'))).toBe('0.001');
    expect(moneyFromDecimal('1200.05')).toEqual(money(120005));
    expect(moneyFromDecimal('0.5')).toEqual(money(50));
    expect(moneyFromDecimal('-3', 'JPY')).toEqual(money(-3, 'JPY'));
    for (const bad of ['1.234', '1,000', 'abc', '', '1.']) expectDomainError(() => moneyFromDecimal(bad), 'pricing.invalid_money');
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }), fc.constantFrom('CNY', 'JPY', 'KWD', 'USD'), (amount, currency) => {
        expect(moneyFromDecimal(moneyToDecimal(money(amount, currency)), currency)).toEqual(money(amount, currency));
      }),
    );
  });

  it('formats with Intl.NumberFormat and the currency exponent', () => {
    expect(formatMoney(money(120000), 'en')).toBe('¥1,200.00');
    expect(formatMoney(money(120000), 'zh-CN')).toBe('¥1,200.00');
    expect(formatMoney(money(5), 'en')).toBe('¥0.05');
    expect(formatMoney(money(1999, 'USD'), 'en')).toBe('$19.99');
    expect(formatMoney(money(1999, 'USD'), 'zh-CN')).toBe('US$19.99');
    expect(formatMoney(money(1500, 'JPY'), 'en')).toBe('¥1,500');
    expect(formatMoney(money(1234, 'KWD'), 'en', { currencyDisplay: 'code' })).toMatch(/KWD\s1\.234/);
    // Beyond float precision, still exact.
    expect(formatMoney(money(Number.MAX_SAFE_INTEGER), 'en')).toBe('¥90,071,992,547,409.91');
  });

  it('converts to dinero.js', () => {
    expect(toSnapshot(toDinero(money(120005)))).toEqual({ amount: 120005, currency: { code: 'CNY', base: 10, exponent: 2 }, scale: 2 });
  });
});
