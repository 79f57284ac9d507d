/**
 * Entitlements: may this licence do this now, and how much of its allowance is left?
 *
 * Requests map onto ODRL actions:
 *   query      → use        (reading rows through the API or the platform's query tools)
 *   download   → reproduce  (a copy of the data leaves the platform)
 *   derive     → derive     (building results, e.g. a vendor's derived product, from the data)
 *   distribute → distribute (supplying data or results to third parties)
 * A permission of an action covers the actions ODRL includes in it (a permission to `use`
 * covers `reproduce`, `derive`, `distribute`…); so does a prohibition. All of a permission's
 * constraints must hold; any one permission that holds is enough. A prohibition applies when
 * all of its constraints hold; policies say which wins (`conflict`: templates say `prohibit`;
 * a policy that says nothing is treated as `invalid`: both applying refuses).
 *
 * Checked in this order, the first failure being the reason:
 * 1. the licence state: pending_approval / pending_payment / cancelled → licensing.not_active,
 *    suspended, revoked, expired → their own codes. past_due still delivers: it is the grace
 *    period while Stripe retries the payment; when the grace period is over (graceEndsAt, or
 *    the grace_expired event moving the licence to suspended) delivery stops;
 * 2. expiresAt (licensing.expired);
 * 3. the policy: prohibitions, then permissions (action_not_permitted, prohibited,
 *    purpose_not_permitted, territory_not_permitted, asset_form_not_permitted,
 *    count_exceeded, outside_term, policy_conflict);
 * 4. the plan's hard limit per period, metered.maxQuantity (licensing.quota_exceeded).
 * Fail closed: a constraint that cannot be checked (a fact the request or the licence does
 * not give, an operand or operator the evaluator does not implement) refuses with
 * licensing.constraint_unverifiable, naming the constraint.
 */
import { ACCESS_PURPOSE_KEYS, type Term } from '../catalog/vocabulary.js';
import { DomainError, type ErrorCode } from '../errors/domain-error.js';
import { meteredPricing, type MeteredUnit, type PricePlan } from '../pricing/price-plan.js';
import { addIsoDuration, parseIsoDuration } from './duration.js';
import { actionCovers, CIVIC_NAMESPACE, operandValues, parseOdrlDateTime, type OdrlConstraint, type OdrlDuty, type OdrlPolicy, type OdrlText } from './odrl.js';
import type { LicenceState } from './lifecycle.js';

export type EntitlementAction = 'query' | 'download' | 'derive' | 'distribute';
export const ENTITLEMENT_ACTIONS: Readonly<Record<EntitlementAction, string>> = {
  query: 'use',
  download: 'reproduce',
  derive: 'derive',
  distribute: 'distribute',
};

export type EntitlementReason =
  | 'licensing.not_active'
  | 'licensing.suspended'
  | 'licensing.revoked'
  | 'licensing.expired'
  | 'licensing.grace_expired'
  | 'licensing.action_not_permitted'
  | 'licensing.prohibited'
  | 'licensing.purpose_not_permitted'
  | 'licensing.territory_not_permitted'
  | 'licensing.asset_form_not_permitted'
  | 'licensing.count_exceeded'
  | 'licensing.quota_exceeded'
  | 'licensing.outside_term'
  | 'licensing.constraint_unverifiable'
  | 'licensing.policy_conflict';

