import type Stripe from 'stripe';
import type { Engine, SessionData } from '../engine.js';
import { ApiError, invalid, missingParam, missingReference, notFound } from '../errors.js';
import { Params, inRange, mergeMetadata } from '../params.js';
import { DAY, clone } from '../util.js';
import { createPaymentIntent, expireOpenSession, failPaymentIntent, startSubscriptionFromSession, succeedPaymentIntent } from './billing.js';
import { buildPrice, createCustomer, unitAmountOf } from './catalog.js';
import { requireConnectedAccount } from './connect.js';

const ENDPOINT_IGNORED = [
  'allow_promotion_codes', 'automatic_tax', 'billing_address_collection', 'consent_collection', 'custom_fields', 'custom_text',
  'customer_update', 'excluded_payment_method_types', 'payment_method_collection', 'payment_method_configuration',
  'payment_method_options', 'phone_number_collection', 'saved_payment_method_options', 'submit_type', 'tax_id_collection',
  'adaptive_pricing', 'branding_settings', 'wallet_options', 'name_collection', 'after_expiration', 'origin_context',
  'integration_identifier', 'allowed_payment_method_types', 'permissions',
];
const ENDPOINT_UNSUPPORTED = [
  'discounts', 'invoice_creation', 'optional_items', 'shipping_address_collection', 'shipping_options', 'setup_intent_data',
  'payment_method_data', 'managed_payments', 'customer_account', 'currency', 'return_url', 'redirect_on_completion',
];

