import type Stripe from 'stripe';
import { invalid } from './errors.js';
import { Params } from './params.js';
import type { Interval } from './util.js';
import { clone, isPlainObject, newId, previousAttributes } from './util.js';

/** The Stripe API version whose object shapes the fake follows (pinned by stripe-node 23.1.0). */
export const API_VERSION = '2026-10-28.endive';

/** An invoice plus a top-level `subscription` (removed from Stripe's Invoice in 2025-03-31.basil; kept for convenience). */
export type FakeInvoice = Stripe.Invoice & { subscription: string | null };

export type PaymentOutcome = 'succeed' | 'fail';

export interface RetryPolicy {
  /** Payment attempts per invoice before giving up (the first attempt counts). Default 3. */
  maxAttempts: number;
  /** Seconds between automatic attempts. Default 3 days. */
  intervalSeconds: number;
  /** What happens to the subscription when the last attempt fails. Default `cancel`. */
  onExhausted: 'cancel' | 'unpaid' | 'past_due';
}

export interface SessionData {
  lineItems: Stripe.LineItem[];
  /** Prices (by id) in line item order, for building subscriptions and invoices. */
  prices: { price: string; quantity: number }[];
  customerCreation: 'always' | 'if_required';
  paymentIntentData: {
    metadata: Record<string, string>;
    description: string | null;
    application_fee_amount: number | null;
    transfer_data: { destination: string; amount?: number } | null;
    on_behalf_of: string | null;
    transfer_group: string | null;
    receipt_email: string | null;
  };
  subscriptionData: {
    metadata: Record<string, string>;
    trial_period_days: number | null;
    trial_end: number | null;
    description: string | null;
    application_fee_percent: number | null;
    transfer_data: { destination: string; amount_percent: number | null } | null;
    on_behalf_of: string | null;
  };
}

export interface SubscriptionState {
  /** Start of billing cycle 0 (the trial end when there is a trial). */
  anchor: number;
  /** Index of the current billing cycle (-1 while trialing). */
  cycle: number;
  interval: Interval;
  intervalCount: number;
  trialWillEndSent: boolean;
}

export interface AccountLinkState {
  token: string;
  account: string;
  type: 'account_onboarding' | 'account_update';
  refresh_url: string;
  return_url: string;
  created: number;
  expires_at: number;
  used: boolean;
}

export interface RequestContext {
  id: string | null;
  idempotency_key: string | null;
}

export interface StoredIdempotentResponse {
  fingerprint: string;
  status: number;
  body: string;
  requestId: string;
}

export interface EngineOptions {
  baseUrl: () => string;
  clock: () => number;
  retry: RetryPolicy;
  onEvent: (event: Stripe.Event) => void;
}

type Lister<T> = { id: string } & T;

/** All state of the fake and the plumbing every resource shares. */
export class Engine {
  customers = new Map<string, Stripe.Customer>();
  deletedCustomers = new Map<string, Stripe.DeletedCustomer>();
  products = new Map<string, Stripe.Product>();
  prices = new Map<string, Stripe.Price>();
  /** Prices created inline through `price_data`: not listed, as on Stripe. */
  inlinePrices = new Set<string>();
  sessions = new Map<string, Stripe.Checkout.Session>();
  sessionData = new Map<string, SessionData>();
  subscriptions = new Map<string, Stripe.Subscription>();
  subscriptionState = new Map<string, SubscriptionState>();
  invoices = new Map<string, FakeInvoice>();
  invoicePayments = new Map<string, Stripe.InvoicePayment[]>();
  invoiceItems = new Map<string, Stripe.InvoiceItem>();
  paymentIntents = new Map<string, Stripe.PaymentIntent>();
  accounts = new Map<string, Stripe.Account>();
  charges = new Map<string, Stripe.Charge>();
  refunds = new Map<string, Stripe.Refund>();
  disputes = new Map<string, Stripe.Dispute>();
  transfers = new Map<string, Stripe.Transfer>();
  balanceTransactions = new Map<string, Stripe.BalanceTransaction>();
  accountLinks = new Map<string, AccountLinkState>();
  events: Stripe.Event[] = [];
  eventsById = new Map<string, Stripe.Event>();
  paymentOutcomes = new Map<string, { outcome: PaymentOutcome; remaining: number | null }>();
  idempotency = new Map<string, StoredIdempotentResponse>();

  /** Creation order of every object, for Stripe's newest-first lists and cursors. */
  private sequence = new Map<string, number>();
  private nextSequence = 1;
  /** Seconds added by advanceTime. */
  private offset = 0;
  /** While advanceTime works through due actions, the simulated "now". */
  simulatedNow: number | null = null;
  /** The API request being handled (for `event.request`). */
  request: RequestContext | null = null;

  constructor(readonly options: EngineOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl();
  }

  /** The fake's current time in unix seconds: the clock plus everything advanceTime added. */
  now(): number {
    if (this.simulatedNow !== null) return this.simulatedNow;
    return Math.floor(this.options.clock() / 1000) + this.offset;
  }