export const ENTITLEMENT_REASONS = {
  'licensing.not_active': { zh: '许可尚未生效或已取消', en: 'The licence is not in force (not yet approved or paid, or cancelled)' },
  'licensing.suspended': { zh: '许可已暂停', en: 'The licence is suspended' },
  'licensing.revoked': { zh: '许可已撤销', en: 'The licence was revoked' },
  'licensing.expired': { zh: '许可已到期', en: 'The licence has expired' },
  'licensing.grace_expired': { zh: '付款宽限期已过', en: 'The grace period for payment is over' },
  'licensing.action_not_permitted': { zh: '许可不允许此行为', en: 'The licence does not permit this action' },
  'licensing.prohibited': { zh: '许可禁止此行为', en: 'The licence prohibits this action' },
  'licensing.purpose_not_permitted': { zh: '许可不允许此用途', en: 'The licence does not permit this purpose' },
  'licensing.territory_not_permitted': { zh: '许可不允许在此地域使用', en: 'The licence does not permit use in this territory' },
  'licensing.asset_form_not_permitted': { zh: '许可不允许以此形态提供数据', en: 'The licence does not permit this form of the data' },
  'licensing.count_exceeded': { zh: '已达到许可允许的使用次数', en: 'The licence’s number of uses is used up' },
  'licensing.quota_exceeded': { zh: '已达到本计费周期的用量上限', en: 'The usage limit of this billing period is reached' },
  'licensing.outside_term': { zh: '不在许可允许的期限内', en: 'Outside the term the licence allows' },
  'licensing.constraint_unverifiable': { zh: '无法核验许可条件（缺少所需信息）', en: 'A condition of the licence cannot be checked (information is missing)' },
  'licensing.policy_conflict': { zh: '许可的允许与禁止条款冲突', en: 'The licence both permits and prohibits this action' },
} as const satisfies Record<EntitlementReason, Term>;

type Instant = Date | string;

export interface LicenceFacts {
  state: LicenceState;
  policy: OdrlPolicy;
  plan: PricePlan;
  /** The current billing period (for the quota); informational otherwise. */
  currentPeriod?: { start: Instant; end: Instant } | null;
  /** Units used so far in the current period, by metered unit. */
  usedInPeriod?: Partial<Record<MeteredUnit, number>>;
  /** End of the licence (fixed-term licences); delivery stops at this instant. */
  expiresAt?: Instant | null;
  /** When the licence became active: the start of ODRL elapsedTime terms. */
  startedAt?: Instant | null;
  /** past_due only: when the grace period ends (optional; the grace_expired event also ends it). */
  graceEndsAt?: Instant | null;
  /** Times each ODRL action was exercised under this licence so far (for count constraints). */
  actionCounts?: Partial<Record<string, number>>;
}

export interface EntitlementRequest {
  action: EntitlementAction;
  /** A catalog access purpose ("research") or a purpose IRI ("civic:research"). */
  purpose?: string;
  /** Where the data is used: ISO 3166-1 alpha-2 or ISO 3166-2 ("CN", "CN-SH"). */
  territory?: string;
  /** For distribute: whether the licensed data itself or results derived from it are supplied. */
  assetForm?: 'raw' | 'derived';
  /** Units of the plan's metered unit the request will use, when known. */
  quantity?: number;
  now: Instant;
}

export interface EntitlementQuota {
  unit: MeteredUnit;
  /** Free units per period. */
  included: number;
  used: number;
  /** Units left before the plan's hard limit (metered.maxQuantity); null = unlimited. */
  remaining: number | null;
  /** Whether this request's usage (one unit when its quantity is not given) falls beyond the included quantity and is billed. */
  overageBilled: boolean;
}

export interface EntitlementDuty {
  action: string;
  attributionText?: OdrlText[];
}

export interface EntitlementDecision {
  allowed: boolean;
  /** Why not; null when allowed. */
  reason: EntitlementReason | null;
  /** Which constraint or prohibition refused, when the policy did. */
  details?: Record<string, unknown>;
  /** The ODRL action the request was checked as. */
  odrlAction: string;
  /** Metered plans only. */
  quota: EntitlementQuota | null;
  /** What the licensee must do when allowed: duties of the permissions that allow it and the policy's obligations (e.g. credit the source). */
  duties: EntitlementDuty[];
}

type Outcome = 'satisfied' | 'unsatisfied' | 'unknown';

interface ConstraintCheck {
  outcome: Outcome;
  constraint: OdrlConstraint;
}

interface EvaluationContext {
  now: number;
  purpose?: string;
  territory?: string;
  assetForm?: string;
  startedAt?: number;
  actionCounts?: Partial<Record<string, number>>;
}

function instant(value: Instant | null | undefined, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const time = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) throw new DomainError('licensing.invalid_request', `${field} is not a valid date`, { field });
  return time;
}

function normalizePurpose(purpose: string): string {
  if (purpose.startsWith(CIVIC_NAMESPACE)) return `civic:${purpose.slice(CIVIC_NAMESPACE.length)}`;
  return (ACCESS_PURPOSE_KEYS as readonly string[]).includes(purpose) ? `civic:${purpose}` : purpose;
}

