import type Stripe from 'stripe';
import type { Engine } from '../engine.js';
import { invalid, missingReference, notFound } from '../errors.js';
import { inRange, mergeMetadata, type Params } from '../params.js';
import { DAY, clone, formatAmount } from '../util.js';
import { recordBalanceTransaction } from './balance.js';

// ---------------------------------------------------------------------------------------------
// Charges: made by the fake itself whenever a PaymentIntent is attempted (Checkout, invoices).
// ---------------------------------------------------------------------------------------------

export interface ChargeInput {
  paymentIntent: Stripe.PaymentIntent;
  /** The payment method the attempt used (`pm_…`). */
  paymentMethod: string;
  /** Who paid, as the hosted page or the customer record knows it. */
  billing?: { email: string | null; name: string | null };
}

/** Visa test cards: 4242… succeeds, 4000 0000 0000 0002 is declined. */
function cardDetails(amount: number, last4: string): Stripe.Charge.PaymentMethodDetails {
  return {
    card: {
      amount_authorized: amount,
      authorization_code: null,
      brand: 'visa',
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      country: 'US',
      electronic_commerce_indicator: null,
      exp_month: 12,
      exp_year: 2034,
      // One fingerprint per test card number, as Stripe gives the same card the same fingerprint.
      fingerprint: `stripefake${last4}00`,
      funding: 'credit',
      installments: null,
      last4,
      mandate: null,
      network: 'visa',
      network_transaction_id: null,
      regulated_status: 'unregulated',
      three_d_secure: null,
      transaction_link_id: null,
      wallet: null,
    },
    type: 'card',
  };
}

function baseCharge(e: Engine, input: ChargeInput): Stripe.Charge {
  const pi = input.paymentIntent;
  const customer = typeof pi.customer === 'string' ? e.customers.get(pi.customer) : undefined;
  return {
    id: e.id('ch'),
    object: 'charge',
    amount: pi.amount,
    amount_captured: 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: pi.application_fee_amount,
    balance_transaction: null,
    billing_details: {
      address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
      email: input.billing?.email ?? customer?.email ?? pi.receipt_email ?? null,
      name: input.billing?.name ?? customer?.name ?? null,
      phone: null,
      tax_id: null,
    },
    calculated_statement_descriptor: 'STRIPE-FAKE',
    captured: false,
    created: e.now(),
    currency: pi.currency,
    customer: typeof pi.customer === 'string' ? pi.customer : null,
    description: pi.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: clone(pi.metadata),
    on_behalf_of: typeof pi.on_behalf_of === 'string' ? pi.on_behalf_of : null,
    outcome: null,
    paid: false,
    payment_intent: pi.id,
    payment_method: input.paymentMethod,
    payment_method_details: null,
    receipt_email: pi.receipt_email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'pending',
    transfer_data: pi.transfer_data
      ? { amount: pi.transfer_data.amount ?? null, destination: pi.transfer_data.destination as string }
      : null,
    transfer_group: pi.transfer_group,
  };
}

/** A successful card charge for the whole PaymentIntent; records `charge.succeeded`. */
export function createSucceededCharge(e: Engine, input: ChargeInput): Stripe.Charge {
  const charge = baseCharge(e, input);
  charge.amount_captured = charge.amount;
  charge.balance_transaction = recordBalanceTransaction(e, {
    amount: charge.amount,
    currency: charge.currency,
    type: 'charge',
    reportingCategory: 'charge',
    source: charge.id,
    description: charge.description,
  }).id;
  charge.captured = true;
  charge.paid = true;
  charge.status = 'succeeded';
  charge.outcome = {
    advice_code: null,
    network_advice_code: null,
    network_decline_code: null,
    network_status: 'approved_by_network',
    reason: null,
    risk_level: 'normal',
    risk_score: 20,
    seller_message: 'Payment complete.',
    type: 'authorized',
  };
  charge.payment_method_details = cardDetails(charge.amount, '4242');
  charge.receipt_url = `${e.baseUrl}/receipts/${charge.id}`;
  e.charges.set(charge.id, charge);
  e.record('charge.succeeded', charge);
  return charge;
}

