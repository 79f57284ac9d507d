import fc from 'fast-check';
import type { PricePlan } from '../pricing/price-plan.js';
import { expectDomainError } from '../pricing/test-support.js';
import { ENTITLEMENT_ACTIONS, ENTITLEMENT_REASONS, evaluateEntitlement, evaluatePolicy, type EntitlementAction, type LicenceFacts } from './entitlement.js';
import { LICENCE_STATE_KEYS } from './lifecycle.js';
import { CIVIC_POLICY_CONTEXT, parseOdrlPolicy, type OdrlPolicy } from './odrl.js';
import { STANDARD_LICENSE_TEMPLATES } from './templates.js';

const NOW = '2026-03-15T10:00:00+08:00';
const hybrid: PricePlan = {
  kind: 'hybrid',
  currency: 'CNY',
  interval: 'month',
  amount: 120_000,
  metered: { unit: 'row', mode: 'per_unit', per: 1000, includedQuantity: 100_000, unitAmount: 5, maxQuantity: 1_000_000 },
};
const facts = (template: keyof typeof STANDARD_LICENSE_TEMPLATES, extra: Partial<LicenceFacts> = {}): LicenceFacts => ({
  state: 'active',
  policy: STANDARD_LICENSE_TEMPLATES[template].policy,
  plan: hybrid,
  currentPeriod: { start: '2026-03-01T00:00:00+08:00', end: '2026-04-01T00:00:00+08:00' },
  usedInPeriod: { row: 40_000 },
  startedAt: '2025-06-01T00:00:00+08:00',
  ...extra,
});
const policyOf = (fields: Partial<OdrlPolicy>): OdrlPolicy => parseOdrlPolicy({ '@context': CIVIC_POLICY_CONTEXT, '@type': 'Offer', uid: 'urn:civic:licence:test', ...fields });

describe('evaluateEntitlement: licence state', () => {
  it('delivers only to active and past-due licences', () => {
    const decisions = Object.fromEntries(
      LICENCE_STATE_KEYS.map((state) => [state, evaluateEntitlement(facts('open-attribution', { state }), { action: 'query', now: NOW }).reason]),
    );
    expect(decisions).toEqual({
      pending_approval: 'licensing.not_active',
      pending_payment: 'licensing.not_active',
      active: null,
      past_due: null,
      suspended: 'licensing.suspended',
      expired: 'licensing.expired',
      revoked: 'licensing.revoked',
      cancelled: 'licensing.not_active',
    });
  });

  it('stops a past-due licence when its grace period is over', () => {
    const pastDue = facts('open-attribution', { state: 'past_due', graceEndsAt: '2026-03-20T00:00:00+08:00' });
    expect(evaluateEntitlement(pastDue, { action: 'query', now: NOW }).allowed).toBe(true);
    expect(evaluateEntitlement(pastDue, { action: 'query', now: '2026-03-20T00:00:00+08:00' })).toMatchObject({ allowed: false, reason: 'licensing.grace_expired' });
  });

  it('stops at expiresAt', () => {
    const fixed = facts('open-attribution', { expiresAt: new Date('2026-03-15T02:00:00Z') });
    expect(evaluateEntitlement(fixed, { action: 'download', now: '2026-03-15T01:59:59Z' }).allowed).toBe(true);
    expect(evaluateEntitlement(fixed, { action: 'download', now: '2026-03-15T02:00:00Z' })).toMatchObject({ allowed: false, reason: 'licensing.expired' });
  });
});

