import type Stripe from 'stripe';
import type { Engine, FakeInvoice, PaymentOutcome, SessionData, SubscriptionState } from '../engine.js';
import { planFromPrice } from '../engine.js';
import { cardDeclined, invalid, missingReference, notFound } from '../errors.js';
import { inRange, mergeMetadata, type Params } from '../params.js';
import { DAY, clone, cycleStart, formatAmount, randomToken, type Interval } from '../util.js';
import { unitAmountOf } from './catalog.js';
import { createFailedCharge, createSucceededCharge, type ChargeInput } from './charges.js';

// ---------------------------------------------------------------------------------------------
// Payment intents
// ---------------------------------------------------------------------------------------------

export interface PaymentIntentInput {
  amount: number;
  currency: string;
  customer: string | null;
  description: string | null;
  metadata?: Record<string, string>;
  application_fee_amount?: number | null;
  transfer_data?: { destination: string; amount?: number } | null;
  on_behalf_of?: string | null;
  transfer_group?: string | null;
  receipt_email?: string | null;
}

export function createPaymentIntent(e: Engine, input: PaymentIntentInput): Stripe.PaymentIntent {
  const id = e.id('pi');
  const paymentIntent: Stripe.PaymentIntent = {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: input.amount,
    amount_capturable: 0,
    amount_details: {},
    amount_received: 0,
    application: null,
    application_fee_amount: input.application_fee_amount ?? null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: `${id}_secret_${randomToken(25)}`,
    confirmation_method: 'automatic',
    created: e.now(),
    currency: input.currency,
    customer: input.customer,
    customer_account: null,
    description: input.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    managed_payments: null,
    metadata: { ...(input.metadata ?? {}) },
    next_action: null,
    on_behalf_of: input.on_behalf_of ?? null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: input.receipt_email ?? null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_data: input.transfer_data ? { ...input.transfer_data } : null,
    transfer_group: input.transfer_group ?? null,
  };
  e.paymentIntents.set(id, paymentIntent);
  e.record('payment_intent.created', paymentIntent);
  return paymentIntent;
}

/**
 * A successful attempt: a succeeded Charge (`charge.succeeded`), then the PaymentIntent
 * (`payment_intent.succeeded`), in the order Stripe sends them.
 */
export function succeedPaymentIntent(e: Engine, paymentIntent: Stripe.PaymentIntent, billing?: ChargeInput['billing']): void {
  const paymentMethod = `pm_${randomToken(24)}`;
  if (paymentIntent.transfer_data && !paymentIntent.transfer_group) paymentIntent.transfer_group = `group_${paymentIntent.id}`;
  const charge = createSucceededCharge(e, { paymentIntent, paymentMethod, billing });
  paymentIntent.status = 'succeeded';
  paymentIntent.amount_received = paymentIntent.amount;
  paymentIntent.last_payment_error = null;
  paymentIntent.latest_charge = charge.id;
  paymentIntent.payment_method = paymentMethod;
  e.record('payment_intent.succeeded', paymentIntent);
}

/** A declined card: a failed Charge (`charge.failed`), then `payment_intent.payment_failed`. */
export function failPaymentIntent(e: Engine, paymentIntent: Stripe.PaymentIntent, billing?: ChargeInput['billing']): void {
  const paymentMethod = `pm_${randomToken(24)}`;
  const charge = createFailedCharge(e, { paymentIntent, paymentMethod, billing });
  paymentIntent.status = 'requires_payment_method';
  paymentIntent.payment_method = null;
  paymentIntent.latest_charge = charge.id;
  paymentIntent.last_payment_error = {
    charge: paymentIntent.latest_charge,
    code: 'card_declined',
    decline_code: 'generic_decline',
    doc_url: 'https://docs.stripe.com/error-codes/card-declined',
    message: 'Your card was declined.',
    payment_method_type: 'card',
    type: 'card_error',
    payment_method: { id: paymentMethod, object: 'payment_method', type: 'card' } as Stripe.PaymentMethod,
  };
  e.record('payment_intent.payment_failed', paymentIntent);
}

export function cancelPaymentIntent(e: Engine, paymentIntent: Stripe.PaymentIntent, reason: Stripe.PaymentIntent.CancellationReason): void {
  if (paymentIntent.status === 'succeeded' || paymentIntent.status === 'canceled') return;
  paymentIntent.status = 'canceled';
  paymentIntent.canceled_at = e.now();
  paymentIntent.cancellation_reason = reason;
  e.record('payment_intent.canceled', paymentIntent);
}

export function retrievePaymentIntent(e: Engine, id: string): Stripe.PaymentIntent {
  const paymentIntent = e.paymentIntents.get(id);
  if (!paymentIntent) throw notFound('payment_intent', id);
  return clone(paymentIntent);
}

export function listPaymentIntents(e: Engine, p: Params): unknown {
  p.check({ supported: ['customer', 'created', 'limit', 'starting_after', 'ending_before'] });
  const customer = p.str('customer');
  const created = p.range('created');
  const items = [...e.paymentIntents.values()].filter(
    (paymentIntent) => (customer === undefined || paymentIntent.customer === customer) && inRange(paymentIntent.created, created),
  );
  return e.paginate(items, p, '/v1/payment_intents');
}

// ---------------------------------------------------------------------------------------------
// Invoices
// ---------------------------------------------------------------------------------------------

interface LineInput {
  price: Stripe.Price;
  quantity: number;
  period: { start: number; end: number };
  subscriptionItem: string | null;
  trial: boolean;
}

