import { formatTemporal, temporalColumn, temporalKindOfType } from './sample-values';

describe('dates and timestamps in sample rows', () => {
  it('knows the date and timestamp types', () => {
    expect(['DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE', 'TIMESTAMP_MS', 'timestamp'].map(temporalKindOfType)).toEqual(['date', 'timestamp', 'timestamp', 'timestamp', 'timestamp']);
    expect(['VARCHAR', 'BIGINT', 'TIME', 'INTERVAL'].map(temporalKindOfType)).toEqual([null, null, null, null]);
  });

  it('reads a column by its type when known, else by its values', () => {
    expect(temporalColumn(['2023-01-01T08:30:00', null, '2023-01-02T09:00:00'])).toBe('timestamp');
    expect(temporalColumn(['2023-01-01', '2023-02-01'])).toBe('date');
    // Timestamps all at midnight are dates (monthly or daily data).
    expect(temporalColumn(['2023-01-01T00:00:00', '2023-02-01 00:00:00'], 'TIMESTAMP')).toBe('date');
    expect(temporalColumn(['2023-01-01T00:00:00Z'], 'TIMESTAMP WITH TIME ZONE')).toBe('timestamp');
    // Text that only looks like dates in one row, a declared text column, numbers, an empty column: as they are.
    expect(temporalColumn(['2023-01-01', 'soon'])).toBeNull();
    expect(temporalColumn(['2023-01-01'], 'VARCHAR')).toBeNull();
    expect(temporalColumn([2023, 2024])).toBeNull();
    expect(temporalColumn([null, null])).toBeNull();
    expect(temporalColumn(['2023-02-30'])).toBeNull();
  });

  it('writes them in the reader\'s language, wall-clock times as written', () => {
    expect(formatTemporal('2023-01-01T00:00:00', 'date', 'en')).toBe('Jan 1, 2023');
    expect(formatTemporal('2023-01-01T00:00:00', 'date', 'zh-CN')).toBe('2023年1月1日');
    expect(formatTemporal('2023-01-31', 'date', 'en')).toBe('Jan 31, 2023');
    expect(formatTemporal('2023-07-04T17:05:00', 'timestamp', 'en')).toMatch(/^Jul 4, 2023, 5:05\sPM$/);
    expect(formatTemporal('2023-07-04T17:05:00', 'timestamp', 'zh-CN')).toBe('2023年7月4日 17:05');
    expect(formatTemporal('2023-07-04 17:05:09.123', 'timestamp', 'zh-CN')).toBe('2023年7月4日 17:05:09');
    // An instant is shown in the reader's time zone: the same instant, however written.
    expect(formatTemporal('2023-07-04T09:05:00Z', 'timestamp', 'en')).toBe(formatTemporal('2023-07-04T17:05:00+08:00', 'timestamp', 'en'));
    expect(formatTemporal('not a date', 'date', 'en')).toBeNull();
    expect(formatTemporal(42, 'timestamp', 'en')).toBeNull();
  });
});
