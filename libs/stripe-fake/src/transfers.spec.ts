import Stripe from 'stripe';
import { startStripeFake, type StripeFake } from './index.js';

describe('Connect transfers (separate charges and transfers)', () => {
  let fake: StripeFake;
  let stripe: Stripe;

  beforeAll(async () => {
    fake = await startStripeFake();
    stripe = new Stripe(fake.secretKey, fake.clientOptions);
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  async function onboardedSeller(email: string): Promise<Stripe.Account> {
    const account = await stripe.accounts.create({ type: 'express', country: 'US', email });
    return fake.completeOnboarding(account.id);
  }

  it('pays a seller its share of a charge, once per idempotency key', async () => {
    const seller = await onboardedSeller('seller@example.org');
    const product = await stripe.products.create({ name: 'Marketplace dataset' });
    const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 20_000 });
    const session = await stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: price.id, quantity: 1 }],
      payment_intent_data: { transfer_group: 'order-7' },
    });
    const done = fake.completeCheckout(session.id);
    const [charge] = (await stripe.charges.list({ transfer_group: 'order-7' })).data;
    expect(charge).toMatchObject({ payment_intent: done.payment_intent, transfer_group: 'order-7', amount: 20_000 });

    const params: Stripe.TransferCreateParams = {
      amount: 17_000,
      currency: 'usd',
      destination: seller.id,
      transfer_group: 'order-7',
      description: 'Seller share of order 7',
      metadata: { order_id: 'order-7' },
    };
    const transfer = await stripe.transfers.create(params, { idempotencyKey: 'transfer-order-7' });
    expect(transfer.id).toMatch(/^tr_/);
    expect(transfer).toMatchObject({
      object: 'transfer',
      amount: 17_000,
      amount_reversed: 0,
      currency: 'usd',
      destination: seller.id,
      transfer_group: 'order-7',
      description: 'Seller share of order 7',
      metadata: { order_id: 'order-7' },
      reversed: false,
      reversals: { object: 'list', data: [], has_more: false, url: `/v1/transfers/${transfer.id}/reversals` },
      source_transaction: null,
      livemode: false,
    });
    expect(transfer.destination_payment).toMatch(/^py_/);

    const replay = await stripe.transfers.create(params, { idempotencyKey: 'transfer-order-7' });
    expect(replay.id).toBe(transfer.id);
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
    await expect(stripe.transfers.create({ ...params, amount: 18_000 }, { idempotencyKey: 'transfer-order-7' })).rejects.toBeInstanceOf(
      Stripe.errors.StripeIdempotencyError,
    );

    const events = fake.events({ type: 'transfer.*' });
    expect(events.map((event) => event.type)).toEqual(['transfer.created']);
    expect(events[0].data.object).toMatchObject({ id: transfer.id, amount: 17_000, destination: seller.id });
    expect(events[0].request?.idempotency_key).toBe('transfer-order-7');
    expect(events[0].account).toBeUndefined();

    const expanded = await stripe.transfers.retrieve(transfer.id, { expand: ['destination'] });
    expect(expanded.destination).toMatchObject({ id: seller.id, object: 'account' });

    // Lists: newest first, by destination or transfer group.
    const other = await onboardedSeller('other@example.org');
    const second = await stripe.transfers.create({ amount: 500, currency: 'usd', destination: other.id });
    expect((await stripe.transfers.list()).data.map((item) => item.id)).toEqual([second.id, transfer.id]);
    expect((await stripe.transfers.list({ destination: seller.id })).data.map((item) => item.id)).toEqual([transfer.id]);
    expect((await stripe.transfers.list({ transfer_group: 'order-7' })).data.map((item) => item.id)).toEqual([transfer.id]);
    expect(second).toMatchObject({ transfer_group: null, description: null, metadata: {} });
  });

  it('refuses destinations that do not exist or cannot receive transfers', async () => {
    const missing = await stripe.transfers.create({ amount: 100, currency: 'usd', destination: 'acct_missing' }).catch((caught: unknown) => caught);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'destination', message: "No such destination: 'acct_missing'" });

    // Not onboarded yet: the transfers capability is inactive.
    const fresh = await stripe.accounts.create({ type: 'express', country: 'US' });
    await expect(stripe.transfers.create({ amount: 100, currency: 'usd', destination: fresh.id })).rejects.toMatchObject({
      statusCode: 400,
      code: 'insufficient_capabilities_for_transfer',
      param: 'destination',
      message: expect.stringContaining('at least one of the following capabilities enabled: transfers'),
    });
    // Onboarded, but only card_payments was requested.
    const cardsOnly = await stripe.accounts.create({ type: 'custom', country: 'US', capabilities: { card_payments: { requested: true } } });
    fake.completeOnboarding(cardsOnly.id);
    await expect(stripe.transfers.create({ amount: 100, currency: 'usd', destination: cardsOnly.id })).rejects.toMatchObject({
      code: 'insufficient_capabilities_for_transfer',
    });
    // Verification still pending: capabilities are pending, not active.
    const pending = await stripe.accounts.create({ type: 'express', country: 'US' });
    fake.completeOnboarding(pending.id, { outcome: 'pending' });
    await expect(stripe.transfers.create({ amount: 100, currency: 'usd', destination: pending.id })).rejects.toMatchObject({
      code: 'insufficient_capabilities_for_transfer',
    });

    const seller = await onboardedSeller('seller@example.org');
    await expect(stripe.transfers.create({ currency: 'usd', destination: seller.id })).rejects.toMatchObject({ code: 'parameter_missing', param: 'amount' });
    await expect(stripe.transfers.create({ amount: 0, currency: 'usd', destination: seller.id })).rejects.toMatchObject({
      code: 'parameter_invalid_integer',
      param: 'amount',
    });
    await expect(stripe.transfers.create({ amount: 100, destination: seller.id } as Stripe.TransferCreateParams)).rejects.toMatchObject({
      code: 'parameter_missing',
      param: 'currency',
    });
    await expect(stripe.transfers.create({ amount: 100, currency: 'usd', destination: seller.id, source_transaction: 'ch_x' })).rejects.toThrow(
      /stripe-fake does not implement the parameter `source_transaction`/,
    );
    await expect(stripe.transfers.retrieve('tr_missing')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
    expect(fake.events({ type: 'transfer.*' })).toEqual([]);
  });
});