describe('evaluateEntitlement: the standard templates', () => {
  it('maps requests onto ODRL actions', () => {
    expect(ENTITLEMENT_ACTIONS).toEqual({ query: 'use', download: 'reproduce', derive: 'derive', distribute: 'distribute' });
    const actions: EntitlementAction[] = ['query', 'download', 'derive', 'distribute'];
    expect(actions.map((action) => evaluateEntitlement(facts('open-attribution'), { action, now: NOW }).odrlAction)).toEqual(['use', 'reproduce', 'derive', 'distribute']);
  });

  it('open-attribution: everything, crediting the source when sharing', () => {
    const query = evaluateEntitlement(facts('open-attribution'), { action: 'query', now: NOW });
    expect(query).toMatchObject({ allowed: true, reason: null, duties: [] });
    const share = evaluateEntitlement(facts('open-attribution'), { action: 'distribute', now: NOW, territory: 'US' });
    expect(share.allowed).toBe(true);
    expect(share.duties.map((duty) => duty.action)).toEqual(['attribute']);
    expect(share.duties[0].attributionText?.[0]['@language']).toBe('zh-CN');
  });

  it('commercial-internal: inside China only, never to third parties', () => {
    const f = facts('commercial-internal');
    expect(evaluateEntitlement(f, { action: 'download', territory: 'CN', now: NOW })).toMatchObject({ allowed: true, duties: [{ action: 'delete' }] });
    expect(evaluateEntitlement(f, { action: 'query', territory: 'CN-SH', now: NOW }).allowed).toBe(true);
    expect(evaluateEntitlement(f, { action: 'query', territory: 'SG', now: NOW })).toMatchObject({ allowed: false, reason: 'licensing.territory_not_permitted', details: { permission: 0 } });
    expect(evaluateEntitlement(f, { action: 'query', now: NOW })).toMatchObject({ allowed: false, reason: 'licensing.constraint_unverifiable' });
    expect(evaluateEntitlement(f, { action: 'distribute', territory: 'CN', assetForm: 'derived', now: NOW })).toMatchObject({
      allowed: false,
      reason: 'licensing.prohibited',
      details: { prohibition: 0, action: 'distribute' },
    });
    expect(evaluateEntitlement(f, { action: 'derive', territory: 'CN', now: NOW }).allowed).toBe(true);
  });

  it('commercial-derived-redistribution: derived results may go to third parties, raw data may not', () => {
    const f = facts('commercial-derived-redistribution');
    const derived = evaluateEntitlement(f, { action: 'distribute', assetForm: 'derived', territory: 'DE', now: NOW });
    expect(derived.allowed).toBe(true);
    expect(derived.duties.map((duty) => duty.action)).toEqual(['attribute']);
    expect(evaluateEntitlement(f, { action: 'distribute', assetForm: 'raw', territory: 'CN', now: NOW })).toMatchObject({ allowed: false, reason: 'licensing.prohibited' });
    expect(evaluateEntitlement(f, { action: 'distribute', territory: 'CN', now: NOW })).toMatchObject({ allowed: false, reason: 'licensing.constraint_unverifiable' });
    expect(evaluateEntitlement(f, { action: 'download', territory: 'US', now: NOW })).toMatchObject({ allowed: false, reason: 'licensing.territory_not_permitted' });
  });

  it('research-noncommercial: research only, for a year; results may be published', () => {
    const f = facts('research-noncommercial', { startedAt: '2025-06-01T00:00:00+08:00' });
    expect(evaluateEntitlement(f, { action: 'query', purpose: 'research', now: NOW }).allowed).toBe(true);
    expect(evaluateEntitlement(f, { action: 'query', purpose: 'civic:research', now: NOW }).allowed).toBe(true);
    expect(evaluateEntitlement(f, { action: 'query', purpose: 'product_development', now: NOW })).toMatchObject({ allowed: false, reason: 'licensing.purpose_not_permitted' });
    expect(evaluateEntitlement(f, { action: 'query', now: NOW })).toMatchObject({ allowed: false, reason: 'licensing.constraint_unverifiable' });
    expect(evaluateEntitlement(f, { action: 'download', purpose: 'research', now: '2026-06-01T00:00:00+08:00' }).allowed).toBe(true);
    expect(evaluateEntitlement(f, { action: 'download', purpose: 'research', now: '2026-06-01T00:00:01+08:00' })).toMatchObject({ allowed: false, reason: 'licensing.outside_term' });
    expect(evaluateEntitlement({ ...f, startedAt: null }, { action: 'query', purpose: 'research', now: NOW })).toMatchObject({ reason: 'licensing.constraint_unverifiable' });
    expect(evaluateEntitlement(f, { action: 'distribute', purpose: 'research', assetForm: 'derived', now: '2027-01-01T00:00:00Z' }).allowed).toBe(true);
    expect(evaluateEntitlement(f, { action: 'distribute', purpose: 'research', assetForm: 'raw', now: NOW })).toMatchObject({ reason: 'licensing.prohibited' });
  });
});