function compareSet(operator: OdrlConstraint['operator'], matches: (value: string | number) => boolean, values: Array<string | number>): Outcome {
  switch (operator) {
    case 'eq':
    case 'isAnyOf':
    case 'isPartOf':
      return values.some(matches) ? 'satisfied' : 'unsatisfied';
    case 'neq':
    case 'isNoneOf':
      return values.some(matches) ? 'unsatisfied' : 'satisfied';
    case 'isAllOf':
      return values.every(matches) ? 'satisfied' : 'unsatisfied';
    default:
      return 'unknown';
  }
}

function compareNumbers(operator: OdrlConstraint['operator'], left: number, right: number): Outcome {
  switch (operator) {
    case 'eq':
      return left === right ? 'satisfied' : 'unsatisfied';
    case 'neq':
      return left !== right ? 'satisfied' : 'unsatisfied';
    case 'lt':
      return left < right ? 'satisfied' : 'unsatisfied';
    case 'lteq':
      return left <= right ? 'satisfied' : 'unsatisfied';
    case 'gt':
      return left > right ? 'satisfied' : 'unsatisfied';
    case 'gteq':
      return left >= right ? 'satisfied' : 'unsatisfied';
    default:
      return 'unknown';
  }
}

function checkConstraint(constraint: OdrlConstraint, ruleAction: string, context: EvaluationContext): Outcome {
  const values = operandValues(constraint.rightOperand);
  switch (constraint.leftOperand) {
    case 'purpose': {
      if (!context.purpose) return 'unknown';
      const purpose = normalizePurpose(context.purpose);
      return compareSet(constraint.operator, (value) => typeof value === 'string' && normalizePurpose(value) === purpose, values);
    }
    case 'spatial': {
      const territory = context.territory;
      if (!territory) return 'unknown';
      if (values.some((value) => typeof value !== 'string' || !/^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/.test(value))) return 'unknown';
      return compareSet(constraint.operator, (value) => territory === value || territory.startsWith(`${value}-`), values);
    }
    case 'civic:assetForm': {
      if (!context.assetForm) return 'unknown';
      return compareSet(constraint.operator, (value) => value === `civic:${context.assetForm}`, values);
    }
    case 'elapsedTime': {
      const duration = typeof values[0] === 'string' ? parseIsoDuration(values[0]) : null;
      if (context.startedAt === undefined || !duration || values.length !== 1) return 'unknown';
      const end = addIsoDuration(new Date(context.startedAt), duration).getTime();
      if (constraint.operator === 'lt') return context.now < end ? 'satisfied' : 'unsatisfied';
      if (constraint.operator === 'lteq' || constraint.operator === 'eq') return context.now <= end ? 'satisfied' : 'unsatisfied';
      return 'unknown';
    }
    case 'dateTime': {
      const range = typeof values[0] === 'string' && values.length === 1 ? parseOdrlDateTime(values[0]) : null;
      if (!range) return 'unknown';
      const { start, end } = range;
      const now = context.now;
      const point = start === end;
      switch (constraint.operator) {
        case 'lt':
          return now < start ? 'satisfied' : 'unsatisfied';
        case 'lteq':
          return (point ? now <= start : now < end) ? 'satisfied' : 'unsatisfied';
        case 'gt':
          return (point ? now > start : now >= end) ? 'satisfied' : 'unsatisfied';
        case 'gteq':
          return now >= start ? 'satisfied' : 'unsatisfied';
        case 'eq':
          return (point ? now === start : now >= start && now < end) ? 'satisfied' : 'unsatisfied';
        case 'neq':
          return (point ? now !== start : now < start || now >= end) ? 'satisfied' : 'unsatisfied';
        default:
          return 'unknown';
      }
    }
    case 'count': {
      const limit = values[0];
      if (!context.actionCounts || typeof limit !== 'number' || values.length !== 1) return 'unknown';
      const exercised = Object.entries(context.actionCounts).reduce((sum, [action, count]) => sum + (actionCovers(ruleAction, action) ? (count ?? 0) : 0), 0);
      // The count after this exercise; "count eq N" allows N exercises, like lteq.
      return compareNumbers(constraint.operator === 'eq' ? 'lteq' : constraint.operator, exercised + 1, limit);
    }
    default:
      return 'unknown';
  }
}

