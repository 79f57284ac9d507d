import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAsNumber } from './transformers.js';

export type IngestionStatus = 'queued' | 'running' | 'succeeded' | 'duplicate' | 'failed';
export type IngestionStage = 'inspecting' | 'converting' | 'profiling' | 'publishing';

/** One uploaded file on its way to becoming a dataset version. */
@Entity('ingestions')
export class Ingestion {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'dataset_id', type: 'uuid' })
  datasetId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text', default: 'queued' })
  status: IngestionStatus;

  @Column({ type: 'text', nullable: true })
  stage: IngestionStage | null;

  /** Percent done, for progress bars. */
  @Column({ type: 'smallint', default: 0 })
  progress: number;

  @Column({ name: 'upload_key', type: 'text' })
  uploadKey: string;

  @Column({ type: 'text' })
  filename: string;

  @Column({ type: 'bigint', transformer: bigintAsNumber })
  bytes: number;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage: string | null;

  @Column({ name: 'error_details', type: 'jsonb', nullable: true })
  errorDetails: Record<string, unknown> | null;

  @Column({ name: 'version_id', type: 'uuid', nullable: true })
  versionId: string | null;

  @Column({ name: 'created_by_user_id', type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;
}