/** Creates a draft invoice with its lines and records `invoice.created`. */
function createInvoice(
  e: Engine,
  input: {
    customer: Stripe.Customer;
    subscription: Stripe.Subscription | null;
    billingReason: Stripe.Invoice.BillingReason;
    lines: LineInput[];
    periodStart: number;
    periodEnd: number;
    /** Leave `invoice.created` to the caller. */
    silent?: boolean;
    /** One-off invoices (`POST /v1/invoices`): what the caller asked for. */
    oneOff?: {
      currency: string;
      autoAdvance: boolean;
      collectionMethod: Stripe.Invoice.CollectionMethod;
      description: string | null;
      metadata: Record<string, string>;
      defaultPaymentMethod: string | null;
      dueDate: number | null;
    };
  },
): FakeInvoice {
  const id = e.id('in');
  const now = e.now();
  const oneOff = input.oneOff;
  const currency = oneOff?.currency ?? input.lines[0]?.price.currency ?? 'usd';
  const subscriptionId = input.subscription?.id ?? null;
  const lines: Stripe.InvoiceLineItem[] = input.lines.map((line) => {
    const unit = unitAmountOf(line.price);
    const metered = line.price.recurring?.usage_type === 'metered';
    const amount = line.trial || metered ? 0 : unit * line.quantity;
    const productName = e.products.get(line.price.product as string)?.name ?? 'product';
    const recurring = line.price.recurring;
    const cadence = recurring
      ? ` / ${recurring.interval_count > 1 ? `every ${recurring.interval_count} ${recurring.interval}s` : recurring.interval}`
      : '';
    const description = line.trial
      ? `Trial period for ${productName}`
      : `${line.quantity} × ${productName} (at ${formatAmount(unit, line.price.currency)}${cadence})`;
    const invoiceItem = line.subscriptionItem ? null : `ii_${randomToken(24)}`;
    return {
      id: e.id('il'),
      object: 'line_item',
      amount,
      currency: line.price.currency,
      description,
      discount_amounts: [],
      discountable: true,
      discounts: [],
      invoice: id,
      livemode: false,
      metadata: line.subscriptionItem ? clone(input.subscription?.metadata ?? {}) : {},
      parent: line.subscriptionItem
        ? {
            invoice_item_details: null,
            subscription_item_details: {
              invoice_item: null,
              proration: false,
              proration_details: { credited_items: null },
              subscription: subscriptionId,
              subscription_item: line.subscriptionItem,
            },
            type: 'subscription_item_details',
          }
        : {
            invoice_item_details: {
              invoice_item: invoiceItem as string,
              proration: false,
              proration_details: { credited_items: null },
              subscription: subscriptionId,
            },
            subscription_item_details: null,
            type: 'invoice_item_details',
          },
      period: { ...line.period },
      pretax_credit_amounts: [],
      pricing: {
        price_details: { price: line.price.id, product: line.price.product as string },
        type: 'price_details',
        unit_amount_decimal: line.price.unit_amount_decimal,
      },
      quantity: line.quantity,
      quantity_decimal: String(line.quantity) as unknown as Stripe.InvoiceLineItem['quantity_decimal'],
      subscription: subscriptionId,
      subtotal: amount,
      taxes: [],
    };
  });
  const total = lines.reduce((sum, line) => sum + line.amount, 0);
  const customer = input.customer;
  const invoice: FakeInvoice = {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'stripe-fake',
    account_tax_ids: null,
    amount_due: total,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: total,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: oneOff?.autoAdvance ?? true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    // A one-off draft left to Stripe is finalized about an hour after it is created.
    automatically_finalizes_at: oneOff?.autoAdvance ? now + 3600 : null,
    billing_reason: input.billingReason,
    collection_method: oneOff?.collectionMethod ?? 'charge_automatically',
    confirmation_secret: null,
    created: now,
    currency,
    custom_fields: null,
    customer: customer.id,
    customer_account: null,
    customer_address: customer.address ?? null,
    customer_email: customer.email,
    customer_name: customer.name ?? null,
    customer_phone: customer.phone ?? null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: oneOff?.defaultPaymentMethod ?? null,
    default_source: null,
    default_tax_rates: [],
    description: oneOff?.description ?? null,
    discounts: [],
    due_date: oneOff?.dueDate ?? null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: lines, has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: false,
    metadata: { ...(oneOff?.metadata ?? {}) },
    next_payment_attempt: null,
    number: null,
    on_behalf_of: input.subscription?.on_behalf_of ?? null,
    parent: input.subscription
      ? {
          quote_details: null,
          subscription_details: { metadata: clone(input.subscription.metadata), subscription: input.subscription.id },
          type: 'subscription_details',
        }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: input.periodEnd,
    period_start: input.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subscription: subscriptionId,
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
  e.invoices.set(id, invoice);
  e.invoicePayments.set(id, []);
  if (!input.silent) e.record('invoice.created', invoice);
  return invoice;
}

function finalizeInvoice(e: Engine, invoice: FakeInvoice): void {
  const customer = e.customers.get(invoice.customer as string);
  const now = e.now();
  let sequence = 1;
  if (customer) {
    sequence = customer.next_invoice_sequence ?? 1;
    customer.next_invoice_sequence = sequence + 1;
  }
  invoice.status = 'open';
  invoice.number = `${customer?.invoice_prefix ?? 'FAKE'}-${String(sequence).padStart(4, '0')}`;
  invoice.automatically_finalizes_at = null;
  invoice.effective_at = now;
  invoice.status_transitions.finalized_at = now;
  invoice.hosted_invoice_url = `${e.baseUrl}/invoice/${invoice.id}`;
  e.record('invoice.finalized', invoice);
}

type AttemptResult = 'paid' | 'failed' | 'exhausted';

/**
 * One payment attempt on an open invoice, with its events: a $0 invoice is simply paid;
 * otherwise its PaymentIntent succeeds or is declined. `automatic` attempts follow the retry
 * policy (next_payment_attempt, giving up after maxAttempts).
 */
function attemptInvoicePayment(e: Engine, invoice: FakeInvoice, outcome: PaymentOutcome, automatic: boolean): AttemptResult {
  const now = e.now();
  if (invoice.amount_remaining === 0) {
    markInvoicePaid(e, invoice, now);
    return 'paid';
  }
  const subscription = invoice.subscription ? e.subscriptions.get(invoice.subscription) : undefined;
  const payments = e.invoicePayments.get(invoice.id) ?? [];
  let payment = payments.find((candidate) => candidate.status === 'open');
  let paymentIntent = payment ? e.paymentIntents.get(payment.payment.payment_intent as string) : undefined;
  if (!paymentIntent || !payment) {
    const feePercent = subscription?.application_fee_percent ?? null;
    paymentIntent = createPaymentIntent(e, {
      amount: invoice.amount_remaining,
      currency: invoice.currency,
      customer: invoice.customer as string,
      description: invoice.billing_reason === 'subscription_create' ? 'Subscription creation' : invoice.subscription ? 'Subscription update' : 'Payment for Invoice',
      application_fee_amount: feePercent !== null ? Math.round((invoice.amount_remaining * feePercent) / 100) : null,
      transfer_data: subscription?.transfer_data
        ? { destination: subscription.transfer_data.destination as string }
        : null,
      on_behalf_of: (subscription?.on_behalf_of as string | null | undefined) ?? null,
    });
    payment = {
      id: e.id('inpay'),
      object: 'invoice_payment',
      amount_paid: null,
      amount_requested: invoice.amount_remaining,
      created: now,
      currency: invoice.currency,
      invoice: invoice.id,
      is_default: true,
      livemode: false,
      payment: { payment_intent: paymentIntent.id, type: 'payment_intent' },
      status: 'open',
      status_transitions: { canceled_at: null, paid_at: null },
    };
    payments.push(payment);
    e.invoicePayments.set(invoice.id, payments);
  }
  invoice.attempted = true;
  invoice.attempt_count += 1;
  if (outcome === 'succeed') {
    succeedPaymentIntent(e, paymentIntent);
    payment.status = 'paid';
    payment.amount_paid = paymentIntent.amount;
    payment.status_transitions.paid_at = now;
    markInvoicePaid(e, invoice, now);
    return 'paid';
  }
  failPaymentIntent(e, paymentIntent);
  const exhausted = automatic && invoice.attempt_count >= e.options.retry.maxAttempts;
  invoice.next_payment_attempt = automatic && !exhausted ? now + e.options.retry.intervalSeconds : null;
  e.record('invoice.payment_failed', invoice);
  return exhausted ? 'exhausted' : 'failed';
}

function markInvoicePaid(e: Engine, invoice: FakeInvoice, now: number): void {
  invoice.status = 'paid';
  invoice.amount_paid = invoice.amount_remaining + invoice.amount_paid;
  invoice.amount_remaining = 0;
  invoice.attempted = true;
  invoice.next_payment_attempt = null;
  invoice.status_transitions.paid_at = now;
  e.record('invoice.paid', invoice);
  e.record('invoice.payment_succeeded', invoice);
}

export function retrieveInvoice(e: Engine, id: string): FakeInvoice {
  const invoice = e.invoices.get(id);
  if (!invoice) throw notFound('invoice', id);
  return clone(invoice);
}

export function listInvoices(e: Engine, p: Params): unknown {
  p.check({
    supported: ['customer', 'subscription', 'status', 'collection_method', 'created', 'due_date', 'limit', 'starting_after', 'ending_before'],
  });
  const customer = p.str('customer');
  const subscription = p.str('subscription');
  const status = p.enumOf('status', ['draft', 'open', 'paid', 'uncollectible', 'void'] as const);
  const collectionMethod = p.enumOf('collection_method', ['charge_automatically', 'send_invoice'] as const);
  const created = p.range('created');
  const dueDate = p.range('due_date');
  const items = [...e.invoices.values()].filter(
    (invoice) =>
      (customer === undefined || invoice.customer === customer) &&
      (subscription === undefined || invoice.subscription === subscription) &&
      (status === undefined || invoice.status === status) &&
      (collectionMethod === undefined || invoice.collection_method === collectionMethod) &&
      inRange(invoice.created, created) &&
      (dueDate === undefined || inRange(invoice.due_date, dueDate)),
  );
  return e.paginate(items, p, '/v1/invoices');
}

export function listInvoiceLines(e: Engine, id: string, p: Params): unknown {
  p.check({ supported: ['limit', 'starting_after', 'ending_before'] });
  const invoice = e.invoices.get(id);
  if (!invoice) throw notFound('invoice', id);
  // Lines keep their invoice order (oldest first), unlike most lists.
  const limit = p.int('limit', { min: 1, max: 100 }) ?? 10;
  const after = p.str('starting_after');
  const lines = invoice.lines.data;
  const start = after ? lines.findIndex((line) => line.id === after) + 1 : 0;
  const page = lines.slice(start, start + limit);
  return { object: 'list', data: clone(page), has_more: lines.length > start + limit, url: `/v1/invoices/${id}/lines` };
}

/** POST /v1/invoices/:id/pay: an on-demand attempt (declines answer 402 card_error, as Stripe). */
export function payInvoice(e: Engine, id: string, p: Params): FakeInvoice {
  p.check({ supported: ['paid_out_of_band'], ignored: ['forgive', 'mandate', 'off_session', 'payment_method', 'source'] });
  const invoice = e.invoices.get(id);
  if (!invoice) throw notFound('invoice', id);
  if (invoice.status === 'paid') throw invalid('Invoice is already paid', undefined, 'invoice_already_paid');
  if (invoice.status === 'void') throw invalid('This invoice is voided and cannot be paid.');
  if (invoice.status === 'draft') finalizeInvoice(e, invoice);
  if (p.bool('paid_out_of_band')) {
    markInvoicePaid(e, invoice, e.now());
    afterInvoicePayment(e, invoice, 'paid');
    return clone(invoice);
  }
  const outcome = e.takePaymentOutcome(invoice.customer as string);
  // A one-off invoice left to Stripe (auto_advance) is retried on Stripe's schedule after a decline.
  const result = attemptInvoicePayment(e, invoice, outcome, leftToStripe(invoice));
  afterInvoicePayment(e, invoice, result);
  if (result !== 'paid') {
    const payment = (e.invoicePayments.get(id) ?? []).find((candidate) => candidate.status === 'open');
    const paymentIntent = payment ? e.paymentIntents.get(payment.payment.payment_intent as string) : undefined;
    throw cardDeclined(paymentIntent ? clone(paymentIntent) : undefined);
  }
  return clone(invoice);
}

/** Moves the invoice's subscription along after a payment attempt (past_due, active, canceled). */
function afterInvoicePayment(e: Engine, invoice: FakeInvoice, result: AttemptResult): void {
  const subscriptionId = invoice.subscription;
  if (!subscriptionId) return;
  const subscription = e.subscriptions.get(subscriptionId);
  if (!subscription || subscription.status === 'canceled' || subscription.status === 'incomplete_expired') return;
  const before = e.renderSubscription(subscriptionId);
  applyPaymentResult(e, subscription, result);
  const after = e.renderSubscription(subscriptionId);
  if (JSON.stringify(before) !== JSON.stringify(after)) e.record('customer.subscription.updated', after, { previous: before });
  if (result === 'exhausted' && e.options.retry.onExhausted === 'cancel') {
    cancelSubscriptionNow(e, subscriptionId, { reason: 'payment_failed' });
  }
}

/** A one-off invoice whose collection Stripe carries on by itself (auto_advance, charged automatically). */
function leftToStripe(invoice: FakeInvoice): boolean {
  return !invoice.subscription && invoice.auto_advance === true && invoice.collection_method === 'charge_automatically';
}

/** A one-off draft reaching `automatically_finalizes_at`: finalized, then charged when charged automatically. */
function advanceOneOffInvoice(e: Engine, invoice: FakeInvoice): void {
  if (invoice.status !== 'draft') return;
  finalizeInvoice(e, invoice);
  if (invoice.amount_remaining === 0) markInvoicePaid(e, invoice, e.now());
  else if (invoice.collection_method === 'charge_automatically') attemptInvoicePayment(e, invoice, e.takePaymentOutcome(invoice.customer as string), true);
}

/** POST /v1/invoices: a one-off draft invoice for a customer. */
export function createOneOffInvoice(e: Engine, p: Params): FakeInvoice {
  p.check({
    supported: ['customer', 'auto_advance', 'collection_method', 'currency', 'description', 'metadata', 'pending_invoice_items_behavior', 'default_payment_method', 'days_until_due', 'due_date'],
    ignored: ['automatic_tax', 'footer', 'statement_descriptor', 'rendering', 'custom_fields', 'payment_settings'],
    unsupported: [
      'subscription', 'from_invoice', 'discounts', 'default_tax_rates', 'default_source', 'application_fee_amount', 'transfer_data', 'on_behalf_of',
      'account_tax_ids', 'effective_at', 'issuer', 'number', 'shipping_cost', 'shipping_details', 'customer_account', 'automatically_finalizes_at',
    ],
  });
  const customerId = p.reqStr('customer');
  const customer = e.customers.get(customerId);
  if (!customer) throw missingReference('customer', customerId, 'customer');
  const collectionMethod = p.enumOf('collection_method', ['charge_automatically', 'send_invoice'] as const) ?? 'charge_automatically';
  const daysUntilDue = p.int('days_until_due', { min: 0, max: 1825 });
  let dueDate = p.int('due_date') ?? null;
  if (collectionMethod === 'charge_automatically' && (daysUntilDue !== undefined || dueDate !== null)) {
    throw invalid('Invoices with `collection_method=charge_automatically` cannot have a due date.', daysUntilDue !== undefined ? 'days_until_due' : 'due_date');
  }
  if (collectionMethod === 'send_invoice') {
    if (daysUntilDue === undefined && dueDate === null) throw invalid('Invoices with `collection_method=send_invoice` need either `days_until_due` or `due_date`.', 'days_until_due');
    if (daysUntilDue !== undefined) dueDate = e.now() + daysUntilDue * DAY;
  }
  const currency = (p.str('currency') ?? customer.currency ?? 'usd').toLowerCase();
  const behavior = p.enumOf('pending_invoice_items_behavior', ['exclude', 'include'] as const) ?? 'exclude';
  const now = e.now();
  const invoice = createInvoice(e, {
    customer,
    subscription: null,
    billingReason: 'manual',
    lines: [],
    periodStart: now,
    periodEnd: now,
    silent: true,
    oneOff: {
      currency,
      autoAdvance: p.bool('auto_advance') ?? false,
      collectionMethod,
      description: p.nullableStr('description', { max: 1500 }) ?? null,
      metadata: mergeMetadata({}, p.metadata()),
      defaultPaymentMethod: p.str('default_payment_method') ?? null,
      dueDate,
    },
  });
  if (behavior === 'include') {
    for (const item of e.invoiceItems.values()) {
      if (item.customer === customer.id && item.invoice === null && item.currency === currency) attachInvoiceItem(e, invoice, item);
    }
  }
  e.record('invoice.created', invoice);
  return clone(invoice);
}

/** POST /v1/invoices/:id/finalize: a draft becomes open (a $0 invoice is paid at once). */
export function finalizeInvoiceEndpoint(e: Engine, id: string, p: Params): FakeInvoice {
  p.check({ supported: ['auto_advance'] });
  const invoice = e.invoices.get(id);
  if (!invoice) throw notFound('invoice', id);
  if (invoice.status !== 'draft') throw invalid("This invoice is already finalized, you can't re-finalize a non-draft invoice.", undefined, 'invoice_not_editable');
  const autoAdvance = p.bool('auto_advance');
  if (autoAdvance !== undefined) invoice.auto_advance = autoAdvance;
  finalizeInvoice(e, invoice);
  if (invoice.amount_remaining === 0) markInvoicePaid(e, invoice, e.now());
  return clone(invoice);
}

// ---------------------------------------------------------------------------------------------
// Invoice items
// ---------------------------------------------------------------------------------------------

/** POST /v1/invoiceitems: an amount owed by a customer, on a draft invoice or pending for the next one. */
export function createInvoiceItem(e: Engine, p: Params): Stripe.InvoiceItem {
  p.check({
    supported: ['customer', 'invoice', 'amount', 'currency', 'description', 'metadata', 'period', 'discountable'],
    unsupported: ['price_data', 'pricing', 'quantity', 'quantity_decimal', 'unit_amount_decimal', 'subscription', 'discounts', 'tax_rates', 'tax_behavior', 'tax_code', 'customer_account'],
  });
  const customerId = p.reqStr('customer');
  const customer = e.customers.get(customerId);
  if (!customer) throw missingReference('customer', customerId, 'customer');
  const invoiceId = p.str('invoice');
  const invoice = invoiceId === undefined ? undefined : e.invoices.get(invoiceId);
  if (invoiceId !== undefined && !invoice) throw missingReference('invoice', invoiceId, 'invoice');
  if (invoice && invoice.customer !== customer.id) throw invalid(`The invoice ${invoice.id} does not belong to the customer ${customer.id}.`, 'invoice');
  if (invoice && invoice.status !== 'draft') throw invalid(`You can only add invoice items to draft invoices; ${invoice.id} is ${invoice.status}.`, 'invoice', 'invoice_not_editable');
  const amount = p.reqInt('amount');
  const currency = (p.str('currency') ?? invoice?.currency ?? customer.currency ?? 'usd').toLowerCase();
  if (invoice && currency !== invoice.currency) {
    throw invalid(`The currency of the invoice item (${currency}) must match the currency of the invoice (${invoice.currency}).`, 'currency');
  }
  const period = p.obj('period');
  period?.check({ supported: ['start', 'end'] });
  const now = e.now();
  const id = e.id('ii');
  const item: Stripe.InvoiceItem = {
    id,
    object: 'invoiceitem',
    amount,
    currency,
    customer: customer.id,
    customer_account: null,
    date: now,
    description: p.nullableStr('description', { max: 500 }) ?? null,
    discountable: p.bool('discountable') ?? true,
    discounts: [],
    invoice: null,
    livemode: false,
    metadata: mergeMetadata({}, p.metadata()),
    parent: null,
    period: period ? { start: period.reqInt('start'), end: period.reqInt('end') } : { start: now, end: now },
    pricing: { type: 'price_details', unit_amount_decimal: String(amount) as unknown as Stripe.InvoiceItem.Pricing['unit_amount_decimal'] },
    proration: false,
    quantity: 1,
    quantity_decimal: '1' as unknown as Stripe.InvoiceItem['quantity_decimal'],
    tax_rates: [],
    test_clock: null,
  };
  e.invoiceItems.set(id, item);
  if (invoice) attachInvoiceItem(e, invoice, item);
  e.record('invoiceitem.created', item);
  return clone(item);
}

export function retrieveInvoiceItem(e: Engine, id: string): Stripe.InvoiceItem {
  const item = e.invoiceItems.get(id);
  if (!item) throw notFound('invoiceitem', id);
  return clone(item);
}

/** Puts an invoice item on a draft invoice as a line and updates the invoice's amounts. */
function attachInvoiceItem(e: Engine, invoice: FakeInvoice, item: Stripe.InvoiceItem): void {
  item.invoice = invoice.id;
  invoice.lines.data.push({
    id: e.id('il'),
    object: 'line_item',
    amount: item.amount,
    currency: item.currency,
    description: item.description,
    discount_amounts: [],
    discountable: item.discountable,
    discounts: [],
    invoice: invoice.id,
    livemode: false,
    metadata: clone(item.metadata ?? {}),
    parent: {
      invoice_item_details: { invoice_item: item.id, proration: false, proration_details: { credited_items: null }, subscription: null },
      subscription_item_details: null,
      type: 'invoice_item_details',
    },
    period: { ...item.period },
    pretax_credit_amounts: [],
    pricing: clone(item.pricing),
    quantity: item.quantity,
    quantity_decimal: item.quantity_decimal as unknown as Stripe.InvoiceLineItem['quantity_decimal'],
    subscription: null,
    subtotal: item.amount,
    taxes: [],
  });
  const total = invoice.lines.data.reduce((sum, line) => sum + line.amount, 0);
  invoice.subtotal = total;
  invoice.subtotal_excluding_tax = total;
  invoice.total = total;
  invoice.total_excluding_tax = total;
  invoice.amount_due = Math.max(0, total);
  invoice.amount_remaining = Math.max(0, total);
}

function applyPaymentResult(e: Engine, subscription: Stripe.Subscription, result: AttemptResult): void {
  if (result === 'paid') {
    const stillOpen = [...e.invoices.values()].some(
      (invoice) => invoice.subscription === subscription.id && invoice.status === 'open',
    );
    if (!stillOpen && (subscription.status === 'past_due' || subscription.status === 'unpaid')) subscription.status = 'active';
    return;
  }
  if (result === 'exhausted' && e.options.retry.onExhausted === 'unpaid') {
    subscription.status = 'unpaid';
    return;
  }
  if (subscription.status !== 'unpaid') subscription.status = 'past_due';
}

// ---------------------------------------------------------------------------------------------
// Subscriptions
// ---------------------------------------------------------------------------------------------

/** Completing a subscription-mode Checkout Session: the subscription, its first invoice and their events. */
export function startSubscriptionFromSession(
  e: Engine,
  data: SessionData,
  customer: Stripe.Customer,
): { subscription: Stripe.Subscription; invoice: FakeInvoice } {
  const now = e.now();
  const recurring = data.prices
    .map((line) => ({ price: e.prices.get(line.price) as Stripe.Price, quantity: line.quantity }))
    .filter((line) => line.price.recurring);
  const oneTime = data.prices
    .map((line) => ({ price: e.prices.get(line.price) as Stripe.Price, quantity: line.quantity }))
    .filter((line) => !line.price.recurring);
  const first = recurring[0].price.recurring as Stripe.Price.Recurring;
  const subscriptionData = data.subscriptionData;
  const trialEnd = subscriptionData.trial_end
    ?? (subscriptionData.trial_period_days ? now + subscriptionData.trial_period_days * DAY : null);
  const state: SubscriptionState = {
    anchor: trialEnd ?? now,
    cycle: trialEnd ? -1 : 0,
    interval: first.interval as Interval,
    intervalCount: first.interval_count,
    trialWillEndSent: false,
  };
  const periodStart = now;
  const periodEnd = trialEnd ?? cycleStart(state.anchor, state.interval, state.intervalCount, 1);
  const id = e.id('sub');
  const items: Stripe.SubscriptionItem[] = recurring.map((line) => ({
    id: e.id('si'),
    object: 'subscription_item',
    billing_thresholds: null,
    created: now,
    current_period_end: periodEnd,
    current_period_start: periodStart,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: planFromPrice(line.price),
    price: clone(line.price),
    quantity: line.quantity,
    subscription: id,
    tax_rates: [],
  }));
  const subscription: Stripe.Subscription = {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: subscriptionData.application_fee_percent,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: state.anchor,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: { proration_discounts: 'included' }, type: 'flexible', updated_at: now },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: 'charge_automatically',
    created: now,
    currency: first ? recurring[0].price.currency : 'usd',
    customer: customer.id,
    customer_account: null,
    days_until_due: null,
    default_payment_method: `pm_${randomToken(24)}`,
    default_source: null,
    default_tax_rates: [],
    description: subscriptionData.description,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: 'self' } },
    items: { object: 'list', data: items, has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: { ...subscriptionData.metadata },
    next_pending_invoice_item_invoice: null,
    on_behalf_of: subscriptionData.on_behalf_of,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status: trialEnd ? 'trialing' : 'active',
    test_clock: null,
    transfer_data: subscriptionData.transfer_data ? { ...subscriptionData.transfer_data } : null,
    trial_end: trialEnd,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' } },
    trial_start: trialEnd ? now : null,
  };
  e.subscriptions.set(id, subscription);
  e.subscriptionState.set(id, state);

  const lines: LineInput[] = [
    ...recurring.map((line, index) => ({
      price: line.price,
      quantity: line.quantity,
      period: { start: periodStart, end: periodEnd },
      subscriptionItem: items[index].id,
      trial: trialEnd !== null,
    })),
    ...oneTime.map((line) => ({
      price: line.price,
      quantity: line.quantity,
      period: { start: now, end: now },
      subscriptionItem: null,
      trial: false,
    })),
  ];
  // The subscription and its first invoice come to be together: the subscription's snapshot in
  // customer.subscription.created already names its latest_invoice.
  const invoice = createInvoice(e, {
    customer,
    subscription,
    billingReason: 'subscription_create',
    lines,
    periodStart: now,
    periodEnd: now,
    silent: true,
  });
  subscription.latest_invoice = invoice.id;
  e.record('customer.subscription.created', e.renderSubscription(id));
  e.record('invoice.created', invoice);
  finalizeInvoice(e, invoice);
  attemptInvoicePayment(e, invoice, 'succeed', false);
  return { subscription, invoice };
}

