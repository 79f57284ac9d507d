import type { AccessPurpose } from '@civic/domain';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AccessRequestStatus = 'pending' | 'approved' | 'rejected' | 'withdrawn';

/** An organization's request for a conditional dataset; `organizationId` is the requester. */
@Entity('access_requests')
export class AccessRequest {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'dataset_id', type: 'uuid' })
  datasetId: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** The agency that owns the dataset and decides. */
  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId: string;

  @Column({ name: 'requested_by_user_id', type: 'uuid' })
  requestedByUserId: string;

  @Column({ type: 'text' })
  purpose: AccessPurpose;

  @Column({ name: 'purpose_detail', type: 'text', default: '' })
  purposeDetail: string;

  @Column({ name: 'intended_use', type: 'text' })
  intendedUse: string;

  @Column({ name: 'requested_days', type: 'integer' })
  requestedDays: number;

  @Column({ type: 'text', default: 'pending' })
  status: AccessRequestStatus;

  @Column({ name: 'decided_by_user_id', type: 'uuid', nullable: true })
  decidedByUserId: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @Column({ name: 'decision_reason', type: 'text', nullable: true })
  decisionReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