  addOffset(seconds: number): void {
    this.offset += seconds;
  }

  reset(): void {
    for (const map of [
      this.customers, this.deletedCustomers, this.products, this.prices, this.sessions, this.sessionData,
      this.subscriptions, this.subscriptionState, this.invoices, this.invoicePayments, this.invoiceItems, this.paymentIntents,
      this.accounts, this.accountLinks, this.charges, this.refunds, this.disputes, this.transfers, this.balanceTransactions, this.eventsById,
      this.paymentOutcomes, this.idempotency, this.sequence,
    ] as Map<string, unknown>[]) {
      map.clear();
    }
    this.inlinePrices.clear();
    this.events = [];
    this.offset = 0;
    this.simulatedNow = null;
    this.request = null;
  }

  /** A new id, remembered in creation order. */
  id(prefix: string): string {
    return this.register(newId(prefix));
  }

  /** Remembers an id (also one chosen by the caller) in creation order. */
  register(id: string): string {
    this.sequence.set(id, this.nextSequence);
    this.nextSequence += 1;
    return id;
  }

  /** Records an event with a snapshot of `object` as it is now. */
  record(
    type: Stripe.Event.Type,
    object: unknown,
    options: { previous?: unknown; account?: string } = {},
  ): Stripe.Event {
    const id = this.id('evt');
    const snapshot = clone(object);
    const previous = options.previous === undefined ? undefined : previousAttributes(options.previous, snapshot);
    const event = {
      id,
      object: 'event',
      ...(options.account ? { account: options.account } : {}),
      api_version: API_VERSION,
      created: this.now(),
      data: {
        object: snapshot,
        ...(previous ? { previous_attributes: previous } : {}),
      },
      livemode: false,
      pending_webhooks: 0,
      request: this.request ? { ...this.request } : { id: null, idempotency_key: null },
      type,
    } as unknown as Stripe.Event;
    this.events.push(event);
    this.eventsById.set(id, event);
    this.options.onEvent(event);
    return event;
  }

  /** The current wire form of any object the fake stores, by id. */
  lookup(id: string): unknown {
    if (id.startsWith('cus_')) return clone(this.customers.get(id) ?? this.deletedCustomers.get(id));
    if (id.startsWith('prod_')) return clone(this.products.get(id));
    if (id.startsWith('price_')) return clone(this.prices.get(id));
    if (id.startsWith('cs_')) return clone(this.sessions.get(id));
    if (id.startsWith('sub_')) return this.renderSubscription(id);
    if (id.startsWith('si_')) {
      for (const subscriptionId of this.subscriptions.keys()) {
        const item = this.renderSubscription(subscriptionId)?.items.data.find((candidate) => candidate.id === id);
        if (item) return item;
      }
      return undefined;
    }
    if (id.startsWith('in_')) return clone(this.invoices.get(id));
    if (id.startsWith('ii_')) return clone(this.invoiceItems.get(id));
    if (id.startsWith('pi_')) return clone(this.paymentIntents.get(id));
    if (id.startsWith('acct_')) return clone(this.accounts.get(id));
    if (id.startsWith('ch_')) return clone(this.charges.get(id));
    if (id.startsWith('re_')) return clone(this.refunds.get(id));
    if (id.startsWith('du_')) return clone(this.disputes.get(id));
    if (id.startsWith('tr_')) return clone(this.transfers.get(id));
    if (id.startsWith('txn_')) return clone(this.balanceTransactions.get(id));
    if (id.startsWith('evt_')) return clone(this.eventsById.get(id));
    return undefined;
  }

  /** A subscription with its items' prices as they are now (Stripe renders them live). */
  renderSubscription(id: string): Stripe.Subscription | undefined {
    const stored = this.subscriptions.get(id);
    if (!stored) return undefined;
    const subscription = clone(stored);
    for (const item of subscription.items.data) {
      const price = this.prices.get(item.price.id);
      if (price) {
        item.price = clone(price);
        item.plan = planFromPrice(price);
      }
    }
    return subscription;
  }

  /** Applies `expand[]` paths to a response, as Stripe does (up to 4 levels, lists via `data.`). */
  expand<T>(object: T, paths: string[]): T {
    if (paths.length === 0) return object;
    const result = clone(object) as unknown;
    for (const path of paths) {
      const segments = path.split('.');
      if (segments.length > 4) {
        throw invalid(`You cannot expand more than 4 levels of a property. Property: ${path}`, 'expand');
      }
      this.expandPath(result, segments, path);
    }
    return result as T;
  }