export function retrieveSubscription(e: Engine, id: string): Stripe.Subscription {
  const subscription = e.renderSubscription(id);
  if (!subscription) throw notFound('subscription', id);
  return subscription;
}

export function listSubscriptions(e: Engine, p: Params): unknown {
  p.check({
    supported: ['customer', 'status', 'price', 'plan', 'created', 'current_period_end', 'current_period_start', 'collection_method', 'limit', 'starting_after', 'ending_before'],
    ignored: ['test_clock', 'automatic_tax'],
  });
  const customer = p.str('customer');
  const status = p.enumOf('status', [
    'active', 'all', 'canceled', 'ended', 'incomplete', 'incomplete_expired', 'past_due', 'paused', 'trialing', 'unpaid',
  ] as const);
  const price = p.str('price') ?? p.str('plan');
  const created = p.range('created');
  const periodEnd = p.range('current_period_end');
  const periodStart = p.range('current_period_start');
  const collectionMethod = p.str('collection_method');
  const items = [...e.subscriptions.values()].filter((subscription) => {
    if (customer !== undefined && subscription.customer !== customer) return false;
    if (status === undefined && subscription.status === 'canceled') return false;
    if (status === 'ended' && !['canceled', 'incomplete_expired'].includes(subscription.status)) return false;
    if (status !== undefined && status !== 'all' && status !== 'ended' && subscription.status !== status) return false;
    if (price !== undefined && !subscription.items.data.some((item) => item.price.id === price)) return false;
    if (collectionMethod !== undefined && subscription.collection_method !== collectionMethod) return false;
    const item = subscription.items.data[0];
    return inRange(subscription.created, created) && inRange(item?.current_period_end, periodEnd) && inRange(item?.current_period_start, periodStart);
  });
  return e.paginate(items, p, '/v1/subscriptions', (subscription) => e.renderSubscription(subscription.id));
}