/** A declined card (`card_declined`, `generic_decline`); records `charge.failed`. */
export function createFailedCharge(e: Engine, input: ChargeInput): Stripe.Charge {
  const charge = baseCharge(e, input);
  charge.status = 'failed';
  charge.failure_code = 'card_declined';
  charge.failure_message = 'Your card was declined.';
  charge.outcome = {
    advice_code: 'try_again_later',
    network_advice_code: null,
    network_decline_code: null,
    network_status: 'declined_by_network',
    reason: 'generic_decline',
    risk_level: 'normal',
    risk_score: 20,
    seller_message: 'The bank did not return any further details with this decline.',
    type: 'issuer_declined',
  };
  charge.payment_method_details = cardDetails(charge.amount, '0002');
  e.charges.set(charge.id, charge);
  e.record('charge.failed', charge);
  return charge;
}

export function retrieveCharge(e: Engine, id: string): Stripe.Charge {
  const charge = e.charges.get(id);
  if (!charge) throw notFound('charge', id, 'charge');
  return clone(charge);
}

export function listCharges(e: Engine, p: Params): unknown {
  p.check({ supported: ['customer', 'payment_intent', 'transfer_group', 'created', 'limit', 'starting_after', 'ending_before'] });
  const customer = p.str('customer');
  const paymentIntent = p.str('payment_intent');
  const transferGroup = p.str('transfer_group');
  const created = p.range('created');
  const items = [...e.charges.values()].filter(
    (charge) =>
      (customer === undefined || charge.customer === customer) &&
      (paymentIntent === undefined || charge.payment_intent === paymentIntent) &&
      (transferGroup === undefined || charge.transfer_group === transferGroup) &&
      inRange(charge.created, created),
  );
  return e.paginate(items, p, '/v1/charges');
}

// ---------------------------------------------------------------------------------------------
// Refunds
// ---------------------------------------------------------------------------------------------

const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

/** A positive amount, refused the way Stripe refuses 0 or a negative number. */
function positiveAmount(p: Params, name: string): number | undefined {
  const amount = p.int(name);
  if (amount !== undefined && amount < 1) {
    throw invalid('This value must be greater than or equal to 1.', p.path(name), 'parameter_invalid_integer');
  }
  return amount;
}

/** Whether a dispute keeps the charge from being refunded (a chargeback that is not won). */
function blockingDispute(e: Engine, chargeId: string): Stripe.Dispute | undefined {
  return [...e.disputes.values()].find((dispute) => dispute.charge === chargeId && !dispute.is_charge_refundable);
}

