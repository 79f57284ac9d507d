import type { ProductKind, ProductStatus, SuspensionCause, Theme } from '@civic/domain';
import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** Why a product was suspended: the source that was withdrawn or reclassified stricter. */
export interface SuspensionReason {
  cause: SuspensionCause;
  datasetId?: string;
  productId?: string;
  /** The reason the agency gave (for a withdrawal, a reclassification or a revoked grant). */
  note?: string;
  at: string;
}

/**
 * A data product: a base product (an agency sells its own dataset) or a derived product (a
 * vendor's SQL over datasets and other products). The organization is the owner (the tenant).
 */
@Entity('products')
export class Product {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'text' })
  kind: ProductKind;

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

  /** The derivation (DuckDB SQL over the inputs' names); a base product selects its dataset. */
  @Column({ type: 'text' })
  sql: string;

  @Column({ type: 'text', default: 'draft' })
  status: ProductStatus;

  @Column({ name: 'suspended_from', type: 'text', nullable: true })
  suspendedFrom: 'approved' | 'published' | null;

  @Column({ name: 'suspension_reason', type: 'jsonb', nullable: true })
  suspensionReason: SuspensionReason | null;

  /** Why the last review rejected the listing (kept on the draft until it is submitted again). */
  @Column({ name: 'rejection_reason', type: 'text', nullable: true })
  rejectionReason: string | null;

  /** Incremented at each submission; reviews belong to one round. */
  @Column({ name: 'review_round', type: 'integer', default: 0 })
  reviewRound: number;

  /** When the current (or last) review round was submitted. */
  @Column({ name: 'submitted_at', type: 'timestamptz', nullable: true })
  submittedAt: Date | null;

  @Column({ name: 'current_version_id', type: 'uuid', nullable: true })
  currentVersionId: string | null;

  @Column({ name: 'created_by_user_id', type: 'uuid', nullable: true })
  createdByUserId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  /** The Stripe Product mirroring this one, once it has been sold through Stripe. */
  @Column({ name: 'stripe_product_id', type: 'text', nullable: true })
  stripeProductId: string | null;
}

/** One named input of a product: a dataset or another product, with its lineage weight. */
@Entity('product_inputs')
export class ProductInput {
  @PrimaryColumn({ name: 'product_id', type: 'uuid' })
  productId: string;

  @PrimaryColumn({ type: 'text' })
  name: string;

  @Column({ type: 'integer' })
  position: number;

  @Column({ name: 'dataset_id', type: 'uuid', nullable: true })
  datasetId: string | null;

  @Column({ name: 'source_product_id', type: 'uuid', nullable: true })
  sourceProductId: string | null;

  @Column({ type: 'integer', default: 1 })
  weight: number;
}
