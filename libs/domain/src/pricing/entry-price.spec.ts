import { entryPrice } from './entry-price.js';
import type { MeteredPricing, PricePlan } from './price-plan.js';

const perRows: MeteredPricing = { unit: 'row', mode: 'per_unit', per: 1000, includedQuantity: 0, unitAmount: 5 };
const metered: PricePlan = { kind: 'metered', currency: 'CNY', interval: 'month', metered: perRows };

describe('entryPrice', () => {
  it('is free when any offer is, and nothing without offers', () => {
    expect(entryPrice([])).toBeNull();
    expect(entryPrice([{ kind: 'free', currency: 'CNY' }])).toEqual({ kind: 'free' });
    // A free plan beside paid ones (often for some uses only) keeps the smallest fee.
    expect(entryPrice([{ kind: 'one_time', currency: 'CNY', amount: 500 }, { kind: 'free', currency: 'CNY' }])).toEqual({ kind: 'free', amount: 500, currency: 'CNY', interval: null });
    expect(entryPrice([{ kind: 'free', currency: 'CNY' }, metered])).toEqual({ kind: 'free' });
  });

  it('takes the smallest fixed fee compared per month, and keeps its own interval', () => {
    const plans: PricePlan[] = [
      { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 120_000 },
      { kind: 'subscription', currency: 'CNY', interval: 'year', amount: 1_200_000 },
      { kind: 'one_time', currency: 'CNY', amount: 300_000 },
      metered,
    ];
    // A year at 1,200,000 is 100,000 a month: less than 120,000 a month and the one-time 300,000.
    expect(entryPrice(plans)).toEqual({ kind: 'from', amount: 1_200_000, currency: 'CNY', interval: 'year' });
    expect(entryPrice([{ kind: 'hybrid', currency: 'CNY', interval: 'month', amount: 50_000, metered: perRows }, plans[0]!])).toEqual({
      kind: 'from',
      amount: 50_000,
      currency: 'CNY',
      interval: 'month',
    });
  });

  it('says usage-priced when no offer has a fixed fee, and compares only the first currency', () => {
    expect(entryPrice([metered])).toEqual({ kind: 'usage', currency: 'CNY' });
    expect(entryPrice([{ kind: 'one_time', currency: 'CNY', amount: 900 }, { kind: 'one_time', currency: 'USD', amount: 10 }])).toEqual({ kind: 'from', amount: 900, currency: 'CNY', interval: null });
  });
});
