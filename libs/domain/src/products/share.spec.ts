import fc from 'fast-check';
import { addShares, compareShares, formatShare, makeShare, multiplyShares, parseShare, shareToNumber } from './share.js';

describe('shares', () => {
  it('are kept reduced', () => {
    expect(makeShare(6n, 8n)).toEqual({ numerator: 3n, denominator: 4n });
    expect(makeShare(0n, 7n)).toEqual({ numerator: 0n, denominator: 1n });
    expect(addShares(makeShare(1n, 6n), makeShare(1n, 3n))).toEqual({ numerator: 1n, denominator: 2n });
    expect(multiplyShares(makeShare(2n, 3n), makeShare(3n, 4n))).toEqual({ numerator: 1n, denominator: 2n });
  });

  it('refuse negative numerators and non-positive denominators', () => {
    expect(() => makeShare(-1n, 2n)).toThrow(RangeError);
    expect(() => makeShare(1n, 0n)).toThrow(RangeError);
    expect(() => parseShare('1/0')).toThrow(RangeError);
    expect(() => parseShare('-1/2')).toThrow(RangeError);
    expect(() => parseShare('0.5')).toThrow(RangeError);
  });

  it('compare exactly and approximate for drawing, even when huge', () => {
    expect(compareShares(makeShare(1n, 3n), makeShare(2n, 6n))).toBe(0);
    expect(compareShares(makeShare(1n, 3n), makeShare(1n, 2n))).toBe(-1);
    expect(shareToNumber(makeShare(1n, 4n))).toBe(0.25);
    const huge = 10n ** 400n;
    expect(shareToNumber(makeShare(huge / 3n, huge))).toBeCloseTo(1 / 3, 12);
  });

  it('survive formatting and parsing (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 40n }), fc.bigInt({ min: 1n, max: 10n ** 40n }), (numerator, denominator) => {
        const share = makeShare(numerator, denominator);
        expect(parseShare(formatShare(share))).toEqual(share);
        expect(share.numerator * denominator).toBe(numerator * share.denominator);
      }),
    );
  });
});
