import fc from 'fast-check';
import {
  MAX_PLAN_AMOUNT,
  MAX_TIERS,
  meteredPricing,
  parsePricePlan,
  planInterval,
  recurringFee,
  requiresPayment,
  trialDays,
  trialEnd,
  validatePricePlan,
  type PlanProblem,
  type PricePlan,
} from './price-plan.js';
import { expectDomainError, planArbitrary } from './test-support.js';

const problems = (input: unknown): Array<Pick<PlanProblem, 'path' | 'code'>> =>
  (expectDomainError(() => parsePricePlan(input), 'pricing.invalid_plan').details as { problems: PlanProblem[] }).problems.map(({ path, code }) => ({ path, code }));

const graduated = (tiers: unknown, extra: Record<string, unknown> = {}) => ({
  kind: 'metered',
  currency: 'CNY',
  interval: 'month',
  metered: { unit: 'row', mode: 'graduated', per: 1000, tiers, ...extra },
});

describe('parsePricePlan: valid plans', () => {
  it('accepts every kind and fills in defaults', () => {
    expect(parsePricePlan({ kind: 'free', currency: 'CNY' })).toEqual({ kind: 'free', currency: 'CNY' });
    expect(parsePricePlan({ kind: 'one_time', currency: 'CNY', amount: 50000 })).toEqual({ kind: 'one_time', currency: 'CNY', amount: 50000 });
    expect(parsePricePlan({ kind: 'subscription', currency: 'USD', interval: 'year', amount: 0, trialDays: 14 })).toEqual({
      kind: 'subscription',
      currency: 'USD',
      interval: 'year',
      amount: 0,
      trialDays: 14,
    });
    expect(parsePricePlan({ kind: 'metered', currency: 'CNY', interval: 'month', metered: { unit: 'api_call', mode: 'per_unit', unitAmount: 1 } })).toEqual({
      kind: 'metered',
      currency: 'CNY',
      interval: 'month',
      metered: { unit: 'api_call', mode: 'per_unit', per: 1, includedQuantity: 0, unitAmount: 1 },
    });
    expect(
      parsePricePlan({
        trialDays: 0,
        metered: { maxQuantity: 5_000_000, tiers: [{ unitAmount: 5, upTo: 1_000_000, flatAmount: 100 }, { upTo: null, unitAmount: 3 }], includedQuantity: 100_000, per: 1000, mode: 'volume', unit: 'row' },
        amount: 120000,
        interval: 'month',
        currency: 'CNY',
        kind: 'hybrid',
      }),
    ).toEqual({
      kind: 'hybrid',
      currency: 'CNY',
      interval: 'month',
      amount: 120000,
      metered: {
        unit: 'row',
        mode: 'volume',
        per: 1000,
        includedQuantity: 100_000,
        tiers: [{ upTo: 1_000_000, unitAmount: 5, flatAmount: 100 }, { upTo: null, unitAmount: 3 }],
        maxQuantity: 5_000_000,
      },
      trialDays: 0,
    });
  });

  it('returns valid plans unchanged, with keys in a fixed order, and survives JSON', () => {
    fc.assert(
      fc.property(planArbitrary, (plan) => {
        const parsed = parsePricePlan(JSON.parse(JSON.stringify(plan)));
        expect(parsed).toEqual(plan);
        expect(parsePricePlan(parsed)).toEqual(parsed);
        expect(validatePricePlan(plan)).toEqual([]);
        expect(parsed).not.toBe(plan);
      }),
    );
  });
});

