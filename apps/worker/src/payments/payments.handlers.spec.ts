import { WorkerConfig } from '@civic/config';
import { createDataSource, Invoice, License, Payment } from '@civic/db';
import { createCommerceFixture, type CommerceFixture } from '@civic/db/testing';
import { startStripeFake, type StripeFake } from '@civic/stripe-fake';
import { Logger } from '@nestjs/common';
import Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import { WorkerProducer } from '../jobs/worker-producer.service.js';
import { ProviderEventHandler, StripeClientProvider, SweepLicensesHandler, SweepProviderEventsHandler } from './payments.handlers.js';

const DAY_MS = 86_400_000;

describe('payment jobs', () => {
  let dataSource: DataSource;
  let fake: StripeFake;
  let fixture: CommerceFixture;
  const config = Object.assign(new WorkerConfig(), {
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `test-payments-${process.pid}-${Date.now()}`,
    INVOICE_DUE_DAYS: 14,
    LICENSE_GRACE_DAYS: 7,
  });
  const producer = new WorkerProducer(config);

  beforeAll(async () => {
    Logger.overrideLogger(false);
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 3 });
    await dataSource.initialize();
    fake = await startStripeFake();
    fixture = await createCommerceFixture(dataSource, 'payments');
  });
  afterAll(async () => {
    await producer.onApplicationShutdown();
    await fake?.close();
    await dataSource?.destroy();
  });

  const newLicense = (plan: Record<string, unknown>, fields: Partial<License> = {}) => fixture.license(plan, fields);

  it('renews an offline subscription once per period, then dunning makes it past due and suspends it, whatever the number of runs', async () => {
    const plan = { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 50_000 };
    const start = new Date(Date.now() - 70 * DAY_MS);
    const license = await newLicense(plan, { currentPeriodStart: start, currentPeriodEnd: new Date(start.getTime() + 30 * DAY_MS), activatedAt: start });
    const sweep = new SweepLicensesHandler(dataSource, config);

    // Two periods ended unseen: one run catches both up, each period invoiced once, however many runs.
    const first = await sweep.handle();
    await sweep.handle();
    await sweep.handle();
    expect(first.renewed).toBe(2);
    const invoices = await dataSource.manager.find(Invoice, { where: { licenseId: license.id }, order: { periodStart: 'ASC' } });
    expect(invoices.map((invoice) => invoice.kind)).toEqual(['renewal', 'renewal']);
    expect(invoices.map((invoice) => invoice.total)).toEqual([50_000, 50_000]);
    expect(new Set(invoices.map((invoice) => invoice.periodStart?.toISOString())).size).toBe(2);
    const after = await dataSource.manager.findOneByOrFail(License, { id: license.id });
    expect(after.currentPeriodEnd!.getTime()).toBeGreaterThan(Date.now());

    // The oldest renewal invoice is long overdue (beyond due date + grace): suspended for non-payment.
    expect(after.state).toBe('suspended');
    expect(after.suspensionCauses).toEqual(['non_payment']);
    const events: Array<{ to_state: string }> = await dataSource.query(`SELECT to_state FROM license_events WHERE license_id = $1 ORDER BY id`, [license.id]);
    expect(events.map((event) => event.to_state).filter((state, index, all) => state !== all[index - 1])).toEqual(['past_due', 'suspended']);
    await sweep.handle();
    const again: Array<{ n: number }> = await dataSource.query(`SELECT count(*)::int AS n FROM license_events WHERE license_id = $1`, [license.id]);
    expect(again[0]!.n).toBe(events.length);
  });

  it('ends an offline subscription set to cancel at the end of its period, and expires ended terms', async () => {
    const plan = { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 50_000 };
    const ended = await newLicense(plan, { currentPeriodStart: new Date(Date.now() - 31 * DAY_MS), currentPeriodEnd: new Date(Date.now() - DAY_MS), cancelAtPeriodEnd: true });
    const term = await newLicense({ kind: 'one_time', currency: 'CNY', amount: 1000 }, { expiresAt: new Date(Date.now() - 1000) });
    const sweep = new SweepLicensesHandler(dataSource, config);
    await sweep.handle();
    await sweep.handle();
    expect((await dataSource.manager.findOneByOrFail(License, { id: ended.id })).state).toBe('expired');
    expect(await dataSource.manager.countBy(Invoice, { licenseId: ended.id })).toBe(0);
    expect((await dataSource.manager.findOneByOrFail(License, { id: term.id })).state).toBe('expired');
  });

  it('applies Stripe events exactly once each, in any order, by re-reading the objects from Stripe', async () => {
    const stripe = new Stripe(fake.secretKey, fake.clientOptions as Stripe.StripeConfig);
    const plan = { kind: 'subscription', currency: 'CNY', interval: 'month', amount: 80_000 };
    const license = await newLicense(plan, { state: 'pending_payment', provider: 'stripe' });
    const customer = await stripe.customers.create({ name: 'Buyer' });
    const product = await stripe.products.create({ name: 'Product' });
    const price = await stripe.prices.create({ product: product.id, currency: 'cny', unit_amount: 80_000, recurring: { interval: 'month' } });
    const session = await stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: 'http://localhost/ok',
      cancel_url: 'http://localhost/no',
      metadata: { licenseId: license.id },
      subscription_data: { metadata: { licenseId: license.id } },
    });
    fake.completeCheckout(session.id, { outcome: 'paid' });

    const clients = { client: stripe } as StripeClientProvider;
    const sweep = new SweepProviderEventsHandler(dataSource, clients, producer);
    const found = await sweep.handle({ id: 's', name: 'payments.sweep-events', data: { lookbackSeconds: 3600 }, attemptsMade: 0, async updateProgress() {} });
    expect(found.found).toBeGreaterThanOrEqual(3);
    const stored: Array<{ event_id: string }> = await dataSource.query(`SELECT event_id FROM payment_provider_events WHERE processed_at IS NULL ORDER BY created_at_provider DESC`);
    const handler = new ProviderEventHandler(dataSource, clients);
    for (const round of [0, 1]) {
      for (const { event_id: eventId } of stored) {
        const outcome = await handler.handle({ id: eventId, name: 'payments.provider-event', data: { provider: 'stripe', eventId }, attemptsMade: round, async updateProgress() {} });
        if (round === 1) expect(outcome).toEqual({ action: 'already_applied' });
      }
    }
    const active = await dataSource.manager.findOneByOrFail(License, { id: license.id });
    expect(active.state).toBe('active');
    expect(active.stripeSubscriptionId).toMatch(/^sub_/);
    const invoices = await dataSource.manager.findBy(Invoice, { licenseId: license.id });
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ provider: 'stripe', status: 'paid', total: 80_000, kind: 'purchase' });
    expect(await dataSource.manager.countBy(Payment, { licenseId: license.id })).toBe(1);
    const activations: Array<{ n: number }> = await dataSource.query(`SELECT count(*)::int AS n FROM license_events WHERE license_id = $1 AND to_state = 'active'`, [license.id]);
    expect(activations[0]!.n).toBe(1);
  });
});
