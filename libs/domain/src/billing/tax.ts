/**
 * VAT. Prices on the platform include VAT (the buyer pays the listed price; the invoice shows
 * how much of it is tax), so the tax of an amount is extracted from it:
 * tax = amount × rate / (1 + rate), rounded half up to the minor unit, and net = amount − tax.
 * Net and tax therefore always add up to the amount charged.
 */
import { DomainError } from '../errors/domain-error.js';
import { roundHalfUp } from '../pricing/money.js';

/** Basis points (1/100 of a percent): 600 is 6 %. */
export const MAX_RATE_BP = 10_000;

export function checkRateBp(rateBp: number, field = 'rateBp'): number {
  if (!Number.isSafeInteger(rateBp) || rateBp < 0 || rateBp > MAX_RATE_BP) {
    throw new DomainError('billing.invalid_rate', `A rate is a whole number of basis points from 0 to ${MAX_RATE_BP}`, { [field]: rateBp });
  }
  return rateBp;
}

export interface TaxSplit {
  /** The amount without tax, in minor units. */
  net: number;
  tax: number;
}

/** Splits a VAT-inclusive amount (≥ 0, minor units) into net and tax at `vatRateBp`. */
export function splitInclusiveTax(gross: number, vatRateBp: number): TaxSplit {
  checkRateBp(vatRateBp, 'vatRateBp');
  if (!Number.isSafeInteger(gross) || gross < 0) throw new DomainError('billing.invalid_amount', 'An amount is a non-negative whole number of minor units', { gross });
  const tax = Number(roundHalfUp(BigInt(gross) * BigInt(vatRateBp), BigInt(MAX_RATE_BP + vatRateBp)));
  return { net: gross - tax, tax };
}
