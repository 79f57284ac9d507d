/**
 * Rating: what usage and periods cost under a price plan, line by line.
 *
 * Rounding rule (one rule everywhere): each line's amount is computed exactly as a fraction
 * (units × unitAmount / per) and rounded half up to the minor unit; a charge's total is the
 * sum of its rounded lines, so an invoice's lines always add up to its total. Partial blocks
 * are charged proportionally (the metering convention of cloud and data APIs: 1,500 rows at
 * ¥0.05 per 1,000 rows is ¥0.075, rounded to ¥0.08), never rounded up to a whole block.
 *
 * Included quantity is the first units of each period and never billed. Tier bounds are in
 * units of the period's total usage:
 * - graduated: each unit is priced by the tier it falls in (Stripe's "graduated"); a tier's
 *   flat amount is charged once when billable units fall in that tier;
 * - volume: the tier holding the period's total usage prices every billable unit (Stripe's
 *   "volume"); its flat amount is charged once when there are billable units.
 * So usage within the included quantity costs nothing at all, flat amounts included. Unlike
 * Stripe, whose first tier's flat amount is due even at zero usage, a period without billable
 * usage costs only its fixed fee.
 */
import { DomainError } from '../errors/domain-error.js';
import { roundHalfUp, toSafeAmount } from './money.js';
import { MAX_QUANTITY, meteredPricing, recurringFee, trialDays, type MeteredPricing, type PricePlan } from './price-plan.js';

export type RatedLineKind = 'one_time_fee' | 'subscription_fee' | 'included' | 'usage' | 'tier' | 'tier_flat' | 'trial_credit';

export interface RatedLine {
  kind: RatedLineKind;
  /** i18n key of the line's label, `pricing.line.<kind>` (texts in RATED_LINE_KINDS). */
  descriptionKey: `pricing.line.${RatedLineKind}`;
  /** Units of usage on this line (fees and credits: 1). */
  quantity: number;
  /** Minor units per block of `per` units (fees: the fee; credits: negative). */
  unitAmount: number;
  per: number;
  /** Rounded half up from quantity × unitAmount / per, in minor units. */
  amount: number;
  /** 0-based index of the tier (tier and tier_flat lines). */
  tier?: number;
  /** The range of units the line covers, both inclusive; `to` null when unbounded. */
  range?: { from: number; to: number | null };
}

export interface RatedCharge {
  currency: string;
  lines: RatedLine[];
  /** Sum of the lines' amounts, in minor units. */
  total: number;
}

function line(kind: RatedLineKind, fields: Omit<RatedLine, 'kind' | 'descriptionKey'>): RatedLine {
  return { kind, descriptionKey: `pricing.line.${kind}`, ...fields };
}

function charge(currency: string, lines: RatedLine[]): RatedCharge {
  const total = lines.reduce((sum, item) => sum + BigInt(item.amount), 0n);
  return { currency, lines, total: toSafeAmount(total, { currency }) };
}

/** Usage of one period as a checked bigint (pricing.invalid_usage otherwise). */
export function checkQuantity(quantity: number | bigint, what = 'quantity'): bigint {
  const valid = typeof quantity === 'bigint' ? quantity >= 0n && quantity <= BigInt(MAX_QUANTITY) : Number.isSafeInteger(quantity) && quantity >= 0;
  if (!valid) {
    throw new DomainError('pricing.invalid_usage', `The ${what} is a non-negative integer of at most 2^53 − 1 units`, { [what]: String(quantity) });
  }
  return BigInt(quantity);
}

/** units × unitAmount / per, rounded half up to the minor unit. */
function price(units: bigint, unitAmount: number, per: number, currency: string): number {
  return toSafeAmount(roundHalfUp(units * BigInt(unitAmount), BigInt(per)), { currency });
}

const min = (a: bigint, b: bigint) => (a < b ? a : b);
const max = (a: bigint, b: bigint) => (a > b ? a : b);

/**
 * Rates one period's usage of the plan's metered unit. Plans without metered pricing rate
 * every quantity at zero with no lines. Lines: the included quantity (when the plan has one),
 * then the billable usage (per_unit), or each tier reached and its flat amount.
 */
export function rateUsage(plan: PricePlan, quantity: number | bigint): RatedCharge {
  const used = checkQuantity(quantity);
  const metered = meteredPricing(plan);
  if (!metered) return charge(plan.currency, []);
  return charge(plan.currency, rateMetered(metered, used, plan.currency));
}