  private expandPath(target: unknown, segments: string[], full: string): void {
    if (!isPlainObject(target)) return;
    const [head, ...rest] = segments;
    if (target.object === 'list' && head === 'data' && Array.isArray(target.data)) {
      if (rest.length === 0) throw invalid(`This property cannot be expanded (${full}).`, 'expand');
      for (const item of target.data) this.expandPath(item, rest, full);
      return;
    }
    let value = target[head];
    if (value === undefined) {
      const included = this.includable(target, head);
      if (included === undefined) throw invalid(`This property cannot be expanded (${full}).`, 'expand');
      target[head] = included;
      value = included;
    } else if (typeof value === 'string') {
      const found = this.lookup(value);
      if (found === undefined) {
        const looksLikeId = /^[a-z]+(_test)?_[A-Za-z0-9]+$/.test(value);
        throw invalid(
          looksLikeId
            ? `This property cannot be expanded (${full}): stripe-fake does not store ${value.split('_')[0]}_ objects.`
            : `This property cannot be expanded (${full}).`,
          'expand',
        );
      }
      target[head] = found;
      value = found;
    } else if (value !== null && !isPlainObject(value)) {
      throw invalid(`This property cannot be expanded (${full}).`, 'expand');
    }
    if (rest.length > 0 && value !== null) this.expandPath(value, rest, full);
  }

  /** Fields Stripe leaves out unless expanded ("includable"). */
  private includable(target: Record<string, unknown>, field: string): unknown {
    const id = typeof target.id === 'string' ? target.id : '';
    if (target.object === 'checkout.session' && field === 'line_items') {
      const items = this.sessionData.get(id)?.lineItems ?? [];
      return { object: 'list', data: clone(items), has_more: false, url: `/v1/checkout/sessions/${id}/line_items` };
    }
    if (target.object === 'invoice' && field === 'payments') {
      const payments = this.invoicePayments.get(id) ?? [];
      return { object: 'list', data: clone(payments), has_more: false, url: `/v1/invoice_payments?invoice=${id}` };
    }
    if (target.object === 'charge' && field === 'refunds') {
      // Since 2022-11-15 a charge carries its refunds only when asked: `expand: ['refunds']`.
      const data = [...this.refunds.values()].filter((refund) => refund.charge === id).reverse();
      return { object: 'list', data: clone(data), has_more: false, url: `/v1/charges/${id}/refunds` };
    }
    if (target.object === 'customer' && field === 'subscriptions') {
      const data = [...this.subscriptions.values()]
        .filter((subscription) => subscription.customer === id && subscription.status !== 'canceled')
        .reverse()
        .map((subscription) => this.renderSubscription(subscription.id));
      return { object: 'list', data, has_more: false, url: `/v1/customers/${id}/subscriptions` };
    }
    return undefined;
  }

  /** Stripe list semantics over `items` (oldest first as stored): newest first, limit, cursors. */
  paginate<T>(items: Lister<T>[], params: Params, url: string, render: (item: Lister<T>) => unknown = clone): Stripe.ApiList<unknown> {
    const limit = params.int('limit', { min: 1, max: 100 }) ?? 10;
    const startingAfter = params.str('starting_after');
    const endingBefore = params.str('ending_before');
    const ordered = [...items].sort((a, b) => this.order(b.id) - this.order(a.id));
    let window = ordered;
    if (startingAfter) {
      const cursor = this.cursor(startingAfter, 'starting_after');
      window = ordered.filter((item) => this.order(item.id) < cursor);
    } else if (endingBefore) {
      const cursor = this.cursor(endingBefore, 'ending_before');
      const before = ordered.filter((item) => this.order(item.id) > cursor);
      window = before.slice(Math.max(0, before.length - limit));
      return { object: 'list', data: window.map(render), has_more: before.length > limit, url };
    }
    return { object: 'list', data: window.slice(0, limit).map(render), has_more: window.length > limit, url };
  }

  private order(id: string): number {
    return this.sequence.get(id) ?? 0;
  }

  private cursor(id: string, param: string): number {
    const order = this.sequence.get(id);
    if (order === undefined) throw invalid(`No such object: '${id}'`, param, 'resource_missing');
    return order;
  }

  /** The outcome of the next payment attempt for a customer (default: it succeeds). */
  takePaymentOutcome(customer: string | null): PaymentOutcome {
    if (!customer) return 'succeed';
    const entry = this.paymentOutcomes.get(customer);
    if (!entry) return 'succeed';
    if (entry.remaining !== null) {
      entry.remaining -= 1;
      if (entry.remaining <= 0) this.paymentOutcomes.delete(customer);
    }
    return entry.outcome;
  }

  peekPaymentOutcome(customer: string | null): PaymentOutcome {
    if (!customer) return 'succeed';
    return this.paymentOutcomes.get(customer)?.outcome ?? 'succeed';
  }
}

/** The legacy `plan` view of a recurring price, as subscription items carry it. */
export function planFromPrice(price: Stripe.Price): Stripe.Plan {
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: price.recurring?.interval ?? 'month',
    interval_count: price.recurring?.interval_count ?? 1,
    livemode: false,
    metadata: clone(price.metadata),
    meter: price.recurring?.meter ?? null,
    nickname: price.nickname,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: price.recurring?.usage_type ?? 'licensed',
  };
}
