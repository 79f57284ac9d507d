import type { Classification, DatasetLicense, Theme, UpdateFrequency } from '@civic/domain';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAsNumber } from './transformers.js';

export type DatasetStatus = 'draft' | 'published' | 'withdrawn';
export type SourceFormat = 'csv' | 'json' | 'ndjson' | 'parquet';

@Entity('datasets')
export class Dataset {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The publishing agency (the tenant). */
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text', unique: true })
  slug: string;

  @Column({ name: 'title_zh', type: 'text' })
  titleZh: string;

  @Column({ name: 'title_en', type: 'text' })
  titleEn: string;

  @Column({ name: 'description_zh', type: 'text', default: '' })
  descriptionZh: string;

  @Column({ name: 'description_en', type: 'text', default: '' })
  descriptionEn: string;

  @Column({ type: 'text' })
  theme: Theme;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  keywords: string[];

  @Column({ name: 'contact_name', type: 'text', default: '' })
  contactName: string;

  @Column({ name: 'contact_email', type: 'text', default: '' })
  contactEmail: string;

  @Column({ name: 'update_frequency', type: 'text' })
  updateFrequency: UpdateFrequency;

  @Column({ name: 'spatial_coverage', type: 'text', default: '' })
  spatialCoverage: string;

  @Column({ name: 'temporal_start', type: 'date', nullable: true })
  temporalStart: string | null;

  @Column({ name: 'temporal_end', type: 'date', nullable: true })
  temporalEnd: string | null;

  @Column({ name: 'license_id', type: 'text' })
  licenseId: DatasetLicense;

  @Column({ type: 'text' })
  classification: Classification;

  /** k: the smallest group any output derived from this dataset may describe. */
  @Column({ name: 'min_group_size', type: 'integer', default: 5 })
  minGroupSize: number;

  /** What the privacy gate does with derived outputs' cells smaller than k: drop them, or fail the run. */
  @Column({ name: 'small_cells', type: 'text', default: 'suppress' })
  smallCells: 'suppress' | 'fail';

  @Column({ type: 'text', default: 'draft' })
  status: DatasetStatus;

  @Column({ name: 'current_version_id', type: 'uuid', nullable: true })
  currentVersionId: string | null;

  @Column({ name: 'source_format', type: 'text', nullable: true })
  sourceFormat: SourceFormat | null;

  /** bigint: read as a string by pg; counters stay far below 2^53. */
  @Column({ name: 'download_count', type: 'bigint', default: 0, transformer: bigintAsNumber })
  downloadCount: number;

  @Column({ name: 'search_document', type: 'tsvector', select: false, default: () => "''::tsvector" })
  searchDocument: string;

  @Column({ name: 'harvest_source', type: 'text', nullable: true })
  harvestSource: string | null;

  @Column({ name: 'harvest_identifier', type: 'text', nullable: true })
  harvestIdentifier: string | null;

  @Column({ name: 'created_by_user_id', type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;
}
