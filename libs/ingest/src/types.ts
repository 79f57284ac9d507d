export type SourceFormat = 'csv' | 'json' | 'ndjson' | 'parquet';

export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

/** One column of the converted table; `type` is a DuckDB type name (BIGINT, VARCHAR, DATE, …). */
export interface ColumnSchema {
  name: string;
  type: string;
}

export interface TopValue {
  /** The value rendered as text; `null` stands for missing values. */
  value: string | null;
  count: number;
}

export interface ColumnProfile {
  name: string;
  type: string;
  /** Share of rows where the column is missing, 0..1. */
  nullShare: number;
  /** Number of distinct non-null values (exact for low-cardinality columns, a HyperLogLog estimate otherwise). */
  approxDistinct: number;
  /** Smallest and largest non-null value rendered as text; `null` when the column has no value. */
  min: string | null;
  max: string | null;
  /** Up to five most frequent values (NULL included), most frequent first, ties by value; counts are exact. */
  topValues: TopValue[];
}

export interface IngestResult {
  format: SourceFormat;
  /** Encoding of the uploaded text; `null` for Parquet. */
  encoding: TextEncoding | null;
  /** Size of the uploaded file. */
  bytes: number;
  /** sha256 (hex) of the uploaded bytes, before any transcoding. */
  sha256: string;
  rowCount: number;
  schema: ColumnSchema[];
  profile: ColumnProfile[];
  parquetPath: string;
  parquetBytes: number;
}

export type IngestStage = 'inspecting' | 'converting' | 'profiling';

export interface IngestOptions {
  /** The uploaded file on local disk. */
  sourcePath: string;
  /** The name it was uploaded under; its extension selects the format. */
  filename: string;
  /** Overrides the format the extension implies (the content is still checked). */
  format?: SourceFormat;
  /** Where the Parquet file is written; nothing is left there when the ingest fails. */
  outputPath: string;
  /** Scratch directory (transcoded copies, DuckDB spill files); what is created in it is removed afterwards. */
  workDir: string;
  /** Progress within each stage, 0..1; called at least about once a second while work goes on. */
  onProgress?: (stage: IngestStage, fraction: number) => void | Promise<void>;
  /** DuckDB memory limit, e.g. '1GB' (default). */
  memoryLimit?: string;
  /** DuckDB worker threads (default 2). */
  threads?: number;
  signal?: AbortSignal;
}
