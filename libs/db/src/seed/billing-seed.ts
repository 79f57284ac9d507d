import { accountingPeriod, accountingPeriodRange, parsePricePlan, type UsageEvent } from '@civic/domain';
import type { DataSource } from 'typeorm';
import { closeBillingPeriods } from '../billing/billing-close.js';
import { recordRefund } from '../billing/refund-store.js';
import { markSettlementPaid, prepareSettlements } from '../billing/settlement-store.js';
import { issueInvoice, recordPayment } from '../commerce/license-store.js';
import { activeLicenceUnder } from '../commerce/licence-factory.js';
import { Invoice, License, Offer, Payment } from '../entities/commerce.entity.js';
import { Organization } from '../entities/organization.entity.js';
import { ProductVersion } from '../entities/product-version.entity.js';
import { Product } from '../entities/product.entity.js';
import { User } from '../entities/user.entity.js';
import { ensureUsagePartitions, recordUsage } from '../metering/usage-store.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** How the demo's licences were "accepted" (the terms' user agent): what tells its activity apart. */
const MARKER = 'Demo activity: two months of purchases, usage and payments.';

interface DemoPurchase {
  buyer: string;
  productSlug: string;
  offerNameEn: string;
  purpose: string;
  /** What the buyer wrote they would do with the data. */
  intendedUse: string;
  /** Days ago the licence started. */
  startedDaysAgo: number;
}

/** Oldest first: invoice numbers follow the dates they are issued on. */
const PURCHASES: DemoPurchase[] = [
  { buyer: 'buyer@harbor.demo', productSlug: 'road-congestion-index-by-district-hour-weather', offerNameEn: 'Pay as you go (redistribute derived results)', purpose: 'product_development', intendedUse: '港口集卡调度：按区县和时段预测道路拥堵，安排进出港时间。', startedDaysAgo: 62 },
  { buyer: 'buyer@sunrise.demo', productSlug: 'outpatient-demand-by-district-department-month', offerNameEn: 'Public health research (one-time)', purpose: 'research', intendedUse: '研究门诊需求的季节变化，用于健康险产品定价。', startedDaysAgo: 50 },
  { buyer: 'buyer@sunrise.demo', productSlug: 'scenic-visitors-and-weather-by-district-month', offerNameEn: 'Yearly subscription + overage', purpose: 'urban_planning', intendedUse: '为城区规划咨询项目分析景区客流与天气的关系。', startedDaysAgo: 38 },
  { buyer: 'buyer@harbor.demo', productSlug: 'scenic-visitors-and-weather-by-district-month', offerNameEn: 'Yearly subscription + overage', purpose: 'product_development', intendedUse: '开发旅游旺季物流运力规划产品。', startedDaysAgo: 20 },
];

/** Something that happened at a moment; the demo replays them in order. */
interface Happening {
  at: number;
  run: () => Promise<void>;
}

/**
 * A month and more of demo money, for finance to review: licences bought weeks ago under a
 * metered, a one-time and a hybrid plan (products built on four agencies' data), their purchase
 * invoices paid by bank transfer, usage recorded day by day, billing periods closed into usage
 * invoices (the latest still open), a goodwill refund, and last month's settlements prepared
 * (the vendor's payout and one agency's remittance paid). Replayed in time order, so invoice
 * numbers and journal entries follow their dates. Every invoice and payment is posted to the
 * ledger and split by lineage. Idempotent: does nothing when the demo activity exists. Not used
 * by the tests, which make their own.
 */
export async function seedDemoBilling(dataSource: DataSource, now = new Date()): Promise<{ licences: number; invoices: number; payments: number }> {
  const counts = { licences: 0, invoices: 0, payments: 0 };
  // An older demo database carries the marker as the licences' intended use.
  if (await dataSource.manager.exists(License, { where: [{ acceptedUserAgent: MARKER }, { intendedUse: MARKER }] })) return counts;
  for (let month = -3; month <= 1; month += 1) await ensureUsagePartitions(dataSource, new Date(now.getTime() + month * 30 * DAY));
  const timeline: Happening[] = [];
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
      intendedUse: purchase.intendedUse,
      userAgent: MARKER,
    });
    licences.push(license);
    counts.licences += 1;
    const version = product.currentVersionId ? await dataSource.manager.findOneBy(ProductVersion, { id: product.currentVersionId }) : null;
    const productRows = Math.max(1, version?.rowCount ?? 100);

    // A fixed fee is invoiced when the licence starts and paid by bank transfer two days later.
    if (plan.kind === 'hybrid' || plan.kind === 'subscription' || plan.kind === 'one_time') {
      const end = new Date(started);
      if (plan.kind === 'one_time') end.setTime(started.getTime());
      else if (plan.interval === 'year') end.setUTCFullYear(end.getUTCFullYear() + 1);
      else end.setUTCMonth(end.getUTCMonth() + 1);
      let invoice: Invoice;
      timeline.push({
        at: started.getTime(),
        run: async () => {
          invoice = await dataSource.transaction(async (manager) => {
            const issued = await issueInvoice(manager, {
              license,
              provider: 'offline',
              kind: 'purchase',
              status: 'open',
              lines: [{ kind: plan.kind === 'one_time' ? 'one_time_fee' : 'subscription_fee', descriptionZh: offer.nameZh, descriptionEn: offer.nameEn, quantity: 1, unitAmount: plan.amount, amount: plan.amount }],
              periodStart: started,
              periodEnd: plan.kind === 'one_time' ? null : end,
              dueAt: new Date(started.getTime() + 14 * DAY),
              issuedAt: started,
            });
            if (plan.kind !== 'one_time') await manager.update(License, { id: license.id }, { currentPeriodStart: started, currentPeriodEnd: end });
            return issued.invoice;
          });
          counts.invoices += 1;
        },
      });
      timeline.push({
        at: started.getTime() + 2 * DAY,
        run: async () => {
          await dataSource.transaction((manager) => recordPayment(manager, { invoice, provider: 'offline', reference: `DEMO-${invoice.number}`, amount: invoice.total, receivedAt: new Date(started.getTime() + 2 * DAY), note: 'Demo bank transfer' }));
          counts.payments += 1;
        },
      });
    }

    // Metered licences run in 30-day periods; usage is delivered every few hours and each
    // period is closed (its usage invoice issued) an hour after it ends.
    if (plan.kind === 'metered') {
      for (let start = started; start < now; start = new Date(start.getTime() + 30 * DAY)) {
        const periodStart = start;
        const end = new Date(start.getTime() + 30 * DAY);
        timeline.push({
          at: periodStart.getTime(),
          run: async () => {
            await dataSource.manager.update(License, { id: license.id }, { currentPeriodStart: periodStart, currentPeriodEnd: end });
            const until = Math.min(end.getTime(), now.getTime());
            // A scheduled job reads the whole product a few times every six hours.
            for (let at = periodStart.getTime() + HOUR; at < until; at += 6 * HOUR) {
              await recordUsage(dataSource, deliveries(license, at, 4 + (Math.floor(at / HOUR) % 7), productRows), new Date(at + 60_000));
            }
          },
        });
        if (end <= now) {
          timeline.push({
            at: end.getTime() + HOUR,
            run: async () => {
              counts.invoices += (await closeBillingPeriods(dataSource, { now: new Date(end.getTime() + HOUR) })).invoices;
              // Paid by transfer five days later; one issued less than five days ago stays open (not due yet).
              const issued = await dataSource.manager.find(Invoice, { where: { licenseId: license.id, kind: 'usage', status: 'open' } });
              for (const invoice of issued.filter((item) => item.issuedAt!.getTime() + 5 * DAY < now.getTime())) {
                const paidAt = new Date(invoice.issuedAt!.getTime() + 5 * DAY);
                timeline.push({
                  at: paidAt.getTime(),
                  run: async () => {
                    await dataSource.transaction((manager) => recordPayment(manager, { invoice, provider: 'offline', reference: `DEMO-${invoice.number}`, amount: invoice.total, receivedAt: paidAt, note: 'Demo bank transfer' }));
                    counts.payments += 1;
                  },
                });
              }
            },
          });
        }
      }
    }
    // Hybrid licences' calls so far this period (overage is billed when the year ends).
    if (plan.kind === 'hybrid') {
      timeline.push({
        at: started.getTime() + HOUR,
        run: async () => {
          for (let at = Math.max(started.getTime(), now.getTime() - 30 * DAY) + HOUR / 2; at < now.getTime(); at += 3 * HOUR) {
            // An app's look-ups: a hundred or two calls every three hours, each a page of at most 20 rows.
            await recordUsage(dataSource, deliveries(license, at, 120 + (Math.floor(at / HOUR) % 5) * 20, Math.min(20, productRows)), new Date(at + 60_000));
          }
        },
      });
    }
  }

  // A goodwill refund: Sunrise is given back part of its yearly fee ten days in.
  const sunrise = licences.find((license) => parsePricePlan(license.pricePlan).kind === 'hybrid');
  if (sunrise) {
    const at = sunrise.activatedAt!.getTime() + 10 * DAY;
    timeline.push({
      at,
      run: async () => {
        const [payment] = await dataSource.manager.find(Payment, { where: { licenseId: sunrise.id }, order: { receivedAt: 'ASC' }, take: 1 });
        if (!payment) return;
        await dataSource.transaction((manager) =>
          recordRefund(manager, { paymentId: payment.id, kind: 'refund', amount: 48_000, reference: `DEMO-REFUND-${payment.providerReference}`, reason: 'Goodwill: data delivered late in the first week', occurredAt: new Date(at) }),
        );
      },
    });
  }

  // Last month's settlements, prepared on the third of this month: the vendor's payout and the first agency's remittance are paid that day.
  const settledAt = accountingPeriodRange(accountingPeriod(now)).start.getTime() + 3 * DAY;
  if (settledAt < now.getTime()) {
    timeline.push({
      at: settledAt,
      run: async () => {
        const lastMonth = accountingPeriod(new Date(accountingPeriodRange(accountingPeriod(now)).start.getTime() - DAY));
        const settlements = await prepareSettlements(dataSource, lastMonth);
        for (const settlement of [settlements.find((item) => item.kind === 'payout'), settlements.find((item) => item.kind === 'remittance')]) {
          if (!settlement) continue;
          await dataSource.transaction((manager) => markSettlementPaid(manager, settlement.id, { reference: `DEMO-${settlement.kind.toUpperCase()}-${lastMonth}`, paidAt: new Date(settledAt), provider: 'offline' }));
        }
      },
    });
  }

  // In time order; a happening may schedule later ones (a usage invoice's payment).
  while (timeline.length > 0) {
    timeline.sort((a, b) => a.at - b.at);
    await timeline.shift()!.run();
  }
  return counts;
}

/** About what a JSON row of the demo products weighs. */
const BYTES_PER_ROW = 120;

/** `calls` deliveries of `rowsPerCall` rows each at `at`, as the data API counts them: calls, rows and bytes. */
function deliveries(license: License, at: number, calls: number, rowsPerCall: number): UsageEvent[] {
  const rows = calls * rowsPerCall;
  const quantities: Array<[UsageEvent['unit'], number]> = [
    ['api_call', calls],
    ['row', rows],
    ['byte', rows * BYTES_PER_ROW],
  ];
  return quantities.map(([unit, quantity]) => ({
    key: `demo:${license.id}:${at}:${unit}`,
    productId: license.productId,
    productVersionId: null,
    licenseId: license.id,
    consumerOrganizationId: license.organizationId,
    channel: 'api',
    unit,
    quantity,
    occurredAt: new Date(at),
  }));
}
