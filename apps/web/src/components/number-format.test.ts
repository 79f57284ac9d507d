import { daysUntil, formatBytes, formatDate, formatPercent } from './number-format';

describe('number formats', () => {
  it('writes sizes in decimal units, as their names say (1 kB = 1,000 bytes)', () => {
    expect(formatBytes(78, 'en')).toBe('78 B');
    expect(formatBytes(572_532, 'en')).toBe('572.5 kB');
    expect(formatBytes(49_276, 'en')).toBe('49.3 kB');
    expect(formatBytes(999, 'en')).toBe('999 B');
    expect(formatBytes(2_400_000, 'zh-CN')).toMatch(/^2\.4\s?MB$/);
  });

  it('keeps small shares visible', () => {
    expect(formatPercent(0.125, 'en')).toBe('12.5%');
    expect(formatPercent(0.0004, 'en')).toBe('0.04%');
    expect(formatPercent(0, 'en')).toBe('0%');
  });

  it('reads calendar dates without shifting them by the time zone', () => {
    expect(formatDate('2026-01-01', 'en')).toBe('Jan 1, 2026');
  });

  it('counts whole days left', () => {
    expect(daysUntil('2026-01-31T00:00:00Z', new Date('2026-01-01T00:00:00Z'))).toBe(30);
    expect(daysUntil('2026-01-01T00:00:00Z', new Date('2026-01-02T00:00:00Z'))).toBe(-1);
  });
});
