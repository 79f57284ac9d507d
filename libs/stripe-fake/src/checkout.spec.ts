import Stripe from 'stripe';
import { startStripeFake, type StripeFake } from './index.js';

/** Submits a form of the hosted page the way a browser would (no redirect following). */
async function submit(url: string, fields: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}

/** The `action` of the form on `html` whose submit button has id `buttonId`. */
function formAction(html: string, buttonId: string): string {
  const forms = html.split('<form').slice(1);
  const form = forms.find((candidate) => candidate.includes(`id="${buttonId}"`));
  const action = form ? /action="([^"]+)"/.exec(form)?.[1] : undefined;
  if (!action) throw new Error(`no form with button #${buttonId}`);
  return action;
}

describe('Checkout through the real Stripe SDK', () => {
  let fake: StripeFake;
  let stripe: Stripe;

  beforeAll(async () => {
    fake = await startStripeFake();
    stripe = new Stripe(fake.secretKey, { host: '127.0.0.1', port: fake.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  async function catalog(recurring?: Stripe.PriceCreateParams.Recurring) {
    const customer = await stripe.customers.create({ email: 'buyer@example.org', name: 'Buyer Ltd', metadata: { organization_id: 'org-1' } });
    const product = await stripe.products.create({ name: 'Air quality 2025', metadata: { product_id: 'p-1' } });
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'cny',
      unit_amount: 12_900,
      nickname: 'Standard licence',
      ...(recurring ? { recurring } : {}),
    });
    return { customer, product, price };
  }

  it('pays a one-off purchase on the hosted page and expands the payment intent', async () => {
    const { customer, price } = await catalog();
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 2 }],
      success_url: 'http://shop.test/done?session={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://shop.test/cancel',
      client_reference_id: 'order-42',
      metadata: { order_id: 'order-42' },
      payment_intent_data: { metadata: { order_id: 'order-42' } },
    });
    expect(session).toMatchObject({
      object: 'checkout.session',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: 25_800,
      currency: 'cny',
      livemode: false,
      payment_intent: null,
      client_reference_id: 'order-42',
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.url).toBe(`${fake.url}/checkout/${session.id}`);

    const page = await fetch(session.url as string);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('¥258.00');
    expect(html).toMatch(/id="pay"/);
    expect(html).toMatch(/id="cancel"/);

    const paid = await submit(new URL(formAction(html, 'pay'), fake.url).toString(), { outcome: 'paid', email: 'buyer@example.org' });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`http://shop.test/done?session=${session.id}`);

    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent', 'line_items'] });
    expect(done.status).toBe('complete');
    expect(done.payment_status).toBe('paid');
    expect(done.url).toBeNull();
    expect(done.customer_details?.email).toBe('buyer@example.org');
    const paymentIntent = done.payment_intent as Stripe.PaymentIntent;
    expect(paymentIntent).toMatchObject({
      object: 'payment_intent',
      status: 'succeeded',
      amount: 25_800,
      amount_received: 25_800,
      currency: 'cny',
      customer: customer.id,
      metadata: { order_id: 'order-42' },
    });
    expect(paymentIntent.id).toMatch(/^pi_/);
    expect(done.line_items?.data).toHaveLength(1);
    expect(done.line_items?.data[0]).toMatchObject({ quantity: 2, amount_total: 25_800, price: { id: price.id } });

    expect(fake.events().map((event) => event.type)).toEqual([
      'customer.created',
      'product.created',
      'price.created',
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'checkout.session.completed',
    ]);
    const completed = fake.events({ type: 'checkout.session.completed' })[0];
    expect((completed.data.object as Stripe.Checkout.Session).payment_intent).toBe(paymentIntent.id);

    const byPaymentIntent = await stripe.checkout.sessions.list({ payment_intent: paymentIntent.id });
    expect(byPaymentIntent.data.map((item) => item.id)).toEqual([session.id]);
    const again = await submit(`${fake.url}/checkout/${session.id}/pay`, { outcome: 'paid' });
    expect(again.status).toBe(409);
  });

  it('starts a subscription whose first invoice is paid, with the 2025+ shapes', async () => {
    const { customer, price } = await catalog({ interval: 'month' });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'http://shop.test/done?session={CHECKOUT_SESSION_ID}',
      subscription_data: { metadata: { licence_id: 'lic-1' } },
    });
    const html = await (await fetch(session.url as string)).text();
    // What the Pay button sends: the outcome is left to setNextPaymentOutcome (default: paid).
    expect(html).toMatch(/name="outcome" value="default" id="pay"/);
    const response = await submit(new URL(formAction(html, 'pay'), fake.url).toString(), { outcome: 'default' });
    expect(response.status).toBe(303);

    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ['subscription.latest_invoice', 'invoice'] });
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid', payment_intent: null });
    const subscription = done.subscription as Stripe.Subscription;
    expect(subscription.id).toMatch(/^sub_/);
    expect(subscription).toMatchObject({ status: 'active', customer: customer.id, metadata: { licence_id: 'lic-1' }, cancel_at_period_end: false });
    const item = subscription.items.data[0];
    expect(item.id).toMatch(/^si_/);
    expect(item.price.id).toBe(price.id);
    expect(item.current_period_end - item.current_period_start).toBeGreaterThanOrEqual(28 * 86_400);
    const invoice = subscription.latest_invoice as Stripe.Invoice & { subscription: string };
    expect((done.invoice as Stripe.Invoice).id).toBe(invoice.id);
    expect(invoice.id).toMatch(/^in_/);
    expect(invoice).toMatchObject({
      status: 'paid',
      billing_reason: 'subscription_create',
      amount_due: 12_900,
      amount_paid: 12_900,
      amount_remaining: 0,
      customer: customer.id,
      subscription: subscription.id,
      parent: { type: 'subscription_details', subscription_details: { subscription: subscription.id, metadata: { licence_id: 'lic-1' } } },
    });
    expect(invoice.number).toMatch(/^[A-Z0-9]+-0001$/);
    expect(invoice.lines.data[0]).toMatchObject({
      amount: 12_900,
      period: { start: item.current_period_start, end: item.current_period_end },
      pricing: { price_details: { price: price.id } },
      parent: { type: 'subscription_item_details', subscription_item_details: { subscription: subscription.id, subscription_item: item.id } },
    });

    const withPayments = await stripe.invoices.retrieve(invoice.id, { expand: ['payments.data.payment.payment_intent', 'subscription'] });
    const payment = withPayments.payments?.data[0];
    expect(payment?.status).toBe('paid');
    expect((payment?.payment.payment_intent as Stripe.PaymentIntent).status).toBe('succeeded');
    expect(((withPayments as unknown as { subscription: Stripe.Subscription }).subscription).id).toBe(subscription.id);

    expect(fake.events().map((event) => event.type).slice(3)).toEqual([
      'customer.subscription.created',
      'invoice.created',
      'invoice.finalized',
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice.paid',
      'invoice.payment_succeeded',
      'checkout.session.completed',
    ]);
    const [created] = fake.events({ type: 'invoice.created' });
    expect((created.data.object as Stripe.Invoice).status).toBe('draft');
    expect((await stripe.checkout.sessions.list({ subscription: subscription.id })).data[0].id).toBe(session.id);
  });

  it('starts a trial without charging, and creates the customer when none is given', async () => {
    const { price } = await catalog({ interval: 'year' });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer_email: 'new@example.org',
      line_items: [{ price: price.id, quantity: 3 }],
      success_url: 'http://shop.test/ok',
      subscription_data: { trial_period_days: 14 },
    });
    expect(session.amount_total).toBe(0);
    const done = fake.completeCheckout(session.id);
    expect(done.payment_status).toBe('no_payment_required');
    expect(done.customer).toMatch(/^cus_/);
    const customer = (await stripe.customers.retrieve(done.customer as string)) as Stripe.Customer;
    expect(customer.email).toBe('new@example.org');
    const subscription = await stripe.subscriptions.retrieve(done.subscription as string, { expand: ['latest_invoice'] });
    expect(subscription.status).toBe('trialing');
    expect(subscription.trial_end).toBe(subscription.trial_start! + 14 * 86_400);
    expect(subscription.items.data[0].current_period_end).toBe(subscription.trial_end);
    const invoice = subscription.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({ status: 'paid', amount_due: 0, amount_paid: 0 });
    expect(invoice.lines.data[0].description).toMatch(/^Trial period for/);
    expect(fake.events({ type: 'payment_intent.*' })).toHaveLength(0);
  });

  it('leaves the session open on a declined card and when the buyer cancels', async () => {
    const { price } = await catalog();
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'http://shop.test/ok',
      cancel_url: 'http://shop.test/cancelled',
    });
    const html = await (await fetch(session.url as string)).text();
    const cancel = await submit(new URL(formAction(html, 'cancel'), fake.url).toString());
    expect(cancel.status).toBe(303);
    expect(cancel.headers.get('location')).toBe('http://shop.test/cancelled');

    const declined = await submit(new URL(formAction(html, 'decline'), fake.url).toString(), { outcome: 'failed' });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('declined');
    const open = await stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(open.status).toBe('open');
    expect((open.payment_intent as Stripe.PaymentIntent).status).toBe('requires_payment_method');
    expect((open.payment_intent as Stripe.PaymentIntent).last_payment_error?.code).toBe('card_declined');
    expect(fake.events().map((event) => event.type)).toContain('payment_intent.payment_failed');

    // Paying afterwards reuses the payment intent.
    const done = fake.completeCheckout(session.id, { outcome: 'paid' });
    expect(done.payment_intent).toBe((open.payment_intent as Stripe.PaymentIntent).id);
    expect(done.customer).toBeNull();
  });

  it('lets setNextPaymentOutcome decline the Pay button for a customer', async () => {
    const { customer, price } = await catalog();
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'http://shop.test/ok',
    });
    fake.setNextPaymentOutcome(customer.id, 'fail', { times: 1 });
    const declined = await submit(`${fake.url}/checkout/${session.id}/pay`, { outcome: 'default' });
    expect(declined.status).toBe(402);
    const paid = await submit(`${fake.url}/checkout/${session.id}/pay`, { outcome: 'default' });
    expect(paid.status).toBe(303);
    expect(fake.events({ type: 'payment_intent.*' }).map((event) => event.type)).toEqual([
      'payment_intent.created',
      'payment_intent.payment_failed',
      'payment_intent.succeeded',
    ]);
  });

  it('expires sessions on request and when their time is up', async () => {
    const { price } = await catalog();
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: 'payment',
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'http://shop.test/ok',
    };
    const first = await stripe.checkout.sessions.create(params);
    const expired = await stripe.checkout.sessions.expire(first.id);
    expect(expired.status).toBe('expired');
    await expect(stripe.checkout.sessions.expire(first.id)).rejects.toMatchObject({
      type: 'StripeInvalidRequestError',
      statusCode: 400,
    });

    const second = await stripe.checkout.sessions.create({ ...params, expires_at: fake.now() + 3600 });
    const events = fake.advanceTime(3601);
    expect(events.map((event) => event.type)).toEqual(['checkout.session.expired']);
    expect((await stripe.checkout.sessions.retrieve(second.id)).status).toBe('expired');
    const page = await fetch(`${fake.url}/checkout/${second.id}`);
    expect(await page.text()).toContain('expired');
    expect(() => fake.completeCheckout(second.id)).toThrow(/expired/);
  });

  it('rejects what Stripe rejects', async () => {
    const { customer, price } = await catalog({ interval: 'month' });
    const oneOff = await stripe.prices.create({ product: price.product as string, currency: 'cny', unit_amount: 500 });
    const cases: [Stripe.Checkout.SessionCreateParams, RegExp, string?][] = [
      [{ mode: 'payment', line_items: [{ price: price.id, quantity: 1 }] }, /recurring price/, 'line_items'],
      [{ mode: 'subscription', line_items: [{ price: oneOff.id, quantity: 1 }] }, /at least one recurring price/, 'line_items'],
      [{ mode: 'payment', line_items: [{ price: 'price_missing', quantity: 1 }] }, /No such price: 'price_missing'/, 'line_items[0][price]'],
      [{ mode: 'payment', line_items: [{ price: oneOff.id }] }, /Quantity is required/, 'line_items[0][quantity]'],
      [{ mode: 'payment', customer: customer.id, customer_email: 'x@y.z', line_items: [{ price: oneOff.id, quantity: 1 }] }, /only specify one/],
      [{ mode: 'payment', customer: 'cus_missing', line_items: [{ price: oneOff.id, quantity: 1 }] }, /No such customer/, 'customer'],
      [
        { mode: 'payment', line_items: [{ price: oneOff.id, quantity: 1 }], subscription_data: { trial_period_days: 3 } },
        /subscription_data/,
      ],
      [
        { mode: 'payment', line_items: [{ price: oneOff.id, quantity: 1 }], expires_at: fake.now() + 60 },
        /expires_at/,
        'expires_at',
      ],
    ];
    for (const [params, message, param] of cases) {
      const error = await stripe.checkout.sessions.create(params).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect((error as Error).message).toMatch(message);
      if (param) expect((error as { param?: string }).param).toBe(param);
    }
    // A parameter this API version removed is unknown, as on Stripe.
    const removed = await stripe.checkout.sessions
      .create({ mode: 'payment', line_items: [{ price: oneOff.id, quantity: 1 }], payment_method_types: ['card'] } as Stripe.Checkout.SessionCreateParams)
      .catch((caught: unknown) => caught);
    expect((removed as Error).message).toBe('Received unknown parameter: payment_method_types');

    await stripe.prices.update(oneOff.id, { active: false });
    await expect(
      stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: oneOff.id, quantity: 1 }] }),
    ).rejects.toThrow(/inactive/);
  });

  it('serves the hosted page for headless browsers and the HTTP controls', async () => {
    const { price } = await catalog();
    const session = await stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: price.id, quantity: 1 }], success_url: 'http://shop.test/ok' });
    const control = await fetch(`${fake.url}/_fake/complete-checkout`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ sessionId: session.id, outcome: 'paid' }),
    });
    expect(control.status).toBe(200);
    expect(((await control.json()) as Stripe.Checkout.Session).status).toBe('complete');
    const events = (await (await fetch(`${fake.url}/_fake/events`)).json()) as { data: Stripe.Event[] };
    expect(events.data.at(-1)?.type).toBe('checkout.session.completed');
    const unknown = await fetch(`${fake.url}/checkout/cs_test_nope`);
    expect(unknown.status).toBe(404);
  });
});
