import type { TFunction } from 'i18next';
import type { Ingestion, IngestionError } from '../api/schema-types';

// Codes of the ingestion pipeline the UI explains in the reader's language.
const explainedCodes = {
  'ingest.empty': 'ingest.errors.empty',
  'ingest.binary': 'ingest.errors.binary',
  'ingest.encoding': 'ingest.errors.encoding',
  'ingest.ragged_rows': 'ingest.errors.raggedRows',
  'ingest.duplicate_columns': 'ingest.errors.duplicateColumns',
  'ingest.unsupported_format': 'ingest.errors.unsupportedFormat',
  'ingest.malformed': 'ingest.errors.malformed',
  'ingest.no_columns': 'ingest.errors.noColumns',
  'ingest.cancelled': 'ingest.errors.cancelled',
  'ingest.internal': 'ingest.errors.internal',
} as const;

export interface IngestionErrorText {
  /** What went wrong and what to do, in the reader's language. */
  explanation: string;
  /** Where in the file, and what was found: "line 12", "column “金额”"... */
  facts: string[];
  /** The converter's own words (English), when they add to the explanation. */
  technical: string | null;
}

export function describeIngestionError(error: IngestionError, t: TFunction): IngestionErrorText {
  const key = explainedCodes[error.code as keyof typeof explainedCodes];
  const explanation = key ? t(key) : error.message || t('ingest.errors.unknown');
  const technical = key && error.message && error.message !== explanation ? error.message : null;
  return { explanation, facts: ingestionErrorFacts(error.details, t), technical };
}

/** The location and findings in `details`, each worded; unknown or malformed entries are left out. */
export function ingestionErrorFacts(details: IngestionError['details'], t: TFunction): string[] {
  if (!details) return [];
  const facts: string[] = [];
  const line = positiveInteger(details.line);
  const row = positiveInteger(details.row);
  const position = positiveInteger(details.position);
  const offset = nonNegativeInteger(details.offset);
  const column = text(details.column);
  const conflictsWith = text(details.conflictsWith);
  const detected = text(details.detected);
  const extension = text(details.extension);
  if (line !== null) facts.push(t('ingest.where.line', { line }));
  if (row !== null) facts.push(t('ingest.where.row', { row }));
  if (column !== null) facts.push(t('ingest.where.column', { column }));
  if (position !== null) facts.push(t('ingest.where.position', { position }));
  if (offset !== null) facts.push(t('ingest.where.offset', { offset }));
  if (conflictsWith !== null) facts.push(t('ingest.where.conflictsWith', { column: conflictsWith }));
  if (detected !== null) facts.push(t('ingest.where.detected', { detected }));
  if (extension !== null) facts.push(t('ingest.where.extension', { extension }));
  return facts;
}

/** True once an ingestion will not change any more. */
export function isIngestionFinished(ingestion: Pick<Ingestion, 'status'>): boolean {
  return ingestion.status === 'succeeded' || ingestion.status === 'duplicate' || ingestion.status === 'failed';
}

function positiveInteger(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}

function nonNegativeInteger(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
