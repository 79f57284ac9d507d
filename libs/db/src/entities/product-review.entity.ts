import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One reviewer's decision on one submission (round) of a product. */
@Entity('product_reviews')
export class ProductReview {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'product_id', type: 'uuid' })
  productId: string;

  @Column({ type: 'integer' })
  round: number;

  @Column({ name: 'version_id', type: 'uuid' })
  versionId: string;

  @Column({ name: 'reviewer_kind', type: 'text' })
  reviewerKind: 'platform' | 'agency';

  @Column({ name: 'agency_id', type: 'uuid', nullable: true })
  agencyId: string | null;

  @Column({ type: 'text' })
  decision: 'approve' | 'reject';

  @Column({ type: 'text', default: '' })
  reason: string;

  @Column({ name: 'decided_by_user_id', type: 'uuid' })
  decidedByUserId: string;

  @Column({ name: 'decided_at', type: 'timestamptz', default: () => 'now()' })
  decidedAt: Date;
}
