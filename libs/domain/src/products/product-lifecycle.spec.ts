import fc from 'fast-check';
import { CLASSIFICATION_KEYS } from '../catalog/vocabulary.js';
import { DomainError, ERROR_CODES } from '../errors/domain-error.js';
import {
  allowedActions,
  MAX_PRODUCT_INPUTS,
  requiredApprovals,
  reviewStatus,
  transition,
  validateProductInputs,
  type ProductAction,
  type ProductInputRef,
  type ProductState,
  type ReviewDecisionRecord,
  type Reviewer,
} from './product-lifecycle.js';
import {
  GATE_REASONS,
  GATE_RULES,
  GATE_OUTCOMES,
  PRODUCT_KINDS,
  PRODUCT_STATUS_KEYS,
  PRODUCT_STATUSES,
  REVIEW_DECISIONS,
  SMALL_CELL_HANDLING,
  SUSPENSION_CAUSE_KEYS,
  SUSPENSION_CAUSES,
} from './vocabulary.js';

function expectDomainError(run: () => unknown, code: string): DomainError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(code);
    return error as DomainError;
  }
  throw new Error(`expected ${code}`);
}

const run = (state: ProductState, ...actions: ProductAction[]) => actions.reduce(transition, state);
const draft: ProductState = { status: 'draft' };

describe('transition', () => {
  it('takes a listing from draft to retired', () => {
    const states: string[] = [];
    let state: ProductState = draft;
    for (const type of ['submit', 'approve', 'publish', 'retire'] as const) {
      state = transition(state, { type });
      states.push(state.status);
    }
    expect(states).toEqual(['submitted', 'approved', 'published', 'retired']);
    expect(allowedActions(state)).toEqual([]);
  });

  it('sends a rejected listing back to draft with its reason, until resubmitted', () => {
    const rejected = run(draft, { type: 'submit' }, { type: 'reject', reason: '  k too small for district  ' });
    expect(rejected).toEqual({ status: 'draft', lastReview: { outcome: 'rejected', reason: 'k too small for district' } });
    expect(transition(rejected, { type: 'submit' })).toEqual({ status: 'submitted' });
    expect(run(draft, { type: 'submit' }, { type: 'cancel_submission' })).toEqual({ status: 'draft' });
  });

  it('needs a reason to reject', () => {
    for (const reason of ['', '   ', undefined as unknown as string]) {
      expectDomainError(() => run(draft, { type: 'submit' }, { type: 'reject', reason }), 'product.invalid_review');
    }
  });

  it('suspends an approved or published listing and resumes it where it was', () => {
    const published = run(draft, { type: 'submit' }, { type: 'approve' }, { type: 'publish' });
    const suspended = transition(published, { type: 'suspend', cause: 'source_withdrawn' });
    expect(suspended).toEqual({ status: 'suspended', resumeTo: 'published', causes: ['source_withdrawn'] });
    const twice = run(suspended, { type: 'suspend', cause: 'grant_revoked' }, { type: 'suspend', cause: 'grant_revoked' });
    expect(twice).toEqual({ status: 'suspended', resumeTo: 'published', causes: ['source_withdrawn', 'grant_revoked'] });
    expect(transition(twice, { type: 'resume' })).toEqual({ status: 'published' });
    expect(run(draft, { type: 'submit' }, { type: 'approve' }, { type: 'suspend', cause: 'source_reclassified' }, { type: 'resume' })).toEqual({ status: 'approved' });
    expect(transition(suspended, { type: 'retire' })).toEqual({ status: 'retired' });
  });

  it('refuses anything else with the allowed actions in its details', () => {
    const error = expectDomainError(() => transition(draft, { type: 'publish' }), 'product.invalid_transition');
    expect(error.kind).toBe('conflict');
    expect(error.details).toEqual({ status: 'draft', action: 'publish', allowed: ['submit'] });
    expectDomainError(() => transition({ status: 'retired' }, { type: 'resume' }), 'product.invalid_transition');
    expectDomainError(() => transition({ status: 'submitted' }, { type: 'suspend', cause: 'operator' }), 'product.invalid_transition');
  });

  const actionArbitrary: fc.Arbitrary<ProductAction> = fc.oneof(
    fc.constantFrom<ProductAction>(
      { type: 'submit' },
      { type: 'cancel_submission' },
      { type: 'approve' },
      { type: 'publish' },
      { type: 'resume' },
      { type: 'retire' },
      { type: 'reject', reason: 'incomplete description' },
    ),
    fc.constantFrom(...SUSPENSION_CAUSE_KEYS).map((cause): ProductAction => ({ type: 'suspend', cause })),
  );

  it('moves exactly when the action is allowed, and only to known states (property)', () => {
    fc.assert(
      fc.property(fc.array(actionArbitrary, { maxLength: 30 }), (actions) => {
        let state: ProductState = draft;
        for (const action of actions) {
          const allowed = allowedActions(state).includes(action.type);
          if (!allowed) {
            expectDomainError(() => transition(state, action), 'product.invalid_transition');
            continue;
          }
          const next = transition(state, action);
          expect(PRODUCT_STATUS_KEYS).toContain(next.status);
          if (next.status === 'suspended') {
            expect(['approved', 'published']).toContain(next.resumeTo);
            expect(next.causes.length).toBeGreaterThan(0);
            expect(new Set(next.causes).size).toBe(next.causes.length);
          }
          if (state.status === 'retired') throw new Error('retired is final');
          state = next;
        }
      }),
    );
  });
});

