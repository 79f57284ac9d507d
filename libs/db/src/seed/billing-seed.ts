import { parsePricePlan, type UsageEvent } from '@civic/domain';
import type { DataSource } from 'typeorm';
import { closeBillingPeriods } from '../billing/billing-close.js';
import { issueInvoice, recordPayment } from '../commerce/license-store.js';
import { activeLicenceUnder } from '../commerce/licence-factory.js';
import { Invoice, License, Offer } from '../entities/commerce.entity.js';
import { Organization } from '../entities/organization.entity.js';
import { Product } from '../entities/product.entity.js';
import { User } from '../entities/user.entity.js';
import { ensureUsagePartitions, recordUsage } from '../metering/usage-store.js';

const DAY = 86_400_000;
const MARKER = 'Demo activity: two months of purchases, usage and payments.';

interface DemoPurchase {
  buyer: string;
  productSlug: string;
  offerNameEn: string;
  purpose: string;
  /** Days ago the licence started. */
  startedDaysAgo: number;
}

const PURCHASES: DemoPurchase[] = [
  { buyer: 'buyer@harbor.demo', productSlug: 'road-congestion-index-by-district-hour-weather', offerNameEn: 'Pay as you go (redistribute derived results)', purpose: 'product_development', startedDaysAgo: 62 },
  { buyer: 'buyer@harbor.demo', productSlug: 'scenic-visitors-and-weather-by-district-month', offerNameEn: 'Yearly subscription + overage', purpose: 'product_development', startedDaysAgo: 20 },
  { buyer: 'buyer@sunrise.demo', productSlug: 'scenic-visitors-and-weather-by-district-month', offerNameEn: 'Yearly subscription + overage', purpose: 'urban_planning', startedDaysAgo: 38 },
];

/**
 * A month and more of demo money, for finance to review: licences bought weeks ago under a
 * metered and a hybrid plan, their purchase invoices paid by bank transfer, their usage
 * recorded day by day, billing periods closed into usage invoices (the latest still open),
 * every invoice and payment posted to the ledger and split by lineage. Idempotent: does
 * nothing when the demo activity exists. Not used by the tests, which make their own.
 */
