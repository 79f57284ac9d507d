/**
 * Price plans: what an offer costs, as JSON stored in jsonb and sent over the API.
 *
 *   free          nothing to pay
 *   one_time      one payment, no period
 *   subscription  a fixed fee each month or year (optionally after a free trial)
 *   metered       usage priced each month
 *   hybrid        a fixed fee each month or year plus metered usage in the same period
 *
 * Metered usage is counted in one unit (API calls, rows, bytes) per billing period:
 * - `includedQuantity` units of each period are free: the first units of the period;
 * - `per` is the size of a priced block (¥0.05 per 1,000 rows: per 1000, unitAmount 5);
 * - tier bounds (`upTo`, inclusive) are in units of the period's total usage, included units
 *   counted, and each tier's `unitAmount` is per block of `per` units;
 * - `maxQuantity` (optional) is a hard limit per period: usage beyond it is refused, not billed.
 * Amounts are integer minor units of the plan's currency. See rating.ts for how usage is rated.
 */
import { DomainError } from '../errors/domain-error.js';
import { describeProblems, fieldPath, ProblemCollector, type PlanProblem } from './problems.js';

export type MeteredUnit = 'api_call' | 'row' | 'byte';
export type BillingInterval = 'month' | 'year';
export type MeteredMode = 'per_unit' | 'graduated' | 'volume';

export const METERED_UNIT_KEYS: readonly MeteredUnit[] = ['api_call', 'row', 'byte'];
export const BILLING_INTERVAL_KEYS: readonly BillingInterval[] = ['month', 'year'];
export const METERED_MODE_KEYS: readonly MeteredMode[] = ['per_unit', 'graduated', 'volume'];

/** `upTo` is inclusive, in units; null (no upper bound) on the last tier only. */
export interface PriceTier {
  upTo: number | null;
  /** Minor units per block of `per` units. */
  unitAmount: number;
  /** Charged once per period when billable usage reaches into the tier (graduated) or lands in it (volume). */
  flatAmount?: number;
}

export interface MeteredPricing {
  unit: MeteredUnit;
  mode: MeteredMode;
  /** Units per priced block; a positive integer, default 1. */
  per: number;
  /** Free units per billing period before pricing applies; default 0. */
  includedQuantity: number;
  /** per_unit mode only: minor units per block. */
  unitAmount?: number;
  /** graduated and volume modes only. */
  tiers?: PriceTier[];
  /** Optional hard limit of units per period (absent: unlimited). */
  maxQuantity?: number;
}

export type PricePlan =
  | { kind: 'free'; currency: string }
  | { kind: 'one_time'; currency: string; amount: number }
  | { kind: 'subscription'; currency: string; interval: BillingInterval; amount: number; trialDays?: number }
  | { kind: 'metered'; currency: string; interval: 'month'; metered: MeteredPricing; trialDays?: number }
  | { kind: 'hybrid'; currency: string; interval: BillingInterval; amount: number; metered: MeteredPricing; trialDays?: number };

export type PricePlanKind = PricePlan['kind'];
export const PRICE_PLAN_KIND_KEYS: readonly PricePlanKind[] = ['free', 'one_time', 'subscription', 'metered', 'hybrid'];

/** The largest fee, unit amount or flat amount a plan may state: 10^12 minor units (¥10 billion). */
export const MAX_PLAN_AMOUNT = 1_000_000_000_000;
/** The largest priced block: 10^12 units (e.g. a terabyte). */
export const MAX_BLOCK_SIZE = 1_000_000_000_000;
export const MAX_TRIAL_DAYS = 365;
export const MAX_TIERS = 20;
/** Quantities (tier bounds, included and maximum quantities, usage) are safe integers. */
export const MAX_QUANTITY = Number.MAX_SAFE_INTEGER;

export type { PlanProblem, PlanProblemCode } from './problems.js';

const PLAN_FIELDS: Record<PricePlanKind, readonly string[]> = {
  free: ['kind', 'currency'],
  one_time: ['kind', 'currency', 'amount'],
  subscription: ['kind', 'currency', 'interval', 'amount', 'trialDays'],
  metered: ['kind', 'currency', 'interval', 'metered', 'trialDays'],
  hybrid: ['kind', 'currency', 'interval', 'amount', 'metered', 'trialDays'],
};
const ALL_PLAN_FIELDS = [...new Set(Object.values(PLAN_FIELDS).flat())];
const METERED_FIELDS = ['unit', 'mode', 'per', 'includedQuantity', 'unitAmount', 'tiers', 'maxQuantity'];
const TIER_FIELDS = ['upTo', 'unitAmount', 'flatAmount'];

/**
 * Validates untrusted input (a request body, a jsonb column) as a price plan. Every problem
 * is collected and reported at once: DomainError `pricing.invalid_plan` with
 * `details.problems: PlanProblem[]`. Returns a fresh, normalized plan (defaults filled in,
 * fields in a fixed order, nothing else carried over); never a partly valid one.
 */
