import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { notifyOrganization, Organization, Product, ProductReview, settleNotices } from '@civic/db';
import { DomainError, reviewerKey, transition, type Reviewer } from '@civic/domain';
import { In, type DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, Principal } from '../common/principal.js';
import {
  REVIEW_PAGE_SIZE,
  type ProductReviewListQueryDto,
  type ReviewerStateDto,
  type ReviewListCountsDto,
  type ReviewListState,
  type ReviewRoundStatus,
} from './dto/product-reviews.dto.js';
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
   * One page of the reviews the caller may read, by where each product's latest round stands
   * (see `ProductReviewListQueryDto`), with each required reviewer's decision in that round and
   * how many reviews each state holds. The platform operator and supervision read every product
   * ever submitted; an agency, those whose current version has its conditional or restricted
   * data anywhere in the lineage (the rule `get` applies), never another agency's.
   */
  async list(principal: Principal, query: ProductReviewListQueryDto): Promise<ReviewListPage> {
    const viewer = viewerOf(principal);
    const state: ReviewListState = query.state ?? 'in_review';
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? REVIEW_PAGE_SIZE.default;
    const { sql: listed, params } = listedReviews(viewer);
    const manager = this.dataSource.manager;
    const [rows, [counts]] = await Promise.all([
      manager.query(
        `${listed}
         SELECT id, review_status AS "reviewStatus", last_decision AS "lastDecision", awaiting_you AS "awaitingYou"
           FROM listed WHERE ${STATE_FILTER[state]} ORDER BY ${STATE_ORDER[state]}
          LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, pageSize, (page - 1) * pageSize],
      ) as Promise<Array<{ id: string; reviewStatus: ReviewRoundStatus; lastDecision: Date | null; awaitingYou: boolean }>>,
      manager.query(
        `${listed}
         SELECT count(*) FILTER (WHERE ${STATE_FILTER.in_review})::int AS in_review, count(*) FILTER (WHERE ${STATE_FILTER.decided})::int AS decided, count(*)::int AS "all"
           FROM listed`,
        params,
      ) as Promise<ReviewListCountsDto[]>,
    ]);
    const products = rows.length ? await manager.findBy(Product, { id: In(rows.map((row) => row.id)) }) : [];
    const byId = new Map(products.map((product) => [product.id, product]));
    const states = await Promise.all(rows.map((row) => this.rules.state(byId.get(row.id)!)));
    const agencyIds = [...new Set(states.flatMap((entry) => entry.required.flatMap((reviewer) => (reviewer === 'platform' ? [] : [reviewer.agencyId]))))];
    const agencies = agencyIds.length ? await manager.find(Organization, { where: { id: In(agencyIds) }, select: { id: true, name: true } }) : [];
    const names = new Map(agencies.map((agency) => [agency.id, agency.name]));
    return {
      items: rows.map((row, index) => {
        const round = states[index]!;
        return {
          product: byId.get(row.id)!,
          round: round.round,
          reviewStatus: row.reviewStatus,
          decidedAt: row.reviewStatus === 'approved' || row.reviewStatus === 'rejected' ? (row.lastDecision?.toISOString() ?? null) : null,
          awaitingYou: row.awaitingYou,
          reviewers: round.required.map((reviewer) => {
            const decision = round.decisions.find((candidate) => reviewerKey(decisionReviewer(candidate)) === reviewerKey(reviewer));
            return {
              reviewerKind: reviewer === 'platform' ? 'platform' : 'agency',
              agencyId: reviewer === 'platform' ? null : reviewer.agencyId,
              agencyName: reviewer === 'platform' ? null : (names.get(reviewer.agencyId) ?? null),
              decision: decision?.decision ?? null,
              decidedAt: decision?.decidedAt.toISOString() ?? null,
            };
          }),
        };
      }),
      total: counts![state],
      page,
      pageSize,
      counts: counts!,
    };
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
      // The decider's review notices are done; once the round is decided, everyone's are.
      await settleNotices(manager, {
        kind: 'product.review_requested',
        target: { type: 'product_review', id: productId },
        ...(changes.status ? {} : { organizationId: principal.organizationId! }),
      });
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
          subject: { kind: changes.status === 'approved' ? 'product.approved' : 'product.rejected', product },
          target: { type: 'product', id: productId },
          body: { productId, slug: product.slug, round: product.reviewRound, reason: input.reason ?? null },
        });
      }
      return manager.findOneByOrFail(Product, { id: productId });
    });
  }
}

export interface ReviewListItem {
  product: Product;
  round: number;
  reviewStatus: ReviewRoundStatus;
  decidedAt: string | null;
  awaitingYou: boolean;
  reviewers: ReviewerStateDto[];
}

export interface ReviewListPage {
  items: ReviewListItem[];
  total: number;
  page: number;
  pageSize: number;
  counts: ReviewListCountsDto;
}

/** Which rows of `listed` each state holds, and their order. */
const STATE_FILTER: Record<ReviewListState, string> = {
  in_review: `review_status = 'pending'`,
  decided: `review_status IN ('approved', 'rejected')`,
  all: 'true',
};
const STATE_ORDER: Record<ReviewListState, string> = {
  in_review: 'awaiting_you DESC, submitted_at ASC, id',
  decided: 'last_decision DESC NULLS LAST, id',
  all: 'coalesce(last_decision, submitted_at) DESC NULLS LAST, id',
};

/**
 * `WITH … listed AS (…)`: the products whose reviews the viewer may read, each with where its
 * latest round stands. A round is open while the product is submitted; a closed one was
 * rejected (a rejection sends the product back to draft), approved (the product went on to
 * approved, published, suspended or retired), or cancelled (back to draft with no rejection:
 * taken back by its owner).
 *
 * An agency's products are those whose current version reads, through any depth of derived
 * products, a version of one of its conditional or restricted datasets, unless the agency owns
 * the product: `ReviewRules.required` (the domain's `requiredApprovals`) in SQL, walking the
 * lineage up from the agency's data.
 */
function listedReviews(viewer: ReviewViewer): { sql: string; params: unknown[] } {
  const agencyId = viewer.kind === 'reviewer' && viewer.reviewer !== 'platform' ? viewer.reviewer.agencyId : null;
  const round = `r.product_id = p.id AND r.round = p.review_round`;
  const awaiting =
    viewer.kind === 'supervisor'
      ? 'false'
      : `p.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM product_reviews r WHERE ${round} AND ${agencyId ? `r.agency_id = $1` : `r.reviewer_kind = 'platform'`})`;
  const sql = `WITH RECURSIVE ${
    agencyId
      ? `reads_agency(pv, depth) AS (
          SELECT pvi.product_version_id, 1
            FROM product_version_inputs pvi
            JOIN dataset_versions dv ON dv.id = pvi.dataset_version_id
            JOIN datasets d ON d.id = dv.dataset_id
           WHERE dv.organization_id = $1 AND d.classification <> 'open'
          UNION
          SELECT pvi.product_version_id, reads_agency.depth + 1
            FROM product_version_inputs pvi JOIN reads_agency ON pvi.input_product_version_id = reads_agency.pv
           WHERE reads_agency.depth < 64
        ),`
      : ''
  }
    listed AS (
      SELECT p.id, p.submitted_at,
             CASE WHEN p.status = 'submitted' THEN 'pending'
                  WHEN EXISTS (SELECT 1 FROM product_reviews r WHERE ${round} AND r.decision = 'reject') THEN 'rejected'
                  WHEN p.status = 'draft' THEN 'cancelled'
                  ELSE 'approved' END AS review_status,
             (SELECT max(r.decided_at) FROM product_reviews r WHERE ${round}) AS last_decision,
             (${awaiting}) AS awaiting_you
        FROM products p
       WHERE p.review_round > 0${agencyId ? ` AND p.organization_id <> $1 AND p.current_version_id IN (SELECT pv FROM reads_agency)` : ''}
    )`;
  return { sql, params: agencyId ? [agencyId] : [] };
}

export function decisionReviewer(decision: ProductReview): Reviewer {
  return decision.reviewerKind === 'platform' ? 'platform' : { agencyId: decision.agencyId! };
}
