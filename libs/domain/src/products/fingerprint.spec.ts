import { derivationFingerprint, type FingerprintInput } from './fingerprint.js';

const input = (name: string, position: number, datasetVersionId: string, weight = 1): FingerprintInput => ({
  name,
  position,
  weight,
  datasetVersionId,
  productVersionId: null,
});

describe('derivationFingerprint', () => {
  const base = [input('traffic', 0, 'dv-1'), input('weather', 1, 'dv-2')];

  it('is stable for the same SQL and inputs, whatever their order in the list', () => {
    const sql = 'SELECT 1 FROM traffic';
    expect(derivationFingerprint(sql, base)).toBe(derivationFingerprint(`  ${sql}\n`, [...base].reverse()));
    expect(derivationFingerprint(sql, base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with the SQL, an input version or a weight', () => {
    const sql = 'SELECT 1 FROM traffic';
    const reference = derivationFingerprint(sql, base);
    expect(derivationFingerprint('SELECT 2 FROM traffic', base)).not.toBe(reference);
    expect(derivationFingerprint(sql, [input('traffic', 0, 'dv-9'), base[1]!])).not.toBe(reference);
    expect(derivationFingerprint(sql, [input('traffic', 0, 'dv-1', 3), base[1]!])).not.toBe(reference);
  });

  it("changes when an input's privacy settings change", () => {
    const sql = 'SELECT 1 FROM traffic';
    const strict = [{ ...base[0]!, policy: { k: 10, smallCells: 'fail' } }, base[1]!];
    const lax = [{ ...base[0]!, policy: { k: 5, smallCells: 'suppress' } }, base[1]!];
    expect(derivationFingerprint(sql, strict)).not.toBe(derivationFingerprint(sql, lax));
    expect(derivationFingerprint(sql, strict)).toBe(derivationFingerprint(sql, [{ ...base[0]!, policy: { smallCells: 'fail', k: 10 } }, base[1]!]));
  });
});