describe('evaluateEntitlement: quota', () => {
  it('reports the period’s allowance and whether usage is billed', () => {
    const f = facts('open-attribution');
    expect(evaluateEntitlement(f, { action: 'query', now: NOW }).quota).toEqual({ unit: 'row', included: 100_000, used: 40_000, remaining: 960_000, overageBilled: false });
    expect(evaluateEntitlement(f, { action: 'query', quantity: 60_001, now: NOW }).quota?.overageBilled).toBe(true);
    expect(evaluateEntitlement(f, { action: 'query', quantity: 60_000, now: NOW }).quota?.overageBilled).toBe(false);
    expect(evaluateEntitlement({ ...f, usedInPeriod: {} }, { action: 'query', now: NOW }).quota?.used).toBe(0);
    const unlimited = { ...f, plan: { ...hybrid, metered: { ...hybrid.metered, maxQuantity: undefined } } as PricePlan };
    expect(evaluateEntitlement(unlimited, { action: 'query', now: NOW }).quota?.remaining).toBeNull();
    expect(evaluateEntitlement({ ...f, plan: { kind: 'free', currency: 'CNY' } }, { action: 'query', now: NOW }).quota).toBeNull();
  });

  it('refuses usage beyond the hard limit, and still reports the quota when refusing', () => {
    const f = facts('open-attribution', { usedInPeriod: { row: 999_000 } });
    expect(evaluateEntitlement(f, { action: 'download', quantity: 1000, now: NOW }).allowed).toBe(true);
    expect(evaluateEntitlement(f, { action: 'download', quantity: 1001, now: NOW })).toMatchObject({
      allowed: false,
      reason: 'licensing.quota_exceeded',
      quota: { remaining: 1000 },
      duties: [],
    });
    expect(evaluateEntitlement(facts('open-attribution', { usedInPeriod: { row: 1_000_000 } }), { action: 'query', now: NOW }).reason).toBe('licensing.quota_exceeded');
  });

  it('refuses malformed requests', () => {
    expectDomainError(() => evaluateEntitlement(facts('open-attribution'), { action: 'delete' as EntitlementAction, now: NOW }), 'licensing.invalid_request');
    expectDomainError(() => evaluateEntitlement(facts('open-attribution'), { action: 'query', now: 'yesterday' }), 'licensing.invalid_request');
    expectDomainError(() => evaluateEntitlement(facts('open-attribution'), { action: 'query', quantity: -1, now: NOW }), 'licensing.invalid_request');
    expectDomainError(() => evaluateEntitlement(facts('open-attribution', { usedInPeriod: { row: 1.5 } }), { action: 'query', now: NOW }), 'licensing.invalid_request');
  });
});

