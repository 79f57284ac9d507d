import { createDataSource, recordUsage, seedDemo, seedDemoCatalog, seedDemoCommerce, seedDemoProducts } from '@civic/db';
import { createTestDatabase, type TestDatabase } from '@civic/db/testing';
import { JOB_QUEUE, jobOptions, queuePrefix, type JobOf } from '@civic/jobs';
import { startStripeFake, type StripeFake } from '@civic/stripe-fake';
import { Queue } from 'bullmq';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import { TEST_PASSWORD } from '../support/global-setup.js';
import { Http, login, signUp } from '../support/http.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';
import { until as waitUntil } from '../support/until.js';

const SCENIC = 'scenic-visitors-and-weather-by-district-month';
const WEBHOOK_SECRET = 'whsec_e2e_billing_stripe';
const DAY_MS = 86_400_000;

interface InvoiceView {
  id: string;
  kind: string;
  provider: string;
  status: string;
  total: number;
  amountPaid: number;
  periodStart: string | null;
  payOnlineUrl: string | null;
}

/**
 * Billed use of a licence bought through Stripe is collected through Stripe: the worker's
 * billing close issues the usage invoice for Stripe to collect, the collect job charges the
 * card on file through a one-off Stripe invoice, and the payment with its revenue split lands
 * in the ledger once, however the webhooks arrive. A declined card leaves the invoice open
 * until Stripe's own retry succeeds and its webhook records the payment.
 *
 * The platform runs on a database of its own: the Stripe ids the platform stores (customers,
 * products, prices) then all live in this file's Stripe fake, whatever other files do.
 */