/** POST /v1/refunds: a card refund, `succeeded` at once. */
export function createRefund(e: Engine, p: Params): Stripe.Refund {
  p.check({
    supported: ['amount', 'charge', 'payment_intent', 'reason', 'metadata'],
    ignored: ['instructions_email'],
    unsupported: ['refund_application_fee', 'reverse_transfer', 'customer', 'currency', 'origin'],
  });
  const amountParam = positiveAmount(p, 'amount');
  const reason = p.str('reason');
  if (reason !== undefined && !(REFUND_REASONS as readonly string[]).includes(reason)) {
    throw invalid('Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer', 'reason');
  }
  const metadata = p.metadata();
  const chargeId = p.str('charge');
  const paymentIntentId = p.str('payment_intent');
  if (!chargeId && !paymentIntentId) {
    throw invalid('One of the following params should be provided for this request: payment_intent or charge.');
  }

  let charge: Stripe.Charge | undefined;
  if (chargeId) {
    charge = e.charges.get(chargeId);
    // Stripe answers an unknown charge here with a 404 naming `id`, not a 400 naming `charge`.
    if (!charge) throw notFound('charge', chargeId, 'id');
  }
  if (paymentIntentId) {
    const paymentIntent = e.paymentIntents.get(paymentIntentId);
    if (!paymentIntent) throw missingReference('payment_intent', paymentIntentId, 'payment_intent');
    if (charge && charge.payment_intent !== paymentIntentId) {
      throw invalid(`The charge ${charge.id} does not belong to the PaymentIntent ${paymentIntentId}.`, 'charge');
    }
    if (!charge) {
      const latest = typeof paymentIntent.latest_charge === 'string' ? e.charges.get(paymentIntent.latest_charge) : undefined;
      if (!latest || latest.status !== 'succeeded') {
        throw invalid(`This PaymentIntent (${paymentIntentId}) does not have a successful charge to refund.`);
      }
      charge = latest;
    }
  }
  charge = charge as Stripe.Charge;
  if (charge.status !== 'succeeded') {
    throw invalid(`This PaymentIntent (${charge.payment_intent as string}) does not have a successful charge to refund.`);
  }
  if (blockingDispute(e, charge.id)) {
    throw invalid(`Charge ${charge.id} has been charged back; cannot issue a refund.`, undefined, 'charge_disputed');
  }
  const remaining = charge.amount_captured - charge.amount_refunded;
  if (remaining <= 0) {
    throw invalid(`Charge ${charge.id} has already been refunded.`, undefined, 'charge_already_refunded');
  }
  const amount = amountParam ?? remaining;
  if (amount > remaining) {
    // Stripe sends no `code` with this refusal, only `param: amount`.
    throw invalid(
      `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
      'amount',
    );
  }

  const refundId = e.id('re');
  const refund: Stripe.Refund = {
    id: refundId,
    object: 'refund',
    amount,
    balance_transaction: recordBalanceTransaction(e, {
      amount: -amount,
      currency: charge.currency,
      type: 'refund',
      reportingCategory: 'refund',
      source: refundId,
      description: `REFUND FOR CHARGE (${charge.id})`,
    }).id,
    charge: charge.id,
    created: e.now(),
    currency: charge.currency,
    customer: charge.customer,
    customer_account: null,
    destination_details: {
      card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
      type: 'card',
    },
    metadata: mergeMetadata({}, metadata),
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    reason: (reason as Stripe.Refund.Reason | undefined) ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  };
  e.refunds.set(refund.id, refund);
  const before = clone(charge);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded >= charge.amount_captured;
  e.record('refund.created', refund);
  e.record('charge.refunded', charge, { previous: before });
  return clone(refund);
}

export function retrieveRefund(e: Engine, id: string): Stripe.Refund {
  const refund = e.refunds.get(id);
  if (!refund) throw notFound('refund', id, 'refund');
  return clone(refund);
}

/** POST /v1/refunds/:id: only metadata can change. */
export function updateRefund(e: Engine, id: string, p: Params): Stripe.Refund {
  p.check({ supported: ['metadata'] });
  const refund = e.refunds.get(id);
  if (!refund) throw notFound('refund', id, 'refund');
  const before = clone(refund);
  if (p.has('metadata')) refund.metadata = mergeMetadata(refund.metadata, p.metadata());
  if (JSON.stringify(before) !== JSON.stringify(refund)) e.record('refund.updated', refund, { previous: before });
  return clone(refund);
}

/** POST /v1/refunds/:id/cancel: card refunds succeed at once, so there is never one to cancel. */
export function cancelRefund(e: Engine, id: string, p: Params): never {
  p.check({ supported: [] });
  if (!e.refunds.has(id)) throw notFound('refund', id, 'refund');
  throw invalid('Canceling this refund is unsupported.');
}

export function listRefunds(e: Engine, p: Params): unknown {
  p.check({ supported: ['charge', 'payment_intent', 'created', 'limit', 'starting_after', 'ending_before'] });
  const charge = p.str('charge');
  const paymentIntent = p.str('payment_intent');
  const created = p.range('created');
  const items = [...e.refunds.values()].filter(
    (refund) =>
      (charge === undefined || refund.charge === charge) &&
      (paymentIntent === undefined || refund.payment_intent === paymentIntent) &&
      inRange(refund.created, created),
  );
  return e.paginate(items, p, '/v1/refunds');
}

// ---------------------------------------------------------------------------------------------
// Disputes: opened by a test control (the cardholder's bank), read and accepted through the API.
// ---------------------------------------------------------------------------------------------

export const DISPUTE_REASONS = [
  'bank_cannot_process', 'check_returned', 'credit_not_processed', 'customer_initiated', 'debit_not_authorized', 'duplicate',
  'fraudulent', 'general', 'incorrect_account_details', 'insufficient_funds', 'noncompliant', 'product_not_received',
  'product_unacceptable', 'subscription_canceled', 'unrecognized',
] as const;
export type DisputeReason = (typeof DISPUTE_REASONS)[number];

/** Visa reason codes for the common reasons; the others carry none. */
const VISA_REASON_CODES: Partial<Record<DisputeReason, string>> = {
  fraudulent: '10.4',
  product_not_received: '13.1',
  duplicate: '12.6.1',
  subscription_canceled: '13.2',
  product_unacceptable: '13.3',
  credit_not_processed: '13.6',
};

export interface OpenDisputeOptions {
  /** The disputed amount. Default: what is not refunded yet. */
  amount?: number;
  /** Default `fraudulent`. */
  reason?: DisputeReason;
  /** The dispute fee withdrawn with the amount, in the charge's currency. Default 1500 (Stripe's $15 in the US). */
  fee?: number;
}

export type DisputeOutcome = 'won' | 'lost';

function balanceTransaction(
  e: Engine,
  input: { amount: number; fee: number; currency: string; description: string; source: string },
): Stripe.BalanceTransaction {
  return recordBalanceTransaction(e, { ...input, feeDescription: 'Dispute fee', type: 'adjustment', reportingCategory: 'dispute' });
}

/** The charge a test control names: a `ch_…` id, or a PaymentIntent's latest charge. */
function chargeOf(e: Engine, id: string): Stripe.Charge {
  if (id.startsWith('pi_')) {
    const paymentIntent = e.paymentIntents.get(id);
    if (!paymentIntent) throw notFound('payment_intent', id, 'payment_intent');
    const charge = typeof paymentIntent.latest_charge === 'string' ? e.charges.get(paymentIntent.latest_charge) : undefined;
    if (!charge) throw invalid(`The PaymentIntent ${id} has no charge to dispute.`, 'payment_intent');
    return charge;
  }
  const charge = e.charges.get(id);
  if (!charge) throw notFound('charge', id, 'charge');
  return charge;
}

/**
 * The cardholder's bank opens a chargeback: a `needs_response` dispute whose amount (plus the
 * fee) is withdrawn at once. The charge becomes `disputed` and can no longer be refunded.
 * Records `charge.dispute.created` and `charge.dispute.funds_withdrawn`.
 */
export function openDispute(e: Engine, chargeOrPaymentIntent: string, options: OpenDisputeOptions = {}): Stripe.Dispute {
  const charge = chargeOf(e, chargeOrPaymentIntent);
  if (charge.status !== 'succeeded') throw invalid(`Charge ${charge.id} did not succeed, so it cannot be disputed.`, 'charge');
  if ([...e.disputes.values()].some((dispute) => dispute.charge === charge.id)) {
    throw invalid(`Charge ${charge.id} has already been disputed.`, 'charge');
  }
  const remaining = charge.amount_captured - charge.amount_refunded;
  if (remaining <= 0) throw invalid(`Charge ${charge.id} has been fully refunded and cannot be disputed.`, 'charge');
  const amount = options.amount ?? remaining;
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > charge.amount) {
    throw invalid(`The disputed amount must be between 1 and the charge amount (${charge.amount}).`, 'amount');
  }
  const reason = options.reason ?? 'fraudulent';
  if (!(DISPUTE_REASONS as readonly string[]).includes(reason)) {
    throw invalid(`Invalid reason: must be one of ${DISPUTE_REASONS.join(', ')}`, 'reason');
  }
  const fee = options.fee ?? 1500;
  if (!Number.isSafeInteger(fee) || fee < 0) throw invalid('The dispute fee must be an integer >= 0.', 'fee');
  const now = e.now();
  const id = e.id('du');
  const networkReasonCode = VISA_REASON_CODES[reason] ?? null;
  const dispute: Stripe.Dispute = {
    id,
    object: 'dispute',
    amount,
    balance_transactions: [
      balanceTransaction(e, { amount: -amount, fee, currency: charge.currency, description: `Chargeback withdrawal for ${charge.id}`, source: id }),
    ],
    charge: charge.id,
    created: now,
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence: emptyEvidence(),
    evidence_details: {
      // The end of the UTC day, eight days on.
      due_by: Math.floor((now + 8 * DAY) / DAY) * DAY + DAY - 1,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: 'not_submitted',
    },
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    network_reason_code: networkReasonCode,
    payment_intent: charge.payment_intent,
    payment_method_details: {
      card: { brand: 'visa', case_type: 'chargeback', network: 'visa', network_reason_code: networkReasonCode },
      type: 'card',
    },
    reason,
    status: 'needs_response',
  };
  e.disputes.set(id, dispute);
  charge.disputed = true;
  e.record('charge.dispute.created', dispute);
  e.record('charge.dispute.funds_withdrawn', dispute);
  return clone(dispute);
}

function emptyEvidence(): Stripe.Dispute.Evidence {
  return {
    access_activity_log: null,
    billing_address: null,
    cancellation_policy: null,
    cancellation_policy_disclosure: null,
    cancellation_rebuttal: null,
    customer_communication: null,
    customer_email_address: null,
    customer_name: null,
    customer_purchase_ip: null,
    customer_signature: null,
    duplicate_charge_documentation: null,
    duplicate_charge_explanation: null,
    duplicate_charge_id: null,
    enhanced_evidence: {},
    product_description: null,
    receipt: null,
    refund_policy: null,
    refund_policy_disclosure: null,
    refund_refusal_explanation: null,
    service_date: null,
    service_documentation: null,
    shipping_address: null,
    shipping_carrier: null,
    shipping_date: null,
    shipping_documentation: null,
    shipping_tracking_number: null,
    uncategorized_file: null,
    uncategorized_text: null,
  };
}

const OPEN_STATUSES = ['needs_response', 'under_review', 'warning_needs_response', 'warning_under_review'];

/**
 * The bank decides. `won`: the disputed amount comes back (the fee does not) and the charge can
 * be refunded again; records `charge.dispute.funds_reinstated`, then `charge.dispute.closed`.
 * `lost`: records `charge.dispute.closed`.
 */
export function closeDispute(e: Engine, id: string, outcome: DisputeOutcome): Stripe.Dispute {
  const dispute = e.disputes.get(id);
  if (!dispute) throw notFound('dispute', id, 'dispute');
  if (outcome !== 'won' && outcome !== 'lost') throw invalid('outcome must be won or lost', 'outcome');
  if (!OPEN_STATUSES.includes(dispute.status)) throw invalid('This dispute is already closed');
  const before = clone(dispute);
  dispute.status = outcome;
  if (outcome === 'won') {
    dispute.is_charge_refundable = true;
    dispute.balance_transactions.push(
      balanceTransaction(e, {
        amount: dispute.amount,
        fee: 0,
        currency: dispute.currency,
        description: `Chargeback reversal for ${dispute.charge as string}`,
        source: dispute.id,
      }),
    );
    e.record('charge.dispute.funds_reinstated', dispute);
  }
  e.record('charge.dispute.closed', dispute, { previous: before });
  return clone(dispute);
}

/** POST /v1/disputes/:id/close: the merchant accepts the dispute, which is then lost. */
export function acceptDispute(e: Engine, id: string, p: Params): Stripe.Dispute {
  p.check({ supported: [] });
  return closeDispute(e, id, 'lost');
}

export function retrieveDispute(e: Engine, id: string): Stripe.Dispute {
  const dispute = e.disputes.get(id);
  if (!dispute) throw notFound('dispute', id, 'dispute');
  return clone(dispute);
}

export function listDisputes(e: Engine, p: Params): unknown {
  p.check({ supported: ['charge', 'payment_intent', 'created', 'limit', 'starting_after', 'ending_before'] });
  const charge = p.str('charge');
  const paymentIntent = p.str('payment_intent');
  const created = p.range('created');
  const items = [...e.disputes.values()].filter(
    (dispute) =>
      (charge === undefined || dispute.charge === charge) &&
      (paymentIntent === undefined || dispute.payment_intent === paymentIntent) &&
      inRange(dispute.created, created),
  );
  return e.paginate(items, p, '/v1/disputes');
}