/** POST /v1/checkout/sessions */
export function createSession(e: Engine, p: Params): Stripe.Checkout.Session {
  p.check({
    supported: [
      'mode', 'customer', 'customer_email', 'customer_creation', 'line_items', 'success_url', 'cancel_url', 'client_reference_id',
      'metadata', 'payment_intent_data', 'subscription_data', 'expires_at', 'locale', 'ui_mode',
    ],
    ignored: ENDPOINT_IGNORED,
    unsupported: ENDPOINT_UNSUPPORTED,
  });
  const now = e.now();
  const mode = p.enumOf('mode', ['payment', 'setup', 'subscription'] as const);
  if (!mode) throw missingParam('mode');
  if (mode === 'setup') throw invalid('stripe-fake does not implement mode=setup.', 'mode');
  const uiMode = p.enumOf('ui_mode', ['hosted_page', 'embedded_page', 'elements', 'form', 'hosted', 'embedded', 'custom'] as const);
  if (uiMode !== undefined && uiMode !== 'hosted_page' && uiMode !== 'hosted') {
    throw invalid('stripe-fake implements only the hosted Checkout page (ui_mode=hosted_page).', 'ui_mode');
  }

  const customerId = p.str('customer');
  const customerEmail = p.str('customer_email', { max: 800 });
  if (customerId && customerEmail) {
    throw invalid('You may only specify one of these parameters: customer, customer_email.', 'customer_email');
  }
  if (customerId && !e.customers.has(customerId)) throw missingReference('customer', customerId, 'customer');
  const customerCreation = p.enumOf('customer_creation', ['always', 'if_required'] as const);
  if (customerCreation && mode !== 'payment') {
    throw invalid('`customer_creation` can only be used in `payment` mode.', 'customer_creation');
  }
  if (customerCreation && customerId) {
    throw invalid('You may only specify one of these parameters: customer, customer_creation.', 'customer_creation');
  }

  const lineItemParams = p.objList('line_items');
  if (!lineItemParams || lineItemParams.length === 0) throw missingParam('line_items');
  const prices: SessionData['prices'] = [];
  const lineItems: Stripe.LineItem[] = [];
  for (const item of lineItemParams) {
    item.check({
      supported: ['price', 'price_data', 'quantity', 'metadata'],
      ignored: ['tax_rates', 'dynamic_tax_rates'],
      unsupported: ['adjustable_quantity'],
    });
    const priceId = item.str('price');
    const priceData = item.obj('price_data');
    if (priceId && priceData) throw invalid('You may only specify one of these parameters: price, price_data.', item.path('price'));
    let price: Stripe.Price;
    if (priceData) {
      priceData.check({
        supported: ['currency', 'product', 'product_data', 'unit_amount', 'unit_amount_decimal', 'recurring', 'tax_behavior'],
      });
      price = buildPrice(e, priceData, { allowProductData: true, inline: true });
    } else {
      if (!priceId) throw invalid(`You must specify either \`price\` or \`price_data\` in ${item.prefix}.`, item.path('price'), 'parameter_missing');
      const found = e.prices.get(priceId);
      if (!found) throw missingReference('price', priceId, item.path('price'));
      if (!found.active) {
        throw invalid('The price specified is inactive. This field only accepts active prices.', item.path('price'));
      }
      const product = e.products.get(found.product as string);
      if (product && !product.active) {
        throw invalid('The price specified is set to a product that is not active. This field only accepts prices of active products.', item.path('price'));
      }
      price = found;
    }
    const metered = price.recurring?.usage_type === 'metered';
    if (metered && item.has('quantity')) {
      throw invalid(`Quantity should not be specified where usage_type is \`metered\`. Remove quantity from \`${item.prefix}\``, item.path('quantity'));
    }
    const quantity = metered ? 1 : item.int('quantity', { min: 0, max: 999_999 });
    if (quantity === undefined) throw invalid(`Quantity is required. Add \`quantity\` to \`${item.prefix}\``, item.path('quantity'), 'parameter_missing');
    if (price.recurring && mode === 'payment') {
      throw invalid(
        'You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.',
        'line_items',
      );
    }
    prices.push({ price: price.id, quantity });
    const subtotal = unitAmountOf(price) * quantity;
    lineItems.push({
      id: e.id('li'),
      object: 'item',
      adjustable_quantity: null,
      amount_discount: 0,
      amount_subtotal: subtotal,
      amount_tax: 0,
      amount_total: subtotal,
      currency: price.currency,
      description: e.products.get(price.product as string)?.name ?? null,
      metadata: mergeMetadata({}, item.metadata()),
      price: clone(price),
      quantity,
    });
  }
  const currencies = new Set(lineItems.map((item) => item.currency));
  if (currencies.size > 1) {
    throw invalid('All line items in a Checkout Session must use the same currency.', 'line_items');
  }
  const recurring = prices.map((line) => e.prices.get(line.price) as Stripe.Price).filter((price) => price.recurring);
  if (mode === 'subscription' && recurring.length === 0) {
    throw invalid('You must provide at least one recurring price in `subscription` mode when using prices.', 'line_items');
  }
  if (recurring.length > 1) {
    const first = recurring[0].recurring as Stripe.Price.Recurring;
    if (recurring.some((price) => price.recurring?.interval !== first.interval || price.recurring?.interval_count !== first.interval_count)) {
      throw invalid('stripe-fake requires all recurring prices of a Checkout Session to share one billing interval.', 'line_items');
    }
  }

  const paymentIntentParams = p.obj('payment_intent_data');
  if (paymentIntentParams && mode !== 'payment') {
    throw invalid('You can not pass `payment_intent_data` in `subscription` mode.', 'payment_intent_data');
  }
  const subscriptionParams = p.obj('subscription_data');
  if (subscriptionParams && mode !== 'subscription') {
    throw invalid('You can not pass `subscription_data` in `payment` mode.', 'subscription_data');
  }
  const data: SessionData = {
    lineItems,
    prices,
    customerCreation: customerCreation ?? 'if_required',
    paymentIntentData: readPaymentIntentData(e, paymentIntentParams),
    subscriptionData: readSubscriptionData(e, subscriptionParams, now),
  };

  const trial = mode === 'subscription' && (data.subscriptionData.trial_period_days !== null || data.subscriptionData.trial_end !== null);
  const amountSubtotal = lineItems.reduce((sum, item) => sum + item.amount_subtotal, 0);
  const amountTotal = lineItems.reduce((sum, item) => {
    const price = item.price as Stripe.Price;
    if (price.recurring && (trial || price.recurring.usage_type === 'metered')) return sum;
    return sum + item.amount_total;
  }, 0);
  if (mode === 'payment' && amountTotal <= 0) {
    throw invalid('The Checkout Session\'s total amount due must add up to at least the minimum charge amount.', 'line_items');
  }

  const expiresAt = p.int('expires_at');
  if (expiresAt !== undefined && (expiresAt < now + 30 * 60 || expiresAt > now + DAY)) {
    throw invalid('The `expires_at` timestamp must be between 30 minutes and 24 hours from the Checkout Session creation.', 'expires_at');
  }
  const successUrl = p.str('success_url', { max: 5000 });
  const cancelUrl = p.str('cancel_url', { max: 5000 });
  for (const [name, url] of [['success_url', successUrl], ['cancel_url', cancelUrl]] as const) {
    if (url !== undefined && !/^https?:\/\//i.test(url)) throw invalid(`Not a valid URL`, name, 'url_invalid');
  }

  const id = e.id('cs_test');
  const session: Stripe.Checkout.Session = {
    id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: mode === 'subscription' && trial ? amountTotal : amountSubtotal,
    amount_total: amountTotal,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: cancelUrl ?? null,
    client_reference_id: p.str('client_reference_id', { max: 200 }) ?? null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: now,
    currency: lineItems[0].currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: customerId ?? null,
    customer_account: null,
    customer_creation: mode === 'payment' && !customerId ? data.customerCreation : null,
    customer_details: null,
    customer_email: customerEmail ?? null,
    discounts: [],
    expires_at: expiresAt ?? now + DAY,
    integration_identifier: null,
    invoice: null,
    invoice_creation: mode === 'payment'
      ? {
          enabled: false,
          invoice_data: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: null, metadata: {}, rendering_options: null },
        }
      : null,
    livemode: false,
    locale: (p.str('locale') as Stripe.Checkout.Session.Locale | undefined) ?? null,
    managed_payments: null,
    metadata: mergeMetadata({}, p.metadata()),
    mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: mode === 'subscription' ? 'always' : null,
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ['card'],
    payment_status: 'unpaid',
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: successUrl ?? null,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted_page',
    url: `${e.baseUrl}/checkout/${id}`,
    wallet_options: null,
  };
  e.sessions.set(id, session);
  e.sessionData.set(id, data);
  return clone(session);
}