export function updateSubscription(e: Engine, id: string, p: Params): Stripe.Subscription {
  p.check({
    supported: ['cancel_at_period_end', 'cancel_at', 'metadata', 'description', 'cancellation_details', 'trial_end'],
    ignored: ['proration_behavior', 'proration_date', 'payment_behavior', 'off_session', 'default_payment_method', 'payment_settings'],
    unsupported: [
      'items', 'add_invoice_items', 'billing_cycle_anchor', 'pause_collection', 'discounts', 'collection_method', 'days_until_due',
      'application_fee_percent', 'transfer_data', 'on_behalf_of', 'trial_from_plan', 'automatic_tax', 'billing_thresholds',
      'default_tax_rates', 'invoice_settings', 'pending_invoice_item_interval', 'trial_settings', 'default_source', 'billing_schedules',
    ],
  });
  const subscription = e.subscriptions.get(id);
  if (!subscription) throw notFound('subscription', id);
  const before = e.renderSubscription(id) as Stripe.Subscription;
  const details = p.obj('cancellation_details');
  details?.check({ supported: ['comment', 'feedback'] });
  if (subscription.status === 'canceled' || subscription.status === 'incomplete_expired') {
    const other = p.keys().filter((key) => !['metadata', 'cancellation_details', 'expand'].includes(key));
    if (other.length > 0) throw invalid('A canceled subscription can only update its cancellation_details and metadata.', other[0]);
  }
  const periodEnd = subscription.items.data[0]?.current_period_end ?? e.now();
  const cancelAtPeriodEnd = p.bool('cancel_at_period_end');
  const hasCancelAt = p.has('cancel_at');
  if (cancelAtPeriodEnd !== undefined && hasCancelAt) {
    throw invalid('You may only specify one of these parameters: cancel_at, cancel_at_period_end.', 'cancel_at');
  }
  if (cancelAtPeriodEnd !== undefined) {
    subscription.cancel_at_period_end = cancelAtPeriodEnd;
    subscription.cancel_at = cancelAtPeriodEnd ? periodEnd : null;
    subscription.canceled_at = cancelAtPeriodEnd ? e.now() : null;
    setCancellationReason(subscription, cancelAtPeriodEnd ? 'cancellation_requested' : null);
  }
  if (hasCancelAt) {
    const raw = p.str('cancel_at');
    let cancelAt: number | null;
    if (raw === '' || raw === undefined) cancelAt = null;
    else if (['max_period_end', 'min_period_end', 'max_billed_until'].includes(raw)) cancelAt = periodEnd;
    else cancelAt = p.int('cancel_at') as number;
    if (cancelAt !== null && cancelAt <= e.now()) throw invalid('cancel_at must be in the future.', 'cancel_at');
    subscription.cancel_at = cancelAt;
    subscription.cancel_at_period_end = cancelAt !== null && cancelAt === periodEnd;
    subscription.canceled_at = cancelAt !== null ? e.now() : null;
    setCancellationReason(subscription, cancelAt !== null ? 'cancellation_requested' : null);
  }
  if (details) applyCancellationDetails(subscription, details);
  const description = p.nullableStr('description', { max: 500 });
  if (description !== undefined) subscription.description = description;
  if (p.has('metadata')) subscription.metadata = mergeMetadata(subscription.metadata, p.metadata());

  const trialEnd = p.str('trial_end');
  if (trialEnd !== undefined) {
    if (trialEnd !== 'now') throw invalid('stripe-fake supports only trial_end=now on subscription updates.', 'trial_end');
    if (subscription.status !== 'trialing') throw invalid('This subscription is not in a trial period.', 'trial_end');
    const state = e.subscriptionState.get(id) as SubscriptionState;
    state.anchor = e.now();
    subscription.billing_cycle_anchor = state.anchor;
    subscription.trial_end = state.anchor;
    const after = e.renderSubscription(id);
    if (JSON.stringify(before) !== JSON.stringify(after)) e.record('customer.subscription.updated', after, { previous: before });
    renewSubscription(e, id);
    return retrieveSubscription(e, id);
  }

  const after = e.renderSubscription(id);
  if (JSON.stringify(before) !== JSON.stringify(after)) e.record('customer.subscription.updated', after, { previous: before });
  return after as Stripe.Subscription;
}

