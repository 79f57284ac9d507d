/**
 * Proration: a licence in force for only part of a billing period (it started or ended
 * within it) pays the fixed fee, and gets the included quantity, in proportion to the time it
 * was in force, to the second. Amounts round half up; included quantities round down (a
 * buyer is never given more free units than the exact share).
 */
import { DomainError } from '../errors/domain-error.js';
import { roundHalfUp } from '../pricing/money.js';

export interface Interval {
  start: Date;
  end: Date;
}

/** The part of `period` covered by `active` ([start, end) each), in whole seconds of both. */
export function coverage(period: Interval, active: Partial<Interval> = {}): { covered: number; length: number } {
  const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
  const start = Math.max(seconds(period.start), active.start ? seconds(active.start) : -Infinity);
  const end = Math.min(seconds(period.end), active.end ? seconds(active.end) : Infinity);
  const length = seconds(period.end) - seconds(period.start);
  if (!(length > 0)) throw new DomainError('billing.invalid_period', 'A billing period ends after it starts', { start: period.start.toISOString(), end: period.end.toISOString() });
  return { covered: Math.max(0, end - start), length };
}

/** `amount` × covered / length, half up. A full period returns the amount unchanged. */
export function prorateAmount(amount: number, covered: number, length: number): number {
  if (covered >= length) return amount;
  return Number(roundHalfUp(BigInt(amount) * BigInt(covered), BigInt(length)));
}

/** `quantity` × covered / length, rounded down. */
export function prorateQuantity(quantity: number, covered: number, length: number): number {
  if (covered >= length) return quantity;
  return Number((BigInt(quantity) * BigInt(covered)) / BigInt(length));
}
