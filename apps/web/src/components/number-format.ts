// Numbers, sizes and dates in the reader's language (Intl), one place for every page.

export function formatCount(value: number, language: string): string {
  return new Intl.NumberFormat(language).format(value);
}

export function formatPercent(share: number, language: string): string {
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: share > 0 && share < 0.01 ? 2 : 1 }).format(share);
}

const BYTE_UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

export function formatBytes(bytes: number, language: string): string {
  let value = bytes;
  let unit = 0;
  // Decimal multiples, as the units Intl names them (kilobyte, megabyte) are.
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  // Intl writes "78 byte" for the smallest unit; "78 B" reads like the others (kB, MB).
  if (unit === 0) return `${formatCount(value, language)} B`;
  return new Intl.NumberFormat(language, { style: 'unit', unit: BYTE_UNITS[unit], unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

/** A calendar date (YYYY-MM-DD or an ISO timestamp) without the time. */
export function formatDate(value: string, language: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00`) : new Date(value);
  return Number.isNaN(date.getTime()) ? value : new Intl.DateTimeFormat(language, { dateStyle: 'medium' }).format(date);
}

/** Whole days from now until `value` (negative once past). */
export function daysUntil(value: string, now: Date = new Date()): number {
  return Math.ceil((new Date(value).getTime() - now.getTime()) / 86_400_000);
}
