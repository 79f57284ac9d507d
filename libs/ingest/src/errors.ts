export const INGEST_ERROR_CODES = [
  'ingest.empty',
  'ingest.binary',
  'ingest.encoding',
  'ingest.ragged_rows',
  'ingest.duplicate_columns',
  'ingest.unsupported_format',
  'ingest.malformed',
  'ingest.no_columns',
  'ingest.cancelled',
] as const;

export type IngestErrorCode = (typeof INGEST_ERROR_CODES)[number];

export interface IngestErrorDetails {
  /** 1-based data row (the header is not counted). */
  row?: number;
  /** Column name as written in the file. */
  column?: string;
  /** 1-based line of the file (the CSV header is line 1). */
  line?: number;
  [key: string]: unknown;
}

/** A file that cannot be ingested, with a stable code and where the problem is. */
export class IngestError extends Error {
  override readonly name = 'IngestError';

  constructor(
    readonly code: IngestErrorCode,
    message: string,
    readonly details: IngestErrorDetails = {},
  ) {
    super(message);
  }
}

export function isIngestError(error: unknown): error is IngestError {
  return error instanceof IngestError;
}

export function cancelled(): IngestError {
  return new IngestError('ingest.cancelled', 'The ingest was cancelled.');
}

/** The first line of a DuckDB error message, without its "… Error:" prefix and with server paths replaced. */
export function duckDbReason(error: unknown, paths: Record<string, string> = {}): string {
  let text = error instanceof Error ? error.message : String(error);
  for (const [path, replacement] of Object.entries(paths)) text = text.split(path).join(replacement);
  const first = text.split('\n').find((line) => line.trim() !== '') ?? text;
  return first.replace(/^[A-Za-z ]*Error: /, '').trim();
}
