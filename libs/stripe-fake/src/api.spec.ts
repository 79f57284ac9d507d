import Stripe from 'stripe';
import { startStripeFake, type StripeFake } from './index.js';

describe('the API surface', () => {
  let fake: StripeFake;
  let stripe: Stripe;
  let now = Date.UTC(2026, 0, 15, 12, 0, 0);

  beforeAll(async () => {
    fake = await startStripeFake({ clock: () => now });
    stripe = new Stripe(fake.secretKey, fake.clientOptions);
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('requires a test-mode secret key', async () => {
    const anonymous = await fetch(`${fake.url}/v1/customers`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { type: string; message: string } }).error).toMatchObject({
      type: 'invalid_request_error',
      message: expect.stringMatching(/You did not provide an API key/),
    });
    const live = new Stripe('sk_live_0123456789abcdef', fake.clientOptions);
    await expect(live.customers.list()).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    const other = new Stripe('sk_test_anything_else', fake.clientOptions);
    await expect(other.customers.list()).resolves.toMatchObject({ object: 'list', data: [] });
  });

  it('answers unknown ids with 404 resource_missing (StripeInvalidRequestError)', async () => {
    const calls: [string, () => Promise<unknown>][] = [
      ['customer', () => stripe.customers.retrieve('cus_missing')],
      ['product', () => stripe.products.retrieve('prod_missing')],
      ['price', () => stripe.prices.retrieve('price_missing')],
      ['checkout.session', () => stripe.checkout.sessions.retrieve('cs_test_missing')],
      ['subscription', () => stripe.subscriptions.retrieve('sub_missing')],
      ['invoice', () => stripe.invoices.retrieve('in_missing')],
      ['payment_intent', () => stripe.paymentIntents.retrieve('pi_missing')],
      ['event', () => stripe.events.retrieve('evt_missing')],
      ['charge', () => stripe.charges.retrieve('ch_missing')],
      ['refund', () => stripe.refunds.retrieve('re_missing')],
      ['dispute', () => stripe.disputes.retrieve('du_missing')],
      ['transfer', () => stripe.transfers.retrieve('tr_missing')],
    ];
    for (const [kind, call] of calls) {
      const error = await call().then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing', message: expect.stringContaining(`No such ${kind}`) });
    }
    const unrouted = await fetch(`${fake.url}/v1/payouts`, { headers: { Authorization: `Bearer ${fake.secretKey}` } });
    expect(unrouted.status).toBe(404);
    expect(await unrouted.text()).toMatch(/Unrecognized request URL \(GET: \/v1\/payouts\)/);
  });

  it('replays idempotent requests and refuses a reused key with other parameters', async () => {
    const first = await stripe.customers.create({ email: 'a@example.org' }, { idempotencyKey: 'key-1' });
    const again = await stripe.customers.create({ email: 'a@example.org' }, { idempotencyKey: 'key-1' });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(fake.events({ type: 'customer.created' })).toHaveLength(1);
    const error = await stripe.customers.create({ email: 'b@example.org' }, { idempotencyKey: 'key-1' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect((error as Stripe.errors.StripeError).statusCode).toBe(400);
    // The SDK keys every POST itself; those are independent.
    const other = await stripe.customers.create({ email: 'a@example.org' });
    expect(other.id).not.toBe(first.id);
    // Validation errors are not saved: the key stays usable.
    await expect(stripe.prices.create({ currency: 'usd', unit_amount: 1 } as Stripe.PriceCreateParams, { idempotencyKey: 'key-2' })).rejects.toThrow(/product/);
    const product = await stripe.products.create({ name: 'P' });
    const price = await stripe.prices.create({ currency: 'usd', unit_amount: 1, product: product.id }, { idempotencyKey: 'key-2' });
    expect(price.id).toMatch(/^price_/);
    await expect(stripe.prices.create({ currency: 'usd', unit_amount: 2, product: product.id }, { idempotencyKey: 'key-2' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );
  });

  it('creates, updates, lists and searches customers', async () => {
    const a = await stripe.customers.create({ email: 'a@example.org', name: 'Agency A', metadata: { organization_id: 'org-a' } });
    now += 1000;
    const b = await stripe.customers.create({ email: 'b@example.org', metadata: { organization_id: 'org-b' } });
    expect(a).toMatchObject({ object: 'customer', livemode: false, created: Math.floor(now / 1000) - 1, metadata: { organization_id: 'org-a' } });
    expect(a.id).toMatch(/^cus_/);

    const updated = await stripe.customers.update(a.id, { name: 'Agency A2', metadata: { organization_id: '', tier: 'gold' } });
    expect(updated.metadata).toEqual({ tier: 'gold' });
    const [event] = fake.events({ type: 'customer.updated' });
    expect(event.data.previous_attributes).toEqual({ name: 'Agency A', metadata: { organization_id: 'org-a', tier: null } });

    expect((await stripe.customers.list({ email: 'b@example.org' })).data.map((c) => c.id)).toEqual([b.id]);
    expect((await stripe.customers.list()).data.map((c) => c.id)).toEqual([b.id, a.id]);
    const found = await stripe.customers.search({ query: "metadata['organization_id']:'org-b'" });
    expect(found.data.map((c) => c.id)).toEqual([b.id]);
    await expect(stripe.customers.search({ query: 'email:"a@example.org" OR name:"x"' })).rejects.toThrow(/stripe-fake understands only/);

    const deleted = await stripe.customers.del(b.id);
    expect(deleted).toMatchObject({ id: b.id, deleted: true });
    expect(await stripe.customers.retrieve(b.id)).toMatchObject({ deleted: true });
  });

  it('keeps products and prices the way the catalogue sync needs', async () => {
    const product = await stripe.products.create({ name: 'Traffic counts', metadata: { product_id: 'p-7' } });
    const monthly = await stripe.prices.create({
      product: product.id,
      currency: 'CNY',
      unit_amount: 9_900,
      recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' },
      lookup_key: 'p-7:standard',
      metadata: { revision: '1' },
    });
    expect(monthly).toMatchObject({ object: 'price', currency: 'cny', type: 'recurring', active: true, recurring: { interval: 'month', interval_count: 1 } });
    expect(String(monthly.unit_amount_decimal)).toBe('9900');

    await expect(
      stripe.prices.create({ product: product.id, currency: 'cny', unit_amount: 10_900, recurring: { interval: 'month' }, lookup_key: 'p-7:standard' }),
    ).rejects.toThrow(/already uses that lookup key/);
    const revised = await stripe.prices.create({
      product: product.id,
      currency: 'cny',
      unit_amount: 10_900,
      recurring: { interval: 'month' },
      lookup_key: 'p-7:standard',
      transfer_lookup_key: true,
      metadata: { revision: '2' },
    });
    await stripe.prices.update(monthly.id, { active: false });
    expect((await stripe.prices.retrieve(monthly.id)).lookup_key).toBeNull();
    expect((await stripe.prices.list({ lookup_keys: ['p-7:standard'] })).data.map((p) => p.id)).toEqual([revised.id]);
    expect((await stripe.prices.list({ product: product.id, active: true })).data.map((p) => p.id)).toEqual([revised.id]);
    expect((await stripe.prices.list({ product: product.id })).data).toHaveLength(2);

    const archived = await stripe.products.update(product.id, { active: false, name: 'Traffic counts (old)', default_price: revised.id });
    expect(archived).toMatchObject({ active: false, name: 'Traffic counts (old)', default_price: revised.id });
    const expanded = await stripe.prices.retrieve(revised.id, { expand: ['product'] });
    expect((expanded.product as Stripe.Product).name).toBe('Traffic counts (old)');
    expect(fake.events().map((e) => e.type)).toEqual([
      'product.created', 'price.created', 'price.updated', 'price.created', 'price.updated', 'product.updated',
    ]);
    await expect(stripe.prices.create({ product: product.id, currency: 'cny', unit_amount: 1, recurring: { interval: 'fortnight' as 'week' } })).rejects.toThrow(
      /recurring\[interval\]/,
    );
    await expect(stripe.products.create({ name: 'x', unknown_field: 1 } as Stripe.ProductCreateParams)).rejects.toThrow('Received unknown parameter: unknown_field');
  });

  it('lists events newest first with type, types, created and cursors', async () => {
    const t0 = Math.floor(now / 1000);
    await stripe.customers.create({ email: '1@example.org' });
    now += 10_000;
    const product = await stripe.products.create({ name: 'P' });
    now += 10_000;
    await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 100 });
    await stripe.customers.create({ email: '2@example.org' });

    const all = await stripe.events.list();
    expect(all.data.map((e) => e.type)).toEqual(['customer.created', 'price.created', 'product.created', 'customer.created']);
    expect(all.data[0]).toMatchObject({ object: 'event', api_version: fake.apiVersion, livemode: false, pending_webhooks: 0 });
    expect(all.data[0].request?.id).toMatch(/^req_/);
    expect(all.data[0].request?.idempotency_key).toMatch(/^stripe-node-retry-/);

    expect((await stripe.events.list({ type: 'customer.created' })).data).toHaveLength(2);
    expect((await stripe.events.list({ type: 'pr*' as string })).data).toHaveLength(0);
    expect((await stripe.events.list({ type: 'product.*' })).data.map((e) => e.type)).toEqual(['product.created']);
    expect((await stripe.events.list({ types: ['price.created', 'product.created'] })).data.map((e) => e.type)).toEqual(['price.created', 'product.created']);
    expect((await stripe.events.list({ created: { gte: t0 + 10 } })).data).toHaveLength(3);
    expect((await stripe.events.list({ created: { gt: t0 + 10 } })).data).toHaveLength(2);

    const page1 = await stripe.events.list({ limit: 3 });
    expect(page1.has_more).toBe(true);
    const page2 = await stripe.events.list({ limit: 3, starting_after: page1.data[2].id });
    expect(page2.data.map((e) => e.id)).toEqual([all.data[3].id]);
    expect(page2.has_more).toBe(false);
    const back = await stripe.events.list({ limit: 2, ending_before: page2.data[0].id });
    expect(back.data.map((e) => e.id)).toEqual([all.data[1].id, all.data[2].id]);
    const everything = await stripe.events.list({ limit: 1 }).autoPagingToArray({ limit: 100 });
    expect(everything.map((e) => e.id)).toEqual(all.data.map((e) => e.id));
    const single = await stripe.events.retrieve(all.data[1].id);
    expect((single.data.object as Stripe.Price).unit_amount).toBe(100);
    await expect(stripe.events.list({ limit: 101 })).rejects.toThrow(/limit/);
  });
});
