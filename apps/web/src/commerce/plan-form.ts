import type { BillingInterval, MeteredUnit, PlanKind, PricePlan, TierMode } from '../api/schema-types';
import { decimalToMinor, minorToDecimal } from './money';

// The offer form edits a price plan with amounts typed in major units (yuan) as text. These
// functions map between that form and the API's PricePlan (integer minor units), exactly.

export interface TierFormValues {
  /** Inclusive upper bound in units; ignored on the last tier (which has none). */
  upTo?: number | null;
  /** Per block of `per` units, major units as typed. */
  unitAmount?: string;
  /** Optional flat fee for reaching the tier, major units as typed. */
  flatAmount?: string;
}

export interface MeteredFormValues {
  unit?: MeteredUnit;
  mode?: TierMode;
  per?: number | null;
  includedQuantity?: number | null;
  /** A hard limit per period (use beyond it is refused); empty: no limit. */
  maxQuantity?: number | null;
  /** per_unit mode: major units as typed. */
  unitAmount?: string;
  tiers?: TierFormValues[];
}

export interface PlanFormValues {
  kind: PlanKind;
  currency: string;
  /** one_time, subscription, hybrid: major units as typed. */
  amount?: string;
  interval?: BillingInterval;
  trialDays?: number | null;
  metered?: MeteredFormValues;
}

/** A form field the plan cannot be built from, as a path into PlanFormValues. */
export class PlanFormError extends Error {
  constructor(readonly path: (string | number)[]) {
    super(`Invalid plan field: ${path.join('.')}`);
    this.name = 'PlanFormError';
  }
}

export const hasFee = (kind: PlanKind) => kind === 'one_time' || kind === 'subscription' || kind === 'hybrid';
export const isRecurring = (kind: PlanKind) => kind === 'subscription' || kind === 'metered' || kind === 'hybrid';
export const isMetered = (kind: PlanKind) => kind === 'metered' || kind === 'hybrid';

function money(text: string | undefined, currency: string, path: (string | number)[]): number {
  const minor = decimalToMinor(text ?? '', currency);
  if (minor === null) throw new PlanFormError(path);
  return minor;
}

function count(value: number | null | undefined, path: (string | number)[], min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) throw new PlanFormError(path);
  return value;
}

/**
 * The PricePlan the API expects from the form: only the fields of the plan's kind (the API
 * refuses others), amounts in integer minor units, the last tier unbounded (upTo null), no
 * trialDays when none. Throws PlanFormError naming the first field it cannot read.
 */
export function planFromForm(values: PlanFormValues): PricePlan {
  const { kind, currency } = values;
  if (kind === 'free') return { kind, currency };
  if (kind === 'one_time') return { kind, currency, amount: money(values.amount, currency, ['amount']) };
  const trial = values.trialDays === null || values.trialDays === undefined || values.trialDays === 0 ? {} : { trialDays: count(values.trialDays, ['trialDays'], 0) };
  const interval: BillingInterval = kind === 'metered' ? 'month' : (values.interval ?? 'month');
  if (kind === 'subscription') return { kind, currency, interval, amount: money(values.amount, currency, ['amount']), ...trial };
  const metered = meteredFromForm(values.metered ?? {}, currency);
  if (kind === 'metered') return { kind, currency, interval, metered, ...trial };
  return { kind, currency, interval, amount: money(values.amount, currency, ['amount']), metered, ...trial };
}

function meteredFromForm(values: MeteredFormValues, currency: string): NonNullable<PricePlan['metered']> {
  const unit = values.unit ?? 'api_call';
  const mode = values.mode ?? 'per_unit';
  const per = count(values.per ?? 1, ['metered', 'per'], 1);
  const includedQuantity = count(values.includedQuantity ?? 0, ['metered', 'includedQuantity'], 0);
  const limit = values.maxQuantity === null || values.maxQuantity === undefined ? {} : { maxQuantity: count(values.maxQuantity, ['metered', 'maxQuantity'], Math.max(1, includedQuantity)) };
  if (mode === 'per_unit') return { unit, mode, per, includedQuantity, ...limit, unitAmount: money(values.unitAmount, currency, ['metered', 'unitAmount']) };
  const rows = values.tiers ?? [];
  if (rows.length === 0) throw new PlanFormError(['metered', 'tiers']);
  const tiers = rows.map((tier, index) => {
    const last = index === rows.length - 1;
    const path = ['metered', 'tiers', index];
    const flat = tier.flatAmount?.trim() ? { flatAmount: money(tier.flatAmount, currency, [...path, 'flatAmount']) } : {};
    return { upTo: last ? null : count(tier.upTo, [...path, 'upTo'], 1), unitAmount: money(tier.unitAmount, currency, [...path, 'unitAmount']), ...flat };
  });
  return { unit, mode, per, includedQuantity, ...limit, tiers };
}

/** The form's values for an existing plan (to edit an offer): amounts back to exact decimal text. */
export function formFromPlan(plan: PricePlan): PlanFormValues {
  const text = (amount: number | undefined) => (amount === undefined ? undefined : minorToDecimal(amount, plan.currency));
  const values: PlanFormValues = { kind: plan.kind, currency: plan.currency };
  if (plan.amount !== undefined) values.amount = text(plan.amount);
  if (plan.interval !== undefined && plan.kind !== 'metered') values.interval = plan.interval;
  if (plan.trialDays !== undefined) values.trialDays = plan.trialDays;
  if (plan.metered) {
    const metered = plan.metered;
    values.metered = {
      unit: metered.unit,
      mode: metered.mode,
      per: metered.per,
      includedQuantity: metered.includedQuantity,
      ...(metered.maxQuantity !== undefined ? { maxQuantity: metered.maxQuantity } : {}),
      ...(metered.unitAmount !== undefined ? { unitAmount: text(metered.unitAmount) } : {}),
      ...(metered.tiers
        ? {
            tiers: metered.tiers.map((tier) => ({
              upTo: tier.upTo,
              unitAmount: text(tier.unitAmount),
              ...(tier.flatAmount !== undefined ? { flatAmount: text(tier.flatAmount) } : {}),
            })),
          }
        : {}),
    };
  }
  return values;
}

/** What a new offer's form starts with. */
export function defaultPlanForm(kind: PlanKind, currency: string): PlanFormValues {
  return {
    kind,
    currency,
    interval: 'month',
    metered: { unit: 'api_call', mode: 'per_unit', per: 1000, includedQuantity: 0, tiers: [{ upTo: 100_000, unitAmount: '' }, { upTo: null, unitAmount: '' }] },
  };
}
