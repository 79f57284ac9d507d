import { defaultSensitivity, grantExpiry, isGrantInForce, mayPreview, rowAccess } from './access-policy.js';

const now = new Date('2026-06-01T00:00:00Z');
const future = new Date('2026-07-01T00:00:00Z');
const past = new Date('2026-05-01T00:00:00Z');

describe('rowAccess', () => {
  it('gives open data to anyone and never restricted data to anyone, owners included', () => {
    expect(rowAccess({ classification: 'open', isOwner: false, grants: [], now })).toBe('free');
    expect(rowAccess({ classification: 'restricted', isOwner: true, grants: [{ expiresAt: future, revokedAt: null }], now })).toBe('denied');
  });

  it('gives conditional data only with a grant in force, or to its agency', () => {
    expect(rowAccess({ classification: 'conditional', isOwner: false, grants: [], now })).toBe('denied');
    expect(rowAccess({ classification: 'conditional', isOwner: false, grants: [{ expiresAt: past, revokedAt: null }], now })).toBe('denied');
    expect(rowAccess({ classification: 'conditional', isOwner: false, grants: [{ expiresAt: future, revokedAt: past }], now })).toBe('denied');
    expect(rowAccess({ classification: 'conditional', isOwner: false, grants: [{ expiresAt: future, revokedAt: null }], now })).toBe('granted');
    expect(rowAccess({ classification: 'conditional', isOwner: true, grants: [], now })).toBe('owner');
  });
});

describe('grants and columns', () => {
  it('expires a grant at the end of its term, not a millisecond later', () => {
    const expiresAt = grantExpiry(now, 30);
    expect(expiresAt.toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(isGrantInForce({ expiresAt, revokedAt: null }, new Date(expiresAt.getTime() - 1))).toBe(true);
    expect(isGrantInForce({ expiresAt, revokedAt: null }, expiresAt)).toBe(false);
  });

  it('refuses terms outside one day to three years', () => {
    expect(() => grantExpiry(now, 0)).toThrow(RangeError);
    expect(() => grantExpiry(now, 1096)).toThrow(RangeError);
    expect(() => grantExpiry(now, 1.5)).toThrow(RangeError);
  });

  it('previews open data only and protects new columns of non-open data', () => {
    expect([mayPreview('open'), mayPreview('conditional'), mayPreview('restricted')]).toEqual([true, false, false]);
    expect([defaultSensitivity('open'), defaultSensitivity('conditional'), defaultSensitivity('restricted')]).toEqual([
      'public',
      'quasi_identifier',
      'personal',
    ]);
  });
});
