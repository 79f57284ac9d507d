import { WorkerConfig } from '@civic/config';
import { createDataSource, Invoice, License, listSettlements, Organization, Payment, prepareSettlements, recordUsage } from '@civic/db';
import { createCommerceFixture, type CommerceFixture } from '@civic/db/testing';
import { accountingPeriod, accountingPeriodRange } from '@civic/domain';
import { JOB_QUEUE, queuePrefix } from '@civic/jobs';
import { startStripeFake, type StripeFake } from '@civic/stripe-fake';
import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import { SweepLicensesHandler, type StripeClientProvider } from '../payments/payments.handlers.js';
import { BillingCloseHandler, CollectHandler, SettleHandler } from './billing.handlers.js';

const DAY_MS = 86_400_000;

describe('billing jobs', () => {
  let dataSource: DataSource;
  let fake: StripeFake;
  let fixture: CommerceFixture;
  const config = Object.assign(new WorkerConfig(), {
    INVOICE_DUE_DAYS: 14,
    LICENSE_GRACE_DAYS: 7,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `test-billing-${process.pid}-${Date.now()}`,
  });
  const noStripe = { client: null } as StripeClientProvider;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 4 });
    await dataSource.initialize();
    fake = await startStripeFake();
    fixture = await createCommerceFixture(dataSource, 'billing');
  });
  afterAll(async () => {
    await fake?.close();
    await dataSource?.destroy();
  });

  function meteredLicense(start: Date, end: Date, fields: Partial<License> = {}): Promise<License> {
    const plan = { kind: 'metered', currency: 'CNY', interval: 'month', metered: { unit: 'row', mode: 'per_unit', per: 1000, includedQuantity: 1000, unitAmount: 100 } };
    return fixture.license(plan, { acceptedAt: start, provider: 'none', activatedAt: start, currentPeriodStart: start, currentPeriodEnd: end, ...fields });
  }

  it('closes an ended period into one usage invoice, whether the job runs twice in a row or twice at once', async () => {
    const start = new Date(Date.now() - 20 * DAY_MS);
    const license = await meteredLicense(start, new Date(Date.now() - DAY_MS));
    const event = { productId: fixture.productId, productVersionId: null, licenseId: license.id, consumerOrganizationId: fixture.buyerId, channel: 'api' as const, unit: 'row' as const, quantity: 6_000 };
    await recordUsage(dataSource, [
      { ...event, key: `${license.id}:1`, occurredAt: new Date(start.getTime() + DAY_MS) },
      { ...event, key: `${license.id}:2`, occurredAt: new Date(start.getTime() + 2 * DAY_MS) },
    ]);
    const handler = new BillingCloseHandler(dataSource, config, noStripe);
    const job = { data: { trigger: 'manual' as const } } as never;
    await Promise.all([handler.handle(job), handler.handle(job)]);
    await handler.handle(job);
    const invoices = await dataSource.manager.find(Invoice, { where: { licenseId: license.id } });
    // 12,000 rows − 1,000 included = 11,000 at ¥1 per 1,000 = ¥11.00.
    expect(invoices.map((invoice) => [invoice.kind, invoice.total, invoice.status])).toEqual([['usage', 1_100, 'open']]);
    const [{ entries }] = await dataSource.query(`SELECT count(*)::int AS entries FROM journal_entries WHERE idempotency_key = $1`, [`invoice:${invoices[0]!.id}`]);
    expect(entries).toBe(1);
  });

  it('pays a prepared Stripe payout once by Connect transfer, however often the job runs', async () => {
    const stripe = new Stripe(fake.secretKey, fake.clientOptions as Stripe.StripeConfig);
    const account = await stripe.accounts.create({ type: 'express', metadata: { organizationId: fixture.vendorId } });
    fake.completeOnboarding(account.id);
    await dataSource.query(`INSERT INTO stripe_connect_accounts (organization_id, account_id, payouts_enabled, charges_enabled) VALUES ($1, $2, true, true)`, [fixture.vendorId, account.id]);
    // The vendor is owed ¥70.00 from a payment of the previous period.
    const period = accountingPeriod(new Date(accountingPeriodRange(accountingPeriod(new Date())).start.getTime() - 1));
    const at = new Date(accountingPeriodRange(period).end.getTime() - 3_600_000);
    const entry = await dataSource.query(`INSERT INTO journal_entries (kind, idempotency_key, period, occurred_at, memo) VALUES ('payment', $1, $2, $3, 'test') RETURNING id`, [`payment:test-${fixture.vendorId}`, period, at]);
    await dataSource.query(
      `INSERT INTO journal_postings (entry_id, account, currency, amount, period, dimensions) VALUES ($1, 'clearing:stripe', 'CNY', 7000, $2, $3), ($1, $4, 'CNY', -7000, $2, $3)`,
      [entry[0].id, period, JSON.stringify({ product: fixture.productId }), `vendor_payable:${fixture.vendorId}`],
    );
    const prepared = (await prepareSettlements(dataSource, period, { stripeVendors: new Set([fixture.vendorId]) })).filter((settlement) => settlement.organizationId === fixture.vendorId);
    expect(prepared).toMatchObject([{ kind: 'payout', amount: 7_000, method: 'stripe_transfer', status: 'pending' }]);

    const handler = new SettleHandler(dataSource, { client: stripe } as StripeClientProvider);
    const job = { data: { period } } as never;
    await Promise.all([handler.handle(job), handler.handle(job)]);
    await handler.handle(job);
    const [settlement] = (await listSettlements(dataSource, { period })).filter((item) => item.organizationId === fixture.vendorId);
    expect(settlement).toMatchObject({ status: 'paid', amount: 7_000 });
    const transfers = await stripe.transfers.list({ destination: account.id });
    expect(transfers.data.map((transfer) => [transfer.id, transfer.amount])).toEqual([[settlement!.providerReference, 7_000]]);
    const [{ balance }] = await dataSource.query(`SELECT sum(amount)::int AS balance FROM journal_postings WHERE account = $1`, [`vendor_payable:${fixture.vendorId}`]);
    expect(balance).toBe(0);
  });

  describe('collecting usage invoices of Stripe licences through Stripe', () => {
    let stripe: Stripe;
    const queue = new Queue(JOB_QUEUE['billing.collect'], { connection: { url: config.REDIS_URL }, prefix: queuePrefix(config.QUEUE_PREFIX) });
    const collectJob = (invoiceId: string) => ({ id: `billing-collect-${invoiceId}`, name: 'billing.collect' as const, data: { invoiceId }, attemptsMade: 0, async updateProgress() {} });

    beforeAll(() => {
      stripe = new Stripe(fake.secretKey, fake.clientOptions as Stripe.StripeConfig);
    });
    afterAll(async () => {
      await queue.obliterate({ force: true });
      await queue.close();
    });

    /** A buyer organization that bought through Stripe: a Stripe customer, recorded as ours. */
    async function stripeBuyer(): Promise<{ organizationId: string; customerId: string }> {
      const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
      const organizationId = (await dataSource.manager.save(dataSource.manager.create(Organization, { slug: `sbuyer-${suffix}`, name: 'Card buyer', kind: 'enterprise', status: 'active' }))).id;
      const customerId = (await stripe.customers.create({ name: 'Card buyer', metadata: { organizationId } })).id;
      await dataSource.query(`INSERT INTO stripe_customers (organization_id, customer_id) VALUES ($1, $2)`, [organizationId, customerId]);
      return { organizationId, customerId };
    }

    /** A metered Stripe licence whose ended period used 12,000 rows (¥11.00 owed), closed by the handler given. */
    async function closedStripeUsage(buyer: { organizationId: string }, close: BillingCloseHandler, fields: Partial<License> = {}): Promise<{ license: License; invoice: Invoice }> {
      const start = new Date(Date.now() - 20 * DAY_MS);
      const license = await meteredLicense(start, new Date(Date.now() - DAY_MS), { organizationId: buyer.organizationId, provider: 'stripe', ...fields });
      const event = { productId: fixture.productId, productVersionId: null, licenseId: license.id, consumerOrganizationId: buyer.organizationId, channel: 'api' as const, unit: 'row' as const, quantity: 12_000 };
      await recordUsage(dataSource, [{ ...event, key: `${license.id}:1`, occurredAt: new Date(start.getTime() + DAY_MS) }]);
      await close.handle({ data: { trigger: 'manual' } } as never);
      const invoice = await dataSource.manager.findOneByOrFail(Invoice, { licenseId: license.id, kind: 'usage' });
      return { license, invoice };
    }

    const stripeInvoicesOf = async (customerId: string, invoiceId: string) =>
      (await stripe.invoices.list({ customer: customerId, limit: 100 })).data.filter((candidate) => candidate.metadata?.invoiceId === invoiceId);

    it('issues a Stripe licence’s usage invoice for Stripe to collect only when Stripe is configured, and queues its collection once', async () => {
      const buyer = await stripeBuyer();
      // Without Stripe on the platform, a Stripe licence's usage is invoiced for offline collection.
      const offline = await closedStripeUsage(buyer, new BillingCloseHandler(dataSource, config, noStripe));
      expect(offline.invoice).toMatchObject({ provider: 'offline', status: 'open', total: 1_100 });

      const close = new BillingCloseHandler(dataSource, config, { client: stripe } as StripeClientProvider);
      const { invoice } = await closedStripeUsage(buyer, close);
      expect(invoice).toMatchObject({ provider: 'stripe', status: 'open', total: 1_100, stripeInvoiceId: null });
      // A licence not bought through Stripe stays offline even when Stripe is configured.
      const plain = await closedStripeUsage({ organizationId: fixture.buyerId }, close, { provider: 'none' });
      expect(plain.invoice.provider).toBe('offline');

      const queued = await queue.getJob(`billing-collect-${invoice.id}`);
      expect(queued?.data).toEqual({ invoiceId: invoice.id });
      expect(await queue.getJob(`billing-collect-${offline.invoice.id}`)).toBeUndefined();
      expect(await queue.getJob(`billing-collect-${plain.invoice.id}`)).toBeUndefined();
      // The next close finds the job known and queues nothing; a job lost from Redis is queued again.
      expect((await close.handle({ data: { trigger: 'manual' } } as never)).collectionsQueued).toBe(0);
      await queued!.remove();
      expect((await close.handle({ data: { trigger: 'manual' } } as never)).collectionsQueued).toBe(1);
      expect(await queue.getJob(`billing-collect-${invoice.id}`)).toBeDefined();
    });

    it('charges the card once through one Stripe invoice, whether the job runs twice at once or again later', async () => {
      const buyer = await stripeBuyer();
      const { invoice } = await closedStripeUsage(buyer, new BillingCloseHandler(dataSource, config, { client: stripe } as StripeClientProvider));
      const collect = new CollectHandler(dataSource, { client: stripe } as StripeClientProvider);
      const outcomes = await Promise.all([collect.handle(collectJob(invoice.id)), collect.handle(collectJob(invoice.id))]);
      outcomes.push(await collect.handle(collectJob(invoice.id)));
      expect(outcomes.map((outcome) => outcome.action)).toEqual(['paid', 'paid', 'not_open']);

      const theirs = await stripeInvoicesOf(buyer.customerId, invoice.id);
      expect(theirs).toHaveLength(1);
      expect(theirs[0]).toMatchObject({ status: 'paid', amount_paid: 1_100, currency: 'cny', collection_method: 'charge_automatically', auto_advance: true, metadata: { invoiceId: invoice.id, licenseId: invoice.licenseId } });
      expect(theirs[0]!.lines.data.map((line) => [line.amount, line.description])).toEqual([[1_100, expect.stringContaining(invoice.number)]]);
      const charges = fake.events({ type: 'charge.succeeded' }).filter((event) => (event.data.object as Stripe.Charge).customer === buyer.customerId);
      expect(charges).toHaveLength(1);

      const paid = await dataSource.manager.findOneByOrFail(Invoice, { id: invoice.id });
      expect(paid).toMatchObject({ status: 'paid', amountPaid: 1_100, stripeInvoiceId: theirs[0]!.id });
      const payments = await dataSource.manager.findBy(Payment, { invoiceId: invoice.id });
      expect(payments.map((payment) => [payment.provider, payment.providerReference, payment.amount])).toEqual([['stripe', theirs[0]!.id, 1_100]]);
      const [{ entries }] = await dataSource.query(`SELECT count(*)::int AS entries FROM journal_entries WHERE idempotency_key = $1`, [`payment:${payments[0]!.id}`]);
      expect(entries).toBe(1);
    });

    it('leaves the invoice open after a declined card, charges no more on the next run, and lets dunning act', async () => {
      const buyer = await stripeBuyer();
      const { license, invoice } = await closedStripeUsage(buyer, new BillingCloseHandler(dataSource, config, { client: stripe } as StripeClientProvider));
      fake.setNextPaymentOutcome(buyer.customerId, 'fail');
      const collect = new CollectHandler(dataSource, { client: stripe } as StripeClientProvider);
      expect(await collect.handle(collectJob(invoice.id))).toMatchObject({ action: 'declined', invoiceId: invoice.id });
      expect(await collect.handle(collectJob(invoice.id))).toMatchObject({ action: 'declined' });
      fake.setNextPaymentOutcome(buyer.customerId, 'succeed');

      const theirs = await stripeInvoicesOf(buyer.customerId, invoice.id);
      expect(theirs.map((item) => [item.status, item.attempt_count, item.amount_paid])).toEqual([['open', 1, 0]]);
      const open = await dataSource.manager.findOneByOrFail(Invoice, { id: invoice.id });
      expect(open).toMatchObject({ status: 'open', amountPaid: 0, stripeInvoiceId: theirs[0]!.id });
      expect(await dataSource.manager.countBy(Payment, { invoiceId: invoice.id })).toBe(0);

      // Past its due date the licence is past due, as for an unpaid offline invoice.
      await dataSource.query(`UPDATE invoices SET due_at = now() - interval '1 day' WHERE id = $1`, [invoice.id]);
      await new SweepLicensesHandler(dataSource, config).handle();
      expect((await dataSource.manager.findOneByOrFail(License, { id: license.id })).state).toBe('past_due');
    });

    it('picks up the Stripe invoice an interrupted run made before it could record it, and throws on an outage', async () => {
      const buyer = await stripeBuyer();
      const { invoice } = await closedStripeUsage(buyer, new BillingCloseHandler(dataSource, config, { client: stripe } as StripeClientProvider));
      const unreachable = new Stripe(fake.secretKey, { ...(fake.clientOptions as Stripe.StripeConfig), port: 9, maxNetworkRetries: 0 });
      await expect(new CollectHandler(dataSource, { client: unreachable } as StripeClientProvider).handle(collectJob(invoice.id))).rejects.toMatchObject({ type: 'StripeConnectionError' });
      expect((await dataSource.manager.findOneByOrFail(Invoice, { id: invoice.id })).stripeInvoiceId).toBeNull();

      // A run that created the draft and died before storing its id.
      const orphan = await stripe.invoices.create({ customer: buyer.customerId, currency: 'cny', auto_advance: false, metadata: { invoiceId: invoice.id } });
      expect(await new CollectHandler(dataSource, { client: stripe } as StripeClientProvider).handle(collectJob(invoice.id))).toMatchObject({ action: 'paid', stripeInvoiceId: orphan.id });
      const theirs = await stripeInvoicesOf(buyer.customerId, invoice.id);
      expect(theirs.map((item) => [item.id, item.status, item.amount_paid])).toEqual([[orphan.id, 'paid', 1_100]]);
    });
  });
});
