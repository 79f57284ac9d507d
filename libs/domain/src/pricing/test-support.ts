import fc from 'fast-check';
import { DomainError } from '../errors/domain-error.js';
import type { MeteredPricing, PricePlan, PriceTier } from './price-plan.js';

export function expectDomainError(run: () => unknown, code: string): DomainError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
    return error as DomainError;
  }
  throw new Error(`expected ${code}`);
}


export const currencyArbitrary = fc.constantFrom('CNY', 'USD', 'JPY');

export const tiersArbitrary: fc.Arbitrary<PriceTier[]> = fc
  .array(
    fc.record({ step: fc.integer({ min: 1, max: 200_000 }), unitAmount: fc.integer({ min: 0, max: 100_000 }), flatAmount: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }) }),
    { minLength: 1, maxLength: 5 },
  )
  .map((raw) => {
    let bound = 0;
    return raw.map(({ step, unitAmount, flatAmount }, index) => {
      bound += step;
      const tier: PriceTier = { upTo: index === raw.length - 1 ? null : bound, unitAmount };
      if (flatAmount !== undefined) tier.flatAmount = flatAmount;
      return tier;
    });
  });

export const meteredArbitrary: fc.Arbitrary<MeteredPricing> = fc
  .record({
    unit: fc.constantFrom('api_call' as const, 'row' as const, 'byte' as const),
    mode: fc.constantFrom('per_unit' as const, 'graduated' as const, 'volume' as const),
    per: fc.constantFrom(1, 10, 1000, 1_000_000),
    includedQuantity: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 500_000 })),
    unitAmount: fc.integer({ min: 0, max: 100_000 }),
    tiers: tiersArbitrary,
  })
  .map(({ unit, mode, per, includedQuantity, unitAmount, tiers }) =>
    mode === 'per_unit' ? { unit, mode, per, includedQuantity, unitAmount } : { unit, mode, per, includedQuantity, tiers },
  );

const trialArbitrary = fc.option(fc.integer({ min: 0, max: 365 }), { nil: undefined });
const amountArbitrary = fc.integer({ min: 0, max: 10_000_000 });

function withTrial<T extends object>(plan: T, trialDays: number | undefined): T {
  return trialDays === undefined ? plan : { ...plan, trialDays };
}

/** Valid, normalized plans (as parsePricePlan returns them). */
export const planArbitrary: fc.Arbitrary<PricePlan> = fc.oneof(
  currencyArbitrary.map((currency): PricePlan => ({ kind: 'free', currency })),
  fc.record({ currency: currencyArbitrary, amount: amountArbitrary }).map(({ currency, amount }): PricePlan => ({ kind: 'one_time', currency, amount })),
  fc
    .record({ currency: currencyArbitrary, interval: fc.constantFrom('month' as const, 'year' as const), amount: amountArbitrary, trial: trialArbitrary })
    .map(({ currency, interval, amount, trial }): PricePlan => withTrial({ kind: 'subscription', currency, interval, amount }, trial)),
  fc
    .record({ currency: currencyArbitrary, metered: meteredArbitrary, trial: trialArbitrary })
    .map(({ currency, metered, trial }): PricePlan => withTrial({ kind: 'metered', currency, interval: 'month', metered }, trial)),
  fc
    .record({ currency: currencyArbitrary, interval: fc.constantFrom('month' as const, 'year' as const), amount: amountArbitrary, metered: meteredArbitrary, trial: trialArbitrary })
    .map(({ currency, interval, amount, metered, trial }): PricePlan => withTrial({ kind: 'hybrid', currency, interval, amount, metered }, trial)),
);
