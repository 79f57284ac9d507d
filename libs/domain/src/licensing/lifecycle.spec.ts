import fc from 'fast-check';
import { DomainError } from '../errors/domain-error.js';
import { expectDomainError } from '../pricing/test-support.js';
import {
  allowedLicenceEvents,
  initialLicenceStatus,
  isTerminalLicenceState,
  LICENCE_EVENTS,
  LICENCE_EVENT_TYPES,
  LICENCE_STATE_KEYS,
  LICENCE_STATES,
  licenceDelivers,
  TERMINAL_LICENCE_STATES,
  transitionLicence,
  type LicenceEvent,
  type LicenceStatus,
} from './lifecycle.js';

const run = (status: LicenceStatus, ...events: LicenceEvent[]) => events.reduce(transitionLicence, status);
const active: LicenceStatus = { state: 'active', cancelAtPeriodEnd: false };

describe('licence lifecycle', () => {
  it('starts where the offer and plan require', () => {
    expect(initialLicenceStatus({ requiresApproval: true, requiresPayment: true })).toEqual({ state: 'pending_approval' });
    expect(initialLicenceStatus({ requiresApproval: false, requiresPayment: true })).toEqual({ state: 'pending_payment' });
    expect(initialLicenceStatus({ requiresApproval: false, requiresPayment: false })).toEqual(active);
  });

  it('goes from request to active through approval and payment', () => {
    expect(run({ state: 'pending_approval' }, { type: 'approve', requiresPayment: true })).toEqual({ state: 'pending_payment' });
    expect(run({ state: 'pending_approval' }, { type: 'approve', requiresPayment: false })).toEqual(active);
    expect(run({ state: 'pending_payment' }, { type: 'payment_failed' }, { type: 'payment_succeeded' })).toEqual(active);
  });

  it('starts a free trial without a payment, once, and only from awaiting payment', () => {
    const trial = run({ state: 'pending_payment' }, { type: 'trial_started' });
    expect(trial).toEqual(active);
    // Cancelled during the trial: it ends with the trial's period, nothing charged.
    expect(run(trial, { type: 'cancel_at_period_end' }, { type: 'period_ended' })).toEqual({ state: 'expired' });
    expectDomainError(() => run(trial, { type: 'trial_started' }), 'licensing.invalid_transition');
    expectDomainError(() => run({ state: 'pending_approval' }, { type: 'trial_started' }), 'licensing.invalid_transition');
  });

  it('cancels requests that never start', () => {
    expect(run({ state: 'pending_approval' }, { type: 'reject', reason: 'not eligible' })).toEqual({ state: 'cancelled' });
    expect(run({ state: 'pending_payment' }, { type: 'withdraw' })).toEqual({ state: 'cancelled' });
  });

  it('keeps delivering while past due, suspends when the grace period ends, and reactivates on payment', () => {
    const pastDue = run(active, { type: 'payment_failed' });
    expect(pastDue).toEqual({ state: 'past_due', cancelAtPeriodEnd: false });
    expect(licenceDelivers(pastDue.state)).toBe(true);
    expect(run(pastDue, { type: 'payment_failed' })).toEqual(pastDue);
    const suspended = run(pastDue, { type: 'grace_expired' });
    expect(suspended).toEqual({ state: 'suspended', causes: ['non_payment'], resumeTo: 'past_due', cancelAtPeriodEnd: false });
    expect(licenceDelivers(suspended.state)).toBe(false);
    expect(run(suspended, { type: 'payment_succeeded' })).toEqual(active);
    expect(run(pastDue, { type: 'payment_succeeded' })).toEqual(active);
  });

  it('needs every suspension cause cleared, and only a payment clears non-payment', () => {
    const both = run(active, { type: 'payment_failed' }, { type: 'suspend', cause: 'operator' }, { type: 'grace_expired' });
    expect(both).toEqual({ state: 'suspended', causes: ['operator', 'non_payment'], resumeTo: 'past_due', cancelAtPeriodEnd: false });
    const paid = run(both, { type: 'payment_succeeded' });
    expect(paid).toEqual({ state: 'suspended', causes: ['operator'], resumeTo: 'active', cancelAtPeriodEnd: false });
    expect(run(paid, { type: 'unsuspend', cause: 'operator' })).toEqual(active);
    const operatorOnly = run(active, { type: 'suspend', cause: 'operator' }, { type: 'suspend', cause: 'product_suspended' });
    expect(operatorOnly).toEqual({ state: 'suspended', causes: ['operator', 'product_suspended'], resumeTo: 'active', cancelAtPeriodEnd: false });
    expect(run(operatorOnly, { type: 'unsuspend', cause: 'product_suspended' }, { type: 'unsuspend', cause: 'operator' })).toEqual(active);
    // A payment does not lift an operator's suspension.
    expect(run(operatorOnly, { type: 'payment_succeeded' }).state).toBe('suspended');
    // Suspended while paid up: a failed payment means it resumes past due.
    expect(run(operatorOnly, { type: 'payment_failed' }, { type: 'unsuspend', cause: 'operator' }, { type: 'unsuspend', cause: 'product_suspended' })).toEqual({
      state: 'past_due',
      cancelAtPeriodEnd: false,
    });
    expectDomainError(() => run(operatorOnly, { type: 'grace_expired' }), 'licensing.invalid_transition');
    const error = expectDomainError(() => run(run(active, { type: 'suspend', cause: 'operator' }), { type: 'unsuspend', cause: 'product_suspended' }), 'licensing.invalid_transition');
    expect(error.details).toMatchObject({ state: 'suspended', event: 'unsuspend', reason: 'The licence is not suspended for product_suspended' });
  });

  it('ends at the end of a period when cancelled, as Stripe’s cancel_at_period_end', () => {
    const cancelling = run(active, { type: 'cancel_at_period_end' });
    expect(cancelling).toEqual({ state: 'active', cancelAtPeriodEnd: true });
    expect(run(cancelling, { type: 'resume' })).toEqual(active);
    expect(run(cancelling, { type: 'period_ended' })).toEqual({ state: 'expired' });
    expect(run(active, { type: 'period_ended' })).toEqual(active);
    expect(run(active, { type: 'period_ended', cancelAtPeriodEnd: true })).toEqual({ state: 'expired' });
    expect(run(cancelling, { type: 'period_ended', cancelAtPeriodEnd: false })).toEqual(cancelling);
    expect(run(cancelling, { type: 'renew' })).toEqual(active);
    expect(run(run(cancelling, { type: 'suspend', cause: 'operator' }), { type: 'period_ended' })).toEqual({ state: 'expired' });
  });

  it('ends by expiry or revocation', () => {
    expect(run(active, { type: 'expire' })).toEqual({ state: 'expired' });
    expect(run(active, { type: 'revoke', reason: 'breach' })).toEqual({ state: 'revoked' });
    expect(run({ state: 'pending_approval' }, { type: 'revoke' })).toEqual({ state: 'revoked' });
  });

  it('refuses impossible events with details', () => {
    const error = expectDomainError(() => run({ state: 'pending_approval' }, { type: 'payment_succeeded' }), 'licensing.invalid_transition');
    expect(error.details).toEqual({ state: 'pending_approval', event: 'payment_succeeded', allowed: ['approve', 'reject', 'withdraw', 'revoke'] });
    expectDomainError(() => run(active, { type: 'approve', requiresPayment: false }), 'licensing.invalid_transition');
    expectDomainError(() => run(active, { type: 'grace_expired' }), 'licensing.invalid_transition');
    expectDomainError(() => run(active, { type: 'unsuspend', cause: 'operator' }), 'licensing.invalid_transition');
    expectDomainError(() => run({ state: 'past_due', cancelAtPeriodEnd: false }, { type: 'renew' }), 'licensing.invalid_transition');
  });

  it('has both languages for every state and event', () => {
    for (const term of [...Object.values(LICENCE_STATES), ...Object.values(LICENCE_EVENTS)]) {
      expect(term.zh.trim()).not.toBe('');
      expect(term.en.trim()).not.toBe('');
    }
    expect(TERMINAL_LICENCE_STATES.every(isTerminalLicenceState)).toBe(true);
    expect(isTerminalLicenceState('active')).toBe(false);
  });
});

