import type { Classification, DatasetLicense, Sensitivity, Theme, UpdateFrequency } from './vocabulary.js';

export interface DemoColumn {
  /** Exactly as in the file header (CSV) or the key / field name (JSON, Parquet). */
  name: string;
  descriptionZh: string;
  descriptionEn: string;
  sensitivity: Sensitivity;
  /** A personal column the agency exposes to derivations as a keyed pseudonym (for joining). */
  joinPseudonym?: boolean;
  /** First version whose file has this column (default 1). */
  addedInVersion?: number;
}

export type DemoFileFormat = 'csv' | 'json' | 'ndjson' | 'parquet';
export type DemoFileEncoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

export interface DemoDataset {
  slug: string;
  /** Slug of the publishing agency organization. */
  agencySlug: string;
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  theme: Theme;
  /** Chinese and English search keywords. */
  keywords: string[];
  contactName: string;
  contactEmail: string;
  updateFrequency: UpdateFrequency;
  spatialCoverage: string;
  /** ISO dates (YYYY-MM-DD). */
  temporalStart: string;
  temporalEnd: string;
  licenseId: DatasetLicense;
  classification: Classification;
  /** Smallest group size (k) a derived product may reveal. */
  minGroupSize: number;
  /** Every column of the latest version, in file order (see `demoColumns` for one version). */
  columns: DemoColumn[];
  file: { filename: string; format: DemoFileFormat; encoding?: DemoFileEncoding; approxRows: number };
  /** Successive versions that can be written (default 1). */
  versions?: number;
}

/** `full` is the catalog's real size; `small` keeps the large datasets small for tests. */
export type DemoScale = 'full' | 'small';

export interface WriteDemoFileOptions {
  /** 1-based version (default 1). */
  version?: number;
  /** Default `full`. */
  scale?: DemoScale;
}

/** What a dataset's SQL generator is given. */
export interface GenerationContext {
  version: number;
  scale: DemoScale;
}

/** A dataset's catalog metadata with the DuckDB query that produces its rows in file order. */
export interface DemoSource {
  dataset: DemoDataset;
  query(context: GenerationContext): string;
}