describe('validateProductInputs', () => {
  const agency = { organizationId: 'agency-1', organizationKind: 'agency' as const };
  const vendor = { organizationId: 'vendor-1', organizationKind: 'vendor' as const };
  const ownDataset: ProductInputRef = { kind: 'dataset_version', id: 'dv1', agencyId: 'agency-1' };
  const otherDataset: ProductInputRef = { kind: 'dataset_version', id: 'dv2', agencyId: 'agency-2' };
  const rule = (run: () => unknown) => (expectDomainError(run, 'product.invalid_inputs').details as { rule: string }).rule;

  it('lets an agency sell exactly one of its own datasets as a base product', () => {
    validateProductInputs({ kind: 'base', owner: agency, inputs: [ownDataset] });
    expect(rule(() => validateProductInputs({ kind: 'base', owner: agency, inputs: [] }))).toBe('single_input');
    expect(rule(() => validateProductInputs({ kind: 'base', owner: agency, inputs: [ownDataset, otherDataset] }))).toBe('single_input');
    expect(rule(() => validateProductInputs({ kind: 'base', owner: agency, inputs: [otherDataset] }))).toBe('own_dataset');
    expect(rule(() => validateProductInputs({ kind: 'base', owner: agency, inputs: [{ kind: 'product_version', id: 'pv' }] }))).toBe('dataset_input');
  });

  it('lets a vendor derive from 1 to MAX_PRODUCT_INPUTS distinct inputs', () => {
    validateProductInputs({ kind: 'derived', owner: vendor, inputs: [ownDataset, otherDataset, { kind: 'product_version', id: 'pv' }] });
    expect(rule(() => validateProductInputs({ kind: 'derived', owner: vendor, inputs: [] }))).toBe('input_count');
    const many = Array.from({ length: MAX_PRODUCT_INPUTS + 1 }, (_, i): ProductInputRef => ({ kind: 'product_version', id: `pv${i}` }));
    expect(rule(() => validateProductInputs({ kind: 'derived', owner: vendor, inputs: many }))).toBe('input_count');
    validateProductInputs({ kind: 'derived', owner: vendor, inputs: many.slice(1) });
    expect(rule(() => validateProductInputs({ kind: 'derived', owner: vendor, inputs: [ownDataset, ownDataset] }))).toBe('distinct');
  });

  it('refuses the wrong kind of owner', () => {
    expect(expectDomainError(() => validateProductInputs({ kind: 'base', owner: vendor, inputs: [ownDataset] }), 'product.kind_not_allowed').kind).toBe('forbidden');
    expectDomainError(() => validateProductInputs({ kind: 'derived', owner: agency, inputs: [ownDataset] }), 'product.kind_not_allowed');
    expectDomainError(() => validateProductInputs({ kind: 'derived', owner: { organizationId: 'e', organizationKind: 'enterprise' }, inputs: [ownDataset] }), 'product.kind_not_allowed');
  });
});

