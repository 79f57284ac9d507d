import fc from 'fast-check';
import type { MeteredPricing, PricePlan, PriceTier } from './price-plan.js';
import { oneTimeCharge, periodCharge, rateUsage, type RatedCharge } from './rating.js';
import { expectDomainError, meteredArbitrary, planArbitrary, tiersArbitrary } from './test-support.js';

const meteredPlan = (metered: Partial<MeteredPricing> & Pick<MeteredPricing, 'mode'>, currency = 'USD'): PricePlan => ({
  kind: 'metered',
  currency,
  interval: 'month',
  metered: { unit: 'row', per: 1, includedQuantity: 0, ...metered },
});

// Stripe's documented tiers ("Set up tiered pricing"): 1–5 at $7, 6–10 at $6.50, 11+ at $6.
const STRIPE_TIERS: PriceTier[] = [
  { upTo: 5, unitAmount: 700 },
  { upTo: 10, unitAmount: 650 },
  { upTo: null, unitAmount: 600 },
];
const sumLines = (charge: RatedCharge) => charge.lines.reduce((sum, line) => sum + line.amount, 0);

describe('tiers: Stripe’s documented examples', () => {
  it('volume: the tier of the total prices every unit', () => {
    const plan = meteredPlan({ mode: 'volume', tiers: STRIPE_TIERS });
    const totals = Object.fromEntries([1, 5, 6, 20, 25].map((quantity) => [quantity, rateUsage(plan, quantity).total]));
    // Stripe's table: 1 → $7, 5 → $35, 6 → $39, 20 → $120, 25 → $150.
    expect(totals).toEqual({ 1: 700, 5: 3500, 6: 3900, 20: 12000, 25: 15000 });
    expect(rateUsage(plan, 6).lines).toEqual([
      { kind: 'tier', descriptionKey: 'pricing.line.tier', tier: 1, quantity: 6, unitAmount: 650, per: 1, amount: 3900, range: { from: 6, to: 10 } },
    ]);
  });

  it('graduated: each unit at the price of its own tier', () => {
    const plan = meteredPlan({ mode: 'graduated', tiers: STRIPE_TIERS });
    const totals = Object.fromEntries([1, 5, 6, 20, 25].map((quantity) => [quantity, rateUsage(plan, quantity).total]));
    // 6 = 5 × $7 + 1 × $6.50; 20 = $35 + 5 × $6.50 + 10 × $6; 25 = $35 + $32.50 + 15 × $6.
    expect(totals).toEqual({ 1: 700, 5: 3500, 6: 4150, 20: 12750, 25: 15750 });
    expect(rateUsage(plan, 12).lines.map(({ tier, quantity, amount, range }) => ({ tier, quantity, amount, range }))).toEqual([
      { tier: 0, quantity: 5, amount: 3500, range: { from: 1, to: 5 } },
      { tier: 1, quantity: 5, amount: 3250, range: { from: 6, to: 10 } },
      { tier: 2, quantity: 2, amount: 1200, range: { from: 11, to: null } },
    ]);
  });

  it('charges a tier’s flat amount once, when billable usage reaches the tier', () => {
    const tiers: PriceTier[] = [
      { upTo: 5, unitAmount: 0, flatAmount: 1000 },
      { upTo: null, unitAmount: 400, flatAmount: 500 },
    ];
    const graduated = meteredPlan({ mode: 'graduated', tiers });
    expect(rateUsage(graduated, 0).total).toBe(0);
    expect(rateUsage(graduated, 3).total).toBe(1000);
    expect(rateUsage(graduated, 5).total).toBe(1000);
    expect(rateUsage(graduated, 7).total).toBe(1000 + 500 + 2 * 400);
    expect(rateUsage(graduated, 7).lines.map((line) => line.kind)).toEqual(['tier', 'tier_flat', 'tier', 'tier_flat']);
    const volume = meteredPlan({ mode: 'volume', tiers });
    expect(rateUsage(volume, 3).total).toBe(1000);
    expect(rateUsage(volume, 7).total).toBe(500 + 7 * 400);
  });
});

