import type { ProfiledColumn, SchemaColumn } from '@civic/domain';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAsNumber } from './transformers.js';

/**
 * One immutable version of a product (a database trigger refuses updates): the materialized
 * output that passed the privacy gate, its schema and profile, and the gate's report. The
 * fingerprint (SQL + exact input versions + weights) makes a re-run of the same derivation
 * find this version instead of making another.
 */
@Entity('product_versions')
export class ProductVersion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'text' })
  fingerprint: string;

  @Column({ type: 'text' })
  sql: string;

  @Column({ name: 'row_count', type: 'bigint', transformer: bigintAsNumber })
  rowCount: number;

  @Column({ name: 'parquet_key', type: 'text' })
  parquetKey: string;

  @Column({ name: 'parquet_bytes', type: 'bigint', transformer: bigintAsNumber })
  parquetBytes: number;

  @Column({ type: 'jsonb' })
  schema: SchemaColumn[];

  @Column({ type: 'jsonb' })
  profile: ProfiledColumn[];

  /** What the privacy gate checked and suppressed (JSON of the domain's GateReport). */
  @Column({ name: 'gate_report', type: 'jsonb' })
  gateReport: Record<string, unknown>;

  @Column({ name: 'run_id', type: 'uuid', nullable: true })
  runId: string | null;

  @Column({ name: 'created_by_user_id', type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}

/** A lineage edge: a product version was made from this dataset version or product version. */
@Entity('product_version_inputs')
export class ProductVersionInput {
  @PrimaryColumn({ name: 'product_version_id', type: 'uuid' })
  productVersionId: string;

  @PrimaryColumn({ type: 'text' })
  name: string;

  @Column({ type: 'integer' })
  position: number;

  @Column({ name: 'dataset_version_id', type: 'uuid', nullable: true })
  datasetVersionId: string | null;

  @Column({ name: 'input_product_version_id', type: 'uuid', nullable: true })
  inputProductVersionId: string | null;

  @Column({ type: 'integer' })
  weight: number;
}
