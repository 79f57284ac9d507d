/**
 * Price caps: upper limits the platform (or the city's finance bureau) sets on what products
 * of a theme or classification may cost. They are data, not code: a common public-data rule,
 * "open data is free or at cost", is a cap like
 *
 *   { scope: { classification: 'open' }, currency: 'CNY', maxOneTime: 0, maxMonthly: 0,
 *     maxPerUnit: { unit: 'byte', per: 1_000_000_000, amount: 50 } }
 *
 * How a plan is measured against a cap:
 * - maxOneTime: the one-time fee.
 * - maxMonthly: the fixed charge of a period (the subscription fee plus the most the tiers'
 *   flat amounts can add in one period: all of them for graduated, the largest for volume), as
 *   a monthly equivalent. A yearly figure is divided by 12 and rounded up to the minor unit;
 *   as caps are whole minor units this is exactly "yearly > 12 × cap".
 * - maxPerUnit: every unit price of the plan's metered unit (the per-unit price or each tier's
 *   price), normalized to the cap's block size: unitAmount × cap.per / plan.per, rounded up
 *   (again exactly "unitAmount × cap.per > cap.amount × plan.per"). Other units are not capped.
 * A cap applies when each of its scope's fields matches the product (no fields: every
 * product). A cap in another currency than the plan cannot be compared and fails closed
 * (pricing.cap_currency_mismatch) when one of its limits concerns the plan.
 */
import type { Classification } from '../catalog/vocabulary.js';
import { CLASSIFICATION_KEYS } from '../catalog/vocabulary.js';
import { DomainError } from '../errors/domain-error.js';
import { roundUp } from './money.js';
import { MAX_BLOCK_SIZE, MAX_PLAN_AMOUNT, meteredPricing, METERED_UNIT_KEYS, type MeteredUnit, type PricePlan } from './price-plan.js';
import { describeProblems, fieldPath, ProblemCollector, type PlanProblem } from './problems.js';

export interface PriceCap {
  scope: { theme?: string; classification?: Classification };
  currency: string;
  maxOneTime?: number;
  maxMonthly?: number;
  maxPerUnit?: { unit: MeteredUnit; per: number; amount: number };
}

export interface ProductPriceFacts {
  themes: readonly string[];
  classification: Classification;
}

export type PriceCapLimit = 'maxOneTime' | 'maxMonthly' | 'maxPerUnit';

export type PriceCapViolation =
  | {
      code: 'pricing.over_cap';
      capIndex: number;
      cap: PriceCap;
      limit: PriceCapLimit;
      /** Where the offending figure comes from in the plan: "amount", "metered.tiers[2].unitAmount"… */
      path: string;
      /** The plan's figure in the cap's terms (monthly equivalent, price per cap.per units), minor units. */
      figure: number;
      /** The cap's limit, minor units. */
      max: number;
      currency: string;
    }
  | { code: 'pricing.cap_currency_mismatch'; capIndex: number; cap: PriceCap; limit: 'currency'; path: 'currency'; planCurrency: string; currency: string };

export function capApplies(cap: PriceCap, product: ProductPriceFacts): boolean {
  if (cap.scope.theme !== undefined && !product.themes.includes(cap.scope.theme)) return false;
  if (cap.scope.classification !== undefined && cap.scope.classification !== product.classification) return false;
  return true;
}

/** The most a period can cost before per-unit charges, in the plan's interval; 0 for free/one-time. */
export function fixedPeriodCharge(plan: PricePlan): number {
  const fee = plan.kind === 'subscription' || plan.kind === 'hybrid' ? plan.amount : 0;
  const metered = meteredPricing(plan);
  const flats = (metered?.tiers ?? []).map((tier) => tier.flatAmount ?? 0);
  const flat = metered?.mode === 'graduated' ? flats.reduce((a, b) => a + b, 0) : Math.max(0, ...flats);
  return fee + flat;
}

/** Monthly equivalent of the fixed period charge: a yearly figure ÷ 12, rounded up. */
export function monthlyEquivalent(plan: PricePlan): number {
  const fixed = fixedPeriodCharge(plan);
  if (plan.kind === 'free' || plan.kind === 'one_time') return 0;
  return plan.interval === 'year' ? Number(roundUp(BigInt(fixed), 12n)) : fixed;
}