describe('rounding: exact per line, half up to the minor unit; partial blocks proportional', () => {
  const plan = meteredPlan({ mode: 'per_unit', per: 1000, unitAmount: 5 }, 'CNY'); // ¥0.05 per 1,000 rows

  it('charges partial blocks proportionally', () => {
    expect(rateUsage(plan, 1000).total).toBe(5);
    expect(rateUsage(plan, 1500).total).toBe(8); // 7.5 → 8
    expect(rateUsage(plan, 1499).total).toBe(7); // 7.495 → 7
    expect(rateUsage(plan, 100).total).toBe(1); // 0.5 → 1
    expect(rateUsage(plan, 99).total).toBe(0); // 0.495 → 0
    expect(rateUsage(plan, 0).total).toBe(0);
  });

  it('rounds each line and totals the rounded lines', () => {
    // Two tiers of 0.5 fen each: each line rounds to 1, so the total is 2 (not round(1.0) = 1).
    const tiers: PriceTier[] = [
      { upTo: 100, unitAmount: 5 },
      { upTo: null, unitAmount: 5 },
    ];
    const charge = rateUsage(meteredPlan({ mode: 'graduated', per: 1000, tiers }, 'CNY'), 200);
    expect(charge.lines.map((line) => line.amount)).toEqual([1, 1]);
    expect(charge.total).toBe(2);
  });

  it('is exact for whole blocks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (blocks, per, unitAmount) => {
        expect(rateUsage(meteredPlan({ mode: 'per_unit', per, unitAmount }), blocks * per).total).toBe(blocks * unitAmount);
      }),
    );
  });

  it('is never more than half a minor unit from the exact price (per_unit)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 1, max: 10 ** 6 }), fc.integer({ min: 0, max: 10 ** 6 }), (quantity, per, unitAmount) => {
        const total = BigInt(rateUsage(meteredPlan({ mode: 'per_unit', per, unitAmount }), quantity).total);
        const twiceGap = 2n * total * BigInt(per) - 2n * BigInt(quantity) * BigInt(unitAmount);
        expect(twiceGap <= BigInt(per) && twiceGap > -BigInt(per)).toBe(true);
      }),
    );
  });
});

describe('included quantity', () => {
  it('is the first units of the period and is never billed', () => {
    const plan = meteredPlan({ mode: 'per_unit', per: 1000, unitAmount: 5, includedQuantity: 100_000 }, 'CNY');
    expect(rateUsage(plan, 100_000)).toEqual({
      currency: 'CNY',
      total: 0,
      lines: [{ kind: 'included', descriptionKey: 'pricing.line.included', quantity: 100_000, unitAmount: 0, per: 1000, amount: 0, range: { from: 1, to: 100_000 } }],
    });
    expect(rateUsage(plan, 150_000).lines[1]).toEqual({
      kind: 'usage',
      descriptionKey: 'pricing.line.usage',
      quantity: 50_000,
      unitAmount: 5,
      per: 1000,
      amount: 250,
      range: { from: 100_001, to: null },
    });
  });

  it('takes the lowest tiers first (graduated) and still picks the tier by total usage (volume)', () => {
    const graduated = meteredPlan({ mode: 'graduated', tiers: STRIPE_TIERS, includedQuantity: 7 });
    // Units 8..12: 8–10 at $6.50, 11–12 at $6.
    expect(rateUsage(graduated, 12).total).toBe(3 * 650 + 2 * 600);
    const volume = meteredPlan({ mode: 'volume', tiers: STRIPE_TIERS, includedQuantity: 7 });
    expect(rateUsage(volume, 12).total).toBe(5 * 600);
    expect(rateUsage(volume, 7).total).toBe(0);
  });

  it('never bills any usage up to the included quantity, in any mode', () => {
    fc.assert(
      fc.property(meteredArbitrary, fc.double({ min: 0, max: 1, noNaN: true }), (metered, fraction) => {
        const quantity = Math.floor(metered.includedQuantity * fraction);
        const charge = rateUsage({ kind: 'metered', currency: 'CNY', interval: 'month', metered }, quantity);
        expect(charge.total).toBe(0);
        expect(charge.lines.every((line) => line.kind === 'included')).toBe(true);
      }),
    );
  });

  it('makes usage cost exactly what the overage alone would cost without it (per_unit, graduated)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 10_000 }), (included, extra, unitAmount) => {
        const withIncluded = rateUsage(meteredPlan({ mode: 'per_unit', unitAmount, includedQuantity: included }), included + extra).total;
        expect(withIncluded).toBe(extra * unitAmount);
      }),
    );
  });
});

