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
export { copyParquetToCsv, copyParquetWithout, readParquetRows, type ParquetRows, type PreviewValue } from './preview.js';
