import { DomainError } from '../errors/domain-error.js';

/**
 * Usage analytics of an agency's datasets: which period a report covers and how deliveries
 * (recorded in `dataset_deliveries`) are grouped. Dates are calendar days (YYYY-MM-DD) in the
 * report's time zone; both ends are included.
 */
export const USAGE_GRANULARITIES = ['day', 'week', 'month'] as const;
export type UsageGranularity = (typeof USAGE_GRANULARITIES)[number];

/** Longest period per granularity, in days (a year by day, two years by week, five by month). */
export const USAGE_MAX_DAYS: Readonly<Record<UsageGranularity, number>> = { day: 366, week: 731, month: 1827 };

/** The period reported when none is asked for: the last 30 days, today included. */
export const USAGE_DEFAULT_DAYS = 30;

/** How many consuming organizations (and datasets) a report lists by name. */
export const USAGE_TOP_LIMIT = 10;

/**
 * What a delivery was, from its recorded channel and format: a preview of rows, or a download
 * as CSV or Parquet. Unknown combinations (none are recorded today) count in totals only.
 */
export const DELIVERY_KINDS = ['preview', 'csv', 'parquet'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];

export function deliveryKind(channel: string, format: string): DeliveryKind | null {
  if (channel === 'preview') return 'preview';
  if (channel === 'download' && (format === 'csv' || format === 'parquet')) return format;
  return null;
}

export interface UsageWindow {
  /** First day, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
  granularity: UsageGranularity;
  /** Days covered, both ends included. */
  days: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a real calendar date, or null. */
function dayNumber(date: string): number | null {
  const match = DATE.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  const back = new Date(time);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return time / DAY_MS;
}

/** A date plus (or minus) whole days. */
export function addDays(date: string, days: number): string {
  const start = dayNumber(date);
  if (start === null) throw new RangeError(`not a date: ${date}`);
  return new Date((start + days) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The period of a usage report: defaults to the 30 days ending today (by day), `to` to today,
 * `from` to 29 days before `to`. Refuses (request.invalid, per field) dates that do not exist,
 * a period ending before it starts and one longer than the granularity allows.
 */
export function usageWindow(input: { from?: string; to?: string; granularity?: UsageGranularity; today: string }): UsageWindow {
  const granularity = input.granularity ?? 'day';
  const issues: Array<{ field: string; messages: string[] }> = [];
  const to = input.to ?? input.today;
  const toDay = dayNumber(to);
  if (toDay === null) issues.push({ field: 'to', messages: ['must be a date YYYY-MM-DD'] });
  const from = input.from ?? (toDay === null ? input.today : addDays(to, -(USAGE_DEFAULT_DAYS - 1)));
  const fromDay = dayNumber(from);
  if (fromDay === null) issues.push({ field: 'from', messages: ['must be a date YYYY-MM-DD'] });
  if (fromDay !== null && toDay !== null) {
    if (fromDay > toDay) issues.push({ field: 'from', messages: ['must not be after to'] });
    else if (toDay - fromDay + 1 > USAGE_MAX_DAYS[granularity]) {
      issues.push({ field: 'from', messages: [`the period is at most ${USAGE_MAX_DAYS[granularity]} days by ${granularity}`] });
    }
  }
  if (issues.length > 0) throw new DomainError('request.invalid', 'The usage period is not valid.', issues);
  return { from, to, granularity, days: (toDay as number) - (fromDay as number) + 1 };
}

/** Today's date (YYYY-MM-DD) in a time zone. */
export function dateIn(timeZone: string, now: Date = new Date()): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * The first day of each bucket of a period, as PostgreSQL's `date_trunc` makes them: days,
 * ISO weeks (from Monday) and calendar months. The first and last bucket may extend beyond the
 * period; only deliveries inside it are counted.
 */
export function usageBucketStarts(window: Pick<UsageWindow, 'from' | 'to' | 'granularity'>): string[] {
  const truncate = (date: string): string => {
    if (window.granularity === 'day') return date;
    if (window.granularity === 'month') return `${date.slice(0, 8)}01`;
    const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0
    return addDays(date, -weekday);
  };
  const next = (date: string): string => {
    if (window.granularity === 'day') return addDays(date, 1);
    if (window.granularity === 'week') return addDays(date, 7);
    const [year, month] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
    return new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
  };
  const starts: string[] = [];
  const last = truncate(window.to);
  for (let start = truncate(window.from); start <= last; start = next(start)) starts.push(start);
  return starts;
}