const eventArbitrary: fc.Arbitrary<LicenceEvent> = fc.oneof(
  fc.boolean().map((requiresPayment): LicenceEvent => ({ type: 'approve', requiresPayment })),
  fc.constantFrom<LicenceEvent>(
    { type: 'reject' },
    { type: 'withdraw' },
    { type: 'payment_succeeded' },
    { type: 'trial_started' },
    { type: 'payment_failed' },
    { type: 'grace_expired' },
    { type: 'renew' },
    { type: 'cancel_at_period_end' },
    { type: 'resume' },
    { type: 'revoke' },
    { type: 'expire' },
  ),
  fc.option(fc.boolean(), { nil: undefined }).map((cancelAtPeriodEnd): LicenceEvent => (cancelAtPeriodEnd === undefined ? { type: 'period_ended' } : { type: 'period_ended', cancelAtPeriodEnd })),
  fc.constantFrom('operator' as const, 'product_suspended' as const).chain((cause) => fc.constantFrom<LicenceEvent>({ type: 'suspend', cause }, { type: 'unsuspend', cause })),
);
const startArbitrary = fc.constantFrom<LicenceStatus>({ state: 'pending_approval' }, { state: 'pending_payment' }, active);

function wellFormed(status: LicenceStatus): void {
  expect(LICENCE_STATE_KEYS).toContain(status.state);
  if (status.state === 'active' || status.state === 'past_due') expect(Object.keys(status).sort()).toEqual(['cancelAtPeriodEnd', 'state']);
  else if (status.state === 'suspended') {
    expect(status.causes.length).toBeGreaterThan(0);
    expect(new Set(status.causes).size).toBe(status.causes.length);
    expect(['active', 'past_due']).toContain(status.resumeTo);
  } else expect(Object.keys(status)).toEqual(['state']);
}