describe('rateUsage properties', () => {
  it('graduated charges never decrease as usage grows', () => {
    fc.assert(
      fc.property(tiersArbitrary, fc.constantFrom(1, 7, 1000), fc.integer({ min: 0, max: 300_000 }), fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (tiers, per, includedQuantity, a, b) => {
        const plan = meteredPlan({ mode: 'graduated', tiers, per, includedQuantity });
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(rateUsage(plan, low).total).toBeLessThanOrEqual(rateUsage(plan, high).total);
      }),
    );
  });

  it('graduated equals the unit-by-unit sum; volume equals billable units at the tier of the total (per 1)', () => {
    fc.assert(
      fc.property(tiersArbitrary.map((tiers) => tiers.map((tier) => ({ ...tier, upTo: tier.upTo === null ? null : Math.ceil(tier.upTo / 1000) }))).filter((tiers) => tiers.every((tier, i) => i === 0 || tier.upTo === null || tier.upTo > (tiers[i - 1].upTo ?? 0))), fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 50 }), (tiers, quantity, includedQuantity) => {
        const tierOf = (unit: number) => tiers.findIndex((tier) => tier.upTo === null || unit <= tier.upTo);
        let graduated = 0;
        const entered = new Set<number>();
        for (let unit = includedQuantity + 1; unit <= quantity; unit += 1) {
          graduated += tiers[tierOf(unit)].unitAmount;
          entered.add(tierOf(unit));
        }
        for (const index of entered) graduated += tiers[index].flatAmount ?? 0;
        expect(rateUsage(meteredPlan({ mode: 'graduated', tiers, includedQuantity }), quantity).total).toBe(graduated);
        const billable = Math.max(0, quantity - includedQuantity);
        const tier = tiers[tierOf(Math.max(quantity, 1))];
        const volume = billable === 0 ? 0 : billable * tier.unitAmount + (tier.flatAmount ?? 0);
        expect(rateUsage(meteredPlan({ mode: 'volume', tiers, includedQuantity }), quantity).total).toBe(volume);
      }),
    );
  });

  it('lines always add up to the total; bigint and number quantities agree', () => {
    fc.assert(
      fc.property(planArbitrary, fc.integer({ min: 0, max: 10_000_000 }), (plan, quantity) => {
        const charge = rateUsage(plan, quantity);
        expect(charge.currency).toBe(plan.currency);
        expect(sumLines(charge)).toBe(charge.total);
        expect(charge.total).toBeGreaterThanOrEqual(0);
        expect(rateUsage(plan, BigInt(quantity))).toEqual(charge);
        for (const line of charge.lines) expect(line.descriptionKey).toBe(`pricing.line.${line.kind}`);
      }),
    );
  });

  it('rates nothing for plans without metering', () => {
    expect(rateUsage({ kind: 'subscription', currency: 'CNY', interval: 'month', amount: 100 }, 5000)).toEqual({ currency: 'CNY', lines: [], total: 0 });
  });

  it('refuses impossible quantities and totals beyond 2^53 − 1', () => {
    const plan = meteredPlan({ mode: 'per_unit', unitAmount: 100_000 });
    for (const quantity of [-1, 1.5, Number.NaN, 2 ** 53, -1n, 2n ** 53n]) expectDomainError(() => rateUsage(plan, quantity), 'pricing.invalid_usage');
    expectDomainError(() => rateUsage(plan, Number.MAX_SAFE_INTEGER), 'pricing.amount_out_of_range');
    expect(rateUsage(meteredPlan({ mode: 'per_unit', unitAmount: 1, per: 1_000_000_000 }), Number.MAX_SAFE_INTEGER).total).toBe(9_007_199);
  });
});

describe('periodCharge and oneTimeCharge', () => {
  const hybrid: PricePlan = {
    kind: 'hybrid',
    currency: 'CNY',
    interval: 'month',
    amount: 120_000,
    metered: { unit: 'row', mode: 'per_unit', per: 1000, includedQuantity: 100_000, unitAmount: 5 },
    trialDays: 14,
  };

  it('adds the fee and the rated usage', () => {
    const charge = periodCharge(hybrid, { quantity: 300_000 });
    expect(charge.lines.map((line) => [line.kind, line.amount])).toEqual([
      ['subscription_fee', 120_000],
      ['included', 0],
      ['usage', 1000],
    ]);
    expect(charge.total).toBe(121_000);
    expect(periodCharge({ kind: 'subscription', currency: 'CNY', interval: 'year', amount: 999 }).total).toBe(999);
  });

  it('makes a trial period free and shows what it would have cost', () => {
    const charge = periodCharge(hybrid, { quantity: 300_000, inTrial: true });
    expect(charge.total).toBe(0);
    expect(charge.lines.at(-1)).toEqual({ kind: 'trial_credit', descriptionKey: 'pricing.line.trial_credit', quantity: 1, unitAmount: -121_000, per: 1, amount: -121_000 });
    fc.assert(
      fc.property(planArbitrary, fc.integer({ min: 0, max: 1_000_000 }), (plan, quantity) => {
        if (!('trialDays' in plan) || !plan.trialDays) return;
        expect(periodCharge(plan, { quantity, inTrial: true }).total).toBe(0);
      }),
    );
  });

  it('refuses a trial on a plan without one', () => {
    expectDomainError(() => periodCharge({ ...hybrid, trialDays: 0 }, { inTrial: true }), 'pricing.invalid_usage');
    expectDomainError(() => periodCharge({ kind: 'one_time', currency: 'CNY', amount: 1 }, { inTrial: true }), 'pricing.invalid_usage');
  });

  it('has no periods for free and one-time plans; the one-time fee is separate', () => {
    const once: PricePlan = { kind: 'one_time', currency: 'CNY', amount: 50_000 };
    expect(periodCharge(once, { quantity: 10 })).toEqual({ currency: 'CNY', lines: [], total: 0 });
    expect(oneTimeCharge(once)).toEqual({
      currency: 'CNY',
      total: 50_000,
      lines: [{ kind: 'one_time_fee', descriptionKey: 'pricing.line.one_time_fee', quantity: 1, unitAmount: 50_000, per: 1, amount: 50_000 }],
    });
    expect(oneTimeCharge(hybrid).total).toBe(0);
    expect(periodCharge({ kind: 'free', currency: 'CNY' }).total).toBe(0);
  });
});
