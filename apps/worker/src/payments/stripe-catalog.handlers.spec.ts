import { WorkerConfig } from '@civic/config';
import { createDataSource, Offer, Product } from '@civic/db';
import { queuePrefix, QUEUES } from '@civic/jobs';
import { createCommerceFixture, type CommerceFixture } from '@civic/db/testing';
import { offerPriceLookupKey, stripeProductIdFor } from '@civic/payments';
import { startStripeFake, type StripeFake } from '@civic/stripe-fake';
import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import type { JobContext } from '../jobs/job-handler.js';
import { WorkerProducer } from '../jobs/worker-producer.service.js';
import { StripeClientProvider, SweepProviderEventsHandler, SyncOfferHandler, SyncProductHandler } from './payments.handlers.js';

/** The Stripe catalog follows the offers: one Product per product, one Price per revision on sale, nothing else active. */
describe('payments.sync-offer and payments.sync-product', () => {
  let dataSource: DataSource;
  let fake: StripeFake;
  let fixture: CommerceFixture;
  let stripe: Stripe;
  let syncOffer: SyncOfferHandler;
  let syncProduct: SyncProductHandler;
  const config = Object.assign(new WorkerConfig(), {
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `test-catalog-${process.pid}-${Date.now()}`,
  });
  const producer = new WorkerProducer(config);
  const queue = new Queue(QUEUES.payments, { connection: { url: config.REDIS_URL, maxRetriesPerRequest: null }, prefix: queuePrefix(config.QUEUE_PREFIX) });
  const plan = { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 30_000, trialDays: 14 };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 6 });
    await dataSource.initialize();
    fake = await startStripeFake();
    stripe = new Stripe(fake.secretKey, fake.clientOptions as Stripe.StripeConfig);
    const clients = { client: stripe } as StripeClientProvider;
    syncOffer = new SyncOfferHandler(dataSource, clients);
    syncProduct = new SyncProductHandler(dataSource, clients);
    fixture = await createCommerceFixture(dataSource, 'catalog');
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await producer.onApplicationShutdown();
    await fake?.close();
    await dataSource?.destroy();
  });

  const job = <Name extends 'payments.sync-offer' | 'payments.sync-product'>(name: Name, data: JobContext<Name>['data']): JobContext<Name> => ({
    id: `${name}-${Math.random()}`,
    name,
    data,
    attemptsMade: 0,
    async updateProgress() {},
  });
  const sync = (offerId: string) => syncOffer.handle(job('payments.sync-offer', { offerId }));
  const newOffer = async (offerPlan: Record<string, unknown> = plan) => (await fixture.license(offerPlan)).offerId;
  const offer = (id: string) => dataSource.manager.findOneByOrFail(Offer, { id });
  const pricesOf = async (offerId: string) => (await stripe.prices.list({ limit: 100 })).data.filter((price) => price.metadata.offerId === offerId);
  const productsOf = (productId: string) => [...fake.events({ type: 'product.created' })].filter((event) => (event.data.object as Stripe.Product).metadata.productId === productId);

  it('creates one Product and one Price however often and however concurrently it runs', async () => {
    const offerId = await newOffer();
    const first = await sync(offerId);
    await sync(offerId);
    const concurrent = await Promise.all([sync(offerId), sync(offerId), sync(offerId)]);

    expect(first).toMatchObject({ action: 'on_sale', revision: 1, stripeProductId: stripeProductIdFor(fixture.productId), deactivated: [] });
    for (const outcome of concurrent) expect(outcome).toMatchObject({ action: 'on_sale', priceId: (first as { priceId: string }).priceId });
    expect(productsOf(fixture.productId)).toHaveLength(1);
    const prices = await pricesOf(offerId);
    expect(prices).toHaveLength(1);
    expect(prices[0]).toMatchObject({
      active: true,
      lookup_key: offerPriceLookupKey(offerId, 1),
      currency: 'cny',
      unit_amount: 30_000,
      recurring: expect.objectContaining({ interval: 'month' }),
      product: stripeProductIdFor(fixture.productId),
      metadata: { offerId, revision: '1', productId: fixture.productId },
    });
    expect(await offer(offerId)).toMatchObject({ stripePriceId: prices[0]!.id, stripePriceRevision: 1 });
    expect((await dataSource.manager.findOneByOrFail(Product, { id: fixture.productId })).stripeProductId).toBe(stripeProductIdFor(fixture.productId));
  });

  it('creates one Price and one Product when the first runs for a new product race each other', async () => {
    const other = await createCommerceFixture(dataSource, 'catalog-race');
    const offerId = (await other.license(plan)).offerId;
    const outcomes = await Promise.all([sync(offerId), sync(offerId), sync(offerId), sync(offerId)]);
    expect(new Set(outcomes.map((outcome) => (outcome as { priceId: string }).priceId)).size).toBe(1);
    expect(productsOf(other.productId)).toHaveLength(1);
    expect(await pricesOf(offerId)).toHaveLength(1);
  });

  it('sells a new revision at a new Price and deactivates the superseded one', async () => {
    const offerId = await newOffer();
    const first = (await sync(offerId)) as { priceId: string };
    await dataSource.manager.update(Offer, { id: offerId }, { revision: 2, pricePlan: { ...plan, interval: 'year', amount: 300_000 } });
    const second = await sync(offerId);
    expect(second).toMatchObject({ action: 'on_sale', revision: 2, deactivated: [first.priceId] });
    const prices = await pricesOf(offerId);
    expect(prices.map((price) => [price.lookup_key, price.active, price.unit_amount, price.recurring?.interval]).sort()).toEqual([
      [offerPriceLookupKey(offerId, 1), false, 30_000, 'month'],
      [offerPriceLookupKey(offerId, 2), true, 300_000, 'year'],
    ]);
    expect(await offer(offerId)).toMatchObject({ stripePriceId: (second as { priceId: string }).priceId, stripePriceRevision: 2 });
  });

  it('deactivates a retired offer’s Price, and a second run changes nothing', async () => {
    const offerId = await newOffer();
    const { priceId } = (await sync(offerId)) as { priceId: string };
    await dataSource.manager.update(Offer, { id: offerId }, { status: 'archived' });
    expect(await sync(offerId)).toMatchObject({ action: 'not_on_sale', deactivated: [priceId] });
    expect(await sync(offerId)).toMatchObject({ action: 'not_on_sale', deactivated: [] });
    expect((await stripe.prices.retrieve(priceId)).active).toBe(false);
    expect(await offer(offerId)).toMatchObject({ stripePriceId: null, stripePriceRevision: null });
    expect(fake.events({ type: 'price.updated' }).filter((event) => (event.data.object as Stripe.Price).id === priceId)).toHaveLength(1);
  });

  it('records a plan with nothing due up front as synced without a Price', async () => {
    const offerId = await newOffer({ kind: 'metered', currency: 'CNY', interval: 'month', metered: { unit: 'row', mode: 'per_unit', per: 1000, includedQuantity: 0, unitAmount: 100 } });
    expect(await sync(offerId)).toMatchObject({ action: 'nothing_due_up_front', revision: 1 });
    expect(await pricesOf(offerId)).toEqual([]);
    expect(await offer(offerId)).toMatchObject({ stripePriceId: null, stripePriceRevision: 1 });
  });

  it('does nothing without Stripe, and for an unknown offer', async () => {
    const offline = new SyncOfferHandler(dataSource, { client: null } as StripeClientProvider);
    expect(await offline.handle(job('payments.sync-offer', { offerId: await newOffer() }))).toEqual({ action: 'stripe_not_configured' });
    expect(await sync('00000000-0000-4000-8000-000000000000')).toMatchObject({ action: 'unknown_offer' });
  });

  it('renames the Stripe Product after the product’s titles, once', async () => {
    const offerId = await newOffer();
    await sync(offerId);
    await dataSource.manager.update(Product, { id: fixture.productId }, { titleZh: '拥堵指数', titleEn: 'Congestion index' });
    const data = { productId: fixture.productId };
    expect(await syncProduct.handle(job('payments.sync-product', data))).toMatchObject({ action: 'renamed', stripeProductId: stripeProductIdFor(fixture.productId) });
    expect(await syncProduct.handle(job('payments.sync-product', data))).toMatchObject({ action: 'unchanged' });
    expect((await stripe.products.retrieve(stripeProductIdFor(fixture.productId))).name).toBe('拥堵指数 / Congestion index');
    const unsold = await createCommerceFixture(dataSource, 'catalog-unsold');
    expect(await syncProduct.handle(job('payments.sync-product', { productId: unsold.productId }))).toMatchObject({ action: 'not_in_stripe' });
  });

  it('the sweep queues the sync of offers Stripe is behind on: unsynced published revisions, and retired offers still holding a price', async () => {
    const unsynced = await newOffer();
    const synced = await newOffer();
    await sync(synced);
    const retired = await newOffer();
    await sync(retired);
    await dataSource.manager.update(Offer, { id: retired }, { status: 'archived' });
    // Changes older than a minute (a fresh change has its own job in flight).
    await dataSource.query(`UPDATE offers SET updated_at = now() - interval '5 minutes' WHERE id = ANY($1)`, [[unsynced, synced, retired]]);

    const sweep = new SweepProviderEventsHandler(dataSource, { client: stripe } as StripeClientProvider, producer);
    const outcome = await sweep.handle({ id: 's', name: 'payments.sweep-events', data: { lookbackSeconds: 60 }, attemptsMade: 0, async updateProgress() {} });
    const queued = (await queue.getJobs(['waiting'])).filter((queuedJob) => queuedJob.name === 'payments.sync-offer').map((queuedJob) => queuedJob.data.offerId as string);
    expect(queued).toEqual(expect.arrayContaining([unsynced, retired]));
    expect(queued).not.toContain(synced);
    expect(outcome.offers).toBe(queued.length);

    // Once they ran, the next sweep finds nothing for them.
    for (const offerId of queued) await sync(offerId);
    await queue.drain();
    await sweep.handle({ id: 's2', name: 'payments.sweep-events', data: { lookbackSeconds: 60 }, attemptsMade: 0, async updateProgress() {} });
    const again = (await queue.getJobs(['waiting'])).filter((queuedJob) => queuedJob.name === 'payments.sync-offer').map((queuedJob) => queuedJob.data.offerId as string);
    expect(again).not.toContain(unsynced);
    expect(again).not.toContain(retired);
  });
});
