import { defaultPlanForm, formFromPlan, planFromForm, PlanFormError, type PlanFormValues } from './plan-form';

describe('plan form → PricePlan', () => {
  it('maps a free plan to its kind and currency only', () => {
    expect(planFromForm({ ...defaultPlanForm('free', 'CNY'), amount: '5' })).toEqual({ kind: 'free', currency: 'CNY' });
  });

  it('maps a one-time fee in yuan to fen', () => {
    expect(planFromForm({ kind: 'one_time', currency: 'CNY', amount: '8000', interval: 'year', trialDays: 3 })).toEqual({ kind: 'one_time', currency: 'CNY', amount: 800_000 });
  });

  it('maps a subscription with its interval and trial, leaving out a trial of 0 days', () => {
    expect(planFromForm({ kind: 'subscription', currency: 'CNY', amount: '1200', interval: 'month', trialDays: 14 })).toEqual({
      kind: 'subscription',
      currency: 'CNY',
      interval: 'month',
      amount: 120_000,
      trialDays: 14,
    });
    expect(planFromForm({ kind: 'subscription', currency: 'CNY', amount: '9600.5', interval: 'year', trialDays: 0 })).toEqual({
      kind: 'subscription',
      currency: 'CNY',
      interval: 'year',
      amount: 960_050,
    });
  });

  it('maps metered per-unit pricing, always monthly', () => {
    const values: PlanFormValues = {
      kind: 'metered',
      currency: 'CNY',
      interval: 'year',
      metered: { unit: 'row', mode: 'per_unit', per: 1000, includedQuantity: 100_000, unitAmount: '0.05', tiers: [{ upTo: 5, unitAmount: '1' }] },
    };
    expect(planFromForm(values)).toEqual({
      kind: 'metered',
      currency: 'CNY',
      interval: 'month',
      metered: { unit: 'row', mode: 'per_unit', per: 1000, includedQuantity: 100_000, unitAmount: 5 },
    });
  });

  it('keeps a maximum per period only when given, and never below the included quantity', () => {
    const base: PlanFormValues = { kind: 'metered', currency: 'CNY', metered: { unit: 'api_call', mode: 'per_unit', per: 1, includedQuantity: 100, unitAmount: '0.10' } };
    expect(planFromForm(base).metered).not.toHaveProperty('maxQuantity');
    const capped = planFromForm({ ...base, metered: { ...base.metered, maxQuantity: 5_000 } });
    expect(capped.metered?.maxQuantity).toBe(5_000);
    expect(formFromPlan(capped).metered?.maxQuantity).toBe(5_000);
    expect(() => planFromForm({ ...base, metered: { ...base.metered, maxQuantity: 50 } })).toThrow(PlanFormError);
  });

  it('maps graduated tiers with the last one unbounded and flat fees only where given', () => {
    const values: PlanFormValues = {
      kind: 'metered',
      currency: 'CNY',
      metered: {
        unit: 'row',
        mode: 'graduated',
        per: 1000,
        includedQuantity: 100_000,
        unitAmount: '9',
        tiers: [
          { upTo: 1_000_000, unitAmount: '0.50', flatAmount: '' },
          { upTo: 12345, unitAmount: '0.3', flatAmount: '10' },
        ],
      },
    };
    expect(planFromForm(values).metered).toEqual({
      unit: 'row',
      mode: 'graduated',
      per: 1000,
      includedQuantity: 100_000,
      tiers: [
        { upTo: 1_000_000, unitAmount: 50 },
        { upTo: null, unitAmount: 30, flatAmount: 1000 },
      ],
    });
  });

  it('maps a hybrid plan: a yearly fee plus volume-priced API calls', () => {
    expect(
      planFromForm({
        kind: 'hybrid',
        currency: 'CNY',
        amount: '9600',
        interval: 'year',
        metered: { unit: 'api_call', mode: 'volume', per: 1, includedQuantity: 50_000, tiers: [{ upTo: 200_000, unitAmount: '0.02' }, { unitAmount: '0.01' }] },
      }),
    ).toEqual({
      kind: 'hybrid',
      currency: 'CNY',
      interval: 'year',
      amount: 960_000,
      metered: { unit: 'api_call', mode: 'volume', per: 1, includedQuantity: 50_000, tiers: [{ upTo: 200_000, unitAmount: 2 }, { upTo: null, unitAmount: 1 }] },
    });
  });

  it('uses the currency digits: yen have none, dinars three', () => {
    expect(planFromForm({ kind: 'one_time', currency: 'JPY', amount: '5000' })).toEqual({ kind: 'one_time', currency: 'JPY', amount: 5000 });
    expect(planFromForm({ kind: 'one_time', currency: 'KWD', amount: '12.5' })).toEqual({ kind: 'one_time', currency: 'KWD', amount: 12_500 });
  });

  it('names the field it cannot read', () => {
    const failure = (values: PlanFormValues) => {
      try {
        planFromForm(values);
      } catch (error) {
        return error instanceof PlanFormError ? error.path : error;
      }
      return null;
    };
    expect(failure({ kind: 'one_time', currency: 'CNY', amount: '1.234' })).toEqual(['amount']);
    expect(failure({ kind: 'one_time', currency: 'JPY', amount: '1.5' })).toEqual(['amount']);
    expect(failure({ kind: 'metered', currency: 'CNY', metered: { mode: 'graduated', tiers: [{ upTo: null, unitAmount: '1' }, { unitAmount: '1' }] } })).toEqual(['metered', 'tiers', 0, 'upTo']);
    expect(failure({ kind: 'metered', currency: 'CNY', metered: { mode: 'volume', tiers: [] } })).toEqual(['metered', 'tiers']);
    expect(failure({ kind: 'metered', currency: 'CNY', metered: { mode: 'per_unit', per: 0, unitAmount: '1' } })).toEqual(['metered', 'per']);
  });
});

describe('PricePlan → plan form', () => {
  it('gives back the exact decimal text of every amount, and maps back to the same plan', () => {
    const plan = {
      kind: 'hybrid' as const,
      currency: 'CNY',
      interval: 'year' as const,
      amount: 960_005,
      trialDays: 7,
      metered: { unit: 'api_call' as const, mode: 'graduated' as const, per: 1, includedQuantity: 50_000, tiers: [{ upTo: 200_000, unitAmount: 2, flatAmount: 1 }, { upTo: null, unitAmount: 1 }] },
    };
    const values = formFromPlan(plan);
    expect(values.amount).toBe('9600.05');
    expect(values.metered?.tiers).toEqual([{ upTo: 200_000, unitAmount: '0.02', flatAmount: '0.01' }, { upTo: null, unitAmount: '0.01' }]);
    expect(planFromForm(values)).toEqual(plan);
  });

  it('round-trips each seeded kind of plan', () => {
    const plans = [
      { kind: 'free' as const, currency: 'CNY' },
      { kind: 'one_time' as const, currency: 'CNY', amount: 800_000 },
      { kind: 'subscription' as const, currency: 'CNY', interval: 'month' as const, amount: 120_000, trialDays: 14 },
      { kind: 'metered' as const, currency: 'CNY', interval: 'month' as const, metered: { unit: 'row' as const, mode: 'per_unit' as const, per: 1000, includedQuantity: 0, unitAmount: 5 } },
    ];
    for (const plan of plans) expect(planFromForm(formFromPlan(plan))).toEqual(plan);
  });
});