function readPaymentIntentData(e: Engine, params: Params | undefined): SessionData['paymentIntentData'] {
  const out: SessionData['paymentIntentData'] = {
    metadata: {},
    description: null,
    application_fee_amount: null,
    transfer_data: null,
    on_behalf_of: null,
    transfer_group: null,
    receipt_email: null,
  };
  if (!params) return out;
  params.check({
    supported: ['metadata', 'description', 'application_fee_amount', 'transfer_data', 'on_behalf_of', 'transfer_group', 'receipt_email'],
    ignored: ['statement_descriptor', 'statement_descriptor_suffix', 'setup_future_usage', 'shipping'],
    unsupported: ['capture_method'],
  });
  out.metadata = mergeMetadata({}, params.metadata());
  out.description = params.str('description', { max: 1000 }) ?? null;
  out.application_fee_amount = params.int('application_fee_amount', { min: 0 }) ?? null;
  out.transfer_group = params.str('transfer_group') ?? null;
  out.receipt_email = params.str('receipt_email') ?? null;
  out.on_behalf_of = params.str('on_behalf_of') ?? null;
  if (out.on_behalf_of) requireConnectedAccount(e, out.on_behalf_of, params.path('on_behalf_of'));
  const transfer = params.obj('transfer_data');
  if (transfer) {
    transfer.check({ supported: ['destination', 'amount'] });
    const destination = transfer.reqStr('destination');
    requireConnectedAccount(e, destination, transfer.path('destination'));
    const amount = transfer.int('amount', { min: 0 });
    out.transfer_data = amount !== undefined ? { destination, amount } : { destination };
  }
  if (out.application_fee_amount !== null && !out.transfer_data && !out.on_behalf_of) {
    throw invalid(
      'Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).',
      params.path('application_fee_amount'),
    );
  }
  return out;
}