export function parsePricePlan(input: unknown): PricePlan {
  const collector = new ProblemCollector();
  const plan = readPlan(input, collector);
  if (collector.problems.length > 0 || plan === undefined) {
    throw new DomainError('pricing.invalid_plan', describeProblems('price plan', collector.problems), { problems: collector.problems });
  }
  return plan;
}

/** The problems `parsePricePlan` would report; empty when the plan is valid. */
export function validatePricePlan(input: unknown): PlanProblem[] {
  const collector = new ProblemCollector();
  readPlan(input, collector);
  return collector.problems;
}

function readPlan(input: unknown, c: ProblemCollector): PricePlan | undefined {
  const record = c.object(input, '');
  if (!record) return undefined;
  const kind = c.oneOf(record.kind, 'kind', PRICE_PLAN_KIND_KEYS, 'invalid_kind', 'The plan kind');
  const currency = c.currency(record.currency, 'currency');
  if (!kind) return undefined;
  c.keys(record, '', PLAN_FIELDS[kind], ALL_PLAN_FIELDS);
  const amount = () => c.integer(record.amount, 'amount', { min: 0, max: MAX_PLAN_AMOUNT, what: 'The amount' });
  const trialDays = () => c.integer(record.trialDays, 'trialDays', { min: 0, max: MAX_TRIAL_DAYS, required: false, what: 'Trial days' });
  const withTrial = <T extends object>(plan: T, days: number | undefined): T => (days === undefined ? plan : { ...plan, trialDays: days });
  switch (kind) {
    case 'free':
      return currency ? { kind, currency } : undefined;
    case 'one_time': {
      const value = amount();
      return currency && value !== undefined ? { kind, currency, amount: value } : undefined;
    }
    case 'subscription': {
      const interval = c.oneOf(record.interval, 'interval', BILLING_INTERVAL_KEYS, 'invalid_interval', 'The billing interval');
      const value = amount();
      const days = trialDays();
      return currency && interval && value !== undefined ? withTrial({ kind, currency, interval, amount: value }, days) : undefined;
    }
    case 'metered': {
      const interval = c.oneOf(record.interval, 'interval', ['month'] as const, 'invalid_interval', 'A metered plan is billed monthly: the interval');
      const metered = readMetered(record.metered, 'metered', c);
      const days = trialDays();
      return currency && interval && metered ? withTrial({ kind, currency, interval, metered }, days) : undefined;
    }
    case 'hybrid': {
      const interval = c.oneOf(record.interval, 'interval', BILLING_INTERVAL_KEYS, 'invalid_interval', 'The billing interval');
      const value = amount();
      const metered = readMetered(record.metered, 'metered', c);
      const days = trialDays();
      return currency && interval && value !== undefined && metered ? withTrial({ kind, currency, interval, amount: value, metered }, days) : undefined;
    }
  }
}

function readMetered(input: unknown, path: string, c: ProblemCollector): MeteredPricing | undefined {
  if (input === undefined) {
    c.add(path, 'required', 'Metered pricing is required');
    return undefined;
  }
  const record = c.object(input, path);
  if (!record) return undefined;
  const unit = c.oneOf(record.unit, fieldPath(path, 'unit'), METERED_UNIT_KEYS, 'invalid_unit', 'The metered unit');
  const mode = c.oneOf(record.mode, fieldPath(path, 'mode'), METERED_MODE_KEYS, 'invalid_mode', 'The pricing mode');
  const allowed = mode === 'per_unit' ? METERED_FIELDS.filter((key) => key !== 'tiers') : mode ? METERED_FIELDS.filter((key) => key !== 'unitAmount') : METERED_FIELDS;
  c.keys(record, path, allowed, METERED_FIELDS);
  const per = record.per === undefined ? 1 : c.integer(record.per, fieldPath(path, 'per'), { min: 1, max: MAX_BLOCK_SIZE, what: 'The block size (per)' });
  const included =
    record.includedQuantity === undefined
      ? 0
      : c.integer(record.includedQuantity, fieldPath(path, 'includedQuantity'), { min: 0, max: MAX_QUANTITY, what: 'The included quantity' });
  const maxQuantity = c.integer(record.maxQuantity, fieldPath(path, 'maxQuantity'), { min: 1, max: MAX_QUANTITY, required: false, what: 'The maximum quantity' });
  if (maxQuantity !== undefined && included !== undefined && maxQuantity < included) {
    c.add(fieldPath(path, 'maxQuantity'), 'max_below_included', 'The maximum quantity is at least the included quantity');
  }
  let unitAmount: number | undefined;
  let tiers: PriceTier[] | undefined;
  if (mode === 'per_unit') {
    unitAmount = c.integer(record.unitAmount, fieldPath(path, 'unitAmount'), { min: 0, max: MAX_PLAN_AMOUNT, what: 'The unit amount' });
  } else if (mode) {
    tiers = readTiers(record.tiers, fieldPath(path, 'tiers'), c);
  }
  if (!unit || !mode || per === undefined || included === undefined) return undefined;
  if (mode === 'per_unit' ? unitAmount === undefined : tiers === undefined) return undefined;
  const pricing: MeteredPricing = { unit, mode, per, includedQuantity: included };
  if (unitAmount !== undefined) pricing.unitAmount = unitAmount;
  if (tiers !== undefined) pricing.tiers = tiers;
  if (maxQuantity !== undefined) pricing.maxQuantity = maxQuantity;
  return pricing;
}

