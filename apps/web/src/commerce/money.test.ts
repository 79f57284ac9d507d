import { currencyDigits, currencySymbol, decimalToMinor, formatMoney, minorToDecimal } from './money';

describe('currency digits', () => {
  it('follows ISO 4217: 2 for CNY and USD, 0 for JPY and KRW, 3 for KWD and BHD', () => {
    expect(currencyDigits('CNY')).toBe(2);
    expect(currencyDigits('USD')).toBe(2);
    expect(currencyDigits('JPY')).toBe(0);
    expect(currencyDigits('KRW')).toBe(0);
    expect(currencyDigits('KWD')).toBe(3);
    expect(currencyDigits('BHD')).toBe(3);
  });

  it('uses the ISO digits where CLDR rounds the currency differently', () => {
    expect(currencyDigits('IQD')).toBe(3);
    expect(currencyDigits('IDR')).toBe(2);
  });
});

describe('typed amounts to minor units', () => {
  it('converts yuan text to fen exactly, without floating multiplication', () => {
    expect(decimalToMinor('1200', 'CNY')).toBe(120_000);
    expect(decimalToMinor('1200.5', 'CNY')).toBe(120_050);
    expect(decimalToMinor('0.07', 'CNY')).toBe(7);
    // 0.29 * 100 is 28.999999999999996 in floating point; digit by digit it is 29.
    expect(decimalToMinor('0.29', 'CNY')).toBe(29);
    expect(decimalToMinor('19.99', 'CNY')).toBe(1999);
    expect(decimalToMinor('1,200.50', 'CNY')).toBe(120_050);
    expect(decimalToMinor(' 12. ', 'CNY')).toBe(1200);
    expect(decimalToMinor('.5', 'CNY')).toBe(50);
    expect(decimalToMinor('0', 'CNY')).toBe(0);
  });

  it('handles currencies with no and with three decimals', () => {
    expect(decimalToMinor('500', 'JPY')).toBe(500);
    expect(decimalToMinor('500.5', 'JPY')).toBeNull();
    expect(decimalToMinor('1.234', 'KWD')).toBe(1234);
    expect(decimalToMinor('1.2', 'KWD')).toBe(1200);
    expect(decimalToMinor('1.2345', 'KWD')).toBeNull();
  });

  it('refuses what is not an amount: more decimals than the currency has, signs, letters, empty text, beyond 2^53', () => {
    for (const text of ['1.234', '-5', '+5', '1e3', 'abc', '', ' ', '.', '1.2.3']) expect([text, decimalToMinor(text, 'CNY')]).toEqual([text, null]);
    expect(decimalToMinor('90071992547409.91', 'CNY')).toBe(Number.MAX_SAFE_INTEGER);
    expect(decimalToMinor('90071992547409.92', 'CNY')).toBeNull();
  });
});

describe('minor units to decimal text and display', () => {
  it('writes the exact decimal text', () => {
    expect(minorToDecimal(120_005, 'CNY')).toBe('1200.05');
    expect(minorToDecimal(7, 'CNY')).toBe('0.07');
    expect(minorToDecimal(-7, 'CNY')).toBe('-0.07');
    expect(minorToDecimal(5, 'JPY')).toBe('5');
    expect(minorToDecimal(1234, 'KWD')).toBe('1.234');
    expect(minorToDecimal(Number.MAX_SAFE_INTEGER, 'CNY')).toBe('90071992547409.91');
  });

  it('round-trips every amount typed with the currency digits', () => {
    for (const [text, currency] of [['0.01', 'CNY'], ['123456.78', 'USD'], ['7', 'JPY'], ['0.005', 'KWD']] as const) {
      expect(minorToDecimal(decimalToMinor(text, currency) as number, currency)).toBe(text);
    }
  });

  it('formats with the currency digits in both languages', () => {
    expect(formatMoney(120_000, 'CNY', 'en')).toBe('¥1,200.00');
    expect(formatMoney(120_000, 'CNY', 'zh-CN')).toBe('¥1,200.00');
    expect(formatMoney(5, 'JPY', 'en')).toBe('¥5');
    expect(formatMoney(1234, 'KWD', 'en')).toMatch(/^KWD\s?1\.234$/);
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'CNY', 'en')).toBe('¥90,071,992,547,409.91');
    expect(currencySymbol('CNY', 'en')).toBe('¥');
  });
});