const UNSATISFIED_REASON: Record<string, EntitlementReason> = {
  purpose: 'licensing.purpose_not_permitted',
  spatial: 'licensing.territory_not_permitted',
  'civic:assetForm': 'licensing.asset_form_not_permitted',
  elapsedTime: 'licensing.outside_term',
  dateTime: 'licensing.outside_term',
  count: 'licensing.count_exceeded',
};

function checkAll(constraints: readonly OdrlConstraint[] | undefined, ruleAction: string, context: EvaluationContext): ConstraintCheck[] {
  return (constraints ?? []).map((constraint) => ({ constraint, outcome: checkConstraint(constraint, ruleAction, context) }));
}

export interface PolicyDecision {
  allowed: boolean;
  reason: EntitlementReason | null;
  details?: Record<string, unknown>;
  duties: EntitlementDuty[];
}

function toDuty(duty: OdrlDuty): EntitlementDuty {
  return duty['civic:attributionText'] ? { action: duty.action, attributionText: duty['civic:attributionText'].map((text) => ({ ...text })) } : { action: duty.action };
}

/** The policy part of an entitlement check, for one ODRL action (exported for tests and previews). */
export function evaluatePolicy(
  policy: OdrlPolicy,
  odrlAction: string,
  request: { now: Instant; purpose?: string; territory?: string; assetForm?: 'raw' | 'derived'; startedAt?: Instant | null; actionCounts?: Partial<Record<string, number>> },
): PolicyDecision {
  const context: EvaluationContext = {
    now: instant(request.now, 'now') as number,
    purpose: request.purpose,
    territory: request.territory,
    assetForm: request.assetForm,
    startedAt: instant(request.startedAt, 'startedAt'),
    actionCounts: request.actionCounts,
  };
  // Prohibitions: apply when none of their constraints is known not to hold (fail closed).
  let prohibition: { index: number; action: string; unverifiable: OdrlConstraint[] } | undefined;
  (policy.prohibition ?? []).forEach((rule, index) => {
    if (prohibition || !actionCovers(rule.action, odrlAction)) return;
    const checks = checkAll(rule.constraint, rule.action, context);
    if (checks.some((check) => check.outcome === 'unsatisfied')) return;
    prohibition = { index, action: rule.action, unverifiable: checks.filter((check) => check.outcome === 'unknown').map((check) => check.constraint) };
  });
  // Permissions: exact action first, then broader ones, in policy order.
  const candidates = (policy.permission ?? [])
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => actionCovers(rule.action, odrlAction))
    .sort((a, b) => Number(b.rule.action === odrlAction) - Number(a.rule.action === odrlAction) || a.index - b.index);
  const evaluated = candidates.map((candidate) => ({ ...candidate, checks: checkAll(candidate.rule.constraint, candidate.rule.action, context) }));
  const granting = evaluated.filter((candidate) => candidate.checks.every((check) => check.outcome === 'satisfied'));
  const duties = [...granting.flatMap(({ rule }) => (rule.duty ?? []).map(toDuty)), ...(policy.obligation ?? []).map(toDuty)];
  const deny = (reason: EntitlementReason, details?: Record<string, unknown>): PolicyDecision => ({ allowed: false, reason, ...(details ? { details } : {}), duties: [] });
  const conflict = policy.conflict ?? 'invalid';
  if (prohibition && !(granting.length > 0 && conflict === 'perm')) {
    const details = { prohibition: prohibition.index, action: prohibition.action };
    if (prohibition.unverifiable.length > 0) return deny('licensing.constraint_unverifiable', { ...details, constraints: prohibition.unverifiable });
    if (granting.length > 0 && conflict === 'invalid') return deny('licensing.policy_conflict', details);
    return deny('licensing.prohibited', details);
  }
  if (granting.length > 0) return { allowed: true, reason: null, duties };
  if (evaluated.length === 0) return deny('licensing.action_not_permitted', { action: odrlAction });
  const first = evaluated[0];
  const failed = first.checks.find((check) => check.outcome === 'unsatisfied') ?? first.checks.find((check) => check.outcome === 'unknown');
  const constraint = failed?.constraint;
  const details = { permission: first.index, constraint };
  if (!constraint || failed?.outcome === 'unknown') return deny('licensing.constraint_unverifiable', details);
  return deny(UNSATISFIED_REASON[constraint.leftOperand] ?? 'licensing.constraint_unverifiable', details);
}

