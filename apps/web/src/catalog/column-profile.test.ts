import type { ColumnProfile } from '../api/schema-types';
import { defaultProfileColumn } from './column-profile';

const column = (name: string, approxDistinct: number, counts: number[], type = 'VARCHAR'): ColumnProfile => ({
  name,
  type,
  nullShare: 0,
  approxDistinct,
  min: null,
  max: null,
  topValues: counts.map((count, index) => ({ value: `${name}-${index}`, count })),
});

describe('defaultProfileColumn', () => {
  it('opens on a categorical column rather than a timestamp whose values all occur alike', () => {
    expect(defaultProfileColumn([column('hour', 5040, [10, 10, 10]), column('station', 10, [5100, 5040, 4900]), column('district', 8, [9000, 3000])])).toBe('station');
  });

  it('prefers a categorical text column to a categorical number', () => {
    expect(defaultProfileColumn([column('so2', 17, [96, 87, 84], 'BIGINT'), column('aqi_level', 4, [200, 120])])).toBe('aqi_level');
    expect(defaultProfileColumn([column('so2', 17, [96, 87, 84], 'BIGINT'), column('hour', 5040, [10, 10], 'TIMESTAMP')])).toBe('so2');
  });

  it('falls back to the first column with varied, then any, frequent values', () => {
    expect(defaultProfileColumn([column('id', 100000, [1, 1]), column('amount', 900, [40, 12])])).toBe('amount');
    expect(defaultProfileColumn([column('empty', 0, []), column('id', 100000, [1, 1])])).toBe('id');
    expect(defaultProfileColumn([])).toBeUndefined();
  });
});