function readSubscriptionData(e: Engine, params: Params | undefined, now: number): SessionData['subscriptionData'] {
  const out: SessionData['subscriptionData'] = {
    metadata: {},
    trial_period_days: null,
    trial_end: null,
    description: null,
    application_fee_percent: null,
    transfer_data: null,
    on_behalf_of: null,
  };
  if (!params) return out;
  params.check({
    supported: ['metadata', 'trial_period_days', 'trial_end', 'description', 'application_fee_percent', 'transfer_data', 'on_behalf_of'],
    ignored: ['proration_behavior', 'default_tax_rates', 'invoice_settings', 'trial_settings', 'billing_mode'],
    unsupported: ['billing_cycle_anchor', 'billing_cycle_anchor_config', 'pending_invoice_item_interval'],
  });
  out.metadata = mergeMetadata({}, params.metadata());
  out.description = params.str('description', { max: 500 }) ?? null;
  out.trial_period_days = params.int('trial_period_days', { min: 1, max: 730 }) ?? null;
  out.trial_end = params.int('trial_end') ?? null;
  if (out.trial_period_days !== null && out.trial_end !== null) {
    throw invalid('You may only specify one of these parameters: trial_end, trial_period_days.', params.path('trial_end'));
  }
  if (out.trial_end !== null && out.trial_end < now + 2 * DAY) {
    throw invalid('The `trial_end` date has to be at least 2 days in the future.', params.path('trial_end'));
  }
  const percent = params.str('application_fee_percent');
  if (percent !== undefined) {
    const value = Number(percent);
    if (!/^\d+(\.\d{1,2})?$/.test(percent) || value < 0 || value > 100) {
      throw invalid(`Invalid decimal: ${percent}`, params.path('application_fee_percent'));
    }
    out.application_fee_percent = value;
  }
  out.on_behalf_of = params.str('on_behalf_of') ?? null;
  if (out.on_behalf_of) requireConnectedAccount(e, out.on_behalf_of, params.path('on_behalf_of'));
  const transfer = params.obj('transfer_data');
  if (transfer) {
    transfer.check({ supported: ['destination', 'amount_percent'] });
    const destination = transfer.reqStr('destination');
    requireConnectedAccount(e, destination, transfer.path('destination'));
    const amountPercent = transfer.str('amount_percent');
    out.transfer_data = { destination, amount_percent: amountPercent !== undefined ? Number(amountPercent) : null };
  }
  return out;
}

export function retrieveSession(e: Engine, id: string): Stripe.Checkout.Session {
  const session = e.sessions.get(id);
  if (!session) throw notFound('checkout.session', id, 'session');
  return clone(session);
}

export function updateSession(e: Engine, id: string, p: Params): Stripe.Checkout.Session {
  p.check({ supported: ['metadata'], unsupported: ['line_items', 'shipping_options', 'collected_information', 'payment_intent_data'] });
  const session = e.sessions.get(id);
  if (!session) throw notFound('checkout.session', id, 'session');
  if (p.has('metadata')) session.metadata = mergeMetadata(session.metadata, p.metadata());
  return clone(session);
}

export function listSessions(e: Engine, p: Params): unknown {
  p.check({
    supported: ['customer', 'customer_details', 'payment_intent', 'payment_link', 'status', 'subscription', 'created', 'limit', 'starting_after', 'ending_before'],
    ignored: ['customer_account'],
  });
  const customer = p.str('customer');
  const details = p.obj('customer_details');
  details?.check({ supported: ['email'] });
  const email = details?.reqStr('email');
  const paymentIntent = p.str('payment_intent');
  const paymentLink = p.str('payment_link');
  const status = p.enumOf('status', ['complete', 'expired', 'open'] as const);
  const subscription = p.str('subscription');
  const created = p.range('created');
  const items = [...e.sessions.values()].filter(
    (session) =>
      (customer === undefined || session.customer === customer) &&
      (email === undefined || session.customer_details?.email === email) &&
      (paymentIntent === undefined || session.payment_intent === paymentIntent) &&
      (paymentLink === undefined || session.payment_link === paymentLink) &&
      (status === undefined || session.status === status) &&
      (subscription === undefined || session.subscription === subscription) &&
      inRange(session.created, created),
  );
  return e.paginate(items, p, '/v1/checkout/sessions');
}

export function listSessionLineItems(e: Engine, id: string, p: Params): unknown {
  p.check({ supported: ['limit', 'starting_after', 'ending_before'] });
  const session = e.sessions.get(id);
  if (!session) throw notFound('checkout.session', id, 'session');
  const items = e.sessionData.get(id)?.lineItems ?? [];
  const limit = p.int('limit', { min: 1, max: 100 }) ?? 10;
  const after = p.str('starting_after');
  const start = after ? items.findIndex((item) => item.id === after) + 1 : 0;
  return {
    object: 'list',
    data: clone(items.slice(start, start + limit)),
    has_more: items.length > start + limit,
    url: `/v1/checkout/sessions/${id}/line_items`,
  };
}

/** POST /v1/checkout/sessions/:id/expire */
export function expireSession(e: Engine, id: string, p: Params): Stripe.Checkout.Session {
  p.check({ supported: [] });
  const session = e.sessions.get(id);
  if (!session) throw notFound('checkout.session', id, 'session');
  if (session.status !== 'open') {
    throw invalid(`Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`, 'session');
  }
  expireOpenSession(e, id);
  return clone(session);
}

