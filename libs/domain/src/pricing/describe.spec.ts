import fc from 'fast-check';
import { describePricePlan, describeRatedLine, formatUnits } from './describe.js';
import type { PricePlan } from './price-plan.js';
import { periodCharge } from './rating.js';
import { planArbitrary } from './test-support.js';
import { METERED_UNITS, PRICE_PLAN_KINDS, RATED_LINE_KINDS } from './vocabulary.js';

const hybrid: PricePlan = {
  kind: 'hybrid',
  currency: 'CNY',
  interval: 'month',
  amount: 120_000,
  metered: { unit: 'row', mode: 'per_unit', per: 1000, includedQuantity: 100_000, unitAmount: 5 },
};

describe('describePricePlan', () => {
  it('describes the brief’s example in both languages', () => {
    expect(describePricePlan(hybrid, 'en')).toBe('¥1,200.00 per month + ¥0.05 per 1,000 rows beyond 100,000 rows');
    expect(describePricePlan(hybrid, 'zh-CN')).toBe('每月 ¥1,200.00，超出 100,000 行后每 1,000 行 ¥0.05');
  });

  it('describes every kind', () => {
    const cases: Array<[PricePlan, string, string]> = [
      [{ kind: 'free', currency: 'CNY' }, 'Free', '免费'],
      [{ kind: 'one_time', currency: 'CNY', amount: 50_000 }, '¥500.00 one-time', '一次性 ¥500.00'],
      [{ kind: 'subscription', currency: 'CNY', interval: 'year', amount: 1_200_000, trialDays: 14 }, '¥12,000.00 per year; 14-day free trial', '每年 ¥12,000.00；免费试用 14 天'],
      [
        { kind: 'metered', currency: 'CNY', interval: 'month', metered: { unit: 'api_call', mode: 'per_unit', per: 1, includedQuantity: 0, unitAmount: 2 } },
        '¥0.02 per API call, billed monthly',
        '每次调用 ¥0.02，按月结算',
      ],
      [
        {
          kind: 'metered',
          currency: 'CNY',
          interval: 'month',
          metered: {
            unit: 'row',
            mode: 'graduated',
            per: 1000,
            includedQuantity: 0,
            tiers: [
              { upTo: 1_000_000, unitAmount: 5 },
              { upTo: 5_000_000, unitAmount: 3, flatAmount: 1000 },
              { upTo: null, unitAmount: 1 },
            ],
            maxQuantity: 10_000_000,
          },
        },
        'graduated per 1,000 rows: ¥0.05 up to 1,000,000 rows, ¥0.03 + ¥10.00 flat for 1,000,001–5,000,000 rows, ¥0.01 above 5,000,000 rows, at most 10,000,000 rows per month, billed monthly',
        '分段累进计价，每 1,000 行：1,000,000 行以内 ¥0.05，1,000,001–5,000,000 行 ¥0.03（另收固定费用 ¥10.00），5,000,000 行以上 ¥0.01，每月最多 10,000,000 行，按月结算',
      ],
      [
        {
          kind: 'hybrid',
          currency: 'USD',
          interval: 'year',
          amount: 100_000,
          metered: { unit: 'byte', mode: 'volume', per: 1_000_000, includedQuantity: 5_000_000, tiers: [{ upTo: null, unitAmount: 1 }] },
        },
        '$1,000.00 per year + volume-priced (one rate for all usage, set by the total) per 1,000,000 bytes beyond 5,000,000 bytes per year: $0.01 for all usage',
        '每年 US$1,000.00，每年超出 5,000,000 字节后按总用量统一单价，每 1,000,000 字节：全部 US$0.01',
      ],
    ];
    for (const [plan, en, zh] of cases) {
      expect(describePricePlan(plan, 'en')).toBe(en);
      expect(describePricePlan(plan, 'zh-CN')).toBe(zh);
    }
  });

  it('never shows undefined, NaN or objects, in either language', () => {
    fc.assert(
      fc.property(planArbitrary, fc.constantFrom('en' as const, 'zh-CN' as const), (plan, locale) => {
        const text = describePricePlan(plan, locale);
        expect(text).not.toMatch(/undefined|NaN|\[object|null/);
        expect(text.length).toBeGreaterThan(1);
      }),
    );
  });
});

describe('describeRatedLine and vocabularies', () => {
  it('explains lines', () => {
    const lines = periodCharge(hybrid, { quantity: 150_000 }).lines;
    const context = { currency: 'CNY', unit: 'row' as const };
    expect(lines.map((line) => describeRatedLine(line, context, 'en'))).toEqual([
      'Subscription fee: ¥1,200.00',
      'Included usage (free): 100,000 rows',
      'Usage beyond the included quantity: 50,000 rows × ¥0.05 per 1,000 rows = ¥2.50',
    ]);
    expect(lines.map((line) => describeRatedLine(line, context, 'zh-CN'))).toEqual([
      '订阅费：¥1,200.00',
      '套餐内用量（免费）：100,000 行',
      '超出用量：50,000 行 × 每 1,000 行 ¥0.05 = ¥2.50',
    ]);
  });

  it('formats units', () => {
    expect(formatUnits(1, 'row', 'en')).toBe('1 row');
    expect(formatUnits(2, 'api_call', 'en')).toBe('2 API calls');
    expect(formatUnits(1_000_000, 'byte', 'zh-CN')).toBe('1,000,000 字节');
  });

  it('has every term in both languages', () => {
    for (const table of [METERED_UNITS, PRICE_PLAN_KINDS, RATED_LINE_KINDS]) {
      for (const term of Object.values(table)) {
        expect(term.zh.trim()).not.toBe('');
        expect(term.en.trim()).not.toBe('');
      }
    }
  });
});
