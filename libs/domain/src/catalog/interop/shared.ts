import type { Classification, Theme, UpdateFrequency } from '../vocabulary.js';

/** Download formats of a dataset's current version. */
export type DownloadFormat = 'csv' | 'parquet';
export const DOWNLOAD_FORMATS: readonly DownloadFormat[] = ['csv', 'parquet'];

/** Source formats an agency may upload; also the catalog's `format` filter. */
export type SourceFormat = 'csv' | 'json' | 'ndjson' | 'parquet';
export const SOURCE_FORMAT_KEYS: readonly SourceFormat[] = ['csv', 'json', 'ndjson', 'parquet'];

/** How formats are written in CKAN (`res_format`) and in titles. */
export const FORMAT_LABELS: Record<SourceFormat, string> = { csv: 'CSV', json: 'JSON', ndjson: 'NDJSON', parquet: 'Parquet' };

/** IANA media types. */
export const MEDIA_TYPES: Record<SourceFormat, string> = {
  csv: 'text/csv',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  parquet: 'application/vnd.apache.parquet',
};

const EU_AUTHORITY = 'http://publications.europa.eu/resource/authority';

/**
 * Our themes on the EU data-theme vocabulary. Meteorology is an environmental theme there;
 * statistics has no counterpart (it cuts across all themes), so it keeps only our own URI.
 */
export const EU_DATA_THEMES: Record<Theme, string | null> = {
  meteorology: 'ENVI',
  transport: 'TRAN',
  energy: 'ENER',
  finance_credit: 'ECON',
  housing: 'SOCI',
  customs_immigration: 'INTR',
  tourism: 'ECON',
  health: 'HEAL',
  education: 'EDUC',
  environment: 'ENVI',
  public_safety: 'JUST',
  statistics: null,
};

/** Update frequencies on the EU frequency vocabulary. */
export const EU_FREQUENCIES: Record<UpdateFrequency, string> = {
  continuous: 'CONT',
  hourly: 'HOURLY',
  daily: 'DAILY',
  weekly: 'WEEKLY',
  monthly: 'MONTHLY',
  quarterly: 'QUARTERLY',
  annual: 'ANNUAL',
  irregular: 'IRREG',
};

/** Classifications on the EU access-right vocabulary. */
export const EU_ACCESS_RIGHTS: Record<Classification, string> = {
  open: 'PUBLIC',
  conditional: 'RESTRICTED',
  restricted: 'NON_PUBLIC',
};

export const euDataThemeUri = (code: string): string => `${EU_AUTHORITY}/data-theme/${code}`;
export const euFrequencyUri = (code: string): string => `${EU_AUTHORITY}/frequency/${code}`;
export const euAccessRightUri = (code: string): string => `${EU_AUTHORITY}/access-right/${code}`;
export const euFileTypeUri = (code: string): string => `${EU_AUTHORITY}/file-type/${code}`;
export const euLanguageUri = (code: string): string => `${EU_AUTHORITY}/language/${code}`;

const HAN = /\p{Script=Han}/u;

/** True when a text contains Chinese characters. */
export function hasHan(text: string): boolean {
  return HAN.test(text);
}

/** A base URL without trailing slashes, for joining paths and fragments. */
export function trimBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

/** `YYYY-MM-DD` of an ISO date or timestamp when it is a real calendar date, else null. */
export function isoDate(value: string | null | undefined): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(value?.trim() ?? '');
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? match[0].slice(0, 10) : null;
}
