import type { UsageGranularity, UsageQuery } from '../api/schema-types';

/** The periods a steward picks from; `custom` is a range of dates. */
export const usagePresets = ['7d', '30d', '90d', '12m'] as const;
export type UsagePreset = (typeof usagePresets)[number];

export const usageGranularities: readonly UsageGranularity[] = ['day', 'week', 'month'];

/** The longest period per granularity, in days, as the API allows. */
export const USAGE_MAX_DAYS: Record<UsageGranularity, number> = { day: 366, week: 731, month: 1827 };

export interface UsageRange {
  preset: UsagePreset | 'custom';
  /** First and last day, YYYY-MM-DD, both included. */
  from: string;
  to: string;
  granularity: UsageGranularity;
}

const DAY_MS = 86_400_000;

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** The reader's time zone when the API can take it (an IANA Area/City name), else undefined (UTC). */
export function browserTimeZone(): string | undefined {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && /^(UTC|[A-Za-z]+(\/[A-Za-z0-9_+-]+)+)$/.test(zone) ? zone : undefined;
}

/** Today's date in a time zone (the reader's when none). */
export function todayIn(timeZone?: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** A preset period ending today: the last 7 or 30 days by day, 90 days by week, 12 months by month. */
export function presetRange(preset: UsagePreset, today: string): UsageRange {
  switch (preset) {
    case '7d':
      return { preset, from: addDays(today, -6), to: today, granularity: 'day' };
    case '30d':
      return { preset, from: addDays(today, -29), to: today, granularity: 'day' };
    case '90d':
      return { preset, from: addDays(today, -89), to: today, granularity: 'week' };
    case '12m':
      // From the first day of the month eleven months back: twelve whole calendar months.
      return { preset, from: `${monthsBack(today, 11)}-01`, to: today, granularity: 'month' };
  }
}

function monthsBack(date: string, months: number): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1 - months;
  const shifted = new Date(Date.UTC(year, month, 1));
  return shifted.toISOString().slice(0, 7);
}

/** Granularities the API accepts for a period. */
export function allowedGranularities(from: string, to: string): UsageGranularity[] {
  const days = daysBetween(from, to);
  return usageGranularities.filter((granularity) => days <= USAGE_MAX_DAYS[granularity]);
}

/** A chosen range of dates, by the finest granularity that keeps the chart readable (and allowed). */
export function customRange(from: string, to: string, preferred?: UsageGranularity): UsageRange | null {
  const [start, end] = from <= to ? [from, to] : [to, from];
  const allowed = allowedGranularities(start, end);
  if (allowed.length === 0) return null;
  const days = daysBetween(start, end);
  const natural: UsageGranularity = days <= 62 ? 'day' : days <= 366 ? 'week' : 'month';
  const granularity = preferred && allowed.includes(preferred) ? preferred : allowed.includes(natural) ? natural : allowed[allowed.length - 1];
  return { preset: 'custom', from: start, to: end, granularity };
}

/** The API query for a range. */
export function toUsageQuery(range: UsageRange, timeZone?: string): UsageQuery {
  return { from: range.from, to: range.to, granularity: range.granularity, ...(timeZone ? { timeZone } : {}) };
}

/** A bucket's name on the chart: a day, the week starting that day, or a month, in the reader's language. */
export function bucketLabel(start: string, granularity: UsageGranularity, language: string, format: 'short' | 'long' = 'short'): string {
  const date = new Date(`${start}T00:00:00Z`);
  if (granularity === 'month') return new Intl.DateTimeFormat(language, { timeZone: 'UTC', year: 'numeric', month: format === 'short' ? 'short' : 'long' }).format(date);
  return new Intl.DateTimeFormat(language, { timeZone: 'UTC', month: format === 'short' ? 'numeric' : 'long', day: 'numeric', ...(format === 'long' ? { year: 'numeric' } : {}) }).format(date);
}
