import type { BillingInterval, PricePlan } from './price-plan.js';

/**
 * What a product costs at the least, for a storefront card: the smallest fixed fee of its offers
 * (one-time, or per month or year) in the first paid offer's currency, compared per month (a
 * year's fee counts a twelfth); `free` when an offer is free (with that smallest fee, if another
 * offer has one: a free plan is often for some uses only); `usage` when every offer is priced by
 * usage alone.
 */
export type EntryPrice =
  | { kind: 'free'; amount?: number; currency?: string; interval?: BillingInterval | null }
  | { kind: 'from'; amount: number; currency: string; interval: BillingInterval | null }
  | { kind: 'usage'; currency: string };

export function entryPrice(plans: readonly PricePlan[]): EntryPrice | null {
  if (plans.length === 0) return null;
  const free = plans.some((plan) => plan.kind === 'free');
  const paid = plans.filter((plan) => plan.kind !== 'free');
  if (paid.length === 0) return { kind: 'free' };
  const currency = paid[0]!.currency;
  let best: { amount: number; interval: BillingInterval | null; monthly: number } | null = null;
  for (const plan of plans) {
    if (plan.currency !== currency || plan.kind === 'metered' || plan.kind === 'free') continue;
    const interval = plan.kind === 'one_time' ? null : plan.interval;
    const monthly = interval === 'year' ? plan.amount / 12 : plan.amount;
    if (!best || monthly < best.monthly || (monthly === best.monthly && plan.amount < best.amount)) best = { amount: plan.amount, interval, monthly };
  }
  if (free) return best ? { kind: 'free', amount: best.amount, currency, interval: best.interval } : { kind: 'free' };
  if (best) return { kind: 'from', amount: best.amount, currency, interval: best.interval };
  return { kind: 'usage', currency };
}
