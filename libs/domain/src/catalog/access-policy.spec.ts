import { defaultSensitivity, disclosedProfile, grantExpiry, isGrantInForce, mayPreview, rowAccess, undeliverableColumns } from './access-policy.js';

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

describe('disclosure of profiles and columns', () => {
  const profile = [
    { name: 'district', type: 'VARCHAR', nullShare: 0, approxDistinct: 3, min: 'A', max: 'C', topValues: [{ value: 'A', count: 40 }, { value: 'C', count: 3 }] },
    { name: 'national_id', type: 'VARCHAR', nullShare: 0, approxDistinct: 900, min: '990001', max: '990999', topValues: [{ value: '990010', count: 118 }] },
    { name: 'cost', type: 'BIGINT', nullShare: 0.1, approxDistinct: 50, min: '5', max: '900', topValues: [{ value: '20', count: 2 }] },
    { name: 'new_column', type: 'VARCHAR', nullShare: 0, approxDistinct: 2, min: 'x', max: 'y', topValues: [{ value: 'x', count: 9 }] },
  ];
  const sensitivity = new Map([
    ['district', 'quasi_identifier' as const],
    ['national_id', 'personal' as const],
    ['cost', 'public' as const],
  ]);

  it('shows no value of a personal column and only k-sized groups of quasi-identifiers', () => {
    const shown = disclosedProfile(profile, sensitivity, 10);
    expect(shown[0]).toMatchObject({ min: null, max: null, topValues: [{ value: 'A', count: 40 }] });
    expect(shown[1]).toMatchObject({ min: null, max: null, topValues: [], approxDistinct: 900 });
    expect(shown[2]).toEqual(profile[2]);
    expect(shown[3]).toMatchObject({ min: null, max: null, topValues: [] });
    expect(JSON.stringify(shown)).not.toContain('990010');
  });

  it('names the personal columns that deliveries leave out', () => {
    expect(undeliverableColumns([...sensitivity].map(([name, level]) => ({ name, sensitivity: level })))).toEqual(['national_id']);
  });
});
