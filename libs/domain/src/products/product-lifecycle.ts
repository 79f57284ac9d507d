/**
 * A product's listing: its kind and inputs, its review and its life on the storefront.
 *
 *   draft → submitted → approved → published → retired
 *             │  ↑ cancel_submission / reject (reason kept on the draft)
 *             └──┘
 *   approved | published → suspended → back to where it was (resume) or retired
 *
 * A rejection is the outcome of a review, not a state: it sends the listing back to draft,
 * where the vendor edits and resubmits, and the draft keeps the reason until then.
 */
import type { Classification } from '../catalog/vocabulary.js';
import { DomainError } from '../errors/domain-error.js';
import type { OrganizationKind } from '../identity/roles.js';
import { compareIds } from './order.js';
import type { ProductKind, ReviewDecision, SuspensionCause } from './vocabulary.js';

export type ProductState =
  | { status: 'draft'; lastReview?: { outcome: 'rejected'; reason: string } }
  | { status: 'submitted' | 'approved' | 'published' | 'retired' }
  | { status: 'suspended'; resumeTo: 'approved' | 'published'; causes: SuspensionCause[] };

export type ProductAction =
  | { type: 'submit' }
  | { type: 'cancel_submission' }
  | { type: 'approve' }
  | { type: 'reject'; reason: string }
  | { type: 'publish' }
  | { type: 'suspend'; cause: SuspensionCause }
  | { type: 'resume' }
  | { type: 'retire' };

export type ProductActionType = ProductAction['type'];

const ALLOWED: Record<ProductState['status'], readonly ProductActionType[]> = {
  draft: ['submit'],
  submitted: ['approve', 'reject', 'cancel_submission'],
  approved: ['publish', 'suspend', 'retire'],
  published: ['suspend', 'retire'],
  // Suspending again adds a cause; resume is for when every cause is cleared.
  suspended: ['suspend', 'resume', 'retire'],
  retired: [],
};

export function allowedActions(state: ProductState): ProductActionType[] {
  return [...ALLOWED[state.status]];
}

export function transition(state: ProductState, action: ProductAction): ProductState {
  if (!ALLOWED[state.status].includes(action.type)) {
    throw new DomainError('product.invalid_transition', `A ${state.status} product cannot ${action.type.replace('_', ' ')}`, {
      status: state.status,
      action: action.type,
      allowed: allowedActions(state),
    });
  }
  switch (action.type) {
    case 'submit':
      return { status: 'submitted' };
    case 'cancel_submission':
      return { status: 'draft' };
    case 'reject':
      return { status: 'draft', lastReview: { outcome: 'rejected', reason: requireReason(action.reason) } };
    case 'approve':
      return { status: 'approved' };
    case 'publish':
      return { status: 'published' };
    case 'suspend':
      return suspend(state, action.cause);
    case 'resume':
      return { status: (state as Extract<ProductState, { status: 'suspended' }>).resumeTo };
    case 'retire':
      return { status: 'retired' };
  }
}

function suspend(state: ProductState, cause: SuspensionCause): ProductState {
  if (state.status === 'suspended') {
    return { ...state, causes: state.causes.includes(cause) ? [...state.causes] : [...state.causes, cause] };
  }
  return { status: 'suspended', resumeTo: state.status as 'approved' | 'published', causes: [cause] };
}

function requireReason(reason: string | undefined): string {
  const trimmed = (reason ?? '').trim();
  if (trimmed.length === 0) throw new DomainError('product.invalid_review', 'A rejection needs a reason', { field: 'reason' });
  return trimmed;
}

// ---------------------------------------------------------------------------------------------
// Kinds and inputs

export const MAX_PRODUCT_INPUTS = 32;

export type ProductInputRef = { kind: 'dataset_version'; id: string; agencyId: string } | { kind: 'product_version'; id: string };

/**
 * - base: an agency sells one of its own datasets: exactly one input, a dataset version of
 *   that agency;
 * - derived: a vendor's SQL over 1..MAX_PRODUCT_INPUTS distinct inputs (dataset or product versions).
 * A product of the wrong kind for its owner is product.kind_not_allowed; bad inputs are
 * product.invalid_inputs with the broken rule in `details.rule`.
 */