const STATE_REASON: Partial<Record<LicenceState, EntitlementReason>> = {
  pending_approval: 'licensing.not_active',
  pending_payment: 'licensing.not_active',
  cancelled: 'licensing.not_active',
  suspended: 'licensing.suspended',
  revoked: 'licensing.revoked',
  expired: 'licensing.expired',
};

function quotaOf(plan: PricePlan, used: Partial<Record<MeteredUnit, number>> | undefined, quantity: number | undefined): EntitlementQuota | null {
  const metered = meteredPricing(plan);
  if (!metered) return null;
  const usedUnits = used?.[metered.unit] ?? 0;
  const request = quantity ?? 1;
  return {
    unit: metered.unit,
    included: metered.includedQuantity,
    used: usedUnits,
    remaining: metered.maxQuantity === undefined ? null : Math.max(0, metered.maxQuantity - usedUnits),
    overageBilled: request > 0 && usedUnits + request > metered.includedQuantity,
  };
}

/**
 * Decides one request against a licence's facts. Throws licensing.invalid_request only for
 * malformed input (unknown action, invalid dates, negative usage); every refusal is a
 * decision with a reason.
 */
export function evaluateEntitlement(facts: LicenceFacts, request: EntitlementRequest): EntitlementDecision {
  const odrlAction = ENTITLEMENT_ACTIONS[request.action];
  if (!odrlAction) throw new DomainError('licensing.invalid_request', `Unknown request action ${String(request.action)}`, { action: request.action });
  if (request.quantity !== undefined && (!Number.isSafeInteger(request.quantity) || request.quantity < 0)) {
    throw new DomainError('licensing.invalid_request', 'A request quantity is a non-negative integer', { quantity: request.quantity });
  }
  for (const [unit, used] of Object.entries(facts.usedInPeriod ?? {})) {
    if (!Number.isSafeInteger(used) || (used as number) < 0) throw new DomainError('licensing.invalid_request', 'Usage is a non-negative integer', { unit, used });
  }
  const now = instant(request.now, 'now') as number;
  const quota = quotaOf(facts.plan, facts.usedInPeriod, request.quantity);
  const decide = (reason: EntitlementReason | null, details?: Record<string, unknown>, duties: EntitlementDuty[] = []): EntitlementDecision => ({
    allowed: reason === null,
    reason,
    ...(details ? { details } : {}),
    odrlAction,
    quota,
    duties: reason === null ? duties : [],
  });
  const stateReason = STATE_REASON[facts.state];
  if (stateReason) return decide(stateReason, { state: facts.state });
  if (facts.state === 'past_due') {
    const graceEndsAt = instant(facts.graceEndsAt, 'graceEndsAt');
    if (graceEndsAt !== undefined && now >= graceEndsAt) return decide('licensing.grace_expired', { graceEndsAt: new Date(graceEndsAt).toISOString() });
  }
  const expiresAt = instant(facts.expiresAt, 'expiresAt');
  if (expiresAt !== undefined && now >= expiresAt) return decide('licensing.expired', { expiresAt: new Date(expiresAt).toISOString() });
  const policy = evaluatePolicy(facts.policy, odrlAction, { ...request, startedAt: facts.startedAt, actionCounts: facts.actionCounts });
  if (!policy.allowed) return decide(policy.reason, policy.details);
  const metered = meteredPricing(facts.plan);
  if (metered?.maxQuantity !== undefined && quota) {
    const wanted = request.quantity ?? 1;
    if (wanted > 0 && quota.used + wanted > metered.maxQuantity) return decide('licensing.quota_exceeded', { maxQuantity: metered.maxQuantity, used: quota.used, requested: wanted });
  }
  return decide(null, undefined, policy.duties);
}

// Every reason is an error code, so services can throw a refusal as DomainError(reason).
type ReasonsAreErrorCodes = EntitlementReason extends ErrorCode ? true : never;
export const ENTITLEMENT_REASONS_ARE_ERROR_CODES: ReasonsAreErrorCodes = true;
