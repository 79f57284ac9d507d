/**
 * ISO 8601 durations (xsd:duration) as used by ODRL's elapsedTime: P1Y, P6M, P2W, P1DT12H.
 * Whole numbers only, not negative. Adding a duration is calendar arithmetic in UTC, with the
 * day clamped to the end of a shorter month (31 January + P1M = 28/29 February).
 */
export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const PATTERN = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?!$)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export function parseIsoDuration(text: string): IsoDuration | null {
  const match = PATTERN.exec(text);
  if (!match) return null;
  const [years, months, weeks, days, hours, minutes, seconds] = match.slice(1).map((part) => (part === undefined ? 0 : Number(part)));
  if (![years, months, weeks, days, hours, minutes, seconds].every((value) => Number.isSafeInteger(value) && value <= 1_000_000)) return null;
  return { years, months, weeks, days, hours, minutes, seconds };
}

export function addIsoDuration(start: Date, duration: IsoDuration): Date {
  const totalMonths = start.getUTCMonth() + duration.months + 12 * duration.years;
  const year = start.getUTCFullYear() + Math.floor(totalMonths / 12);
  const month = ((totalMonths % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const shifted = Date.UTC(
    year,
    month,
    Math.min(start.getUTCDate(), lastDay),
    start.getUTCHours(),
    start.getUTCMinutes(),
    start.getUTCSeconds(),
    start.getUTCMilliseconds(),
  );
  const extra = ((((duration.weeks * 7 + duration.days) * 24 + duration.hours) * 60 + duration.minutes) * 60 + duration.seconds) * 1000;
  return new Date(shifted + extra);
}

const UNITS: Array<[keyof IsoDuration, string, string, string]> = [
  ['years', 'year', 'years', '年'],
  ['months', 'month', 'months', '个月'],
  ['weeks', 'week', 'weeks', '周'],
  ['days', 'day', 'days', '天'],
  ['hours', 'hour', 'hours', '小时'],
  ['minutes', 'minute', 'minutes', '分钟'],
  ['seconds', 'second', 'seconds', '秒'],
];

/** "1 year 6 months" / "1年6个月"; "0 days" / "0天" for an empty duration. */
export function formatIsoDuration(duration: IsoDuration, locale: 'zh-CN' | 'en'): string {
  const parts = UNITS.filter(([key]) => duration[key] > 0).map(([key, one, many, zh]) =>
    locale === 'zh-CN' ? `${duration[key]}${zh}` : `${duration[key]} ${duration[key] === 1 ? one : many}`,
  );
  if (parts.length === 0) return locale === 'zh-CN' ? '0天' : '0 days';
  return parts.join(locale === 'zh-CN' ? '' : ' ');
}