function setCancellationReason(subscription: Stripe.Subscription, reason: Stripe.Subscription.CancellationDetails.Reason | null): void {
  subscription.cancellation_details = {
    comment: subscription.cancellation_details?.comment ?? null,
    feedback: subscription.cancellation_details?.feedback ?? null,
    feedback_option: subscription.cancellation_details?.feedback_option ?? null,
    reason,
  };
}

const FEEDBACK = ['customer_service', 'low_quality', 'missing_features', 'other', 'switched_service', 'too_complex', 'too_expensive', 'unused'] as const;

function applyCancellationDetails(subscription: Stripe.Subscription, details: Params): void {
  const current = subscription.cancellation_details ?? { comment: null, feedback: null, feedback_option: null, reason: null };
  const comment = details.nullableStr('comment', { max: 5000 });
  const feedback = details.has('feedback') && details.raw.feedback === '' ? null : details.enumOf('feedback', FEEDBACK);
  subscription.cancellation_details = {
    ...current,
    ...(comment !== undefined ? { comment } : {}),
    ...(feedback !== undefined ? { feedback } : {}),
  };
}

/** DELETE /v1/subscriptions/:id. */
export function cancelSubscription(e: Engine, id: string, p: Params): Stripe.Subscription {
  p.check({ supported: ['cancellation_details'], ignored: ['invoice_now', 'prorate'] });
  const subscription = e.subscriptions.get(id);
  // Stripe answers a second cancellation as if the subscription did not exist.
  if (!subscription || subscription.status === 'canceled' || subscription.status === 'incomplete_expired') {
    throw notFound('subscription', id);
  }
  const details = p.obj('cancellation_details');
  details?.check({ supported: ['comment', 'feedback'] });
  if (details) applyCancellationDetails(subscription, details);
  cancelSubscriptionNow(e, id, { reason: 'cancellation_requested' });
  return retrieveSubscription(e, id);
}

