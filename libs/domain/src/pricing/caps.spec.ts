import fc from 'fast-check';
import { assertWithinPriceCaps, capApplies, checkPriceCaps, fixedPeriodCharge, monthlyEquivalent, parsePriceCap, type PriceCap } from './caps.js';
import type { PlanProblem, PricePlan } from './price-plan.js';
import { expectDomainError, planArbitrary } from './test-support.js';

const open = { themes: ['transport'], classification: 'open' as const };
const conditional = { themes: ['transport', 'health'], classification: 'conditional' as const };

/** "Open data is free or at cost": no fees, at most ¥0.50 per GB. */
const OPEN_AT_COST: PriceCap = {
  scope: { classification: 'open' },
  currency: 'CNY',
  maxOneTime: 0,
  maxMonthly: 0,
  maxPerUnit: { unit: 'byte', per: 1_000_000_000, amount: 50 },
};
const HEALTH_MONTHLY: PriceCap = { scope: { theme: 'health' }, currency: 'CNY', maxMonthly: 500_000 };

const subscription = (interval: 'month' | 'year', amount: number): PricePlan => ({ kind: 'subscription', currency: 'CNY', interval, amount });
const bytes = (per: number, unitAmount: number): PricePlan => ({
  kind: 'metered',
  currency: 'CNY',
  interval: 'month',
  metered: { unit: 'byte', mode: 'per_unit', per, includedQuantity: 0, unitAmount },
});

