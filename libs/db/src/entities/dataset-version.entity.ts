import type { ProfiledColumn, SchemaChanges, SchemaColumn } from '@civic/domain';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { SourceFormat } from './dataset.entity.js';
import { bigintAsNumber } from './transformers.js';

/** A column's profile as ingestion recorded it (the domain decides what of it is disclosed). */
export type ColumnProfileRecord = ProfiledColumn;


/** One immutable ingested version of a dataset (a database trigger refuses updates). */
@Entity('dataset_versions')
export class DatasetVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'dataset_id', type: 'uuid' })
  datasetId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'integer' })
  version: number;

  /** sha256 of the uploaded bytes: the same bytes never make a second version. */
  @Column({ type: 'text' })
  sha256: string;

  @Column({ name: 'source_filename', type: 'text' })
  sourceFilename: string;

  @Column({ name: 'source_format', type: 'text' })
  sourceFormat: SourceFormat;

  @Column({ type: 'text', nullable: true })
  encoding: 'utf-8' | 'utf-8-bom' | 'gb18030' | null;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  bytes: number;

  @Column({ name: 'row_count', type: 'bigint', transformer: bigintAsNumber })
  rowCount: number;

  @Column({ name: 'parquet_key', type: 'text' })
  parquetKey: string;

  @Column({ name: 'parquet_bytes', type: 'bigint', transformer: bigintAsNumber })
  parquetBytes: number;

  @Column({ type: 'jsonb' })
  schema: SchemaColumn[];

  @Column({ type: 'jsonb' })
  profile: ColumnProfileRecord[];

  /** Differences from the previous version; null for the first. */
  @Column({ name: 'schema_changes', type: 'jsonb', nullable: true })
  schemaChanges: SchemaChanges | null;

  @Column({ name: 'ingestion_id', type: 'uuid', nullable: true })
  ingestionId: string | null;

  @Column({ name: 'created_by_user_id', type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