/** Ends a subscription now and records `customer.subscription.deleted`. */
export function cancelSubscriptionNow(
  e: Engine,
  id: string,
  options: { reason: Stripe.Subscription.CancellationDetails.Reason },
): void {
  const subscription = e.subscriptions.get(id);
  if (!subscription) return;
  const now = e.now();
  subscription.status = 'canceled';
  subscription.ended_at = now;
  if (subscription.canceled_at === null || options.reason === 'payment_failed') subscription.canceled_at = now;
  setCancellationReason(subscription, options.reason);
  for (const invoice of e.invoices.values()) {
    if (invoice.subscription === id && invoice.status === 'open') invoice.next_payment_attempt = null;
  }
  e.record('customer.subscription.deleted', e.renderSubscription(id));
}

/** The end of a billing period (or trial): a new period, its invoice and a payment attempt. */
export function renewSubscription(e: Engine, id: string): void {
  const subscription = e.subscriptions.get(id);
  const state = e.subscriptionState.get(id);
  if (!subscription || !state) return;
  const customer = e.customers.get(subscription.customer as string);
  const before = e.renderSubscription(id) as Stripe.Subscription;
  state.cycle += 1;
  const periodStart = cycleStart(state.anchor, state.interval, state.intervalCount, state.cycle);
  const periodEnd = cycleStart(state.anchor, state.interval, state.intervalCount, state.cycle + 1);
  const previousStart = subscription.items.data[0]?.current_period_start ?? periodStart;
  for (const item of subscription.items.data) {
    item.current_period_start = periodStart;
    item.current_period_end = periodEnd;
  }
  if (subscription.status === 'trialing') subscription.status = 'active';
  if (subscription.cancel_at_period_end) subscription.cancel_at = periodEnd;

  if (customer) {
    const lines: LineInput[] = subscription.items.data.map((item) => ({
      price: e.prices.get(item.price.id) ?? item.price,
      quantity: item.quantity ?? 1,
      period: { start: periodStart, end: periodEnd },
      subscriptionItem: item.id,
      trial: false,
    }));
    const invoice = createInvoice(e, {
      customer,
      subscription,
      billingReason: 'subscription_cycle',
      lines,
      periodStart: previousStart,
      periodEnd: periodStart,
    });
    subscription.latest_invoice = invoice.id;
    finalizeInvoice(e, invoice);
    if (subscription.status !== 'unpaid') {
      const result = attemptInvoicePayment(e, invoice, e.takePaymentOutcome(customer.id), true);
      applyPaymentResult(e, subscription, result);
      e.record('customer.subscription.updated', e.renderSubscription(id), { previous: before });
      if (result === 'exhausted' && e.options.retry.onExhausted === 'cancel') {
        cancelSubscriptionNow(e, id, { reason: 'payment_failed' });
      }
      return;
    }
  }
  e.record('customer.subscription.updated', e.renderSubscription(id), { previous: before });
}

