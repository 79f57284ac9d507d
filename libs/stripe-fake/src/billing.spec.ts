import Stripe from 'stripe';
import { startStripeFake, type StripeFake } from './index.js';
import { cycleStart } from './util.js';

const DAY = 86_400;

describe('subscriptions on the test clock', () => {
  let fake: StripeFake;
  let stripe: Stripe;

  beforeAll(async () => {
    // 2026-01-31 10:00 UTC: month-end anchors exercise the day clamping.
    fake = await startStripeFake({ clock: () => Date.UTC(2026, 0, 31, 10, 0, 0) });
    stripe = new Stripe(fake.secretKey, fake.clientOptions);
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  async function subscribe(options: { trialDays?: number; interval?: 'month' | 'year' } = {}) {
    const customer = await stripe.customers.create({ email: 'subscriber@example.org' });
    const product = await stripe.products.create({ name: 'Live feed' });
    const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 2_000, recurring: { interval: options.interval ?? 'month' } });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'http://shop.test/ok',
      ...(options.trialDays ? { subscription_data: { trial_period_days: options.trialDays } } : {}),
    });
    const done = fake.completeCheckout(session.id);
    const subscription = await stripe.subscriptions.retrieve(done.subscription as string);
    return { customer, price, subscription };
  }

  const types = (events: Stripe.Event[]) => events.map((event) => event.type);

  it('renews at the period end with a new paid invoice', async () => {
    const { subscription, customer } = await subscribe();
    const start = subscription.items.data[0].current_period_start;
    const end = subscription.items.data[0].current_period_end;
    expect(new Date(end * 1000).toISOString()).toBe('2026-02-28T10:00:00.000Z');

    expect(fake.advanceTime(end - start - 1)).toEqual([]);
    const events = fake.advanceTime(1);
    expect(types(events)).toEqual([
      'invoice.created',
      'invoice.finalized',
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice.paid',
      'invoice.payment_succeeded',
      'customer.subscription.updated',
    ]);
    const updated = events.at(-1) as Stripe.Event;
    const previous = updated.data.previous_attributes as Partial<Stripe.Subscription>;
    expect(previous.items?.data[0].current_period_start).toBe(start);
    expect(previous.latest_invoice).toBe(subscription.latest_invoice);

    const renewed = await stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
    expect(renewed.status).toBe('active');
    expect(renewed.items.data[0].current_period_start).toBe(end);
    expect(new Date(renewed.items.data[0].current_period_end * 1000).toISOString()).toBe('2026-03-31T10:00:00.000Z');
    const invoice = renewed.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({ status: 'paid', billing_reason: 'subscription_cycle', amount_paid: 2_000, period_start: start, period_end: end });
    expect(invoice.lines.data[0].period).toEqual({ start: end, end: renewed.items.data[0].current_period_end });

    // Two more months in one call: both renewals happen, in order.
    const later = fake.advanceTime(62 * DAY);
    expect(types(later).filter((type) => type === 'invoice.paid')).toHaveLength(2);
    const invoices = await stripe.invoices.list({ subscription: subscription.id });
    expect(invoices.data.map((item) => item.billing_reason)).toEqual(['subscription_cycle', 'subscription_cycle', 'subscription_cycle', 'subscription_create']);
    expect(invoices.data.map((item) => item.number)).toEqual(['0004', '0003', '0002', '0001'].map((n) => `${(customer.invoice_prefix as string)}-${n}`));
  });

  it('fails renewals into past_due, retries, and cancels after the last attempt', async () => {
    const { subscription, customer } = await subscribe();
    fake.setNextPaymentOutcome(customer.id, 'fail');
    const periodEnd = subscription.items.data[0].current_period_end;
    const events = fake.advanceTime(periodEnd - fake.now());
    expect(types(events)).toEqual([
      'invoice.created',
      'invoice.finalized',
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
      'customer.subscription.updated',
    ]);
    const failed = events.find((event) => event.type === 'invoice.payment_failed')?.data.object as Stripe.Invoice;
    expect(failed).toMatchObject({ status: 'open', attempt_count: 1, attempted: true, amount_paid: 0, next_payment_attempt: periodEnd + 3 * DAY });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
    expect((events.at(-1)?.data.previous_attributes as { status: string }).status).toBe('active');

    const retry = fake.advanceTime(3 * DAY);
    expect(types(retry)).toEqual(['charge.failed', 'payment_intent.payment_failed', 'invoice.payment_failed']);
    const final = fake.advanceTime(3 * DAY);
    expect(types(final)).toEqual(['charge.failed', 'payment_intent.payment_failed', 'invoice.payment_failed', 'customer.subscription.deleted']);
    const ended = final.at(-1)?.data.object as Stripe.Subscription;
    expect(ended).toMatchObject({ status: 'canceled', cancellation_details: { reason: 'payment_failed' } });
    expect((final[2].data.object as Stripe.Invoice)).toMatchObject({ attempt_count: 3, next_payment_attempt: null });
    // Nothing renews after that.
    expect(fake.advanceTime(60 * DAY)).toEqual([]);
    await expect(stripe.subscriptions.cancel(subscription.id)).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const listed = await stripe.subscriptions.list({ customer: customer.id });
    expect(listed.data).toHaveLength(0);
    expect((await stripe.subscriptions.list({ customer: customer.id, status: 'canceled' })).data).toHaveLength(1);
  });

  it('recovers when a retry succeeds, and pays on demand', async () => {
    const { subscription, customer } = await subscribe();
    fake.setNextPaymentOutcome(customer.id, 'fail', { times: 1 });
    fake.advanceTime(subscription.items.data[0].current_period_end - fake.now());
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
    const retry = fake.advanceTime(3 * DAY);
    expect(types(retry)).toEqual(['charge.succeeded', 'payment_intent.succeeded', 'invoice.paid', 'invoice.payment_succeeded', 'customer.subscription.updated']);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');

    // POST /v1/invoices/:id/pay: a decline is a 402 card error, a later attempt pays.
    fake.setNextPaymentOutcome(customer.id, 'fail');
    const current = await stripe.subscriptions.retrieve(subscription.id);
    fake.advanceTime(current.items.data[0].current_period_end - fake.now());
    const open = (await stripe.invoices.list({ customer: customer.id, status: 'open' })).data[0];
    const declined = await stripe.invoices.pay(open.id).catch((caught: unknown) => caught);
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(declined).toMatchObject({ statusCode: 402, code: 'card_declined', decline_code: 'generic_decline' });
    fake.setNextPaymentOutcome(customer.id, 'succeed');
    const paid = await stripe.invoices.pay(open.id);
    expect(paid.status).toBe('paid');
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
    await expect(stripe.invoices.pay(open.id)).rejects.toThrow(/already paid/);
  });

  it('ends cancel_at_period_end subscriptions at the period end', async () => {
    const { subscription } = await subscribe();
    const periodEnd = subscription.items.data[0].current_period_end;
    const updated = await stripe.subscriptions.update(subscription.id, {
      cancel_at_period_end: true,
      cancellation_details: { comment: 'moving to annual', feedback: 'too_expensive' },
      metadata: { reason: 'user' },
    });
    expect(updated).toMatchObject({
      cancel_at_period_end: true,
      cancel_at: periodEnd,
      status: 'active',
      cancellation_details: { reason: 'cancellation_requested', feedback: 'too_expensive', comment: 'moving to annual' },
    });
    const [event] = fake.events({ type: 'customer.subscription.updated' });
    expect(event.data.previous_attributes).toMatchObject({ cancel_at_period_end: false, cancel_at: null, metadata: { reason: null } });

    const events = fake.advanceTime(periodEnd - fake.now() + DAY);
    expect(types(events)).toEqual(['customer.subscription.deleted']);
    expect(events[0].data.object).toMatchObject({ status: 'canceled', ended_at: periodEnd });
    await expect(stripe.subscriptions.update(subscription.id, { cancel_at_period_end: false })).rejects.toThrow(
      'A canceled subscription can only update its cancellation_details and metadata.',
    );
    await expect(stripe.subscriptions.update(subscription.id, { metadata: { archived: 'yes' } })).resolves.toMatchObject({ metadata: { reason: 'user', archived: 'yes' } });
  });

  it('cancels immediately on DELETE and can undo a scheduled cancellation', async () => {
    const { subscription, customer } = await subscribe();
    await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    const undone = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: false });
    expect(undone).toMatchObject({ cancel_at_period_end: false, cancel_at: null, canceled_at: null });
    const canceled = await stripe.subscriptions.cancel(subscription.id, { cancellation_details: { comment: 'bye' } });
    expect(canceled).toMatchObject({ status: 'canceled', cancellation_details: { comment: 'bye', reason: 'cancellation_requested' } });
    expect(fake.events().at(-1)?.type).toBe('customer.subscription.deleted');
    expect((await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data.map((s) => s.id)).toEqual([subscription.id]);
  });

  it('ends a trial with a first real charge, warning three days before', async () => {
    const { subscription } = await subscribe({ trialDays: 7 });
    expect(subscription.status).toBe('trialing');
    const warning = fake.advanceTime(4 * DAY);
    expect(types(warning)).toEqual(['customer.subscription.trial_will_end']);
    const events = fake.advanceTime(3 * DAY);
    expect(types(events)).toContain('invoice.paid');
    const after = await stripe.subscriptions.retrieve(subscription.id, { expand: ['latest_invoice'] });
    expect(after.status).toBe('active');
    expect((after.latest_invoice as Stripe.Invoice).amount_paid).toBe(2_000);
    expect(after.items.data[0].current_period_start).toBe(subscription.trial_end);
    const update = events.find((event) => event.type === 'customer.subscription.updated');
    expect((update?.data.previous_attributes as { status: string }).status).toBe('trialing');
  });

  it('exposes the clock over HTTP too', async () => {
    const before = fake.now();
    const response = await fetch(`${fake.url}/_fake/advance-time`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ seconds: 3600 }),
    });
    expect(((await response.json()) as { now: number }).now).toBe(before + 3600);
  });
});

describe('cycleStart', () => {
  it('keeps the anchor day and clamps to the end of shorter months', () => {
    const anchor = Date.UTC(2024, 0, 31, 8, 30) / 1000;
    const iso = (n: number) => new Date(cycleStart(anchor, 'month', 1, n) * 1000).toISOString().slice(0, 10);
    expect([0, 1, 2, 3, 13].map(iso)).toEqual(['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30', '2025-02-28']);
    expect(new Date(cycleStart(anchor, 'year', 1, 1) * 1000).toISOString().slice(0, 10)).toBe('2025-01-31');
    expect(cycleStart(anchor, 'week', 2, 1) - anchor).toBe(14 * DAY);
  });
});
