/**
 * A licence's life, from request to end:
 *
 *   pending_approval ─approve─▶ pending_payment ─payment_succeeded─▶ active
 *          │                            └──────────trial_started─────▶ active
 *          │  (approve without payment) ─────────────────────────────▶ active
 *          └─reject / withdraw─▶ cancelled ◀─withdraw─ pending_payment
 *   active ─payment_failed─▶ past_due ─payment_succeeded─▶ active
 *   past_due ─grace_expired─▶ suspended (non_payment) ─payment_succeeded─▶ active
 *   active | past_due ─suspend─▶ suspended (operator / product_suspended) ─unsuspend─▶ back
 *   active | past_due | suspended ─period_ended with cancelAtPeriodEnd / expire─▶ expired
 *   any non-terminal ─revoke─▶ revoked
 *
 * expired, revoked and cancelled are terminal: every event on them is refused.
 * - `cancelled` is a licence that never started: the request was rejected or withdrawn, or its
 *   checkout abandoned. It is kept apart from `expired` (a licence that ran its course) and
 *   `revoked` (ended by the platform or the agency for cause), so reports do not count
 *   abandoned checkouts as ended licences.
 * - past_due is the grace period: Stripe retries the payment (smart retries) and the licence
 *   keeps delivering (see evaluateEntitlement); when the grace period ends without payment,
 *   `grace_expired` suspends it for non-payment; a later payment reactivates it.
 * - Suspension records its causes; a licence suspended for several causes resumes only when
 *   each is cleared (non-payment only by a payment), to where it was (active or past due).
 * - trial_started puts a licence whose plan has a free trial in force without a payment (bought
 *   offline: the trial is its first period, and the first fixed fee is invoiced when it ends).
 * - cancelAtPeriodEnd mirrors Stripe's flag: cancel_at_period_end sets it, resume clears it,
 *   and period_ended (which may also carry the flag, as Stripe's webhook does) ends the
 *   licence when it is set. A period ending without it renews the licence in its state.
 */
import type { Term } from '../catalog/vocabulary.js';
import { DomainError } from '../errors/domain-error.js';

export type LicenceState = 'pending_approval' | 'pending_payment' | 'active' | 'past_due' | 'suspended' | 'expired' | 'revoked' | 'cancelled';

