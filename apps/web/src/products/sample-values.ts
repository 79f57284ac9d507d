/**
 * Dates and timestamps in sample rows, read by people: the API sends them as ISO 8601 text
 * (`2023-01-01`, `2023-01-01T00:00:00`, or with an offset); tables show them in the reader's
 * language. A value without an offset is a wall-clock time and is shown as written (never moved
 * to the reader's time zone); one with an offset is an instant, shown in the reader's time zone.
 */
export type TemporalKind = 'date' | 'timestamp';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;

interface Parsed {
  wallClock: Date;
  instant: Date | null;
  hasTime: boolean;
  midnight: boolean;
  seconds: boolean;
}

function parse(value: unknown): Parsed | null {
  if (typeof value !== 'string') return null;
  const match = ISO.exec(value);
  if (!match) return null;
  const [, year, month, day, hour = '0', minute = '0', second = '0', offset] = match;
  const wallClock = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)));
  if (Number.isNaN(wallClock.getTime()) || wallClock.getUTCDate() !== Number(day)) return null;
  const instant = offset ? new Date(value.replace(' ', 'T')) : null;
  if (instant && Number.isNaN(instant.getTime())) return null;
  return { wallClock, instant, hasTime: match[4] !== undefined, midnight: hour === '00' && minute === '00' && Number(second) === 0 && !offset, seconds: Number(second) !== 0 };
}

/** DuckDB's date and timestamp types (TIMESTAMP, TIMESTAMP WITH TIME ZONE, TIMESTAMP_MS…). */
export function temporalKindOfType(type: string): TemporalKind | null {
  const upper = type.trim().toUpperCase();
  if (upper === 'DATE') return 'date';
  return upper.startsWith('TIMESTAMP') || upper === 'DATETIME' ? 'timestamp' : null;
}

/**
 * How a column's values read: as dates, as timestamps, or neither. By the column's type when it is
 * known, else when every value is ISO date or timestamp text. Timestamps that are all midnight
 * (monthly or daily data) read as dates.
 */
export function temporalColumn(values: readonly unknown[], type?: string): TemporalKind | null {
  const present = values.filter((value) => value !== null && value !== undefined);
  const byType = type === undefined ? undefined : temporalKindOfType(type);
  if (byType === null || present.length === 0) return null;
  const parsed = present.map(parse);
  if (parsed.some((entry) => entry === null)) return null;
  const entries = parsed as Parsed[];
  if (byType === 'date' || entries.every((entry) => !entry.hasTime)) return 'date';
  return entries.every((entry) => entry.midnight) ? 'date' : 'timestamp';
}

/** One value of a date or timestamp column in the reader's language, or null when it is no such value. */
export function formatTemporal(value: unknown, kind: TemporalKind, language: string): string | null {
  const parsed = parse(value);
  if (!parsed) return null;
  if (kind === 'date') return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeZone: 'UTC' }).format(parsed.wallClock);
  const timeStyle = parsed.seconds ? 'medium' : 'short';
  if (parsed.instant) return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle }).format(parsed.instant);
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle, timeZone: 'UTC' }).format(parsed.wallClock);
}