describe('evaluatePolicy: ODRL semantics', () => {
  const now = NOW;

  it('needs a permission covering the action', () => {
    const policy = policyOf({ permission: [{ action: 'display' }] });
    expect(evaluatePolicy(policy, 'use', { now })).toMatchObject({ allowed: false, reason: 'licensing.action_not_permitted' });
    expect(evaluatePolicy(policy, 'display', { now }).allowed).toBe(true);
  });

  it('counts exercises of the covered actions', () => {
    const policy = policyOf({ permission: [{ action: 'use', constraint: [{ leftOperand: 'count', operator: 'lteq', rightOperand: 3 }] }] });
    expect(evaluatePolicy(policy, 'reproduce', { now, actionCounts: { reproduce: 1, use: 1 } }).allowed).toBe(true);
    expect(evaluatePolicy(policy, 'reproduce', { now, actionCounts: { reproduce: 2, use: 1 } })).toMatchObject({ allowed: false, reason: 'licensing.count_exceeded' });
    expect(evaluatePolicy(policy, 'reproduce', { now, actionCounts: { sell: 99 } }).allowed).toBe(true);
    expect(evaluatePolicy(policy, 'reproduce', { now })).toMatchObject({ reason: 'licensing.constraint_unverifiable' });
  });

  it('compares the time of use with dates and date-times', () => {
    const until = policyOf({ permission: [{ action: 'use', constraint: [{ leftOperand: 'dateTime', operator: 'lteq', rightOperand: { '@value': '2026-03-15', '@type': 'xsd:date' } }] }] });
    expect(evaluatePolicy(until, 'use', { now: '2026-03-15T23:59:59+08:00' }).allowed).toBe(true);
    expect(evaluatePolicy(until, 'use', { now: '2026-03-16T00:00:00+08:00' })).toMatchObject({ reason: 'licensing.outside_term' });
    const from = policyOf({ permission: [{ action: 'use', constraint: [{ leftOperand: 'dateTime', operator: 'gteq', rightOperand: '2026-03-15T12:00:00Z' }] }] });
    expect(evaluatePolicy(from, 'use', { now: '2026-03-15T12:00:00Z' }).allowed).toBe(true);
    expect(evaluatePolicy(from, 'use', { now: '2026-03-15T11:59:59Z' }).allowed).toBe(false);
  });

  it('lets any one permission grant, and prohibitions win under conflict "prohibit"', () => {
    const policy = policyOf({
      conflict: 'prohibit',
      permission: [
        { action: 'use', constraint: [{ leftOperand: 'spatial', operator: 'eq', rightOperand: 'CN' }] },
        { action: 'reproduce', constraint: [{ leftOperand: 'purpose', operator: 'eq', rightOperand: { '@id': 'civic:research' } }] },
      ],
      prohibition: [{ action: 'reproduce', constraint: [{ leftOperand: 'spatial', operator: 'eq', rightOperand: 'CN-HK' }] }],
    });
    expect(evaluatePolicy(policy, 'reproduce', { now, territory: 'US', purpose: 'research' }).allowed).toBe(true);
    expect(evaluatePolicy(policy, 'reproduce', { now, territory: 'CN' }).allowed).toBe(true);
    expect(evaluatePolicy(policy, 'reproduce', { now, territory: 'CN-HK' })).toMatchObject({ reason: 'licensing.prohibited' });
    // The first failing condition of the most specific permission explains the refusal.
    expect(evaluatePolicy(policy, 'reproduce', { now, territory: 'US', purpose: 'journalism' })).toMatchObject({ reason: 'licensing.purpose_not_permitted', details: { permission: 1 } });
  });

  it('follows the policy’s conflict strategy', () => {
    const rules = { permission: [{ action: 'distribute' }], prohibition: [{ action: 'distribute' }] };
    expect(evaluatePolicy(policyOf({ ...rules, conflict: 'perm' }), 'distribute', { now }).allowed).toBe(true);
    expect(evaluatePolicy(policyOf({ ...rules, conflict: 'prohibit' }), 'distribute', { now }).reason).toBe('licensing.prohibited');
    expect(evaluatePolicy(policyOf({ ...rules, conflict: 'invalid' }), 'distribute', { now }).reason).toBe('licensing.policy_conflict');
    expect(evaluatePolicy(policyOf(rules), 'distribute', { now }).reason).toBe('licensing.policy_conflict');
    expect(evaluatePolicy(policyOf({ conflict: 'prohibit', permission: [{ action: 'distribute' }], prohibition: [{ action: 'use' }] }), 'distribute', { now }).reason).toBe('licensing.prohibited');
  });

  it('fails closed on conditions it cannot check', () => {
    const policy = policyOf({ permission: [{ action: 'use', constraint: [{ leftOperand: 'industry', operator: 'eq', rightOperand: 'finance' }] }] });
    expect(evaluatePolicy(policy, 'use', { now })).toMatchObject({ allowed: false, reason: 'licensing.constraint_unverifiable' });
  });

  it('never allows a request whose state does not deliver, for any template and request', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(STANDARD_LICENSE_TEMPLATES) as Array<keyof typeof STANDARD_LICENSE_TEMPLATES>)),
        fc.constantFrom(...LICENCE_STATE_KEYS),
        fc.constantFrom<EntitlementAction>('query', 'download', 'derive', 'distribute'),
        fc.option(fc.constantFrom('research', 'product_development'), { nil: undefined }),
        fc.option(fc.constantFrom('CN', 'US', 'CN-BJ'), { nil: undefined }),
        fc.option(fc.constantFrom('raw' as const, 'derived' as const), { nil: undefined }),
        (template, state, action, purpose, territory, assetForm) => {
          const decision = evaluateEntitlement(facts(template, { state }), { action, purpose, territory, assetForm, now: NOW });
          if (state !== 'active' && state !== 'past_due') expect(decision.allowed).toBe(false);
          expect(decision.allowed).toBe(decision.reason === null);
          if (decision.reason) expect(ENTITLEMENT_REASONS[decision.reason]).toBeDefined();
          if (!decision.allowed) expect(decision.duties).toEqual([]);
        },
      ),
    );
  });
});
