import { WorkerConfig } from '@civic/config';
import { createDataSource, installStandardTemplates, Invoice, License, LicenseTemplate, listSettlements, Offer, Organization, prepareSettlements, Product, recordUsage, User } from '@civic/db';
import { accountingPeriod, accountingPeriodRange } from '@civic/domain';
import { startStripeFake, type StripeFake } from '@civic/stripe-fake';
import { Logger } from '@nestjs/common';
import Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import type { StripeClientProvider } from '../payments/payments.handlers.js';
import { BillingCloseHandler, SettleHandler } from './billing.handlers.js';

const DAY_MS = 86_400_000;

describe('billing jobs', () => {
  let dataSource: DataSource;
  let fake: StripeFake;
  let buyerId: string;
  let vendorId: string;
  let userId: string;
  let productId: string;
  let templateId: string;
  const config = Object.assign(new WorkerConfig(), { INVOICE_DUE_DAYS: 14 });

  beforeAll(async () => {
    Logger.overrideLogger(false);
    dataSource = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 4 });
    await dataSource.initialize();
    fake = await startStripeFake();
    const suffix = Date.now().toString(36);
    vendorId = (await dataSource.manager.save(dataSource.manager.create(Organization, { slug: `bvendor-${suffix}`, name: 'Vendor', kind: 'vendor', status: 'active' }))).id;
    buyerId = (await dataSource.manager.save(dataSource.manager.create(Organization, { slug: `bbuyer-${suffix}`, name: 'Buyer', kind: 'enterprise', status: 'active' }))).id;
    userId = (await dataSource.manager.save(dataSource.manager.create(User, { email: `bbuyer-${suffix}@example.test`, displayName: 'Buyer', passwordHash: 'x' }))).id;
    productId = (
      await dataSource.manager.save(
        dataSource.manager.create(Product, { organizationId: vendorId, kind: 'derived', slug: `bp-${suffix}`, titleZh: '产品', titleEn: 'Product', theme: 'statistics', sql: 'SELECT 1' }),
      )
    ).id;
    await installStandardTemplates(dataSource);
    templateId = (await dataSource.manager.findOneByOrFail(LicenseTemplate, { key: 'commercial-internal', version: 1 })).id;
  });
  afterAll(async () => {
    await fake?.close();
    await dataSource?.destroy();
  });

  async function meteredLicense(start: Date, end: Date): Promise<License> {
    const plan = { kind: 'metered', currency: 'CNY', interval: 'month', metered: { unit: 'row', mode: 'per_unit', per: 1000, includedQuantity: 1000, unitAmount: 100 } };
    const offer = await dataSource.manager.save(
      dataSource.manager.create(Offer, { productId, organizationId: vendorId, templateId, nameZh: '按量', nameEn: 'Metered', pricePlan: plan, currency: 'CNY', status: 'published' }),
    );
    return dataSource.manager.save(
      dataSource.manager.create(License, {
        organizationId: buyerId,
        productId,
        vendorId,
        offerId: offer.id,
        offerRevision: 1,
        templateId,
        terms: { policy: { permission: [] } },
        termsSha256: 'b'.repeat(64),
        pricePlan: plan,
        currency: 'CNY',
        acceptedByUserId: userId,
        acceptedAt: start,
        acceptedIp: '127.0.0.1',
        state: 'active',
        provider: 'none',
        activatedAt: start,
        currentPeriodStart: start,
        currentPeriodEnd: end,
      }),
    );
  }

  it('closes an ended period into one usage invoice, whether the job runs twice in a row or twice at once', async () => {
    const start = new Date(Date.now() - 20 * DAY_MS);
    const license = await meteredLicense(start, new Date(Date.now() - DAY_MS));
    const event = { productId, productVersionId: null, licenseId: license.id, consumerOrganizationId: buyerId, channel: 'api' as const, unit: 'row' as const, quantity: 6_000 };
    await recordUsage(dataSource, [
      { ...event, key: `${license.id}:1`, occurredAt: new Date(start.getTime() + DAY_MS) },
      { ...event, key: `${license.id}:2`, occurredAt: new Date(start.getTime() + 2 * DAY_MS) },
    ]);
    const handler = new BillingCloseHandler(dataSource, config);
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
    const account = await stripe.accounts.create({ type: 'express', metadata: { organizationId: vendorId } });
    fake.completeOnboarding(account.id);
    await dataSource.query(`INSERT INTO stripe_connect_accounts (organization_id, account_id, payouts_enabled, charges_enabled) VALUES ($1, $2, true, true)`, [vendorId, account.id]);
    // The vendor is owed ¥70.00 from a payment of the previous period.
    const period = accountingPeriod(new Date(accountingPeriodRange(accountingPeriod(new Date())).start.getTime() - 1));
    const at = new Date(accountingPeriodRange(period).end.getTime() - 3_600_000);
    const entry = await dataSource.query(`INSERT INTO journal_entries (kind, idempotency_key, period, occurred_at, memo) VALUES ('payment', $1, $2, $3, 'test') RETURNING id`, [`payment:test-${vendorId}`, period, at]);
    await dataSource.query(
      `INSERT INTO journal_postings (entry_id, account, currency, amount, period, dimensions) VALUES ($1, 'clearing:stripe', 'CNY', 7000, $2, $3), ($1, $4, 'CNY', -7000, $2, $3)`,
      [entry[0].id, period, JSON.stringify({ product: productId }), `vendor_payable:${vendorId}`],
    );
    const prepared = (await prepareSettlements(dataSource, period, { stripeVendors: new Set([vendorId]) })).filter((settlement) => settlement.organizationId === vendorId);
    expect(prepared).toMatchObject([{ kind: 'payout', amount: 7_000, method: 'stripe_transfer', status: 'pending' }]);

    const handler = new SettleHandler(dataSource, { client: stripe } as StripeClientProvider);
    const job = { data: { period } } as never;
    await Promise.all([handler.handle(job), handler.handle(job)]);
    await handler.handle(job);
    const [settlement] = (await listSettlements(dataSource, { period })).filter((item) => item.organizationId === vendorId);
    expect(settlement).toMatchObject({ status: 'paid', amount: 7_000 });
    const transfers = await stripe.transfers.list({ destination: account.id });
    expect(transfers.data.map((transfer) => [transfer.id, transfer.amount])).toEqual([[settlement!.providerReference, 7_000]]);
    const [{ balance }] = await dataSource.query(`SELECT sum(amount)::int AS balance FROM journal_postings WHERE account = $1`, [`vendor_payable:${vendorId}`]);
    expect(balance).toBe(0);
  });
});
