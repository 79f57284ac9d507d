import { InvalidRangeError } from './errors.js';
import type { ByteRange } from './object-store.js';

/** Rejects negative, fractional or inverted ranges before any store is asked. */
export function assertValidRange(key: string, range: ByteRange): void {
  const { start, end } = range;
  const validStart = Number.isSafeInteger(start) && start >= 0;
  const validEnd = end === undefined || (Number.isSafeInteger(end) && end >= start);
  if (!validStart || !validEnd) throw new InvalidRangeError(key, range);
}