describe('checkPriceCaps', () => {
  it('applies caps by theme and classification', () => {
    expect(capApplies(OPEN_AT_COST, open)).toBe(true);
    expect(capApplies(OPEN_AT_COST, conditional)).toBe(false);
    expect(capApplies(HEALTH_MONTHLY, conditional)).toBe(true);
    expect(capApplies(HEALTH_MONTHLY, open)).toBe(false);
    expect(capApplies({ scope: {}, currency: 'CNY', maxOneTime: 1 }, open)).toBe(true);
    expect(capApplies({ scope: { theme: 'health', classification: 'open' }, currency: 'CNY', maxOneTime: 1 }, conditional)).toBe(false);
  });

  it('keeps open data free or at cost', () => {
    expect(checkPriceCaps({ kind: 'free', currency: 'CNY' }, open, [OPEN_AT_COST])).toEqual([]);
    expect(checkPriceCaps(bytes(1_000_000_000, 50), open, [OPEN_AT_COST])).toEqual([]);
    expect(checkPriceCaps({ kind: 'one_time', currency: 'CNY', amount: 1 }, open, [OPEN_AT_COST])).toEqual([
      { code: 'pricing.over_cap', capIndex: 0, cap: OPEN_AT_COST, limit: 'maxOneTime', path: 'amount', figure: 1, max: 0, currency: 'CNY' },
    ]);
    expect(checkPriceCaps(subscription('month', 100), open, [OPEN_AT_COST])).toMatchObject([{ limit: 'maxMonthly', figure: 100, max: 0 }]);
    // The same plan is fine for conditional data: caps are data, not rules in code.
    expect(checkPriceCaps(subscription('month', 100), conditional, [OPEN_AT_COST])).toEqual([]);
  });

  it('normalizes metered prices to the cap’s block size', () => {
    // ¥0.01 per 10 MB = ¥1.00 per GB > ¥0.50 per GB.
    expect(checkPriceCaps(bytes(10_000_000, 1), open, [OPEN_AT_COST])).toMatchObject([{ limit: 'maxPerUnit', path: 'metered.unitAmount', figure: 100, max: 50 }]);
    // ¥0.01 per 20 MB = ¥0.50 per GB: at the cap, allowed.
    expect(checkPriceCaps(bytes(20_000_000, 1), open, [OPEN_AT_COST])).toEqual([]);
    // ¥0.51 per GB … in 3 GB blocks: 153 per 3 GB → 51 per GB.
    expect(checkPriceCaps(bytes(3_000_000_000, 153), open, [OPEN_AT_COST])).toMatchObject([{ figure: 51 }]);
    // 151 per 3 GB is 50.33 per GB: over, reported rounded up.
    expect(checkPriceCaps(bytes(3_000_000_000, 151), open, [OPEN_AT_COST])).toMatchObject([{ figure: 51, max: 50 }]);
    // Rows are not bytes: a cap on bytes does not price rows.
    const rows: PricePlan = { kind: 'metered', currency: 'CNY', interval: 'month', metered: { unit: 'row', mode: 'per_unit', per: 1, includedQuantity: 0, unitAmount: 1000 } };
    expect(checkPriceCaps(rows, open, [{ ...OPEN_AT_COST, maxMonthly: undefined }])).toEqual([]);
  });

  it('checks every tier and counts the tiers’ flat amounts as fixed charges', () => {
    const tiered: PricePlan = {
      kind: 'metered',
      currency: 'CNY',
      interval: 'month',
      metered: {
        unit: 'byte',
        mode: 'graduated',
        per: 1_000_000_000,
        includedQuantity: 0,
        tiers: [
          { upTo: 10_000_000_000, unitAmount: 80, flatAmount: 300 },
          { upTo: null, unitAmount: 40, flatAmount: 200 },
        ],
      },
    };
    expect(fixedPeriodCharge(tiered)).toBe(500);
    expect(fixedPeriodCharge({ ...tiered, metered: { ...tiered.metered, mode: 'volume' } })).toBe(300);
    expect(checkPriceCaps(tiered, open, [OPEN_AT_COST]).map((violation) => [violation.limit, violation.path])).toEqual([
      ['maxMonthly', 'metered.tiers'],
      ['maxPerUnit', 'metered.tiers[0].unitAmount'],
    ]);
  });

  it('compares yearly subscriptions by their monthly equivalent, rounded up', () => {
    expect(monthlyEquivalent(subscription('year', 6_000_000))).toBe(500_000);
    expect(monthlyEquivalent(subscription('year', 6_000_001))).toBe(500_001);
    expect(checkPriceCaps(subscription('year', 6_000_000), conditional, [HEALTH_MONTHLY])).toEqual([]);
    expect(checkPriceCaps(subscription('year', 6_000_001), conditional, [HEALTH_MONTHLY])).toMatchObject([{ limit: 'maxMonthly', figure: 500_001, max: 500_000 }]);
    expect(checkPriceCaps(subscription('month', 500_001), conditional, [HEALTH_MONTHLY])).toMatchObject([{ figure: 500_001 }]);
    // Exactly "yearly > 12 × cap", whatever the amounts.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 10 }), fc.integer({ min: 0, max: 10 ** 9 }), (yearlyAmount, cap) => {
        const violated = checkPriceCaps(subscription('year', yearlyAmount), open, [{ scope: {}, currency: 'CNY', maxMonthly: cap }]).length > 0;
        expect(violated).toBe(yearlyAmount > 12 * cap);
      }),
    );
  });

  it('fails closed when a concerned cap is in another currency', () => {
    const plan: PricePlan = { ...subscription('month', 1), currency: 'USD' };
    expect(checkPriceCaps(plan, conditional, [HEALTH_MONTHLY])).toEqual([
      { code: 'pricing.cap_currency_mismatch', capIndex: 0, cap: HEALTH_MONTHLY, limit: 'currency', path: 'currency', planCurrency: 'USD', currency: 'CNY' },
    ]);
    // A cap with nothing to say about the plan does not fail it.
    expect(checkPriceCaps({ kind: 'one_time', currency: 'USD', amount: 5 }, conditional, [HEALTH_MONTHLY])).toEqual([]);
  });

  it('reports every violated cap with its index and throws on request', () => {
    const caps = [HEALTH_MONTHLY, { scope: {}, currency: 'CNY', maxMonthly: 10 }];
    expect(checkPriceCaps(subscription('month', 600_000), conditional, caps).map((violation) => violation.capIndex)).toEqual([0, 1]);
    const error = expectDomainError(() => assertWithinPriceCaps(subscription('month', 600_000), conditional, caps), 'pricing.over_cap');
    expect((error.details as { violations: unknown[] }).violations).toHaveLength(2);
    assertWithinPriceCaps(subscription('month', 5), conditional, caps);
  });

  it('never reports anything for free plans or without caps', () => {
    fc.assert(
      fc.property(planArbitrary, (plan) => {
        expect(checkPriceCaps(plan, open, [])).toEqual([]);
        expect(checkPriceCaps({ kind: 'free', currency: plan.currency }, open, [OPEN_AT_COST, HEALTH_MONTHLY])).toEqual([]);
      }),
    );
  });
});

describe('parsePriceCap', () => {
  const problems = (input: unknown) =>
    (expectDomainError(() => parsePriceCap(input), 'pricing.invalid_cap').details as { problems: PlanProblem[] }).problems.map(({ path, code }) => `${path}:${code}`);

  it('accepts valid caps', () => {
    expect(parsePriceCap(OPEN_AT_COST)).toEqual(OPEN_AT_COST);
    expect(parsePriceCap({ currency: 'CNY', maxOneTime: 5 })).toEqual({ scope: {}, currency: 'CNY', maxOneTime: 5 });
  });

  it('refuses broken caps', () => {
    expect(problems('cap')).toEqual([':not_object']);
    expect(problems({ currency: 'CNY' })).toEqual([':required']);
    expect(problems({ currency: 'yuan', maxOneTime: -1, scope: { classification: 'secret', theme: '' }, maxPerUnit: { unit: 'page', per: 0, amount: 1 }, x: 1 })).toEqual([
      'x:unknown_field',
      'currency:unsupported_currency',
      'scope.theme:invalid_value',
      'scope.classification:invalid_value',
      'maxOneTime:negative',
      'maxPerUnit.unit:invalid_unit',
      'maxPerUnit.per:not_positive',
    ]);
  });
});