function readTiers(input: unknown, path: string, c: ProblemCollector): PriceTier[] | undefined {
  if (input === undefined) {
    c.add(path, 'required', 'Tiers are required in graduated and volume modes');
    return undefined;
  }
  if (!Array.isArray(input)) {
    c.add(path, 'not_array', 'Tiers are a list');
    return undefined;
  }
  if (input.length === 0) {
    c.add(path, 'empty_tiers', 'At least one tier is required');
    return undefined;
  }
  if (input.length > MAX_TIERS) {
    c.add(path, 'too_many_tiers', `At most ${MAX_TIERS} tiers`);
    return undefined;
  }
  const before = c.problems.length;
  const tiers: PriceTier[] = [];
  let previous = 0;
  input.forEach((item, index) => {
    const tierPath = fieldPath(path, index);
    const record = c.object(item, tierPath);
    if (!record) return;
    c.keys(record, tierPath, TIER_FIELDS);
    const last = index === input.length - 1;
    let upTo: number | null | undefined;
    if (record.upTo === null) {
      if (!last) c.add(fieldPath(tierPath, 'upTo'), 'unbounded_tier_not_last', 'Only the last tier is unbounded (upTo null)');
      upTo = null;
    } else {
      upTo = c.integer(record.upTo, fieldPath(tierPath, 'upTo'), { min: 1, max: MAX_QUANTITY, what: 'A tier bound (upTo)' });
      if (upTo !== undefined) {
        if (upTo <= previous) c.add(fieldPath(tierPath, 'upTo'), 'tiers_not_increasing', 'Tier bounds increase strictly');
        if (last) c.add(fieldPath(tierPath, 'upTo'), 'last_tier_bounded', 'The last tier has no upper bound (upTo null)');
        previous = Math.max(previous, upTo);
      }
    }
    const unitAmount = c.integer(record.unitAmount, fieldPath(tierPath, 'unitAmount'), { min: 0, max: MAX_PLAN_AMOUNT, what: 'A tier unit amount' });
    const flatAmount = c.integer(record.flatAmount, fieldPath(tierPath, 'flatAmount'), { min: 0, max: MAX_PLAN_AMOUNT, required: false, what: 'A tier flat amount' });
    if (upTo === undefined || unitAmount === undefined) return;
    const tier: PriceTier = { upTo, unitAmount };
    if (flatAmount !== undefined) tier.flatAmount = flatAmount;
    tiers.push(tier);
  });
  return c.problems.length === before ? tiers : undefined;
}

// ---------------------------------------------------------------------------------------------
// Facts about plans

/** The billing interval of recurring plans; null for free and one-time plans. */
export function planInterval(plan: PricePlan): BillingInterval | null {
  return plan.kind === 'free' || plan.kind === 'one_time' ? null : plan.interval;
}

export function meteredPricing(plan: PricePlan): MeteredPricing | null {
  return plan.kind === 'metered' || plan.kind === 'hybrid' ? plan.metered : null;
}

/** The fixed fee each period (subscription, hybrid); 0 otherwise. */
export function recurringFee(plan: PricePlan): number {
  return plan.kind === 'subscription' || plan.kind === 'hybrid' ? plan.amount : 0;
}

export function trialDays(plan: PricePlan): number {
  return plan.kind === 'subscription' || plan.kind === 'metered' || plan.kind === 'hybrid' ? (plan.trialDays ?? 0) : 0;
}

const DAY_MS = 86_400_000;

/**
 * When a free trial that starts at `start` ends: `trialDays` whole days of 24 hours later, as
 * Stripe counts `trial_period_days`. Null for a plan without a trial. Whatever the provider,
 * nothing of the plan is charged before this instant: the fixed fee's first paid period starts
 * here, and metered use is billed from here on.
 */
export function trialEnd(plan: PricePlan, start: Date): Date | null {
  const days = trialDays(plan);
  return days > 0 ? new Date(start.getTime() + days * DAY_MS) : null;
}

/**
 * Whether the buyer must pay (or leave a payment method) before the licence starts:
 * a one-time or recurring fee above zero, or any metered pricing (usage is billed later).
 * A subscription of 0 and free plans need nothing.
 */
export function requiresPayment(plan: PricePlan): boolean {
  switch (plan.kind) {
    case 'free':
      return false;
    case 'one_time':
    case 'subscription':
      return plan.amount > 0;
    case 'metered':
    case 'hybrid':
      return true;
  }
}
