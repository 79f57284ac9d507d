import { countAxisFormatter } from './chart-axis';

describe('count axes', () => {
  const labels = (ticks: number[], language: string) => ticks.map(countAxisFormatter(ticks, language));

  it('abbreviate large counts in the reader’s language, exactly', () => {
    // Intl's compact default rounds 135,000 to "14万"; the axis keeps the decimal it needs.
    expect(labels([0, 45_000, 90_000, 135_000, 180_000], 'zh-CN')).toEqual(['0', '4.5万', '9万', '13.5万', '18万']);
    expect(labels([0, 45_000, 90_000, 135_000, 180_000], 'en')).toEqual(['0', '45K', '90K', '135K', '180K']);
    expect(labels([0, 1_250, 2_500, 3_750, 5_000], 'en')).toEqual(['0', '1.25K', '2.5K', '3.75K', '5K']);
    expect(labels([0, 50_000_000, 100_000_000, 150_000_000], 'zh-CN')).toEqual(['0', '5000万', '1亿', '1.5亿']);
  });

  it('write every tick of an axis in one style', () => {
    // Chinese abbreviates from 万 only: below it, the whole axis is written out, never "8000" beside "1.2万".
    expect(labels([0, 4_000, 8_000, 12_000, 16_000], 'zh-CN')).toEqual(['0', '4,000', '8,000', '12,000', '16,000']);
    expect(labels([0, 250, 500, 750, 1_000], 'en')).toEqual(['0', '250', '500', '750', '1,000']);
    expect(labels([0, 1, 2, 3, 4], 'en')).toEqual(['0', '1', '2', '3', '4']);
    // Ticks a compact label would round are written out.
    expect(labels([0, 1_234_567], 'en')).toEqual(['0', '1,234,567']);
    // Before the ticks are known, the full number.
    expect(countAxisFormatter([], 'en')(135_000)).toBe('135,000');
  });
});
