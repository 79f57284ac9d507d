import { DomainError } from '../errors/domain-error.js';
import { addDays, dateIn, deliveryKind, usageBucketStarts, usageWindow, USAGE_MAX_DAYS } from './usage.js';

function issues(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('request.invalid');
    return (error as DomainError).details;
  }
  throw new Error('expected a DomainError');
}

describe('usage period', () => {
  it('defaults to the 30 days ending today, by day', () => {
    expect(usageWindow({ today: '2026-03-10' })).toEqual({ from: '2026-02-09', to: '2026-03-10', granularity: 'day', days: 30 });
    expect(usageWindow({ to: '2024-03-01', today: '2026-03-10' })).toMatchObject({ from: '2024-02-01', to: '2024-03-01' });
    expect(usageWindow({ from: '2026-01-01', today: '2026-03-10', granularity: 'month' })).toMatchObject({ from: '2026-01-01', to: '2026-03-10', days: 69 });
  });

  it('refuses days that do not exist, a period ending before it starts and one too long', () => {
    expect(issues(() => usageWindow({ from: '2026-02-30', today: '2026-03-10' }))).toEqual([{ field: 'from', messages: ['must be a date YYYY-MM-DD'] }]);
    expect(issues(() => usageWindow({ to: '2026-13-01', today: '2026-03-10' }))).toEqual([{ field: 'to', messages: ['must be a date YYYY-MM-DD'] }]);
    expect(issues(() => usageWindow({ from: '2026-03-02', to: '2026-03-01', today: '2026-03-10' }))).toEqual([{ field: 'from', messages: ['must not be after to'] }]);
    expect(issues(() => usageWindow({ from: '2025-01-01', to: '2026-01-02', today: '2026-03-10' }))).toEqual([
      { field: 'from', messages: ['the period is at most 366 days by day'] },
    ]);
    // A leap year by day fits; the same period by week or month too.
    expect(usageWindow({ from: '2024-01-01', to: '2024-12-31', today: '2026-03-10' }).days).toBe(366);
    expect(usageWindow({ from: '2021-01-01', to: '2025-12-31', today: '2026-03-10', granularity: 'month' }).days).toBe(1826);
    expect(() => usageWindow({ from: '2024-01-01', to: '2026-01-02', today: '2026-03-10', granularity: 'week' })).toThrow(DomainError);
    expect(USAGE_MAX_DAYS.week).toBeGreaterThan(USAGE_MAX_DAYS.day);
  });

  it('accepts leap days only in leap years', () => {
    expect(usageWindow({ from: '2024-02-29', to: '2024-02-29', today: '2026-03-10' }).days).toBe(1);
    expect(() => usageWindow({ from: '2025-02-29', to: '2025-03-01', today: '2026-03-10' })).toThrow(DomainError);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
});

describe('usage buckets', () => {
  it('are days, ISO weeks from Monday and calendar months, covering the period', () => {
    expect(usageBucketStarts({ from: '2026-02-27', to: '2026-03-02', granularity: 'day' })).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    // 2026-03-04 is a Wednesday; 2026-03-16 a Monday.
    expect(usageBucketStarts({ from: '2026-03-04', to: '2026-03-16', granularity: 'week' })).toEqual(['2026-03-02', '2026-03-09', '2026-03-16']);
    expect(usageBucketStarts({ from: '2025-11-15', to: '2026-02-01', granularity: 'month' })).toEqual(['2025-11-01', '2025-12-01', '2026-01-01', '2026-02-01']);
    expect(usageBucketStarts({ from: '2026-03-01', to: '2026-03-01', granularity: 'week' })).toEqual(['2026-02-23']);
  });
});

describe('delivery kinds and dates', () => {
  it('names what was delivered from the recorded channel and format', () => {
    expect(deliveryKind('preview', 'json')).toBe('preview');
    expect(deliveryKind('download', 'csv')).toBe('csv');
    expect(deliveryKind('download', 'parquet')).toBe('parquet');
    expect(deliveryKind('download', 'xlsx')).toBeNull();
  });

  it("gives today's date in a time zone", () => {
    const instant = new Date('2026-03-01T16:30:00Z');
    expect(dateIn('UTC', instant)).toBe('2026-03-01');
    expect(dateIn('Asia/Shanghai', instant)).toBe('2026-03-02');
    expect(dateIn('America/Los_Angeles', instant)).toBe('2026-03-01');
  });
});