/** An automatic retry of an open subscription invoice. */
function retryInvoice(e: Engine, invoice: FakeInvoice): void {
  const result = attemptInvoicePayment(e, invoice, e.takePaymentOutcome(invoice.customer as string), true);
  afterInvoicePayment(e, invoice, result);
}

// ---------------------------------------------------------------------------------------------
// The test clock
// ---------------------------------------------------------------------------------------------

interface DueAction {
  at: number;
  rank: number;
  run: () => void;
}

function nextDueAction(e: Engine, target: number): DueAction | null {
  let best: DueAction | null = null;
  const consider = (action: DueAction) => {
    if (action.at > target) return;
    if (!best || action.at < best.at || (action.at === best.at && action.rank < best.rank)) best = action;
  };
  for (const session of e.sessions.values()) {
    if (session.status === 'open') {
      consider({ at: session.expires_at, rank: 0, run: () => expireOpenSession(e, session.id) });
    }
  }
  for (const subscription of e.subscriptions.values()) {
    if (['canceled', 'incomplete_expired', 'incomplete'].includes(subscription.status)) continue;
    const state = e.subscriptionState.get(subscription.id);
    if (!state) continue;
    const periodEnd = subscription.items.data[0]?.current_period_end;
    if (subscription.status === 'trialing' && subscription.trial_end !== null && !state.trialWillEndSent) {
      const at = subscription.trial_end - 3 * DAY;
      if (at > subscription.start_date) {
        consider({
          at,
          rank: 1,
          run: () => {
            state.trialWillEndSent = true;
            e.record('customer.subscription.trial_will_end', e.renderSubscription(subscription.id));
          },
        });
      }
    }
    for (const invoice of e.invoices.values()) {
      if (invoice.subscription === subscription.id && invoice.status === 'open' && invoice.next_payment_attempt !== null) {
        consider({ at: invoice.next_payment_attempt, rank: 2, run: () => retryInvoice(e, invoice) });
      }
    }
    if (subscription.cancel_at !== null) {
      consider({
        at: subscription.cancel_at,
        rank: 3,
        run: () => cancelSubscriptionNow(e, subscription.id, { reason: 'cancellation_requested' }),
      });
    }
    if (periodEnd !== undefined) consider({ at: periodEnd, rank: 4, run: () => renewSubscription(e, subscription.id) });
  }
  // One-off invoices left to Stripe (auto_advance): drafts are finalized and charged, declines retried.
  for (const invoice of e.invoices.values()) {
    if (invoice.subscription || !invoice.auto_advance) continue;
    if (invoice.status === 'draft' && invoice.automatically_finalizes_at !== null) {
      consider({ at: invoice.automatically_finalizes_at, rank: 2, run: () => advanceOneOffInvoice(e, invoice) });
    } else if (invoice.status === 'open' && invoice.next_payment_attempt !== null) {
      consider({ at: invoice.next_payment_attempt, rank: 2, run: () => retryInvoice(e, invoice) });
    }
  }
  return best;
}

