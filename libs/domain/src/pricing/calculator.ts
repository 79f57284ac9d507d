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
  /** Billing periods of the plan's own interval (months or years); 0..MAX_ESTIMATE_PERIODS. */
  periods: number;
  /** Expected units of the metered unit per period. */
  quantityPerPeriod: number | bigint;
}

export interface PeriodEstimate {
  /** 1-based. */
  period: number;
  charge: RatedCharge;
}

export interface CostEstimate {
  currency: string;
  interval: BillingInterval | null;
  /** The one-time fee, due once at purchase. */
  oneTime: RatedCharge;
  /** One entry per period (every period of the same expected usage costs the same). */
  perPeriod: PeriodEstimate[];
  /** One-time fee + every period, in minor units. */
  total: number;
  /**
   * The plan's free trial in days, shown for information: a trial comes before the first paid
   * period (as in Stripe), so it does not change what `periods` paid periods cost.
   */
  trialDays: number;
}

function checkPeriods(periods: number): number {
  if (!Number.isSafeInteger(periods) || periods < 0 || periods > MAX_ESTIMATE_PERIODS) {
    throw new DomainError('pricing.invalid_usage', `An estimate covers 0 to ${MAX_ESTIMATE_PERIODS} periods`, { periods: String(periods) });
  }
  return periods;
}

/**
 * Total cost of a plan over `periods` billing periods of its interval at the same expected
 * usage each period, plus its one-time fee. Free and one-time plans have no periods: their
 * period entries cost nothing.
 */
export function estimateCost(plan: PricePlan, input: CostEstimateInput): CostEstimate {
  const periods = checkPeriods(input.periods);
  const quantity = checkQuantity(input.quantityPerPeriod, 'quantityPerPeriod');
  const oneTime = oneTimeCharge(plan);
  const charge = periodCharge(plan, { quantity });
  const perPeriod = Array.from({ length: periods }, (_, index) => ({ period: index + 1, charge: structuredClone(charge) }));
  const total = toSafeAmount(BigInt(oneTime.total) + BigInt(charge.total) * BigInt(periods), { currency: plan.currency });
  return { currency: plan.currency, interval: planInterval(plan), oneTime, perPeriod, total, trialDays: trialDays(plan) };
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
 * their input order. A monthly plan is estimated over `months` periods of `quantityPerMonth`;
 * a yearly plan over ceil(months / 12) whole years (a year is paid in full) of 12 ×
 * `quantityPerMonth` each; free and one-time plans over the same months at no periodic cost.
 * Plans of different currencies cannot be compared (pricing.currency_mismatch).
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
      const estimate = estimateCost(plan, {
        periods: yearly ? Math.ceil(months / 12) : months,
        quantityPerPeriod: checkQuantity(yearly ? perMonth * 12n : perMonth, 'quantityPerPeriod'),
      });
      return { index, plan, estimate };
    })
    .sort((a, b) => a.estimate.total - b.estimate.total || a.index - b.index);
}
