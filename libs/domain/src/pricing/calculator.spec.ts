import fc from 'fast-check';
import { compareOffers, DAYS_PER_PERIOD, estimateCost, MAX_ESTIMATE_PERIODS } from './calculator.js';
import { trialDays, type PricePlan } from './price-plan.js';
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

  it('lets the first trial days cost nothing: paid periods follow the trial', () => {
    // 30 days spare one monthly period: 11 of 12 months are paid.
    const estimate = estimateCost(monthly, { periods: 12, quantityPerPeriod: 0 });
    expect(estimate.trialDays).toBe(30);
    expect(estimate.period.total).toBe(10_000);
    expect(estimate.perPeriod).toHaveLength(11);
    expect(estimate.total).toBe(110_000);
    expect(estimate.trialSavings).toBe(10_000);
    // A 14-day trial only moves the periods: the twelfth still starts within the twelve months.
    const short = estimateCost({ ...monthly, trialDays: 14 }, { periods: 12, quantityPerPeriod: 0 });
    expect([short.perPeriod.length, short.total, short.trialSavings]).toEqual([12, 120_000, 0]);
    // A trial as long as the horizon leaves nothing to pay.
    const covered = estimateCost({ ...monthly, trialDays: 45 }, { periods: 1, quantityPerPeriod: 0 });
    expect([covered.perPeriod.length, covered.total, covered.trialSavings]).toEqual([0, 0, 10_000]);
    // Usage in the trial is free too: a metered month inside the trial costs nothing.
    const metered = estimateCost({ ...payAsYouGo, trialDays: 60 }, { periods: 3, quantityPerPeriod: 60_000 });
    expect([metered.perPeriod.length, metered.total, metered.trialSavings]).toEqual([1, 5000, 10_000]);
  });

  it('equals one-time fee + paid periods × period charge', () => {
    fc.assert(
      fc.property(planArbitrary, fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 2_000_000 }), (plan, periods, quantity) => {
        const estimate = estimateCost(plan, { periods, quantityPerPeriod: quantity });
        const charge = periodCharge(plan, { quantity }).total;
        expect(estimate.period.total).toBe(charge);
        expect(estimate.total).toBe(estimate.oneTime.total + estimate.perPeriod.length * charge);
        expect(estimate.currency).toBe(plan.currency);
        if (trialDays(plan) === 0) expect(estimate.perPeriod).toHaveLength(periods);
      }),
    );
  });

  it('pays the whole periods that cover the horizon after the trial, and no more', () => {
    fc.assert(
      fc.property(planArbitrary, fc.integer({ min: 0, max: 36 }), (plan, periods) => {
        const estimate = estimateCost(plan, { periods, quantityPerPeriod: 0 });
        if (!estimate.interval) return;
        const length = DAYS_PER_PERIOD[estimate.interval];
        const left = periods * length - trialDays(plan);
        const paid = estimate.perPeriod.length;
        if (left <= 0) expect(paid).toBe(0);
        else {
          expect(paid * length).toBeGreaterThanOrEqual(left);
          expect((paid - 1) * length).toBeLessThan(left);
        }
      }),
    );
  });

  it('never charges more with a trial, and a longer trial never costs more', () => {
    fc.assert(
      fc.property(planArbitrary, fc.integer({ min: 0, max: 36 }), fc.integer({ min: 0, max: 36 }), fc.integer({ min: 0, max: 365 }), fc.integer({ min: 0, max: 365 }), (plan, months, quantity, a, b) => {
        if (plan.kind === 'free' || plan.kind === 'one_time') return;
        const usage = { months, quantityPerMonth: quantity * 1000 };
        const [shorter, longer] = [Math.min(a, b), Math.max(a, b)];
        const without = compareOffers([{ ...plan, trialDays: 0 }], usage)[0]!.estimate;
        const withShorter = compareOffers([{ ...plan, trialDays: shorter }], usage)[0]!.estimate;
        const withLonger = compareOffers([{ ...plan, trialDays: longer }], usage)[0]!.estimate;
        expect(withLonger.total).toBeLessThanOrEqual(withShorter.total);
        expect(withShorter.total).toBeLessThanOrEqual(without.total);
        // The savings are exactly what the trial takes off.
        expect(withShorter.total + withShorter.trialSavings).toBe(without.total);
        expect(withLonger.total + withLonger.trialSavings).toBe(without.total);
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
      [0, 110_000], // 11 paid months after the 30-day trial
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

  it('sets the trial against the months of use, a yearly plan included', () => {
    // 13 months (390 days) after a 60-day trial leave 330 days: one year, not two.
    const [offer] = compareOffers([{ ...yearly, trialDays: 60 }], { months: 13, quantityPerMonth: 0 });
    expect(offer.estimate.perPeriod).toHaveLength(1);
    expect([offer.estimate.total, offer.estimate.trialSavings]).toEqual([100_000, 100_000]);
    // A trial can change the ranking: the month-long trial makes the monthly plan cheaper over 10 months.
    const ranked = compareOffers([yearly, monthly], { months: 10, quantityPerMonth: 0 });
    expect(ranked.map((entry) => [entry.index, entry.estimate.total])).toEqual([
      [1, 90_000],
      [0, 100_000],
    ]);
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
