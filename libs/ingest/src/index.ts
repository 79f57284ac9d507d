export type {
  ColumnProfile,
  ColumnSchema,
  IngestOptions,
  IngestResult,
  IngestStage,
  SourceFormat,
  TextEncoding,
  TopValue,
} from './types.js';
export { IngestError, INGEST_ERROR_CODES, isIngestError, type IngestErrorCode, type IngestErrorDetails } from './errors.js';
export { ingestFile } from './ingest.js';
export { sha256File } from './text-scan.js';
export { copyParquetToCsv, copyParquetWithout, jsonSafeProjection, readParquetRows, toJsonSafe, type ParquetRows, type PreviewValue } from './preview.js';
export { DuckSession, type SessionOptions } from './duckdb-session.js';
export { describeParquet } from './convert.js';
export { profileParquet, type ProfileOptions } from './profile.js';
export { identifier, literal } from './sql.js';
export { duckDbReason } from './errors.js';
