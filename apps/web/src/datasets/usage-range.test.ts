import { addDays, allowedGranularities, bucketLabel, customRange, daysBetween, presetRange, todayIn, toUsageQuery } from './usage-range';

describe('usage periods', () => {
  it('end today: 7 and 30 days by day, 90 days by week, 12 whole months by month', () => {
    expect(presetRange('7d', '2026-03-02')).toEqual({ preset: '7d', from: '2026-02-24', to: '2026-03-02', granularity: 'day' });
    expect(presetRange('30d', '2026-03-02')).toMatchObject({ from: '2026-02-01', granularity: 'day' });
    expect(presetRange('90d', '2026-03-02')).toMatchObject({ from: '2025-12-03', granularity: 'week' });
    expect(presetRange('12m', '2026-03-02')).toMatchObject({ from: '2025-04-01', to: '2026-03-02', granularity: 'month' });
    expect(daysBetween('2025-12-03', '2026-03-02')).toBe(90);
  });

  it('offer only the granularities the API allows for a range, and pick a readable one', () => {
    expect(allowedGranularities('2026-01-01', '2026-12-31')).toEqual(['day', 'week', 'month']);
    expect(allowedGranularities('2025-01-01', '2026-12-31')).toEqual(['week', 'month']);
    expect(allowedGranularities('2020-01-01', '2026-12-31')).toEqual([]);
    expect(customRange('2026-03-10', '2026-03-01')).toEqual({ preset: 'custom', from: '2026-03-01', to: '2026-03-10', granularity: 'day' });
    expect(customRange('2026-01-01', '2026-06-30')?.granularity).toBe('week');
    expect(customRange('2026-01-01', '2026-06-30', 'day')?.granularity).toBe('day');
    expect(customRange('2024-01-01', '2026-06-30', 'day')?.granularity).toBe('month');
    expect(customRange('2010-01-01', '2026-06-30')).toBeNull();
  });

  it('become the API query, with the time zone when known', () => {
    const range = presetRange('7d', '2026-03-02');
    expect(toUsageQuery(range, 'Asia/Shanghai')).toEqual({ from: '2026-02-24', to: '2026-03-02', granularity: 'day', timeZone: 'Asia/Shanghai' });
    expect(toUsageQuery(range)).toEqual({ from: '2026-02-24', to: '2026-03-02', granularity: 'day' });
  });

  it('name days and months in the reader’s language, whatever the local time zone', () => {
    expect(bucketLabel('2026-03-02', 'day', 'en')).toBe('3/2');
    expect(bucketLabel('2026-03-02', 'week', 'en', 'long')).toBe('March 2, 2026');
    expect(bucketLabel('2026-03-01', 'month', 'en', 'long')).toBe('March 2026');
    expect(bucketLabel('2026-03-01', 'month', 'zh-CN')).toBe('2026年3月');
    expect(todayIn('Asia/Shanghai', new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
});
