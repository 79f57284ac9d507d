import type Stripe from 'stripe';
import { licenceStateFor, statusFor, subscriptionOfInvoice } from './stripe-sync.js';

describe('mapping Stripe subscriptions onto licences', () => {
  it.each([
    ['active', 'pending_payment', 'active'],
    ['trialing', 'pending_payment', 'active'],
    ['past_due', 'active', 'past_due'],
    ['unpaid', 'past_due', 'suspended'],
    ['paused', 'active', 'suspended'],
    ['canceled', 'active', 'expired'],
    ['canceled', 'pending_payment', 'cancelled'],
    ['incomplete', 'pending_payment', 'pending_payment'],
    ['incomplete_expired', 'pending_payment', 'cancelled'],
  ] as const)('Stripe %s on a %s licence → %s', (stripeStatus, current, expected) => {
    expect(licenceStateFor({ status: stripeStatus }, current)).toBe(expected);
  });

  it('builds full statuses: suspensions from Stripe are for non-payment and return to past due', () => {
    expect(statusFor('suspended', true)).toEqual({ state: 'suspended', causes: ['non_payment'], resumeTo: 'past_due', cancelAtPeriodEnd: true });
    expect(statusFor('active', false)).toEqual({ state: 'active', cancelAtPeriodEnd: false });
    expect(statusFor('expired', true)).toEqual({ state: 'expired' });
  });

  it('finds the subscription of an invoice in the current API shape, and in the older one', () => {
    expect(subscriptionOfInvoice({ parent: { subscription_details: { subscription: 'sub_new' } } } as unknown as Stripe.Invoice)).toBe('sub_new');
    expect(subscriptionOfInvoice({ parent: null, subscription: { id: 'sub_old' } } as unknown as Stripe.Invoice)).toBe('sub_old');
    expect(subscriptionOfInvoice({ parent: null } as unknown as Stripe.Invoice)).toBeNull();
  });
});