/** Moves the clock forward, running everything that falls due on the way, in time order. */
export function advanceTime(e: Engine, seconds: number): Stripe.Event[] {
  if (!Number.isFinite(seconds) || seconds < 0) throw invalid('advanceTime needs a number of seconds >= 0.', 'seconds');
  const start = e.now();
  const target = start + Math.floor(seconds);
  const firstEvent = e.events.length;
  let guard = 0;
  try {
    for (;;) {
      const action = nextDueAction(e, target);
      if (!action) break;
      guard += 1;
      if (guard > 100_000) throw new Error('advanceTime: more than 100000 due actions; advance in smaller steps');
      e.simulatedNow = Math.max(action.at, start);
      action.run();
    }
  } finally {
    e.simulatedNow = null;
  }
  e.addOffset(Math.floor(seconds));
  return e.events.slice(firstEvent);
}

/** An open session past its expires_at: expired, as Stripe does on its own. */
export function expireOpenSession(e: Engine, id: string): void {
  const session = e.sessions.get(id);
  if (!session || session.status !== 'open') return;
  session.status = 'expired';
  session.url = null;
  if (typeof session.payment_intent === 'string') {
    const paymentIntent = e.paymentIntents.get(session.payment_intent);
    if (paymentIntent) cancelPaymentIntent(e, paymentIntent, 'abandoned');
  }
  e.record('checkout.session.expired', session);
}
