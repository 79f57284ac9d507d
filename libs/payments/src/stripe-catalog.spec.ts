import { createDataSource, Offer } from '@civic/db';
import { createCommerceFixture, type CommerceFixture } from '@civic/db/testing';
import type { PricePlan } from '@civic/domain';
import { startStripeFake, type StripeFake } from '@civic/stripe-fake';
import Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import { offerPriceLookupKey, StripeCatalog, stripePriceTerms, stripeProductName, upfrontFee } from './stripe-catalog.js';

const metered = { unit: 'row', mode: 'per_unit', per: 1000, includedQuantity: 0, unitAmount: 100 } as const;

describe('the Stripe Price terms of a plan', () => {
  it.each<[string, PricePlan, ReturnType<typeof stripePriceTerms>]>([
    ['one-time', { kind: 'one_time', currency: 'CNY', amount: 45_000 }, { currency: 'cny', unit_amount: 45_000 }],
    ['monthly', { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 9_900, trialDays: 14 }, { currency: 'cny', unit_amount: 9_900, recurring: { interval: 'month' } }],
    ['hybrid (its fixed fee)', { kind: 'hybrid', currency: 'USD', interval: 'year', amount: 960_000, metered }, { currency: 'usd', unit_amount: 960_000, recurring: { interval: 'year' } }],
    ['free', { kind: 'free', currency: 'CNY' }, null],
    ['metered (billed later)', { kind: 'metered', currency: 'CNY', interval: 'month', metered }, null],
    ['hybrid without a fixed fee', { kind: 'hybrid', currency: 'CNY', interval: 'month', amount: 0, metered }, null],
  ])('%s', (_, plan, terms) => {
    expect(stripePriceTerms(plan)).toEqual(terms);
    expect(upfrontFee(plan).amount > 0).toBe(terms !== null);
  });

  it('names the Stripe Product after both titles, Chinese first, within Stripe’s 250 characters', () => {
    expect(stripeProductName({ titleZh: '道路拥堵指数', titleEn: 'Road congestion index' })).toBe('道路拥堵指数 / Road congestion index');
    expect(stripeProductName({ titleZh: 'GDP', titleEn: 'GDP' })).toBe('GDP');
    expect(Array.from(stripeProductName({ titleZh: '数'.repeat(200), titleEn: 'x'.repeat(200) }))).toHaveLength(250);
  });
});

/** What Checkout sells a licence at: the synced Price while its revision is on sale, otherwise its own amounts inline. */
describe('StripeCatalog.lineItemFor', () => {
  let dataSource: DataSource;
  let fake: StripeFake;
  let fixture: CommerceFixture;
  let stripe: Stripe;
  let catalog: StripeCatalog;
  const plan: PricePlan = { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 12_000 };

  beforeAll(async () => {
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 4 });
    await dataSource.initialize();
    fake = await startStripeFake();
    stripe = new Stripe(fake.secretKey, fake.clientOptions as Stripe.StripeConfig);
    catalog = new StripeCatalog(dataSource, stripe);
    fixture = await createCommerceFixture(dataSource, 'catalog');
  });
  afterAll(async () => {
    await fake?.close();
    await dataSource?.destroy();
  });

  const offerOf = async (fields: Partial<Offer> = {}) => {
    const license = await fixture.license(plan as unknown as Record<string, unknown>);
    if (Object.keys(fields).length) await dataSource.manager.update(Offer, { id: license.offerId }, fields as never);
    return dataSource.manager.findOneByOrFail(Offer, { id: license.offerId });
  };

  it('uses the price the sync stored for the revision', async () => {
    const offer = await offerOf();
    const synced = await catalog.syncOffer(offer.id);
    expect(synced).toMatchObject({ action: 'on_sale', revision: 1, priceId: expect.stringMatching(/^price_/) });
    const stored = await dataSource.manager.findOneByOrFail(Offer, { id: offer.id });
    expect(stored).toMatchObject({ stripePriceId: synced.priceId, stripePriceRevision: 1 });
    const before = fake.events({ type: 'price.created' }).length;
    expect(await catalog.lineItemFor(stored, 1, plan)).toEqual({ price: synced.priceId, quantity: 1 });
    expect(fake.events({ type: 'price.created' })).toHaveLength(before);
  });

  it('finds or creates the price of the published revision when the sync has not run, and stores it', async () => {
    const offer = await offerOf();
    const line = await catalog.lineItemFor(offer, 1, plan);
    const price = await stripe.prices.retrieve(line.price!);
    expect(price).toMatchObject({ lookup_key: offerPriceLookupKey(offer.id, 1), unit_amount: 12_000, currency: 'cny', recurring: expect.objectContaining({ interval: 'month' }), active: true });
    expect(await dataSource.manager.findOneByOrFail(Offer, { id: offer.id })).toMatchObject({ stripePriceId: price.id, stripePriceRevision: 1 });
    // The sync finds the same price afterwards.
    expect((await catalog.syncOffer(offer.id)).priceId).toBe(price.id);
  });

  it('sells a licence of terms no longer on sale (a later revision, a retired offer) at its own amounts inline', async () => {
    const revised = await offerOf({ revision: 2, pricePlan: { ...plan, amount: 15_000 } as never });
    await catalog.syncOffer(revised.id);
    const line = await catalog.lineItemFor(await dataSource.manager.findOneByOrFail(Offer, { id: revised.id }), 1, plan);
    expect(line).toEqual({ price_data: { currency: 'cny', unit_amount: 12_000, recurring: { interval: 'month' }, product: expect.any(String) }, quantity: 1 });

    const retired = await offerOf();
    await catalog.syncOffer(retired.id);
    await dataSource.manager.update(Offer, { id: retired.id }, { status: 'archived' });
    await catalog.syncOffer(retired.id);
    const inline = await catalog.lineItemFor(await dataSource.manager.findOneByOrFail(Offer, { id: retired.id }), 1, plan);
    expect(inline.price).toBeUndefined();
    expect(inline.price_data).toMatchObject({ unit_amount: 12_000 });
    // Stripe takes it: a Checkout Session can be made with the inline price.
    const session = await stripe.checkout.sessions.create({ mode: 'subscription', line_items: [inline], success_url: 'http://localhost/ok' });
    expect(session.amount_total).toBe(12_000);
  });
});
