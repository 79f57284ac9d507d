import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintAsNumber } from './transformers.js';

/** The outcome of each verification of the audit chain. */
@Entity('audit_verifications')
export class AuditVerification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ name: 'verified_at', type: 'timestamptz' })
  verifiedAt: Date;

  @Column({ type: 'text' })
  trigger: string;

  @Column({ type: 'boolean' })
  ok: boolean;

  @Column({ type: 'integer' })
  checked: number;

  @Column({ name: 'head_seq', type: 'bigint', transformer: bigintAsNumber })
  headSeq: number;

  @Column({ name: 'first_tampered_seq', type: 'bigint', nullable: true, transformer: bigintAsNumber })
  firstTamperedSeq: number | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  /** The job that produced it: a redelivered job finds its row and writes no second one. */
  @Column({ name: 'job_id', type: 'text', nullable: true, unique: true })
  jobId: string | null;
}