describe('licence lifecycle properties', () => {
  it('never leaves the set of states, whatever the events', () => {
    fc.assert(
      fc.property(startArbitrary, fc.array(eventArbitrary, { maxLength: 40 }), (start, events) => {
        let status = start;
        for (const event of events) {
          try {
            status = transitionLicence(status, event);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            expect((error as DomainError).code).toBe('licensing.invalid_transition');
          }
          wellFormed(status);
        }
      }),
    );
  });

  it('keeps terminal states terminal', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TERMINAL_LICENCE_STATES), eventArbitrary, (state, event) => {
        const status = { state } as LicenceStatus;
        expect(allowedLicenceEvents(status)).toEqual([]);
        expect(() => transitionLicence(status, event)).toThrow(DomainError);
      }),
    );
  });

  it('accepts exactly the events it lists as allowed (up to their details), and does not modify its input', () => {
    fc.assert(
      fc.property(startArbitrary, fc.array(eventArbitrary, { maxLength: 20 }), eventArbitrary, (start, events, next) => {
        let status = start;
        for (const event of events) {
          try {
            status = transitionLicence(status, event);
          } catch {
            // refused: stays
          }
        }
        const frozen = structuredClone(status);
        const listed = allowedLicenceEvents(status).includes(next.type);
        let accepted = true;
        try {
          transitionLicence(status, next);
        } catch {
          accepted = false;
        }
        if (accepted) expect(listed).toBe(true);
        if (!listed) expect(accepted).toBe(false);
        expect(status).toEqual(frozen);
      }),
    );
    expect(LICENCE_EVENT_TYPES).toHaveLength(15);
  });

  it('delivers only when active or past due', () => {
    expect(LICENCE_STATE_KEYS.filter(licenceDelivers)).toEqual(['active', 'past_due']);
  });
});
