import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { loadLineage, notifyOrganization, Product, ProductReview } from '@civic/db';
import { requiredApprovals, resolveLineage, reviewerKey, reviewStatus, type Reviewer, type ReviewStatus } from '@civic/domain';
import type { DataSource, EntityManager } from 'typeorm';

export interface ReviewState {
  round: number;
  required: Reviewer[];
  decisions: ProductReview[];
  status: ReviewStatus | { status: 'not_submitted' };
}

/**
 * Who reviews a product and where its review stands. The platform operator always reviews;
 * each agency whose conditional or restricted dataset is anywhere in the current version's
 * lineage (through derived-of-derived products too) reviews as well, unless it owns the product.
 */
@Injectable()
export class ReviewRules {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async required(product: Product, manager: EntityManager = this.dataSource.manager): Promise<Reviewer[]> {
    if (!product.currentVersionId) return ['platform'];
    const lineage = await loadLineage(manager, product.currentVersionId);
    const leaves = resolveLineage(product.currentVersionId, lineage.lookup).leaves;
    return requiredApprovals(
      leaves.map((leaf) => ({ agencyId: leaf.agencyId, classification: lineage.nodes.get(leaf.id)?.classification ?? 'restricted' })),
      { submitterId: product.organizationId },
    );
  }

  async state(product: Product, manager: EntityManager = this.dataSource.manager): Promise<ReviewState> {
    const required = await this.required(product, manager);
    const decisions = product.reviewRound === 0 ? [] : await manager.find(ProductReview, { where: { productId: product.id, round: product.reviewRound }, order: { decidedAt: 'ASC' } });
    if (product.reviewRound === 0) return { round: 0, required, decisions, status: { status: 'not_submitted' } };
    const status = reviewStatus(
      required,
      decisions.map((decision) => ({
        reviewer: decision.reviewerKind === 'platform' ? 'platform' : { agencyId: decision.agencyId! },
        decision: decision.decision,
        reason: decision.reason,
      })),
    );
    return { round: product.reviewRound, required, decisions, status };
  }

  /** Tells the platform operators and the reviewing agencies that a product awaits them. */
  async notifyReviewers(manager: EntityManager, product: Product, round: number): Promise<void> {
    const required = await this.required(product, manager);
    const platforms: Array<{ id: string }> = await manager.query(`SELECT id FROM organizations WHERE kind = 'platform'`);
    const recipients = [
      ...(required.some((reviewer) => reviewer === 'platform') ? platforms.map((row) => row.id) : []),
      ...required.flatMap((reviewer) => (reviewer === 'platform' ? [] : [reviewer.agencyId])),
    ];
    for (const organizationId of recipients) {
      await notifyOrganization(manager, organizationId, {
        kind: 'product.review_requested',
        reference: `${product.id}:${round}`,
        subject: { kind: 'product.review_requested', product },
        target: { type: 'product_review', id: product.id },
        body: { productId: product.id, slug: product.slug, titleZh: product.titleZh, titleEn: product.titleEn, round },
      });
    }
  }
}

export { reviewerKey };