function rateMetered(metered: MeteredPricing, used: bigint, currency: string): RatedLine[] {
  const included = BigInt(metered.includedQuantity);
  const lines: RatedLine[] = [];
  if (included > 0n) {
    lines.push(
      line('included', { quantity: Number(min(used, included)), unitAmount: 0, per: metered.per, amount: 0, range: { from: 1, to: metered.includedQuantity } }),
    );
  }
  const billable = max(used - included, 0n);
  if (metered.mode === 'per_unit') {
    if (billable > 0n) {
      const unitAmount = metered.unitAmount ?? 0;
      lines.push(
        line('usage', {
          quantity: Number(billable),
          unitAmount,
          per: metered.per,
          amount: price(billable, unitAmount, metered.per, currency),
          range: { from: metered.includedQuantity + 1, to: null },
        }),
      );
    }
    return lines;
  }
  const tiers = metered.tiers ?? [];
  if (metered.mode === 'graduated') {
    let lower = 0n; // units below this tier
    tiers.forEach((tier, index) => {
      const upper = tier.upTo === null ? used : min(BigInt(tier.upTo), used);
      const units = max(upper - max(lower, included), 0n);
      if (units > 0n) lines.push(...tierLines(tier, index, units, metered.per, lower, currency));
      lower = tier.upTo === null ? lower : BigInt(tier.upTo);
    });
    return lines;
  }
  // volume
  if (billable === 0n) return lines;
  let lower = 0n;
  for (const [index, tier] of tiers.entries()) {
    if (tier.upTo === null || used <= BigInt(tier.upTo)) {
      lines.push(...tierLines(tier, index, billable, metered.per, lower, currency));
      break;
    }
    lower = BigInt(tier.upTo);
  }
  return lines;
}

function tierLines(tier: { upTo: number | null; unitAmount: number; flatAmount?: number }, index: number, units: bigint, per: number, lower: bigint, currency: string): RatedLine[] {
  const range = { from: Number(lower) + 1, to: tier.upTo };
  const lines = [line('tier', { tier: index, quantity: Number(units), unitAmount: tier.unitAmount, per, amount: price(units, tier.unitAmount, per, currency), range })];
  if (tier.flatAmount) lines.push(line('tier_flat', { tier: index, quantity: 1, unitAmount: tier.flatAmount, per: 1, amount: tier.flatAmount, range }));
  return lines;
}

/** The one-time fee of a one-time plan (no lines for any other plan). */
export function oneTimeCharge(plan: PricePlan): RatedCharge {
  if (plan.kind !== 'one_time') return charge(plan.currency, []);
  return charge(plan.currency, [line('one_time_fee', { quantity: 1, unitAmount: plan.amount, per: 1, amount: plan.amount })]);
}

export interface PeriodUsage {
  /** Units of the plan's metered unit used in the period (ignored by plans without metering). */
  quantity?: number | bigint;
  /** The whole period is covered by the plan's free trial. */
  inTrial?: boolean;
}

/**
 * What one billing period costs: the fixed fee (subscription, hybrid) and the rated usage
 * (metered, hybrid). A period in trial costs nothing: its lines still show what it would have
 * cost, followed by a `trial_credit` line of the opposite amount, so the total is 0. Only a
 * plan with trial days can be in trial (pricing.invalid_usage otherwise). Free and one-time
 * plans have no periods: their period charge is empty (the one-time fee is `oneTimeCharge`).
 */
export function periodCharge(plan: PricePlan, usage: PeriodUsage = {}): RatedCharge {
  const used = checkQuantity(usage.quantity ?? 0);
  if (usage.inTrial && trialDays(plan) === 0) {
    throw new DomainError('pricing.invalid_usage', 'This plan has no free trial', { kind: plan.kind });
  }
  const lines: RatedLine[] = [];
  if (plan.kind === 'subscription' || plan.kind === 'hybrid') {
    const fee = recurringFee(plan);
    lines.push(line('subscription_fee', { quantity: 1, unitAmount: fee, per: 1, amount: fee }));
  }
  const metered = meteredPricing(plan);
  if (metered) lines.push(...rateMetered(metered, used, plan.currency));
  if (usage.inTrial) {
    const subtotal = charge(plan.currency, lines).total;
    lines.push(line('trial_credit', { quantity: 1, unitAmount: -subtotal || 0, per: 1, amount: -subtotal || 0 }));
  }
  return charge(plan.currency, lines);
}