export const LICENCE_STATES = {
  pending_approval: { zh: '待审批', en: 'Awaiting approval' },
  pending_payment: { zh: '待付款', en: 'Awaiting payment' },
  active: { zh: '有效', en: 'Active' },
  past_due: { zh: '逾期未付（宽限期）', en: 'Past due (grace period)' },
  suspended: { zh: '已暂停', en: 'Suspended' },
  expired: { zh: '已到期', en: 'Expired' },
  revoked: { zh: '已撤销', en: 'Revoked' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
} as const satisfies Record<LicenceState, Term>;
export const LICENCE_STATE_KEYS = Object.keys(LICENCE_STATES) as LicenceState[];
export const TERMINAL_LICENCE_STATES: readonly LicenceState[] = ['expired', 'revoked', 'cancelled'];

export type LicenceSuspensionCause = 'non_payment' | 'operator' | 'product_suspended';
export const LICENCE_SUSPENSION_CAUSES = {
  non_payment: { zh: '宽限期内未付款', en: 'Not paid within the grace period' },
  operator: { zh: '平台运营方暂停', en: 'Suspended by the platform operator' },
  product_suspended: { zh: '数据产品已暂停', en: 'The data product is suspended' },
} as const satisfies Record<LicenceSuspensionCause, Term>;

export type LicenceStatus =
  | { state: 'pending_approval' | 'pending_payment' | 'expired' | 'revoked' | 'cancelled' }
  | { state: 'active' | 'past_due'; cancelAtPeriodEnd: boolean }
  | { state: 'suspended'; causes: LicenceSuspensionCause[]; resumeTo: 'active' | 'past_due'; cancelAtPeriodEnd: boolean };

export type LicenceEvent =
  | { type: 'approve'; requiresPayment: boolean }
  | { type: 'reject'; reason?: string }
  | { type: 'withdraw' }
  | { type: 'payment_succeeded' }
  | { type: 'trial_started' }
  | { type: 'payment_failed' }
  | { type: 'grace_expired' }
  | { type: 'period_ended'; cancelAtPeriodEnd?: boolean }
  | { type: 'renew' }
  | { type: 'cancel_at_period_end' }
  | { type: 'resume' }
  | { type: 'suspend'; cause: 'operator' | 'product_suspended' }
  | { type: 'unsuspend'; cause: 'operator' | 'product_suspended' }
  | { type: 'revoke'; reason?: string }
  | { type: 'expire' };
export type LicenceEventType = LicenceEvent['type'];

export const LICENCE_EVENTS = {
  approve: { zh: '批准', en: 'Approve' },
  reject: { zh: '驳回', en: 'Reject' },
  withdraw: { zh: '撤回申请', en: 'Withdraw' },
  payment_succeeded: { zh: '付款成功', en: 'Payment succeeded' },
  trial_started: { zh: '开始免费试用', en: 'Free trial started' },
  payment_failed: { zh: '付款失败', en: 'Payment failed' },
  grace_expired: { zh: '宽限期届满', en: 'Grace period over' },
  period_ended: { zh: '计费周期结束', en: 'Billing period ended' },
  renew: { zh: '续期', en: 'Renew' },
  cancel_at_period_end: { zh: '到期后不再续订', en: 'Cancel at period end' },
  resume: { zh: '恢复自动续订', en: 'Resume renewal' },
  suspend: { zh: '暂停', en: 'Suspend' },
  unsuspend: { zh: '解除暂停', en: 'Lift suspension' },
  revoke: { zh: '撤销', en: 'Revoke' },
  expire: { zh: '到期', en: 'Expire' },
} as const satisfies Record<LicenceEventType, Term>;
export const LICENCE_EVENT_TYPES = Object.keys(LICENCE_EVENTS) as LicenceEventType[];

const RUNNING: readonly LicenceEventType[] = ['payment_succeeded', 'payment_failed', 'period_ended', 'cancel_at_period_end', 'resume', 'suspend', 'revoke', 'expire'];
const ALLOWED: Record<LicenceState, readonly LicenceEventType[]> = {
  pending_approval: ['approve', 'reject', 'withdraw', 'revoke'],
  pending_payment: ['payment_succeeded', 'trial_started', 'payment_failed', 'withdraw', 'revoke'],
  active: [...RUNNING, 'renew'],
  past_due: [...RUNNING, 'grace_expired'],
  suspended: [...RUNNING, 'grace_expired', 'unsuspend'],
  expired: [],
  revoked: [],
  cancelled: [],
};

export function isTerminalLicenceState(state: LicenceState): boolean {
  return TERMINAL_LICENCE_STATES.includes(state);
}

/** Whether the licence delivers data in this state (entitlements check the rest). */
export function licenceDelivers(state: LicenceState): boolean {
  return state === 'active' || state === 'past_due';
}

/** Where a new licence starts: approval first when the offer needs it, then payment when the plan needs it. */
export function initialLicenceStatus(needs: { requiresApproval: boolean; requiresPayment: boolean }): LicenceStatus {
  if (needs.requiresApproval) return { state: 'pending_approval' };
  if (needs.requiresPayment) return { state: 'pending_payment' };
  return { state: 'active', cancelAtPeriodEnd: false };
}

/** The events this status accepts (some may still be refused by their details, e.g. unsuspend of a cause not present). */
export function allowedLicenceEvents(status: LicenceStatus): LicenceEventType[] {
  return [...ALLOWED[status.state]];
}

function refuse(status: LicenceStatus, event: LicenceEvent, why?: string): never {
  throw new DomainError('licensing.invalid_transition', why ?? `A ${status.state} licence cannot ${event.type.replaceAll('_', ' ')}`, {
    state: status.state,
    event: event.type,
    allowed: allowedLicenceEvents(status),
    ...(why ? { reason: why } : {}),
  });
}

/**
 * The status after an event, or licensing.invalid_transition (details: state, event,
 * allowed) for an event the status does not accept. Pure: the input is not modified.
 */
export function transitionLicence(status: LicenceStatus, event: LicenceEvent): LicenceStatus {
  if (!ALLOWED[status.state].includes(event.type)) refuse(status, event);
  const flag = 'cancelAtPeriodEnd' in status ? status.cancelAtPeriodEnd : false;
  switch (event.type) {
    case 'approve':
      return event.requiresPayment ? { state: 'pending_payment' } : { state: 'active', cancelAtPeriodEnd: false };
    case 'reject':
    case 'withdraw':
      return { state: 'cancelled' };
    case 'revoke':
      return { state: 'revoked' };
    case 'expire':
      return { state: 'expired' };
    case 'payment_succeeded':
      if (status.state === 'suspended') return resumeIfCleared({ ...status, causes: status.causes.filter((cause) => cause !== 'non_payment'), resumeTo: 'active' });
      return { state: 'active', cancelAtPeriodEnd: flag };
    case 'trial_started':
      return { state: 'active', cancelAtPeriodEnd: false };
    case 'payment_failed':
      if (status.state === 'pending_payment') return { state: 'pending_payment' };
      if (status.state === 'suspended') return { ...status, causes: [...status.causes], resumeTo: status.causes.includes('non_payment') ? status.resumeTo : 'past_due' };
      return { state: 'past_due', cancelAtPeriodEnd: flag };
    case 'grace_expired':
      if (status.state === 'suspended') {
        if (status.resumeTo !== 'past_due' && !status.causes.includes('non_payment')) refuse(status, event, 'The licence is not past due');
        return { ...status, causes: addCause(status.causes, 'non_payment'), resumeTo: 'past_due' };
      }
      return { state: 'suspended', causes: ['non_payment'], resumeTo: 'past_due', cancelAtPeriodEnd: flag };
    case 'period_ended':
      if (event.cancelAtPeriodEnd ?? flag) return { state: 'expired' };
      return copy(status);
    case 'renew':
      return { state: 'active', cancelAtPeriodEnd: false };
    case 'cancel_at_period_end':
    case 'resume':
      return { ...copy(status), cancelAtPeriodEnd: event.type === 'cancel_at_period_end' } as LicenceStatus;
    case 'suspend':
      if (status.state === 'suspended') return { ...status, causes: addCause(status.causes, event.cause) };
      return { state: 'suspended', causes: [event.cause], resumeTo: status.state as 'active' | 'past_due', cancelAtPeriodEnd: flag };
    case 'unsuspend': {
      if (status.state !== 'suspended' || !status.causes.includes(event.cause)) refuse(status, event, `The licence is not suspended for ${event.cause}`);
      return resumeIfCleared({ ...status, causes: status.causes.filter((cause) => cause !== event.cause) });
    }
  }
}

function copy(status: LicenceStatus): LicenceStatus {
  return status.state === 'suspended' ? { ...status, causes: [...status.causes] } : { ...status };
}

function addCause(causes: readonly LicenceSuspensionCause[], cause: LicenceSuspensionCause): LicenceSuspensionCause[] {
  return causes.includes(cause) ? [...causes] : [...causes, cause];
}

function resumeIfCleared(status: Extract<LicenceStatus, { state: 'suspended' }>): LicenceStatus {
  if (status.causes.length > 0) return status;
  return { state: status.resumeTo, cancelAtPeriodEnd: status.cancelAtPeriodEnd };
}
