import fc from 'fast-check';
import { compareOffers, estimateCost, MAX_ESTIMATE_PERIODS } from './calculator.js';
import type { PricePlan } from './price-plan.js';
import { periodCharge } from './rating.js';
import { expectDomainError, planArbitrary } from './test-support.js';

const monthly: PricePlan = { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 10_000, trialDays: 30 };
const yearly: PricePlan = { kind: 'subscription', currency: 'CNY', interval: 'year', amount: 100_000 };
const once: PricePlan = { kind: 'one_time', currency: 'CNY', amount: 80_000 };
const free: PricePlan = { kind: 'free', currency: 'CNY' };
const payAsYouGo: PricePlan = {
  kind: 'metered',
  currency: 'CNY',
  interval: 'month',
  metered: { unit: 'api_call', mode: 'per_unit', per: 1000, includedQuantity: 10_000, unitAmount: 100 },
};

describe('estimateCost', () => {
  it('totals the one-time fee and every period, with a breakdown', () => {
    const estimate = estimateCost(payAsYouGo, { periods: 3, quantityPerPeriod: 60_000 });
    expect(estimate.interval).toBe('month');
    expect(estimate.oneTime.total).toBe(0);
    expect(estimate.perPeriod.map((period) => [period.period, period.charge.total])).toEqual([
      [1, 5000],
      [2, 5000],
      [3, 5000],
    ]);
    expect(estimate.total).toBe(15_000);
    expect(estimateCost(once, { periods: 12, quantityPerPeriod: 0 }).total).toBe(80_000);
    expect(estimateCost(free, { periods: 12, quantityPerPeriod: 1_000_000 }).total).toBe(0);
  });

  it('shows the trial but does not count it against the paid periods', () => {
    const estimate = estimateCost(monthly, { periods: 12, quantityPerPeriod: 0 });
    expect(estimate.trialDays).toBe(30);
    expect(estimate.total).toBe(120_000);
  });

  it('equals one-time fee + periods × period charge', () => {
    fc.assert(
      fc.property(planArbitrary, fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 2_000_000 }), (plan, periods, quantity) => {
        const estimate = estimateCost(plan, { periods, quantityPerPeriod: quantity });
        expect(estimate.perPeriod).toHaveLength(periods);
        expect(estimate.total).toBe(estimate.oneTime.total + periods * periodCharge(plan, { quantity }).total);
        expect(estimate.currency).toBe(plan.currency);
      }),
    );
  });

  it('refuses impossible horizons and usage', () => {
    for (const periods of [-1, 1.5, MAX_ESTIMATE_PERIODS + 1]) expectDomainError(() => estimateCost(monthly, { periods, quantityPerPeriod: 0 }), 'pricing.invalid_usage');
    expectDomainError(() => estimateCost(monthly, { periods: 1, quantityPerPeriod: -1 }), 'pricing.invalid_usage');
  });
});

describe('compareOffers', () => {
  it('sorts cheapest first for the expected use', () => {
    const ranked = compareOffers([monthly, yearly, once, payAsYouGo], { months: 12, quantityPerMonth: 50_000 });
    expect(ranked.map((offer) => [offer.index, offer.estimate.total])).toEqual([
      [2, 80_000], // one-time
      [3, 48_000 / 1], // 12 × (40,000 calls × ¥1 per 1,000) = 12 × 4,000 fen
      [1, 100_000], // one year
      [0, 120_000], // 12 months
    ].sort((a, b) => a[1] - b[1]));
  });

  it('pays a started year in full', () => {
    const [offer] = compareOffers([yearly], { months: 13, quantityPerMonth: 0 });
    expect(offer.estimate.perPeriod).toHaveLength(2);
    expect(offer.estimate.total).toBe(200_000);
  });

  it('gives a yearly hybrid plan twelve months of usage per period', () => {
    const hybrid: PricePlan = { kind: 'hybrid', currency: 'CNY', interval: 'year', amount: 0, metered: { unit: 'row', mode: 'per_unit', per: 1, includedQuantity: 120, unitAmount: 1 } };
    expect(compareOffers([hybrid], { months: 12, quantityPerMonth: 10 })[0].estimate.total).toBe(0);
    expect(compareOffers([hybrid], { months: 12, quantityPerMonth: 11 })[0].estimate.total).toBe(12);
  });

  it('keeps the input order of equal totals', () => {
    fc.assert(
      fc.property(fc.array(planArbitrary.map((plan) => ({ ...plan, currency: 'CNY' }) as PricePlan), { maxLength: 8 }), fc.integer({ min: 0, max: 36 }), fc.integer({ min: 0, max: 100_000 }), (plans, months, quantityPerMonth) => {
        const ranked = compareOffers(plans, { months, quantityPerMonth });
        expect(ranked.map((offer) => offer.index).sort((a, b) => a - b)).toEqual(plans.map((_, index) => index));
        for (let i = 1; i < ranked.length; i += 1) {
          const [a, b] = [ranked[i - 1], ranked[i]];
          expect(a.estimate.total < b.estimate.total || (a.estimate.total === b.estimate.total && a.index < b.index)).toBe(true);
        }
      }),
    );
    expect(compareOffers([free, free, { ...free }], { months: 3, quantityPerMonth: 0 }).map((offer) => offer.index)).toEqual([0, 1, 2]);
  });

  it('refuses to compare currencies', () => {
    expectDomainError(() => compareOffers([monthly, { ...yearly, currency: 'USD' }], { months: 1, quantityPerMonth: 0 }), 'pricing.currency_mismatch');
    expect(compareOffers([], { months: 1, quantityPerMonth: 0 })).toEqual([]);
  });
});