export interface CompleteCheckoutOptions {
  /** `paid` (default: whatever setNextPaymentOutcome says for the customer, else paid) or `failed` (a declined card). */
  outcome?: 'paid' | 'failed';
  /** The email the buyer "types" (default: the customer's, customer_email, or buyer@example.com). */
  email?: string;
  name?: string;
}

/**
 * What the buyer does on the hosted page. `paid` completes the session as Stripe would (a
 * succeeded PaymentIntent, or a subscription with its paid first invoice) and records
 * checkout.session.completed; `failed` is a declined card: the session stays open.
 */
export function completeCheckout(e: Engine, id: string, options: CompleteCheckoutOptions = {}): Stripe.Checkout.Session {
  const session = e.sessions.get(id);
  const data = e.sessionData.get(id);
  if (!session || !data) throw notFound('checkout.session', id, 'session');
  if (session.status === 'open' && e.now() >= session.expires_at) expireOpenSession(e, id);
  if (session.status !== 'open') {
    throw new ApiError(400, {
      type: 'invalid_request_error',
      code: 'checkout_session_not_open',
      message: `This Checkout Session is ${session.status} and can no longer be paid.`,
      param: 'session',
    });
  }
  const existingCustomer = typeof session.customer === 'string' ? e.customers.get(session.customer) : undefined;
  const outcome = options.outcome
    ?? (e.takePaymentOutcome(existingCustomer?.id ?? null) === 'fail' ? 'failed' : 'paid');
  if (outcome !== 'paid' && outcome !== 'failed') throw invalid('outcome must be paid or failed', 'outcome');

  if (outcome === 'failed') {
    if (session.mode === 'payment') {
      const paymentIntent = ensureSessionPaymentIntent(e, session, data);
      failPaymentIntent(e, paymentIntent, {
        email: options.email ?? existingCustomer?.email ?? session.customer_email ?? null,
        name: options.name ?? existingCustomer?.name ?? null,
      });
    }
    return clone(session);
  }

  const email = options.email ?? existingCustomer?.email ?? session.customer_email ?? 'buyer@example.com';
  const name = options.name ?? existingCustomer?.name ?? null;
  let customer = existingCustomer;
  if (!customer && (session.mode === 'subscription' || data.customerCreation === 'always')) {
    customer = createCheckoutCustomer(e, email, name);
    session.customer = customer.id;
  }
  session.customer_details = {
    address: null,
    business_name: null,
    email,
    individual_name: null,
    name,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };

  if (session.mode === 'payment') {
    const paymentIntent = ensureSessionPaymentIntent(e, session, data);
    if (customer && !paymentIntent.customer) paymentIntent.customer = customer.id;
    succeedPaymentIntent(e, paymentIntent, { email, name });
    session.payment_status = 'paid';
  } else {
    const { subscription, invoice } = startSubscriptionFromSession(e, data, customer as Stripe.Customer);
    session.subscription = subscription.id;
    session.invoice = invoice.id;
    session.payment_status = invoice.amount_paid > 0 ? 'paid' : 'no_payment_required';
  }
  session.status = 'complete';
  session.url = null;
  e.record('checkout.session.completed', session);
  return clone(session);
}

function ensureSessionPaymentIntent(e: Engine, session: Stripe.Checkout.Session, data: SessionData): Stripe.PaymentIntent {
  if (typeof session.payment_intent === 'string') {
    const existing = e.paymentIntents.get(session.payment_intent);
    if (existing) return existing;
  }
  const paymentIntent = createPaymentIntent(e, {
    amount: session.amount_total ?? 0,
    currency: session.currency ?? 'usd',
    customer: typeof session.customer === 'string' ? session.customer : null,
    description: data.paymentIntentData.description,
    metadata: data.paymentIntentData.metadata,
    application_fee_amount: data.paymentIntentData.application_fee_amount,
    transfer_data: data.paymentIntentData.transfer_data,
    on_behalf_of: data.paymentIntentData.on_behalf_of,
    transfer_group: data.paymentIntentData.transfer_group,
    receipt_email: data.paymentIntentData.receipt_email,
  });
  session.payment_intent = paymentIntent.id;
  return paymentIntent;
}

function createCheckoutCustomer(e: Engine, email: string, name: string | null): Stripe.Customer {
  const raw: Record<string, unknown> = { email };
  if (name) raw.name = name;
  const created = createCustomer(e, new Params(raw, 'POST /v1/customers'));
  return e.customers.get(created.id) as Stripe.Customer;
}