describe('usage invoices of Stripe licences, collected through Stripe', () => {
  let database: TestDatabase;
  let fake: StripeFake;
  let stripe: Stripe;
  let db: DataSource;
  let queue: Queue;
  let platform: RunningPlatform;
  const ctx = {} as { http: Http };
  const output = () => platform.output().split('\n').filter((line) => /error|warn|fail/i.test(line)).slice(-30).join('\n');

  beforeAll(async () => {
    database = await createTestDatabase('civic_stripe_billing');
    db = createDataSource({ url: database.url, poolSize: 4 });
    await db.initialize();
    const storage = await mkdtemp(path.join(tmpdir(), 'civic-stripe-billing-storage-'));
    await seedDemo(db, TEST_PASSWORD);
    await seedDemoCatalog(db, { storage: { kind: 'local', root: storage }, scale: 'small' });
    await seedDemoProducts(db, { storage: { kind: 'local', root: storage } });
    await seedDemoCommerce(db);
    fake = await startStripeFake();
    stripe = new Stripe(fake.secretKey, fake.clientOptions as Stripe.StripeConfig);
    platform = await startPlatform(
      { DATABASE_URL: database.url, STORAGE_DIR: storage, STRIPE_SECRET_KEY: fake.secretKey, STRIPE_API_URL: fake.url, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET },
      { worker: true },
    );
    ctx.http = new Http(platform.baseUrl);
    fake.addWebhookEndpoint({ url: `${platform.baseUrl}/api/v1/payments/stripe/webhook`, secret: WEBHOOK_SECRET });
    queue = new Queue(JOB_QUEUE['billing.close'], { connection: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' }, prefix: queuePrefix(platform.queuePrefix) });
  }, 120_000);
  afterAll(async () => {
    await queue?.close();
    await platform?.close();
    await fake?.close();
    await db?.destroy();
    await database?.dispose();
  });

  const until = <T>(read: () => Promise<T>, check: (value: T) => boolean, label: string) => waitUntil(read, check, label, { context: output });

  /** The worker's billing close, run now (as its schedule would). */
  async function runBillingClose(): Promise<void> {
    const job: JobOf<'billing.close'> = { name: 'billing.close', data: { trigger: 'manual' } };
    await queue.add(job.name, job.data, jobOptions(job));
  }

  /** A hybrid (yearly fee + metered calls) licence bought by a new organization through Stripe Checkout. */
  async function buyThroughStripe(http: Http) {
    const buyer = await signUp(http);
    const offers = await http.get(`/api/v1/catalog/products/${SCENIC}/offers`);
    const offer = offers.body.items.find((item: { pricePlan: { kind: string } }) => item.pricePlan.kind === 'hybrid');
    const terms = await http.get(`/api/v1/offers/${offer.id}/terms`);
    const accepted = await http.post('/api/v1/licenses', { offerId: offer.id, termsSha256: terms.body.termsSha256, acceptTerms: true }, { token: buyer.token });
    expect(accepted.status).toBe(201);
    const checkout = await http.post(`/api/v1/licenses/${accepted.body.id}/checkout`, {}, { token: buyer.token });
    expect(checkout.body.provider).toBe('stripe');
    const sessionId = /\/checkout\/(cs_[A-Za-z0-9_]+)/.exec(checkout.body.url)![1]!;
    const session = fake.completeCheckout(sessionId, { outcome: 'paid' });
    await fake.deliverAll({ order: 'shuffled', seed: 5 });
    const license = await until(
      async () => (await http.get(`/api/v1/licenses/${accepted.body.id}`, { token: buyer.token })).body,
      (current) => current.state === 'active',
      'the Stripe licence active',
    );
    return { buyer, license, customerId: session.customer as string, subscriptionId: session.subscription as string };
  }

  /** The licence enters a billing period (as the passing of time would) and is used `calls` times in it. */
  async function usePeriod(license: { id: string; product: { id: string } }, organizationId: string, period: { start: Date; end: Date }, calls: number, prefix: string) {
    await db.query(`UPDATE licenses SET current_period_start = $2, current_period_end = $3 WHERE id = $1`, [license.id, period.start, period.end]);
    const events = Array.from({ length: 100 }, (_, index) => ({
      key: `${license.id}:${prefix}:${index}`,
      productId: license.product.id,
      productVersionId: null,
      licenseId: license.id,
      consumerOrganizationId: organizationId,
      channel: 'api' as const,
      unit: 'api_call' as const,
      quantity: calls / 100,
      occurredAt: new Date(period.start.getTime() + 60_000 + index * 1000),
    }));
    expect((await recordUsage(db, events)).rejected).toEqual([]);
  }

  const usageInvoices = async (http: Http, token: string, licenseId: string): Promise<InvoiceView[]> =>
    (await http.get(`/api/v1/licenses/${licenseId}`, { token })).body.invoices.filter((invoice: InvoiceView) => invoice.kind === 'usage');

  const stripeInvoicesFor = async (customerId: string, invoiceId: string) =>
    (await stripe.invoices.list({ customer: customerId, limit: 100 })).data.filter((invoice) => invoice.metadata?.invoiceId === invoiceId);

  /** Delivers Stripe's pending webhooks and waits until the worker has applied every event about the object. */
  async function deliverWebhooks(objectId: string, seed: number) {
    const deliveries = await fake.deliverAll({ order: 'shuffled', seed, duplicate: true });
    expect(deliveries.every((delivery) => delivery.status === 200)).toBe(true);
    await until(
      async () => (await db.query(`SELECT count(*)::int AS pending, count(*) FILTER (WHERE processed_at IS NOT NULL)::int AS done FROM payment_provider_events WHERE object_id = $1`, [objectId]))[0],
      (row: { pending: number; done: number }) => row.pending > 0 && row.done === row.pending,
      `the events of ${objectId} applied`,
    );
  }

  it('charges the usage of a closed period to the card on file, posts the payment and its split once, and survives a declined card', async () => {
    const { buyer, license, customerId, subscriptionId } = await buyThroughStripe(ctx.http);
    const organizationId = buyer.me.organization.id as string;
    const now = Date.now();
    const p1 = { start: new Date(now - 20 * DAY_MS), end: new Date(now - 3_600_000) };
    // 80,000 calls, 50,000 included, 30,000 at ¥0.02 (volume tier up to 200,000): ¥600.00, VAT included.
    await usePeriod(license, organizationId, p1, 80_000, 'p1');
    await runBillingClose();

    const [paid] = await until(
      () => usageInvoices(ctx.http, buyer.token, license.id),
      (invoices) => invoices.length === 1 && invoices[0]!.status === 'paid',
      'the usage invoice paid through Stripe',
    );
    expect(paid).toMatchObject({ provider: 'stripe', status: 'paid', total: 60_000, amountPaid: 60_000 });
    expect(new Date(paid!.periodStart!).getTime()).toBe(p1.start.getTime());

    // On Stripe: one one-off invoice for it, charged to the card the subscription is paid with.
    const [theirs, ...others] = await stripeInvoicesFor(customerId, paid!.id);
    expect(others).toEqual([]);
    expect(theirs).toMatchObject({ status: 'paid', amount_paid: 60_000, currency: 'cny', collection_method: 'charge_automatically', billing_reason: 'manual', metadata: { licenseId: license.id } });
    const subscription = await stripe.subscriptions.retrieve(subscriptionId);
    expect(theirs!.default_payment_method).toBe(subscription.default_payment_method);
    expect(theirs!.lines.data.map((line) => line.amount)).toEqual([60_000]);

    // Stripe's webhooks about it, shuffled and each twice, record nothing more.
    await deliverWebhooks(theirs!.id!, 21);
    const finance = await login(ctx.http, 'analyst@finance.demo');
    const detail = (await ctx.http.get(`/api/v1/finance/invoices/${paid!.id}`, { token: finance.token })).body;
    expect(detail.payments.map((payment: { provider: string; reference: string; amount: number }) => [payment.provider, payment.reference, payment.amount])).toEqual([['stripe', theirs!.id, 60_000]]);

    // The ledger: the invoice issued (VAT extracted), the payment into Stripe's clearing account, split by lineage.
    const journal = (await ctx.http.get(`/api/v1/finance/journal?invoiceId=${paid!.id}`, { token: finance.token })).body.items;
    expect(journal.map((entry: { kind: string }) => entry.kind).sort()).toEqual(['invoice_issued', 'payment']);
    const issued = journal.find((entry: { kind: string }) => entry.kind === 'invoice_issued');
    // 60,000 × 6/106 = 3,396.2 → ¥33.96 tax, ¥566.04 net.
    expect(issued.postings.find((posting: { account: string }) => posting.account === 'tax_payable').amount).toBe(-3_396);
    const payment = journal.find((entry: { kind: string }) => entry.kind === 'payment');
    const posted = (prefix: string) => payment.postings.filter((posting: { account: string }) => posting.account.startsWith(prefix)).reduce((sum: number, posting: { amount: number }) => sum + posting.amount, 0);
    expect(posted('clearing:stripe')).toBe(60_000);
    expect(posted('receivable')).toBe(-60_000);
    expect(posted('billed_revenue')).toBe(56_604);
    // 10 % platform fee (within a minor unit of ¥56.604); the rest to the agencies in the product's lineage and the vendor.
    expect(Math.abs(posted('platform_revenue') + 5_660.4)).toBeLessThan(1);
    expect(posted('agency_payable:')).toBeLessThan(0);
    expect(posted('vendor_payable:')).toBeLessThan(0);
    expect(posted('platform_revenue') + posted('agency_payable:') + posted('vendor_payable:')).toBe(-56_604);
    expect(payment.postings.reduce((sum: number, posting: { amount: number }) => sum + posting.amount, 0)).toBe(0);

    // The next period's usage meets a declined card: the invoice stays open, nothing is recorded.
    const p2 = { start: p1.end, end: new Date(Date.now() - 10 * 60_000) };
    await usePeriod(license, organizationId, p2, 70_000, 'p2');
    fake.setNextPaymentOutcome(customerId, 'fail', { times: 1 });
    await runBillingClose();
    const second = await until(
      async () => (await usageInvoices(ctx.http, buyer.token, license.id)).find((invoice) => invoice.id !== paid!.id),
      (invoice) => invoice !== undefined,
      'the second usage invoice',
    );
    const [declined] = await until(
      () => stripeInvoicesFor(customerId, second!.id),
      (invoices) => invoices.length === 1 && invoices[0]!.attempt_count === 1,
      'the declined attempt',
    );
    expect(declined).toMatchObject({ status: 'open', amount_paid: 0, amount_remaining: 40_000 });
    await deliverWebhooks(declined!.id!, 22);
    const open = (await usageInvoices(ctx.http, buyer.token, license.id)).find((invoice) => invoice.id === second!.id);
    expect(open).toMatchObject({ provider: 'stripe', status: 'open', total: 40_000, amountPaid: 0 });
    // The buyer can pay it on Stripe's page with another card meanwhile.
    expect(open!.payOnlineUrl).toBe(declined!.hosted_invoice_url);
    expect(open!.payOnlineUrl).toMatch(/^https?:\/\/.+\/invoice\//);
    expect((await ctx.http.get(`/api/v1/finance/invoices/${second!.id}`, { token: finance.token })).body.payments).toEqual([]);

    // Stripe retries three days later and the card goes through: its webhook records the payment.
    fake.advanceTime(3 * 86_400);
    await deliverWebhooks(declined!.id!, 23);
    const settled = (await usageInvoices(ctx.http, buyer.token, license.id)).find((invoice) => invoice.id === second!.id);
    expect(settled).toMatchObject({ status: 'paid', amountPaid: 40_000 });
    const secondPayments = (await ctx.http.get(`/api/v1/finance/invoices/${second!.id}`, { token: finance.token })).body.payments;
    expect(secondPayments.map((item: { reference: string; amount: number }) => [item.reference, item.amount])).toEqual([[declined!.id, 40_000]]);
    expect((await stripeInvoicesFor(customerId, second!.id)).map((invoice) => [invoice.status, invoice.attempt_count])).toEqual([['paid', 2]]);

    expect((await ctx.http.get('/api/v1/finance/reconciliation', { token: finance.token })).body.issues).toEqual([]);
  });
});