export function validateProductInputs(product: {
  kind: ProductKind;
  owner: { organizationId: string; organizationKind: OrganizationKind };
  inputs: readonly ProductInputRef[];
}): void {
  const { kind, owner, inputs } = product;
  const expectedOwner: OrganizationKind = kind === 'base' ? 'agency' : 'vendor';
  if (owner.organizationKind !== expectedOwner) {
    throw new DomainError('product.kind_not_allowed', `Only ${expectedOwner === 'agency' ? 'agencies' : 'vendors'} make ${kind} products`, {
      kind,
      organizationKind: owner.organizationKind,
    });
  }
  const invalid = (rule: string, message: string) => new DomainError('product.invalid_inputs', message, { kind, rule });
  if (new Set(inputs.map((input) => input.id)).size !== inputs.length) throw invalid('distinct', 'Each input is listed once');
  if (kind === 'base') {
    if (inputs.length !== 1) throw invalid('single_input', 'A base product has exactly one input');
    const [input] = inputs;
    if (input.kind !== 'dataset_version') throw invalid('dataset_input', 'A base product sells a dataset');
    if (input.agencyId !== owner.organizationId) throw invalid('own_dataset', "A base product sells one of its agency's own datasets");
    return;
  }
  if (inputs.length < 1 || inputs.length > MAX_PRODUCT_INPUTS) {
    throw invalid('input_count', `A derived product has 1 to ${MAX_PRODUCT_INPUTS} inputs`);
  }
}

// ---------------------------------------------------------------------------------------------
// Review

export type Reviewer = 'platform' | { agencyId: string };

export interface ReviewDecisionRecord {
  reviewer: Reviewer;
  decision: ReviewDecision;
  reason?: string;
}

export type ReviewStatus =
  | { status: 'pending'; awaiting: Reviewer[] }
  | { status: 'approved' }
  | { status: 'rejected'; rejections: { reviewer: Reviewer; reason: string }[] };

/**
 * The platform operator always reviews; so does each distinct agency whose conditional or
 * restricted dataset is an input, except the submitter itself (an agency listing a base
 * product over its own data). Open inputs need no agency's approval. Pass the dataset-version
 * inputs: a product-version input was reviewed when it was published.
 */
export function requiredApprovals(
  inputs: ReadonlyArray<{ agencyId: string; classification: Classification }>,
  options: { submitterId?: string } = {},
): Reviewer[] {
  const agencies = new Set(
    inputs
      .filter((input) => input.classification !== 'open' && input.agencyId !== options.submitterId)
      .map((input) => input.agencyId),
  );
  return ['platform', ...[...agencies].sort(compareIds).map((agencyId) => ({ agencyId }))];
}

export function reviewerKey(reviewer: Reviewer): string {
  return reviewer === 'platform' ? 'platform' : `agency:${reviewer.agencyId}`;
}

/**
 * Any rejection rejects (and needs a non-empty reason); the listing is approved once every
 * required reviewer approved. Decisions of reviewers not (or no longer) required do not count.
 */
export function reviewStatus(required: readonly Reviewer[], decisions: readonly ReviewDecisionRecord[]): ReviewStatus {
  const requiredKeys = new Set(required.map(reviewerKey));
  if (!requiredKeys.has('platform')) {
    throw new DomainError('product.invalid_review', 'The platform operator reviews every product', { field: 'required' });
  }
  for (const decision of decisions) if (decision.decision === 'reject') requireReason(decision.reason);
  const counted = decisions.filter((decision) => requiredKeys.has(reviewerKey(decision.reviewer)));
  const rejections = counted
    .filter((decision) => decision.decision === 'reject')
    .map((decision) => ({ reviewer: decision.reviewer, reason: requireReason(decision.reason) }));
  if (rejections.length > 0) return { status: 'rejected', rejections };
  const approved = new Set(counted.map((decision) => reviewerKey(decision.reviewer)));
  const awaiting = dedupe(required).filter((reviewer) => !approved.has(reviewerKey(reviewer)));
  return awaiting.length > 0 ? { status: 'pending', awaiting } : { status: 'approved' };
}

function dedupe(reviewers: readonly Reviewer[]): Reviewer[] {
  const seen = new Set<string>();
  return reviewers.filter((reviewer) => {
    const key = reviewerKey(reviewer);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