export async function seedDemoBilling(dataSource: DataSource, now = new Date()): Promise<{ licences: number; invoices: number; payments: number }> {
  const counts = { licences: 0, invoices: 0, payments: 0 };
  if (await dataSource.manager.exists(License, { where: { intendedUse: MARKER } })) return counts;
  for (let month = -3; month <= 1; month += 1) await ensureUsagePartitions(dataSource, new Date(now.getTime() + month * 30 * DAY));
  const licences: License[] = [];
  for (const purchase of PURCHASES) {
    const buyer = await dataSource.manager.findOneBy(User, { email: purchase.buyer });
    const product = await dataSource.manager.findOneBy(Product, { slug: purchase.productSlug, status: 'published' });
    const offer = product ? await dataSource.manager.findOneBy(Offer, { productId: product.id, nameEn: purchase.offerNameEn, status: 'published' }) : null;
    if (!buyer || !product || !offer) continue;
    const membership: Array<{ organization_id: string }> = await dataSource.query(`SELECT organization_id FROM memberships WHERE user_id = $1 LIMIT 1`, [buyer.id]);
    const buyerOrg = await dataSource.manager.findOneBy(Organization, { id: membership[0]?.organization_id });
    if (!buyerOrg) continue;
    const started = new Date(now.getTime() - purchase.startedDaysAgo * DAY);
    const { license, plan } = await activeLicenceUnder(dataSource.manager, {
      offer,
      buyerOrganizationId: buyerOrg.id,
      acceptedByUserId: buyer.id,
      at: started,
      purpose: purchase.purpose,
      intendedUse: MARKER,
    });
    licences.push(license);
    counts.licences += 1;

    // The fixed fee is paid up front, by bank transfer two days after the invoice.
    if (plan.kind === 'hybrid' || plan.kind === 'subscription') {
      const end = new Date(started);
      if (plan.interval === 'year') end.setUTCFullYear(end.getUTCFullYear() + 1);
      else end.setUTCMonth(end.getUTCMonth() + 1);
      await dataSource.transaction(async (manager) => {
      const { invoice } = await issueInvoice(manager, {
        license,
        provider: 'offline',
        kind: 'purchase',
        status: 'open',
        lines: [{ kind: 'subscription_fee', descriptionZh: offer.nameZh, descriptionEn: offer.nameEn, quantity: 1, unitAmount: plan.amount, amount: plan.amount }],
        periodStart: started,
        periodEnd: end,
        dueAt: new Date(started.getTime() + 14 * DAY),
        issuedAt: started,
      });
      await recordPayment(manager, { invoice, provider: 'offline', reference: `DEMO-${invoice.number}`, amount: invoice.total, receivedAt: new Date(started.getTime() + 2 * DAY), note: 'Demo bank transfer' });
      await manager.update(License, { id: license.id }, { currentPeriodStart: started, currentPeriodEnd: end });
      });
      counts.invoices += 1;
      counts.payments += 1;
    }
  }

  // Metered licences run in 30-day periods here; each is entered as time passes, and usage is
  // delivered every few hours.
  const metered = licences.filter((license) => parsePricePlan(license.pricePlan).kind === 'metered');
  for (const license of metered) {
    const started = license.activatedAt!;
    for (let start = started; start < now; start = new Date(start.getTime() + 30 * DAY)) {
      const end = new Date(start.getTime() + 30 * DAY);
      await dataSource.manager.update(License, { id: license.id }, { currentPeriodStart: start, currentPeriodEnd: end });
      const until = end < now ? end : now;
      const events: UsageEvent[] = [];
      for (let at = start.getTime() + 3_600_000; at < until.getTime(); at += 6 * 3_600_000) {
        events.push({
          key: `demo:${license.id}:${at}:row`,
          productId: license.productId,
          productVersionId: null,
          licenseId: license.id,
          consumerOrganizationId: license.organizationId,
          channel: 'api',
          unit: 'row',
          quantity: 20_000 + (Math.floor(at / 3_600_000) % 7) * 5_000,
          occurredAt: new Date(at),
        });
      }
      for (const event of events) await recordUsage(dataSource, [event], new Date(event.occurredAt.getTime() + 60_000));
      if (end <= now) {
        const closed = await closeBillingPeriods(dataSource, { now: new Date(end.getTime() + 3_600_000) });
        counts.invoices += closed.invoices;
      }
    }
  }
  // Hybrid licences' overage so far this period.
  for (const license of licences.filter((item) => parsePricePlan(item.pricePlan).kind === 'hybrid')) {
    const from = Math.max(license.activatedAt!.getTime(), now.getTime() - 30 * DAY);
    const events: UsageEvent[] = [];
    for (let at = from + 1_800_000; at < now.getTime(); at += 3 * 3_600_000) {
      events.push({ key: `demo:${license.id}:${at}:api_call`, productId: license.productId, productVersionId: null, licenseId: license.id, consumerOrganizationId: license.organizationId, channel: 'api', unit: 'api_call', quantity: 400, occurredAt: new Date(at) });
    }
    for (const event of events) await recordUsage(dataSource, [event], new Date(event.occurredAt.getTime() + 60_000));
  }
  // The older usage invoices were paid by transfer; the latest stays open (it is not due yet).
  const usageInvoices = await dataSource.manager.find(Invoice, { where: { kind: 'usage', status: 'open' }, order: { periodStart: 'ASC' } });
  for (const invoice of usageInvoices.filter((item) => licences.some((license) => license.id === item.licenseId)).slice(0, -1)) {
    await dataSource.transaction((manager) =>
      recordPayment(manager, { invoice, provider: 'offline', reference: `DEMO-${invoice.number}`, amount: invoice.total, receivedAt: new Date(invoice.issuedAt!.getTime() + 5 * DAY), note: 'Demo bank transfer' }),
    );
    counts.payments += 1;
  }
  return counts;
}
