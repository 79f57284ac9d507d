/**
 * The price calculator: what a plan costs for an expected usage, and offers compared.
 */
import { DomainError } from '../errors/domain-error.js';
import { toSafeAmount } from './money.js';
import { planInterval, trialDays, type BillingInterval, type PricePlan } from './price-plan.js';
import { checkQuantity, oneTimeCharge, periodCharge, type RatedCharge } from './rating.js';

/** Horizon limit of an estimate: 120 periods (ten years of months). */
export const MAX_ESTIMATE_PERIODS = 120;

export interface CostEstimateInput {
  /** How long the plan is used: billing periods of its own interval (months or years); 0..MAX_ESTIMATE_PERIODS. */
  periods: number;
  /** Expected units of the metered unit per period. */
  quantityPerPeriod: number | bigint;
}

export interface PeriodEstimate {
  /** 1-based: the paid periods, after any free trial. */
  period: number;
  charge: RatedCharge;
}

export interface CostEstimate {
  currency: string;
  interval: BillingInterval | null;
  /** The one-time fee, due once at purchase. */
  oneTime: RatedCharge;
  /** One paid billing period at the expected usage (empty for free and one-time plans). */
  period: RatedCharge;
  /**
   * The periods paid for within the horizon, one entry each (every one costs `period`). A free
   * trial comes first and the paid periods follow it, as in Stripe: they are the whole periods
   * needed to cover what remains of the horizon after the trial.
   */
  perPeriod: PeriodEstimate[];
  /** One-time fee + every paid period, in minor units. */
  total: number;
  /** The plan's free trial in days: the first `trialDays` days cost nothing. */
  trialDays: number;
  /** What the trial takes off the total: the periods it spares within the horizon × `period`. */
  trialSavings: number;
}

/**
 * Days of a billing period, for setting a trial (counted in days) against it: 30/360, a month
 * counts as 30 days and a year as 360, so a 30-day trial spares one monthly period.
 */
export const DAYS_PER_PERIOD: Readonly<Record<BillingInterval, number>> = { month: 30, year: 360 };

function checkPeriods(periods: number): number {
  if (!Number.isSafeInteger(periods) || periods < 0 || periods > MAX_ESTIMATE_PERIODS) {
    throw new DomainError('pricing.invalid_usage', `An estimate covers 0 to ${MAX_ESTIMATE_PERIODS} periods`, { periods: String(periods) });
  }
  return periods;
}

/**
 * The cost over a horizon of `horizonDays` days. A recurring plan pays for the whole periods
 * that cover the horizon after its trial: ceil((horizon − trial) / period), none when the trial
 * is at least the horizon. Free and one-time plans have no periods: `periods` entries of an
 * empty charge.
 */
function estimateOver(plan: PricePlan, horizonDays: number, periods: number, quantity: bigint): CostEstimate {
  const interval = planInterval(plan);
  const oneTime = oneTimeCharge(plan);
  const charge = periodCharge(plan, { quantity });
  const trial = trialDays(plan);
  const length = interval ? DAYS_PER_PERIOD[interval] : 1;
  const paid = interval ? Math.ceil(Math.max(0, horizonDays - trial) / length) : periods;
  const spared = interval ? Math.ceil(horizonDays / length) - paid : 0;
  const perPeriod = Array.from({ length: paid }, (_, index) => ({ period: index + 1, charge: structuredClone(charge) }));
  const total = toSafeAmount(BigInt(oneTime.total) + BigInt(charge.total) * BigInt(paid), { currency: plan.currency });
  const trialSavings = toSafeAmount(BigInt(charge.total) * BigInt(spared), { currency: plan.currency });
  return { currency: plan.currency, interval, oneTime, period: charge, perPeriod, total, trialDays: trial, trialSavings };
}

/**
 * Total cost of a plan used for `periods` billing periods of its interval at the same expected
 * usage each period, plus its one-time fee. A free trial covers the first days: with a 30-day
 * trial, 12 months of a monthly plan pay 11 periods. Free and one-time plans have no periods:
 * their period entries cost nothing.
 */
export function estimateCost(plan: PricePlan, input: CostEstimateInput): CostEstimate {
  const periods = checkPeriods(input.periods);
  const quantity = checkQuantity(input.quantityPerPeriod, 'quantityPerPeriod');
  const interval = planInterval(plan);
  return estimateOver(plan, interval ? periods * DAYS_PER_PERIOD[interval] : 0, periods, quantity);
}

/** Expected use over a horizon in months, the common ground of monthly and yearly plans. */
export interface OfferUsage {
  months: number;
  quantityPerMonth: number | bigint;
}

export interface OfferComparison {
  /** Position of the plan in the input. */
  index: number;
  plan: PricePlan;
  estimate: CostEstimate;
}

/**
 * Compares plans of one currency for the same expected use, cheapest first; equal totals keep
 * their input order. The use lasts `months` months (of 30 days, see DAYS_PER_PERIOD); a free
 * trial covers its first days and the paid periods follow. A monthly plan pays the months left
 * after the trial at `quantityPerMonth` each; a yearly plan the whole years that cover them (a
 * started year is paid in full) at 12 × `quantityPerMonth` each; free and one-time plans have
 * no periodic cost. Plans of different currencies cannot be compared (pricing.currency_mismatch).
 */
export function compareOffers(plans: readonly PricePlan[], usage: OfferUsage): OfferComparison[] {
  const months = checkPeriods(usage.months);
  const perMonth = checkQuantity(usage.quantityPerMonth, 'quantityPerMonth');
  const currencies = [...new Set(plans.map((plan) => plan.currency))];
  if (currencies.length > 1) {
    throw new DomainError('pricing.currency_mismatch', 'Offers in different currencies cannot be compared', { currencies });
  }
  return plans
    .map((plan, index) => {
      const yearly = planInterval(plan) === 'year';
      const quantity = checkQuantity(yearly ? perMonth * 12n : perMonth, 'quantityPerPeriod');
      const estimate = estimateOver(plan, months * DAYS_PER_PERIOD.month, yearly ? Math.ceil(months / 12) : months, quantity);
      return { index, plan, estimate };
    })
    .sort((a, b) => a.estimate.total - b.estimate.total || a.index - b.index);
}