describe('review', () => {
  it('needs the operator and each agency of conditional or restricted inputs, once', () => {
    expect(requiredApprovals([])).toEqual(['platform']);
    expect(
      requiredApprovals([
        { agencyId: 'transport', classification: 'restricted' },
        { agencyId: 'health', classification: 'conditional' },
        { agencyId: 'weather', classification: 'open' },
        { agencyId: 'transport', classification: 'conditional' },
      ]),
    ).toEqual(['platform', { agencyId: 'health' }, { agencyId: 'transport' }]);
  });

  it('needs only the operator for an agency listing its own data', () => {
    expect(requiredApprovals([{ agencyId: 'transport', classification: 'restricted' }], { submitterId: 'transport' })).toEqual(['platform']);
  });

  const required: Reviewer[] = ['platform', { agencyId: 'health' }];

  it('is pending until every required reviewer approved', () => {
    expect(reviewStatus(required, [])).toEqual({ status: 'pending', awaiting: required });
    expect(reviewStatus(required, [{ reviewer: 'platform', decision: 'approve' }])).toEqual({ status: 'pending', awaiting: [{ agencyId: 'health' }] });
    expect(
      reviewStatus(required, [
        { reviewer: { agencyId: 'health' }, decision: 'approve' },
        { reviewer: 'platform', decision: 'approve' },
      ]),
    ).toEqual({ status: 'approved' });
  });

  it('is rejected by any one rejection, which needs a reason', () => {
    expect(
      reviewStatus(required, [
        { reviewer: 'platform', decision: 'approve' },
        { reviewer: { agencyId: 'health' }, decision: 'reject', reason: 'Ages below 18 are identifiable' },
      ]),
    ).toEqual({ status: 'rejected', rejections: [{ reviewer: { agencyId: 'health' }, reason: 'Ages below 18 are identifiable' }] });
    expectDomainError(() => reviewStatus(required, [{ reviewer: 'platform', decision: 'reject', reason: ' ' }]), 'product.invalid_review');
    expectDomainError(() => reviewStatus(required, [{ reviewer: { agencyId: 'other' }, decision: 'reject' }]), 'product.invalid_review');
  });

  it('ignores reviewers who are not required, and refuses a review without the operator', () => {
    expect(reviewStatus(['platform'], [{ reviewer: { agencyId: 'other' }, decision: 'reject', reason: 'no' }, { reviewer: 'platform', decision: 'approve' }])).toEqual({
      status: 'approved',
    });
    expectDomainError(() => reviewStatus([{ agencyId: 'health' }], []), 'product.invalid_review');
  });

  const agencyIds = ['a', 'b', 'c', 'd'];
  const decisionArbitrary: fc.Arbitrary<ReviewDecisionRecord> = fc.record({
    reviewer: fc.oneof(fc.constant<Reviewer>('platform'), fc.constantFrom(...agencyIds).map((agencyId): Reviewer => ({ agencyId }))),
    decision: fc.constantFrom('approve' as const, 'reject' as const),
    reason: fc.constant('a reason'),
  });
  const inputsArbitrary = fc.array(fc.record({ agencyId: fc.constantFrom(...agencyIds), classification: fc.constantFrom(...CLASSIFICATION_KEYS) }), { maxLength: 6 });

  it('approves exactly when every required reviewer approved and none of them rejected (property)', () => {
    fc.assert(
      fc.property(inputsArbitrary, fc.array(decisionArbitrary, { maxLength: 8 }), (inputs, decisions) => {
        const needed = requiredApprovals(inputs);
        const key = (reviewer: Reviewer) => (reviewer === 'platform' ? 'platform' : reviewer.agencyId);
        const neededKeys = needed.map(key);
        const counted = decisions.filter((decision) => neededKeys.includes(key(decision.reviewer)));
        const result = reviewStatus(needed, decisions);
        const anyRejection = counted.some((decision) => decision.decision === 'reject');
        const allApproved = neededKeys.every((reviewer) => counted.some((decision) => key(decision.reviewer) === reviewer && decision.decision === 'approve'));
        expect(result.status).toBe(anyRejection ? 'rejected' : allApproved ? 'approved' : 'pending');
        if (result.status === 'pending') {
          expect(result.awaiting.map(key)).toEqual(neededKeys.filter((reviewer) => !counted.some((decision) => key(decision.reviewer) === reviewer)));
        }
        const agencies = inputs.filter((input) => input.classification !== 'open').map((input) => input.agencyId);
        expect(neededKeys).toEqual(['platform', ...[...new Set(agencies)].sort()]);
      }),
    );
  });
});

describe('product vocabularies and error codes', () => {
  it('labels every term in both languages, and describes the gate rules and reasons', () => {
    const vocabularies = [PRODUCT_KINDS, PRODUCT_STATUSES, SUSPENSION_CAUSES, REVIEW_DECISIONS, SMALL_CELL_HANDLING, GATE_OUTCOMES, GATE_RULES, GATE_REASONS];
    for (const vocabulary of vocabularies) {
      for (const term of Object.values(vocabulary)) {
        expect(term.zh).toMatch(/\p{Script=Han}/u);
        expect(term.en).toMatch(/^[A-Za-z]/);
      }
    }
    for (const term of [...Object.values(GATE_RULES), ...Object.values(GATE_REASONS)]) {
      expect(term.description.zh).toMatch(/\p{Script=Han}/u);
      expect(term.description.en).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('names every status of the lifecycle', () => {
    expect(PRODUCT_STATUS_KEYS.sort()).toEqual(['approved', 'draft', 'published', 'retired', 'submitted', 'suspended']);
  });

  it('gives product codes one of the expected kinds', () => {
    const productCodes = Object.entries(ERROR_CODES).filter(([code]) => code.startsWith('product.'));
    expect(productCodes.length).toBeGreaterThan(0);
    for (const [, kind] of productCodes) expect(['validation', 'conflict', 'forbidden', 'not_found']).toContain(kind);
  });
});
