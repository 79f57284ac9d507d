import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { notifyOrganization, Product, ProductReview } from '@civic/db';
import { DomainError, reviewerKey, transition, type Reviewer, notificationSubject } from '@civic/domain';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, Principal } from '../common/principal.js';
import type { ReviewDecisionDto } from './dto/products.dto.js';
import { productState } from './products.service.js';
import { ReviewRules } from './review-rules.js';

/** Which reviewer the caller is: the platform operator, or an agency. */
function reviewerOf(principal: Principal): Reviewer {
  if (principal.organizationKind === 'platform') return 'platform';
  if (principal.organizationKind === 'agency') return { agencyId: principal.organizationId };
  throw new DomainError('auth.forbidden', 'Only the platform operator and agencies review products.');
}

/**
 * Who reads product reviews: a reviewer (the platform operator or an agency, who decide), or
 * government supervision (read-only, over every product ever submitted).
 */
export type ReviewViewer = { kind: 'reviewer'; reviewer: Reviewer } | { kind: 'supervisor' };

export function viewerOf(principal: Principal): ReviewViewer {
  if (principal.permissions.includes('products:review')) return { kind: 'reviewer', reviewer: reviewerOf(principal) };
  if (principal.permissions.includes('product_reviews:read') && principal.organizationKind === 'platform') return { kind: 'supervisor' };
  throw new DomainError('auth.forbidden', 'You are not allowed to do this.');
}

/**
 * The review queues of the platform operator and of agencies, and their decisions. A reviewer
 * sees only the submitted products it is required to review; anything else is not found.
 */
@Injectable()
export class ProductReviewsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly rules: ReviewRules,
  ) {}

  /**
   * Submitted products awaiting the caller's decision in their current round, oldest submission
   * first; for supervision, every submitted product.
   */
  async queue(principal: Principal): Promise<Product[]> {
    const viewer = viewerOf(principal);
    const submitted = await this.dataSource.manager.find(Product, { where: { status: 'submitted' }, order: { submittedAt: 'ASC', updatedAt: 'ASC' } });
    if (viewer.kind === 'supervisor') return submitted;
    const reviewer = viewer.reviewer;
    const awaiting: Product[] = [];
    for (const product of submitted) {
      const state = await this.rules.state(product);
      const decided = state.decisions.some((decision) => reviewerKey(decisionReviewer(decision)) === reviewerKey(reviewer));
      if (!decided && state.required.some((required) => reviewerKey(required) === reviewerKey(reviewer))) awaiting.push(product);
    }
    return awaiting;
  }

  /**
   * A product the caller reviews (now or in an earlier round), or, for supervision, any product
   * ever submitted; 404 for anyone else.
   */
  async get(principal: Principal, productId: string): Promise<Product> {
    const viewer = viewerOf(principal);
    const product = await this.dataSource.manager.findOneBy(Product, { id: productId });
    if (!product || product.reviewRound === 0) throw new DomainError('product.not_found', 'Product not found.');
    if (viewer.kind === 'supervisor') return product;
    const reviewer = viewer.reviewer;
    const required = await this.rules.required(product);
    if (!required.some((candidate) => reviewerKey(candidate) === reviewerKey(reviewer))) throw new DomainError('product.not_found', 'Product not found.');
    return product;
  }

  async decide(actor: Actor, principal: Principal, productId: string, input: ReviewDecisionDto): Promise<Product> {
    const reviewer = reviewerOf(principal);
    await this.get(principal, productId);
    return this.dataSource.transaction(async (manager) => {
      const product = await manager.findOneOrFail(Product, { where: { id: productId }, lock: { mode: 'pessimistic_write' } });
      if (product.status !== 'submitted') throw new DomainError('product.invalid_transition', 'Only a submitted product is reviewed.', { status: product.status });
      const before = await this.rules.state(product, manager);
      if (before.decisions.some((decision) => reviewerKey(decisionReviewer(decision)) === reviewerKey(reviewer))) {
        throw new DomainError('product.already_reviewed', 'You have already decided on this submission.');
      }
      await manager.insert(ProductReview, {
        productId,
        round: product.reviewRound,
        versionId: product.currentVersionId!,
        reviewerKind: reviewer === 'platform' ? 'platform' : 'agency',
        agencyId: reviewer === 'platform' ? null : reviewer.agencyId,
        decision: input.decision,
        reason: input.reason ?? '',
        decidedByUserId: principal.userId!,
      });
      const after = await this.rules.state(product, manager);
      const changes: Partial<Product> = { updatedAt: new Date() };
      if (after.status.status === 'rejected') {
        const next = transition(productState(product), { type: 'reject', reason: input.reason ?? '' });
        changes.status = next.status;
        changes.rejectionReason = input.reason ?? null;
      } else if (after.status.status === 'approved') {
        changes.status = transition(productState(product), { type: 'approve' }).status;
      }
      await manager.update(Product, { id: productId }, changes);
      await this.audit.record(manager, actor, {
        action: input.decision === 'approve' ? 'product.review_approved' : 'product.review_rejected',
        organizationId: product.organizationId,
        targetType: 'product',
        targetId: productId,
        data: { round: product.reviewRound, reviewer: reviewerKey(reviewer), reason: input.reason ?? null, outcome: after.status.status },
      });
      if (changes.status) {
        await notifyOrganization(manager, product.organizationId, {
          kind: `product.${changes.status === 'approved' ? 'approved' : 'rejected'}`,
          reference: `${productId}:${product.reviewRound}`,
          subject: notificationSubject({ kind: changes.status === 'approved' ? 'product.approved' : 'product.rejected', product }),
          body: { productId, slug: product.slug, round: product.reviewRound, reason: input.reason ?? null },
        });
      }
      return manager.findOneByOrFail(Product, { id: productId });
    });
  }
}

export function decisionReviewer(decision: ProductReview): Reviewer {
  return decision.reviewerKind === 'platform' ? 'platform' : { agencyId: decision.agencyId! };
}