describe('parsePricePlan: invalid plans', () => {
  it('refuses what is not a plan', () => {
    for (const input of [null, undefined, 42, 'free', [], [{ kind: 'free' }]]) expect(problems(input)).toEqual([{ path: '', code: 'not_object' }]);
    expect(problems({})).toEqual([
      { path: 'kind', code: 'required' },
      { path: 'currency', code: 'required' },
    ]);
    expect(problems({ kind: 'lease', currency: 'CNY' })).toEqual([{ path: 'kind', code: 'invalid_kind' }]);
  });

  it('refuses unsupported currencies', () => {
    for (const currency of ['cny', 'RMB', 'XYZ', 156, '', 'MGA']) {
      expect(problems({ kind: 'free', currency })).toEqual([{ path: 'currency', code: 'unsupported_currency' }]);
    }
  });

  it('refuses unknown fields and fields of other kinds', () => {
    expect(problems({ kind: 'free', currency: 'CNY', amount: 0 })).toEqual([{ path: 'amount', code: 'not_allowed' }]);
    expect(problems({ kind: 'one_time', currency: 'CNY', amount: 1, trialDays: 3 })).toEqual([{ path: 'trialDays', code: 'not_allowed' }]);
    expect(problems({ kind: 'subscription', currency: 'CNY', interval: 'month', amount: 1, price: 3 })).toEqual([{ path: 'price', code: 'unknown_field' }]);
    expect(problems({ kind: 'metered', currency: 'CNY', interval: 'month', amount: 5, metered: { unit: 'row', mode: 'per_unit', unitAmount: 1 } })).toEqual([
      { path: 'amount', code: 'not_allowed' },
    ]);
  });

  it('checks amounts: integers, not negative, at most the maximum', () => {
    const plan = (amount: unknown) => ({ kind: 'one_time', currency: 'CNY', amount });
    expect(problems(plan(-1))).toEqual([{ path: 'amount', code: 'negative' }]);
    expect(problems(plan(1.5))).toEqual([{ path: 'amount', code: 'not_integer' }]);
    expect(problems(plan('100'))).toEqual([{ path: 'amount', code: 'not_integer' }]);
    expect(problems(plan(Number.NaN))).toEqual([{ path: 'amount', code: 'not_integer' }]);
    expect(problems(plan(Infinity))).toEqual([{ path: 'amount', code: 'not_integer' }]);
    expect(problems(plan(MAX_PLAN_AMOUNT + 1))).toEqual([{ path: 'amount', code: 'too_large' }]);
    expect(problems({ kind: 'one_time', currency: 'CNY' })).toEqual([{ path: 'amount', code: 'required' }]);
    expect(parsePricePlan(plan(MAX_PLAN_AMOUNT))).toEqual(plan(MAX_PLAN_AMOUNT));
  });

  it('checks intervals and trial days', () => {
    const sub = (fields: Record<string, unknown>) => ({ kind: 'subscription', currency: 'CNY', amount: 100, interval: 'month', ...fields });
    expect(problems(sub({ interval: 'week' }))).toEqual([{ path: 'interval', code: 'invalid_interval' }]);
    expect(problems(sub({ interval: undefined }))).toEqual([{ path: 'interval', code: 'required' }]);
    expect(problems(sub({ trialDays: 366 }))).toEqual([{ path: 'trialDays', code: 'too_large' }]);
    expect(problems(sub({ trialDays: -1 }))).toEqual([{ path: 'trialDays', code: 'negative' }]);
    expect(problems(sub({ trialDays: 1.5 }))).toEqual([{ path: 'trialDays', code: 'not_integer' }]);
    expect(parsePricePlan(sub({ trialDays: 365 }))).toMatchObject({ trialDays: 365 });
    expect(problems({ kind: 'metered', currency: 'CNY', interval: 'year', metered: { unit: 'row', mode: 'per_unit', unitAmount: 1 } })).toEqual([
      { path: 'interval', code: 'invalid_interval' },
    ]);
  });

  it('checks metered pricing', () => {
    const metered = (fields: Record<string, unknown>) => ({ kind: 'hybrid', currency: 'CNY', interval: 'month', amount: 100, metered: { unit: 'row', mode: 'per_unit', unitAmount: 5, ...fields } });
    expect(problems({ kind: 'hybrid', currency: 'CNY', interval: 'month', amount: 100 })).toEqual([{ path: 'metered', code: 'required' }]);
    expect(problems({ kind: 'hybrid', currency: 'CNY', interval: 'month', amount: 100, metered: 'rows' })).toEqual([{ path: 'metered', code: 'not_object' }]);
    expect(problems(metered({ unit: 'page' }))).toEqual([{ path: 'metered.unit', code: 'invalid_unit' }]);
    expect(problems(metered({ mode: 'stairstep' }))).toEqual([{ path: 'metered.mode', code: 'invalid_mode' }]);
    expect(problems(metered({ per: 0 }))).toEqual([{ path: 'metered.per', code: 'not_positive' }]);
    expect(problems(metered({ per: -5 }))).toEqual([{ path: 'metered.per', code: 'negative' }]);
    expect(problems(metered({ per: 2.5 }))).toEqual([{ path: 'metered.per', code: 'not_integer' }]);
    expect(problems(metered({ includedQuantity: -1 }))).toEqual([{ path: 'metered.includedQuantity', code: 'negative' }]);
    expect(problems(metered({ includedQuantity: 2 ** 53 }))).toEqual([{ path: 'metered.includedQuantity', code: 'not_integer' }]);
    expect(problems(metered({ unitAmount: undefined }))).toEqual([{ path: 'metered.unitAmount', code: 'required' }]);
    expect(problems(metered({ unitAmount: -5 }))).toEqual([{ path: 'metered.unitAmount', code: 'negative' }]);
    expect(problems(metered({ tiers: [{ upTo: null, unitAmount: 1 }] }))).toEqual([{ path: 'metered.tiers', code: 'not_allowed' }]);
    expect(problems(metered({ maxQuantity: 0 }))).toEqual([{ path: 'metered.maxQuantity', code: 'not_positive' }]);
    expect(problems(metered({ includedQuantity: 10, maxQuantity: 5 }))).toEqual([{ path: 'metered.maxQuantity', code: 'max_below_included' }]);
    expect(problems(metered({ rate: 1 }))).toEqual([{ path: 'metered.rate', code: 'unknown_field' }]);
  });

  it('checks tiers: present, bounded, strictly increasing, only the last unbounded', () => {
    expect(problems(graduated(undefined))).toEqual([{ path: 'metered.tiers', code: 'required' }]);
    expect(problems(graduated({}))).toEqual([{ path: 'metered.tiers', code: 'not_array' }]);
    expect(problems(graduated([]))).toEqual([{ path: 'metered.tiers', code: 'empty_tiers' }]);
    expect(problems(graduated(Array.from({ length: MAX_TIERS + 1 }, (_, i) => ({ upTo: i === MAX_TIERS ? null : i + 1, unitAmount: 1 }))))).toEqual([
      { path: 'metered.tiers', code: 'too_many_tiers' },
    ]);
    expect(problems(graduated([{ upTo: 100, unitAmount: 1 }]))).toEqual([{ path: 'metered.tiers[0].upTo', code: 'last_tier_bounded' }]);
    expect(
      problems(
        graduated([
          { upTo: 100, unitAmount: 3 },
          { upTo: 100, unitAmount: 2 },
          { upTo: null, unitAmount: 1 },
        ]),
      ),
    ).toEqual([{ path: 'metered.tiers[1].upTo', code: 'tiers_not_increasing' }]);
    expect(
      problems(
        graduated([
          { upTo: 100, unitAmount: 3 },
          { upTo: 50, unitAmount: 2 },
          { upTo: null, unitAmount: 1 },
        ]),
      ),
    ).toEqual([{ path: 'metered.tiers[1].upTo', code: 'tiers_not_increasing' }]);
    expect(
      problems(
        graduated([
          { upTo: null, unitAmount: 3 },
          { upTo: null, unitAmount: 1 },
        ]),
      ),
    ).toEqual([{ path: 'metered.tiers[0].upTo', code: 'unbounded_tier_not_last' }]);
    expect(problems(graduated([{ upTo: 0, unitAmount: 1 }, { upTo: null, unitAmount: 1 }]))).toEqual([{ path: 'metered.tiers[0].upTo', code: 'not_positive' }]);
    expect(problems(graduated([{ unitAmount: 1 }]))).toEqual([{ path: 'metered.tiers[0].upTo', code: 'required' }]);
    expect(problems(graduated(['tier']))).toEqual([{ path: 'metered.tiers[0]', code: 'not_object' }]);
    expect(problems(graduated([{ upTo: null, unitAmount: 1, flatAmount: -1 }]))).toEqual([{ path: 'metered.tiers[0].flatAmount', code: 'negative' }]);
    expect(problems(graduated([{ upTo: null, unitAmount: 1, discount: 1 }]))).toEqual([{ path: 'metered.tiers[0].discount', code: 'unknown_field' }]);
    expect(problems(graduated([{ upTo: null, unitAmount: 1 }], { unitAmount: 5 }))).toEqual([{ path: 'metered.unitAmount', code: 'not_allowed' }]);
  });

  it('reports every problem at once, with a message for each', () => {
    const error = expectDomainError(
      () => parsePricePlan({ kind: 'hybrid', currency: 'cny', interval: 'week', amount: -1, trialDays: 400, metered: { unit: 'row', mode: 'graduated', per: 0, tiers: [{ upTo: 5, unitAmount: -1 }] }, extra: true }),
      'pricing.invalid_plan',
    );
    const list = (error.details as { problems: PlanProblem[] }).problems;
    expect(list.map((problem) => `${problem.path}:${problem.code}`).sort()).toEqual(
      [
        'currency:unsupported_currency',
        'extra:unknown_field',
        'interval:invalid_interval',
        'amount:negative',
        'trialDays:too_large',
        'metered.per:not_positive',
        'metered.tiers[0].upTo:last_tier_bounded',
        'metered.tiers[0].unitAmount:negative',
      ].sort(),
    );
    for (const problem of list) expect(problem.message.length).toBeGreaterThan(5);
    expect(error.message).toMatch(/^Invalid price plan: .+ \(and 7 more\)$/);
  });

  it('never returns a plan when anything is wrong (random corruptions)', () => {
    const corrupt = fc.constantFrom<[string, unknown]>(['amount', -5], ['currency', 'usd'], ['trialDays', 999], ['kind', 'rent'], ['interval', 'day'], ['bogus', 1]);
    fc.assert(
      fc.property(planArbitrary, corrupt, (plan, [key, value]) => {
        const broken = { ...plan, [key]: value } as Record<string, unknown>;
        expect(() => parsePricePlan(broken)).toThrow();
        expect(validatePricePlan(broken).length).toBeGreaterThan(0);
      }),
    );
  });
});

