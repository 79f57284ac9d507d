import type { Classification, DatasetLicense, Sensitivity, Theme, UpdateFrequency } from './vocabulary.js';

/**
 * A published dataset as the catalog shows it to the outside world: the input of the
 * DCAT-AP and CKAN mappings. Plain data, no framework types.
 */
export interface CatalogAgencyView {
  id: string;
  slug: string;
  name: string;
}

export interface CatalogColumnView {
  name: string;
  type: string;
  descriptionZh: string;
  descriptionEn: string;
  sensitivity: Sensitivity;
}

export interface CatalogVersionView {
  id: string;
  version: number;
  sha256: string;
  bytes: number;
  parquetBytes: number;
  rowCount: number;
  sourceFormat: 'csv' | 'json' | 'ndjson' | 'parquet';
  createdAt: string;
}

export interface CatalogDatasetView {
  id: string;
  slug: string;
  titleZh: string;
  titleEn: string;
  descriptionZh: string;
  descriptionEn: string;
  theme: Theme;
  keywords: string[];
  agency: CatalogAgencyView;
  contactName: string;
  contactEmail: string;
  updateFrequency: UpdateFrequency;
  spatialCoverage: string;
  temporalStart: string | null; // ISO date
  temporalEnd: string | null; // ISO date
  licenseId: DatasetLicense;
  classification: Classification;
  minGroupSize: number;
  publishedAt: string | null; // ISO timestamp
  updatedAt: string; // ISO timestamp
  columns: CatalogColumnView[];
  currentVersion: CatalogVersionView | null;
}

/** Absolute URLs the mappings link to; the API fills them from its public base URL. */
export interface CatalogLinks {
  /** e.g. https://data.example.gov.cn */
  baseUrl: string;
  datasetPage(dataset: CatalogDatasetView): string;
  /** Download URL of the current version in a format; only meaningful for open data. */
  download(dataset: CatalogDatasetView, format: 'csv' | 'parquet'): string;
  /** Machine endpoint serving rows of the dataset (DCAT DataService). */
  apiEndpoint: string;
}
