import type { ProfiledColumn, SchemaColumn } from '@civic/domain';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAsNumber } from './transformers.js';

export type DerivationRunStatus = 'queued' | 'running' | 'succeeded' | 'duplicate' | 'failed' | 'cancelled';
export type DerivationStage = 'validating' | 'materializing' | 'gating' | 'profiling' | 'publishing';
export const DERIVATION_STAGES: readonly DerivationStage[] = ['validating', 'materializing', 'gating', 'profiling', 'publishing'];

/** An input as resolved when the run was requested: the exact version it reads. */
export interface ResolvedRunInput {
  name: string;
  position: number;
  weight: number;
  datasetId: string | null;
  datasetVersionId: string | null;
  sourceProductId: string | null;
  productVersionId: string | null;
  /** The input's privacy settings when the run was asked for (part of the fingerprint). */
  policy?: { k: number; smallCells: 'suppress' | 'fail'; columns: Array<[string, string, boolean]> };
}


/** One run of a product's derive flow (validate → materialize → gate → profile → publish). */
@Entity('derivation_runs')
export class DerivationRun {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  trigger: 'manual' | 'upstream';

  @Column({ type: 'text', default: 'queued' })
  status: DerivationRunStatus;

  @Column({ type: 'text', nullable: true })
  stage: DerivationStage | null;

  @Column({ type: 'smallint', default: 0 })
  progress: number;

  @Column({ type: 'text' })
  sql: string;

  @Column({ type: 'jsonb' })
  inputs: ResolvedRunInput[];

  @Column({ type: 'text' })
  fingerprint: string;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** What the privacy gate will check, decided at validation from the SQL's column lineage. */
  @Column({ type: 'jsonb', nullable: true })
  plan: Record<string, unknown> | null;

  @Column({ name: 'output_schema', type: 'jsonb', nullable: true })
  outputSchema: SchemaColumn[] | null;

  @Column({ name: 'output_profile', type: 'jsonb', nullable: true })
  outputProfile: ProfiledColumn[] | null;

  /** Object key of the materialized (then gated) output while the run is in flight. */
  @Column({ name: 'output_key', type: 'text', nullable: true })
  outputKey: string | null;

  @Column({ name: 'output_rows', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  outputRows: number | null;

  @Column({ name: 'gate_report', type: 'jsonb', nullable: true })
  gateReport: Record<string, unknown> | null;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ name: 'error_details', type: 'jsonb', nullable: true })
  errorDetails: Record<string, unknown> | null;

  @Column({ name: 'version_id', type: 'uuid', nullable: true })
  versionId: string | null;

  @Column({ name: 'cancel_requested_at', type: 'timestamptz', nullable: true })
  cancelRequestedAt: Date | null;

  @Column({ name: 'created_by_user_id', type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