describe('plan facts', () => {
  const plans: Record<string, PricePlan> = {
    free: { kind: 'free', currency: 'CNY' },
    once: { kind: 'one_time', currency: 'CNY', amount: 100 },
    zeroSub: { kind: 'subscription', currency: 'CNY', interval: 'year', amount: 0 },
    sub: { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 100, trialDays: 7 },
    metered: { kind: 'metered', currency: 'CNY', interval: 'month', metered: { unit: 'row', mode: 'per_unit', per: 1, includedQuantity: 0, unitAmount: 0 } },
  };

  it('tells interval, fee, trial, metering and whether payment is needed', () => {
    expect(planInterval(plans.free)).toBeNull();
    expect(planInterval(plans.once)).toBeNull();
    expect(planInterval(plans.zeroSub)).toBe('year');
    expect(recurringFee(plans.sub)).toBe(100);
    expect(recurringFee(plans.once)).toBe(0);
    expect(trialDays(plans.sub)).toBe(7);
    expect(trialDays(plans.zeroSub)).toBe(0);
    expect(meteredPricing(plans.metered)?.unit).toBe('row');
    expect(meteredPricing(plans.sub)).toBeNull();
    expect(Object.fromEntries(Object.entries(plans).map(([name, plan]) => [name, requiresPayment(plan)]))).toEqual({
      free: false,
      once: true,
      zeroSub: false,
      sub: true,
      metered: true,
    });
  });

  it('ends a free trial whole days after it starts, as Stripe counts trial days; no trial, no end', () => {
    const start = new Date('2026-03-28T10:15:00.000Z');
    // Across a daylight-saving change elsewhere: days of 24 hours, in UTC.
    expect(trialEnd(plans.sub, start)?.toISOString()).toBe('2026-04-04T10:15:00.000Z');
    const rows = meteredPricing(plans.metered)!;
    expect(trialEnd({ kind: 'hybrid', currency: 'CNY', interval: 'year', amount: 1, metered: rows, trialDays: 365 }, start)?.toISOString()).toBe('2027-03-28T10:15:00.000Z');
    expect(trialEnd({ kind: 'metered', currency: 'CNY', interval: 'month', metered: rows, trialDays: 14 }, start)?.toISOString()).toBe('2026-04-11T10:15:00.000Z');
    for (const plan of [plans.free, plans.once, plans.zeroSub, plans.metered, { ...plans.sub, trialDays: 0 } as PricePlan]) expect(trialEnd(plan, start)).toBeNull();
  });
});
