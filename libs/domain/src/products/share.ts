/**
 * Exact non-negative fractions for lineage shares: always reduced, denominator ≥ 1.
 * Stored or sent as text with `formatShare` ("3/8"), read back with `parseShare`.
 */
export interface Share {
  numerator: bigint;
  denominator: bigint;
}

export const ZERO_SHARE: Readonly<Share> = { numerator: 0n, denominator: 1n };
export const WHOLE_SHARE: Readonly<Share> = { numerator: 1n, denominator: 1n };

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a < 0n ? -a : a, b < 0n ? -b : b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function makeShare(numerator: bigint, denominator: bigint): Share {
  if (denominator <= 0n || numerator < 0n) throw new RangeError('a share is a non-negative fraction with a positive denominator');
  const divisor = gcd(numerator, denominator);
  return { numerator: numerator / divisor, denominator: denominator / divisor };
}

export function addShares(a: Share, b: Share): Share {
  return makeShare(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator);
}

export function multiplyShares(a: Share, b: Share): Share {
  return makeShare(a.numerator * b.numerator, a.denominator * b.denominator);
}

export function compareShares(a: Share, b: Share): number {
  const difference = a.numerator * b.denominator - b.numerator * a.denominator;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

export function formatShare(share: Share): string {
  return `${share.numerator}/${share.denominator}`;
}

export function parseShare(text: string): Share {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) throw new RangeError(`not a share: ${text}`);
  return makeShare(BigInt(match[1]), BigInt(match[2]));
}

/** An approximation for drawing; never for money. */
export function shareToNumber(share: Share): number {
  let { numerator, denominator } = share;
  // Beyond about 2^1023 Number() is Infinity; scaling both keeps the ratio.
  while (denominator > 1n << 1000n || numerator > 1n << 1000n) [numerator, denominator] = [numerator >> 64n, denominator >> 64n];
  return denominator === 0n ? Infinity : Number(numerator) / Number(denominator);
}