/** Every violation of the caps that apply to the product, in cap order; empty when the plan is within them. */
export function checkPriceCaps(plan: PricePlan, product: ProductPriceFacts, caps: readonly PriceCap[]): PriceCapViolation[] {
  const violations: PriceCapViolation[] = [];
  caps.forEach((cap, capIndex) => {
    if (!capApplies(cap, product)) return;
    const over: PriceCapViolation[] = [];
    const overCap = (limit: PriceCapLimit, path: string, figure: number, max: number) =>
      over.push({ code: 'pricing.over_cap', capIndex, cap, limit, path, figure, max, currency: cap.currency });
    let concerned = false;
    if (cap.maxOneTime !== undefined && plan.kind === 'one_time') {
      concerned = true;
      if (plan.amount > cap.maxOneTime) overCap('maxOneTime', 'amount', plan.amount, cap.maxOneTime);
    }
    if (cap.maxMonthly !== undefined && plan.kind !== 'free' && plan.kind !== 'one_time') {
      concerned = true;
      const figure = monthlyEquivalent(plan);
      const path = plan.kind === 'metered' ? 'metered.tiers' : 'amount';
      if (figure > cap.maxMonthly) overCap('maxMonthly', path, figure, cap.maxMonthly);
    }
    const metered = meteredPricing(plan);
    const perUnit = cap.maxPerUnit;
    if (perUnit && metered && metered.unit === perUnit.unit) {
      concerned = true;
      const rates =
        metered.mode === 'per_unit'
          ? [{ path: 'metered.unitAmount', unitAmount: metered.unitAmount ?? 0 }]
          : (metered.tiers ?? []).map((tier, index) => ({ path: `metered.tiers[${index}].unitAmount`, unitAmount: tier.unitAmount }));
      for (const rate of rates) {
        const scaled = BigInt(rate.unitAmount) * BigInt(perUnit.per);
        if (scaled > BigInt(perUnit.amount) * BigInt(metered.per)) {
          overCap('maxPerUnit', rate.path, Number(roundUp(scaled, BigInt(metered.per))), perUnit.amount);
        }
      }
    }
    if (!concerned) return;
    if (cap.currency !== plan.currency) {
      violations.push({ code: 'pricing.cap_currency_mismatch', capIndex, cap, limit: 'currency', path: 'currency', planCurrency: plan.currency, currency: cap.currency });
      return;
    }
    violations.push(...over);
  });
  return violations;
}

/** Throws pricing.over_cap (details.violations) when `checkPriceCaps` finds anything. */
export function assertWithinPriceCaps(plan: PricePlan, product: ProductPriceFacts, caps: readonly PriceCap[]): void {
  const violations = checkPriceCaps(plan, product, caps);
  if (violations.length > 0) {
    throw new DomainError('pricing.over_cap', 'The price is above a cap set for this kind of product', { violations });
  }
}

const CAP_FIELDS = ['scope', 'currency', 'maxOneTime', 'maxMonthly', 'maxPerUnit'];

/** Validates a cap from untrusted input; pricing.invalid_cap with `details.problems` otherwise. */
export function parsePriceCap(input: unknown): PriceCap {
  const c = new ProblemCollector();
  const cap = readCap(input, c);
  if (c.problems.length > 0 || !cap) throw new DomainError('pricing.invalid_cap', describeProblems('price cap', c.problems), { problems: c.problems });
  return cap;
}

function readCap(input: unknown, c: ProblemCollector): PriceCap | undefined {
  const record = c.object(input, '');
  if (!record) return undefined;
  c.keys(record, '', CAP_FIELDS);
  const currency = c.currency(record.currency, 'currency');
  const scope: PriceCap['scope'] = {};
  const scopeRecord = record.scope === undefined ? {} : c.object(record.scope, 'scope');
  if (scopeRecord) {
    c.keys(scopeRecord, 'scope', ['theme', 'classification']);
    if (scopeRecord.theme !== undefined) {
      if (typeof scopeRecord.theme === 'string' && scopeRecord.theme.length > 0) scope.theme = scopeRecord.theme;
      else c.add('scope.theme', 'invalid_value', 'A theme is a non-empty string');
    }
    if (scopeRecord.classification !== undefined) {
      const classification = c.oneOf(scopeRecord.classification, 'scope.classification', CLASSIFICATION_KEYS, 'invalid_value', 'The classification');
      if (classification) scope.classification = classification;
    }
  }
  const amount = (key: string) => c.integer(record[key], key, { min: 0, max: MAX_PLAN_AMOUNT, required: false, what: 'A cap' });
  const maxOneTime = amount('maxOneTime');
  const maxMonthly = amount('maxMonthly');
  let maxPerUnit: PriceCap['maxPerUnit'];
  if (record.maxPerUnit !== undefined) {
    const unitRecord = c.object(record.maxPerUnit, 'maxPerUnit');
    if (unitRecord) {
      c.keys(unitRecord, 'maxPerUnit', ['unit', 'per', 'amount']);
      const unit = c.oneOf(unitRecord.unit, fieldPath('maxPerUnit', 'unit'), METERED_UNIT_KEYS, 'invalid_unit', 'The unit');
      const per = c.integer(unitRecord.per, fieldPath('maxPerUnit', 'per'), { min: 1, max: MAX_BLOCK_SIZE, what: 'The block size (per)' });
      const capAmount = c.integer(unitRecord.amount, fieldPath('maxPerUnit', 'amount'), { min: 0, max: MAX_PLAN_AMOUNT, what: 'The cap' });
      if (unit && per !== undefined && capAmount !== undefined) maxPerUnit = { unit, per, amount: capAmount };
    }
  }
  if (record.maxOneTime === undefined && record.maxMonthly === undefined && record.maxPerUnit === undefined) {
    c.add('', 'required', 'A cap sets at least one of maxOneTime, maxMonthly, maxPerUnit');
  }
  if (!currency) return undefined;
  const cap: PriceCap = { scope, currency };
  if (maxOneTime !== undefined) cap.maxOneTime = maxOneTime;
  if (maxMonthly !== undefined) cap.maxMonthly = maxMonthly;
  if (maxPerUnit) cap.maxPerUnit = maxPerUnit;
  return cap;
}

export type { PlanProblem as PriceCapProblem };
