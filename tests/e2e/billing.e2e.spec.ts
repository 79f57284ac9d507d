import { closeBillingPeriods, createDataSource, recordUsage } from '@civic/db';
import { accountingPeriod, accountingPeriodRange } from '@civic/domain';
import type { DataSource } from 'typeorm';
import { Http, login, signUp } from '../support/http.js';
import { usePlatform } from '../support/platform.js';

const CONGESTION = 'road-congestion-index-by-district-hour-weather';
const DAY = 86_400_000;

/**
 * Billing end to end: a metered licence's usage is closed into exactly one invoice per
 * period (even with closes racing), late usage comes back as an adjustment on the next
 * invoice, VAT is extracted from the price, the payment is split by the product's lineage
 * into the ledger, and finance sees the same figures in its reports, reconciled.
 */
describe('billing close, revenue sharing and the ledger', () => {
  const ctx = usePlatform();
  let db: DataSource;

  beforeAll(async () => {
    db = createDataSource({ url: process.env.DATABASE_URL!, poolSize: 6 });
    await db.initialize();
  });
  afterAll(() => db?.destroy());

  async function meteredLicence(http: Http) {
    const buyer = await signUp(http);
    const offers = await http.get(`/api/v1/catalog/products/${CONGESTION}/offers`);
    const metered = offers.body.items.find((offer: { pricePlan: { kind: string } }) => offer.pricePlan.kind === 'metered');
    const terms = await http.get(`/api/v1/offers/${metered.id}/terms`);
    const license = await http.post(
      '/api/v1/licenses',
      { offerId: metered.id, termsSha256: terms.body.termsSha256, acceptTerms: true, purpose: 'product_development', intendedUse: 'Logistics planning with congestion forecasts.' },
      { token: buyer.token },
    );
    expect(license.status).toBe(201);
    expect(license.body.state).toBe('active');
    return { buyer, license: { id: license.body.id as string, productId: license.body.product.id as string, organizationId: buyer.me.organization.id as string } };
  }

  /** Moves the licence into the given billing period, as the renewal sweep does when time passes. */
  async function enterPeriod(licenseId: string, start: Date, end: Date) {
    await db.query(`UPDATE licenses SET current_period_start = $2, current_period_end = $3 WHERE id = $1`, [licenseId, start, end]);
  }

  /** `count` deliveries of rows/count rows each, `spacingMs` apart from `at`, as usage events of the licence. */
  function deliveries(license: { id: string; productId: string; organizationId: string }, prefix: string, rows: number, at: Date, count = 10, spacingMs = 60_000) {
    return Array.from({ length: count }, (_, index) => ({
      key: `${license.id}:${prefix}:${index}`,
      productId: license.productId,
      productVersionId: null,
      licenseId: license.id,
      consumerOrganizationId: license.organizationId,
      channel: 'api' as const,
      unit: 'row' as const,
      quantity: rows / count,
      occurredAt: new Date(at.getTime() + index * spacingMs),
    }));
  }

  async function use(license: { id: string; productId: string; organizationId: string }, prefix: string, rows: number, at: Date) {
    // 100 deliveries of rows/100 each, a second apart, as the data API records them.
    const events = deliveries(license, prefix, rows, at, 100, 1000);
    const result = await recordUsage(db, events);
    expect(result.rejected).toEqual([]);
  }

  it('closes a period once, bills late usage as an adjustment, splits the payment by lineage and reconciles', async () => {
    const { buyer, license } = await meteredLicence(ctx.http);
    const finance = await login(ctx.http, 'analyst@finance.demo');
    const now = Date.now();
    const p1 = { start: new Date(now - 30 * DAY + 1234), end: new Date(now - 20 * DAY + 5678) };
    const p2 = { start: p1.end, end: new Date(now - 2 * 3_600_000) };

    await enterPeriod(license.id, p1.start, p1.end);
    await use(license, 'p1', 350_000, new Date(p1.start.getTime() + DAY));
    // Three closes at once: one invoice.
    const closes = await Promise.all([1, 2, 3].map(() => closeBillingPeriods(db, { settleSeconds: 60, batchSize: 50 })));
    const mine = async () => (await ctx.http.get('/api/v1/invoices', { token: buyer.token })).body.items.filter((invoice: { kind: string }) => invoice.kind === 'usage');
    let invoices = await mine();
    expect(invoices).toHaveLength(1);
    expect(closes.reduce((sum, close) => sum + close.invoices, 0)).toBeGreaterThanOrEqual(1);
    // 350,000 rows − 100,000 included = 250,000 in the first tier at ¥0.50 per 1,000 rows = ¥125.00, VAT 6 % included.
    const first = invoices[0];
    expect(first).toMatchObject({ total: 12_500, currency: 'CNY', status: 'open', provider: 'offline' });
    expect(new Date(first.periodStart).getTime()).toBe(p1.start.getTime());
    const again = await closeBillingPeriods(db, { settleSeconds: 60 });
    expect((await mine())).toHaveLength(1);
    expect(again.invoices).toBe(0);

    // The next period, and 50,000 rows of the first period that arrive late.
    await enterPeriod(license.id, p2.start, p2.end);
    await use(license, 'p2', 120_000, new Date(p2.start.getTime() + DAY));
    await use(license, 'p1-late', 50_000, new Date(p1.start.getTime() + 2 * DAY));
    await closeBillingPeriods(db, { settleSeconds: 60 });
    invoices = await mine();
    expect(invoices).toHaveLength(2);
    const second = invoices.find((invoice: { id: string }) => invoice.id !== first.id);
    // p2: 20,000 rows over the included 100,000 = ¥10.00; p1 late: 50,000 more in tier 1 = ¥25.00.
    expect(second.total).toBe(1_000 + 2_500);
    const detail = await ctx.http.get(`/api/v1/invoices/${second.id}`, { token: buyer.token });
    expect(detail.body.lines.map((line: { kind: string }) => line.kind)).toEqual(['included', 'tier', 'usage_adjustment']);
    expect(detail.body.lines.at(-1).descriptionEn).toMatch(/^Late usage/);

    // Finance is paid the first invoice: the ledger splits its net by the product's lineage.
    // Paid by transfer on the last day of the previous accounting period.
    const lastPeriod = accountingPeriod(new Date(accountingPeriodRange(accountingPeriod(new Date())).start.getTime() - 1));
    const receivedAt = new Date(accountingPeriodRange(lastPeriod).end.getTime() - 3_600_000);
    // A transfer dated decades before its invoice (a mistyped year) is refused, and nothing is recorded.
    const decadesAgo = await ctx.http.post(`/api/v1/finance/invoices/${first.id}/mark-paid`, { reference: `BANK-${license.id}`, amount: 12_500, receivedAt: '1999-01-01' }, { token: finance.token });
    expect(decadesAgo.status).toBe(400);
    expect(decadesAgo.body.error.details[0]).toMatchObject({ field: 'receivedAt' });
    const paid = await ctx.http.post(`/api/v1/finance/invoices/${first.id}/mark-paid`, { reference: `BANK-${license.id}`, amount: 12_500, receivedAt: receivedAt.toISOString() }, { token: finance.token });
    expect(paid.status).toBe(200);
    const journal = await ctx.http.get(`/api/v1/finance/journal?invoiceId=${first.id}`, { token: finance.token });
    expect(journal.body.items.map((entry: { kind: string }) => entry.kind).sort()).toEqual(['invoice_issued', 'payment']);
    const payment = journal.body.items.find((entry: { kind: string }) => entry.kind === 'payment');
    const posted = (account: string) => payment.postings.filter((posting: { account: string }) => posting.account.startsWith(account)).reduce((sum: number, posting: { amount: number }) => sum + posting.amount, 0);
    // ¥125.00 includes 6 % VAT: 12,500 × 6/106 = 707.5 → ¥7.08 tax, ¥117.92 net.
    const issued = journal.body.items.find((entry: { kind: string }) => entry.kind === 'invoice_issued');
    expect(issued.postings.find((posting: { account: string }) => posting.account === 'tax_payable').amount).toBe(-708);
    expect(posted('billed_revenue')).toBe(11_792);
    // 10 % platform fee; 20 % royalty over traffic (weight 3) and weather (weight 1); the vendor keeps the rest.
    expect(posted('platform_revenue')).toBe(-1_179);
    const royalties = payment.postings.filter((posting: { account: string }) => posting.account.startsWith('agency_payable:')).map((posting: { amount: number }) => -posting.amount).sort((a: number, b: number) => b - a);
    expect(royalties).toEqual([1_769, 590]);
    expect(posted('vendor_payable:')).toBe(-(11_792 - 1_179 - 1_769 - 590));
    expect(payment.postings.reduce((sum: number, posting: { amount: number }) => sum + posting.amount, 0)).toBe(0);

    // The reports say the same.
    const byDataset = await ctx.http.get(`/api/v1/finance/revenue?groupBy=dataset&filterBy=product&filterId=${license.productId}`, { token: finance.token });
    expect(byDataset.status).toBe(200);
    const traffic = byDataset.body.rows.find((row: { labelEn: string }) => /traffic/i.test(row.labelEn));
    expect(traffic.agencies).toBeGreaterThanOrEqual(1_769);
    const csv = await ctx.http.get(`/api/v1/finance/revenue?groupBy=product&format=csv`, { token: finance.token });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(String(csv.body)).toMatch(/^group,key,label_zh,label_en,currency,net_minor/);
    // Each amount twice: minor units, and the same as decimal text in yuan.
    const [header, ...csvRows] = String(csv.body).trim().split('\n').map((line) => line.split(','));
    const column = (name: string) => header!.indexOf(name);
    expect(csvRows.length).toBeGreaterThan(0);
    for (const row of csvRows.filter((cells) => cells.length === header!.length)) {
      expect(row[column('net')]).toBe((Number(row[column('net_minor')]) / 100).toFixed(2));
      expect(row[column('vendors')]).toBe((Number(row[column('vendors_minor')]) / 100).toFixed(2));
    }
    const xlsx = await ctx.http.get(`/api/v1/finance/revenue?groupBy=agency&format=xlsx`, { token: finance.token });
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(String(xlsx.body).startsWith('PK')).toBe(true);
    const reconciliation = await ctx.http.get('/api/v1/finance/reconciliation', { token: finance.token });
    expect(reconciliation.body.issues).toEqual([]);
    // The public disclosure of the year shows the agencies' royalties by dataset, the price list and the licensees.
    const disclosure = await ctx.http.get(`/api/v1/public/disclosure/${new Date().getUTCFullYear()}`);
    expect(disclosure.status).toBe(200);
    expect(disclosure.body.agencyRoyalties.CNY).toBeGreaterThanOrEqual(1_769 + 590);
    const disclosed = disclosure.body.datasets.find((row: { datasetId: string }) => row.datasetId === traffic.key);
    expect({ dataset: traffic.key, royalties: disclosed?.royalties >= 1_769 ? 'at least this payment' : disclosed, rows: disclosed ? undefined : disclosure.body.datasets }).toEqual({ dataset: traffic.key, royalties: 'at least this payment', rows: undefined });
    expect(disclosure.body.prices.some((row: { productSlug: string; licensees: number }) => row.productSlug === CONGESTION && row.licensees >= 1)).toBe(true);
    expect(disclosure.body.licensees).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(disclosure.body)).not.toContain(buyer.me.organization.id);
    expect((await ctx.http.get('/api/v1/public/disclosure/1999')).status).toBe(400);
    expect((await ctx.http.get('/api/v1/public/disclosure/20x6')).status).toBe(400);
    expect(reconciliation.body.matched).toBe(true);
    const accounts = await ctx.http.get('/api/v1/finance/accounts', { token: finance.token });
    const sums = new Map<string, number>();
    for (const account of accounts.body.items) sums.set(account.currency, (sums.get(account.currency) ?? 0) + account.balance);
    expect([...sums.values()].every((sum) => sum === 0)).toBe(true);

    // Sellers see their own shares; a buyer sees no finance.
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const sales = await ctx.http.get('/api/v1/revenue/statement', { token: vendor.token });
    expect(sales.body.role).toBe('vendor');
    expect(sales.body.lines.some((line: { productId: string; amount: number }) => line.productId === license.productId && line.amount > 0)).toBe(true);
    const steward = await login(ctx.http, 'steward@transport.demo');
    const royaltiesSeen = await ctx.http.get('/api/v1/revenue/statement', { token: steward.token });
    expect(royaltiesSeen.body.role).toBe('agency');
    expect(royaltiesSeen.body.lines.every((line: { datasetId: string | null }) => line.datasetId !== null)).toBe(true);
    expect((await ctx.http.get('/api/v1/finance/revenue?groupBy=period', { token: buyer.token })).status).toBe(403);

    // A partial refund reverses every share in proportion; more than remains is refused.
    const productPayments = async () =>
      (await ctx.http.get(`/api/v1/finance/revenue?groupBy=product`, { token: finance.token })).body.rows.find((row: { key: string }) => row.key === license.productId)?.payments as number;
    const paymentsBefore = await productPayments();
    const paymentId = (await ctx.http.get(`/api/v1/finance/invoices/${first.id}`, { token: finance.token })).body.payments[0].id;
    const noReference = await ctx.http.post(`/api/v1/finance/payments/${paymentId}/refunds`, { amount: 2_500, reason: 'Service credit' }, { token: finance.token });
    expect(noReference.status).toBe(400);
    const refund = await ctx.http.post(`/api/v1/finance/payments/${paymentId}/refunds`, { amount: 2_500, reason: 'Service credit', reference: `BANK-BACK-${license.id}` }, { token: finance.token });
    expect(refund.status).toBe(201);
    const repeat = await ctx.http.post(`/api/v1/finance/payments/${paymentId}/refunds`, { amount: 2_500, reason: 'Service credit', reference: `BANK-BACK-${license.id}` }, { token: finance.token });
    expect(repeat.body.id).toBe(refund.body.id);
    const tooMuch = await ctx.http.post(`/api/v1/finance/payments/${paymentId}/refunds`, { amount: 10_001, reason: 'Too much', reference: `BANK-BACK2-${license.id}` }, { token: finance.token });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('billing.refund_exceeds_payment');
    const invoiceJournal = (await ctx.http.get(`/api/v1/finance/journal?invoiceId=${first.id}`, { token: finance.token })).body;
    const refundEntry = invoiceJournal.items.find((entry: { kind: string }) => entry.kind === 'refund');
    // The ids the postings are about come with their names.
    expect(invoiceJournal.labels[license.productId].en).toMatch(/congestion/i);
    expect(invoiceJournal.labels[first.id]).toEqual({ zh: first.number, en: first.number });
    const reversed = (account: string) => refundEntry.postings.filter((posting: { account: string }) => posting.account.startsWith(account)).reduce((sum: number, posting: { amount: number }) => sum + posting.amount, 0);
    // 2,500 of 12,500 is a fifth: a fifth of the tax (708 → 142) and of each share comes back.
    expect(reversed('clearing:offline')).toBe(-2_500);
    expect(reversed('tax_payable')).toBe(142);
    expect(reversed('platform_revenue')).toBe(236);
    expect(reversed('platform_revenue') + reversed('agency_payable:') + reversed('vendor_payable:') + reversed('tax_payable')).toBe(2_500);
    // A refund lowers the revenue, not the number of payments.
    expect(await productPayments()).toBe(paymentsBefore);
    expect((await ctx.http.get('/api/v1/finance/reconciliation', { token: finance.token })).body.issues).toEqual([]);

    // Settling the previous period: a payout to the vendor, a remittance to each agency, with statements.
    const run = await ctx.http.post('/api/v1/finance/settlements/run', { period: lastPeriod }, { token: finance.token });
    expect(run.status).toBe(200);
    const payout = run.body.items.find((item: { kind: string; organizationName: string }) => item.kind === 'payout' && /CityFlow|城流/i.test(item.organizationName));
    expect(payout).toMatchObject({ method: 'bank_instruction', status: 'pending', currency: 'CNY' });
    expect(payout.amount).toBeGreaterThanOrEqual(11_792 - 1_179 - 1_769 - 590);
    const runAgain = await ctx.http.post('/api/v1/finance/settlements/run', { period: lastPeriod }, { token: finance.token });
    expect(runAgain.body.items.map((item: { id: string }) => item.id).sort()).toEqual(run.body.items.map((item: { id: string }) => item.id).sort());
    const remittances = run.body.items.filter((item: { kind: string }) => item.kind === 'remittance');
    expect(remittances.length).toBeGreaterThanOrEqual(2);
    const pdf = await ctx.http.get(`/api/v1/finance/settlements/${remittances[0].id}/statement`, { token: finance.token });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(String(pdf.body).startsWith('%PDF')).toBe(true);
    const statementCsv = await ctx.http.get(`/api/v1/finance/settlements/${payout.id}/statement?format=csv`, { token: finance.token });
    expect(String(statementCsv.body)).toContain('TOTAL DUE');
    const paidOut = await ctx.http.post(`/api/v1/finance/settlements/${payout.id}/mark-paid`, { reference: `PAYOUT-${license.id}`, paidAt: new Date().toISOString() }, { token: finance.token });
    expect(paidOut.body).toMatchObject({ status: 'paid', providerReference: `PAYOUT-${license.id}` });
    const ownPayouts = await ctx.http.get('/api/v1/revenue/settlements', { token: vendor.token });
    expect(ownPayouts.body.items.some((item: { id: string; status: string }) => item.id === payout.id && item.status === 'paid')).toBe(true);
    expect((await ctx.http.get(`/api/v1/revenue/settlements/${remittances[0].id}/statement`, { token: vendor.token })).status).toBe(404);

    // Closing the previous period locks it: a late payment dated in it is posted in the current period.
    const close = await ctx.http.post(`/api/v1/finance/periods/${lastPeriod}/close`, { note: 'Reviewed' }, { token: finance.token });
    expect(close.status).toBe(200);
    expect(close.body.items.find((item: { period: string }) => item.period === lastPeriod)).toMatchObject({ closed: true, note: 'Reviewed' });
    expect((await ctx.http.post(`/api/v1/finance/periods/${lastPeriod}/close`, {}, { token: finance.token })).body.error.code).toBe('billing.period_closed');
    const late = await ctx.http.post(`/api/v1/finance/invoices/${second.id}/mark-paid`, { reference: `BANK2-${license.id}`, amount: second.total, receivedAt: receivedAt.toISOString() }, { token: finance.token });
    expect(late.status).toBe(200);
    const latePayment = (await ctx.http.get(`/api/v1/finance/journal?invoiceId=${second.id}`, { token: finance.token })).body.items.find((entry: { kind: string }) => entry.kind === 'payment');
    expect(latePayment.period).toBe(accountingPeriod(new Date()));
    expect(new Date(latePayment.occurredAt).getTime()).toBe(receivedAt.getTime());
  });

  it('bills usage that arrives after the last close on an adjustment invoice once its late window has passed', async () => {
    const { buyer, license } = await meteredLicence(ctx.http);
    const now = Date.now();
    const period = { start: new Date(now - 50 * DAY), end: new Date(now - 40 * DAY) };
    await enterPeriod(license.id, period.start, period.end);
    // The licence ends with the period: no later close will ever re-read it.
    await db.query(`UPDATE licenses SET state = 'cancelled', ended_at = $2, end_reason = 'test' WHERE id = $1`, [license.id, period.end]);
    const events = (prefix: string, rows: number, at: Date) => deliveries(license, prefix, rows, at);
    expect((await recordUsage(db, events('on-time', 200_000, new Date(period.start.getTime() + DAY)), new Date(period.start.getTime() + DAY + 3_600_000))).rejected).toEqual([]);
    await closeBillingPeriods(db, { now: new Date(period.end.getTime() + 3_600_000) });
    // 30,000 rows of the period reported 20 days late.
    expect((await recordUsage(db, events('late', 30_000, new Date(period.end.getTime() - DAY)), new Date(now - 30 * DAY))).rejected).toEqual([]);
    await closeBillingPeriods(db, { now: new Date(now - 10 * DAY) }); // still inside the late window: nothing yet
    let invoices = (await ctx.http.get('/api/v1/invoices', { token: buyer.token })).body.items;
    expect(invoices.map((invoice: { kind: string; total: number }) => [invoice.kind, invoice.total])).toEqual([['usage', 5_000]]);
    await Promise.all([closeBillingPeriods(db), closeBillingPeriods(db)]);
    invoices = (await ctx.http.get('/api/v1/invoices', { token: buyer.token })).body.items;
    const adjustment = invoices.find((invoice: { kind: string }) => invoice.kind === 'adjustment');
    // 30,000 more rows in the first tier at ¥0.50 per 1,000 = ¥15.00, for the same period.
    expect(adjustment).toMatchObject({ total: 1_500, periodStart: period.start.toISOString() });
    expect(adjustment.lines[0].descriptionEn).toMatch(/^Late usage/);
    expect(invoices).toHaveLength(2);
  });

  it('gives back what a final reading takes off (volume pricing) on a credit note: set against the open invoice, or refunded from the payment', async () => {
    const finance = await login(ctx.http, 'analyst@finance.demo');
    const now = Date.now();
    const period = { start: new Date(now - 50 * DAY), end: new Date(now - 40 * DAY) };
    // Volume pricing: ¥1.00 per 1,000 rows up to 100,000 rows, ¥0.40 per 1,000 for every row beyond that.
    const volume = { kind: 'metered', currency: 'CNY', interval: 'month', metered: { unit: 'row', mode: 'volume', per: 1000, includedQuantity: 0, tiers: [{ upTo: 100_000, unitAmount: 100 }, { upTo: null, unitAmount: 40 }] } };
    const ledgerOf = async (licenseId: string) =>
      Object.fromEntries(
        (
          (await db.query(
            `SELECT p.account, sum(p.amount)::text AS balance FROM journal_postings p WHERE p.dimensions->>'license' = $1 AND p.account IN ('receivable', 'billed_revenue') GROUP BY p.account`,
            [licenseId],
          )) as Array<{ account: string; balance: string }>
        ).map((row) => [row.account, Number(row.balance)]),
      );
    // The seller offers it (appended after the product's other offers).
    const vendor = await login(ctx.http, 'vendor@cityflow.demo');
    const productId = (await ctx.http.get(`/api/v1/catalog/products/${CONGESTION}`)).body.id;
    const template = ((await ctx.http.get('/api/v1/license-templates')).body.items as Array<{ id: string; key: string }>).find((candidate) => candidate.key === 'commercial-internal')!;
    const offer = await ctx.http.post(`/api/v1/products/${productId}/offers`, { templateId: template.id, nameZh: '阶梯总量计价', nameEn: 'Volume pricing', pricePlan: volume }, { token: vendor.token });
    expect(offer.status).toBe(201);
    expect((await ctx.http.post(`/api/v1/offers/${offer.body.id}/publish`, {}, { token: vendor.token })).body.status).toBe('published');
    async function volumeLicence(paidBeforeFinalReading: boolean) {
      const buyer = await signUp(ctx.http);
      const terms = await ctx.http.get(`/api/v1/offers/${offer.body.id}/terms`);
      const created = await ctx.http.post(
        '/api/v1/licenses',
        { offerId: offer.body.id, termsSha256: terms.body.termsSha256, acceptTerms: true, purpose: 'product_development', intendedUse: 'Fleet planning with congestion forecasts.' },
        { token: buyer.token },
      );
      expect(created.status).toBe(201);
      const license = { id: created.body.id as string, productId: productId as string, organizationId: buyer.me.organization.id as string };
      await enterPeriod(license.id, period.start, period.end);
      await db.query(`UPDATE licenses SET state = 'cancelled', ended_at = $2, end_reason = 'test' WHERE id = $1`, [license.id, period.end]);
      const events = (prefix: string, rows: number, at: Date) => deliveries(license, prefix, rows, at);
      expect((await recordUsage(db, events('on-time', 90_000, new Date(period.start.getTime() + DAY)), new Date(period.start.getTime() + DAY + 3_600_000))).rejected).toEqual([]);
      await closeBillingPeriods(db, { now: new Date(period.end.getTime() + 3_600_000) });
      const usage = (await ctx.http.get('/api/v1/invoices', { token: buyer.token })).body.items.find((invoice: { kind: string }) => invoice.kind === 'usage');
      // 90 blocks at ¥1.00.
      expect(usage).toMatchObject({ total: 9_000, status: 'open', amountDue: 9_000, amountCredited: 0 });
      if (paidBeforeFinalReading) {
        const paid = await ctx.http.post(`/api/v1/finance/invoices/${usage.id}/mark-paid`, { reference: `BANK-${license.id}`, amount: 9_000, receivedAt: new Date().toISOString() }, { token: finance.token });
        expect(paid.status).toBe(200);
      }
      // 20,000 rows of the period reported late: 110,000 rows all at ¥0.40 = ¥44.00, ¥46.00 less than billed.
      expect((await recordUsage(db, events('late', 20_000, new Date(period.end.getTime() - DAY)), new Date(now - 30 * DAY))).rejected).toEqual([]);
      const closes = await Promise.all([closeBillingPeriods(db), closeBillingPeriods(db)]);
      expect(closes.reduce((sum, close) => sum + close.creditNotes, 0)).toBe(1);
      const invoices = (await ctx.http.get('/api/v1/invoices', { token: buyer.token })).body.items;
      expect(invoices.map((invoice: { kind: string }) => invoice.kind).sort()).toEqual(['credit_note', 'usage']);
      const creditNote = invoices.find((invoice: { kind: string }) => invoice.kind === 'credit_note');
      // Nothing to pay and never due: dunning never acts on a credit.
      expect(creditNote).toMatchObject({ total: 4_600, periodStart: period.start.toISOString(), paymentInstructions: null, overdue: false, dueAt: null });
      expect(creditNote.number).toMatch(/^CN-\d{4}-\d{6}$/);
      expect(creditNote.subtotal + creditNote.tax).toBe(4_600);
      expect(creditNote.lines).toEqual([expect.objectContaining({ kind: 'usage_adjustment', quantity: 20_000, amount: -4_600 })]);
      return { buyer, license, usage: invoices.find((invoice: { kind: string }) => invoice.kind === 'usage'), creditNote };
    }

    // Unpaid: the credit is set against the open usage invoice, which then asks ¥44.00.
    const open = await volumeLicence(false);
    expect(open.creditNote).toMatchObject({ status: 'paid', amountCredited: 4_600, amountDue: 0 });
    expect(open.creditNote.credits).toEqual([expect.objectContaining({ invoiceId: open.usage.id, invoiceNumber: open.usage.number, refundId: null, amount: 4_600 })]);
    expect(open.usage).toMatchObject({ status: 'open', amountCredited: 4_600, amountDue: 4_400 });
    expect(open.usage.paymentInstructions).toMatchObject({ amount: 4_400 });
    expect(open.usage.credits).toEqual([expect.objectContaining({ creditNoteNumber: open.creditNote.number, amount: 4_600 })]);
    const wrongAmount = await ctx.http.post(`/api/v1/finance/invoices/${open.usage.id}/mark-paid`, { reference: `BANK-full-${open.license.id}`, amount: 9_000, receivedAt: new Date().toISOString() }, { token: finance.token });
    expect(wrongAmount.status).toBe(400);
    expect(wrongAmount.body.error.code).toBe('billing.amount_mismatch');
    const notPayable = await ctx.http.post(`/api/v1/finance/invoices/${open.creditNote.id}/mark-paid`, { reference: `BANK-cn-${open.license.id}`, amount: 4_600, receivedAt: new Date().toISOString() }, { token: finance.token });
    expect(notPayable.status).toBe(409);
    expect(notPayable.body.error.code).toBe('billing.credit_note_not_payable');
    const paidRest = await ctx.http.post(`/api/v1/finance/invoices/${open.usage.id}/mark-paid`, { reference: `BANK-rest-${open.license.id}`, amount: 4_400, receivedAt: new Date().toISOString() }, { token: finance.token });
    expect(paidRest.status).toBe(200);
    expect(paidRest.body).toMatchObject({ status: 'paid', amountPaid: 4_400, amountCredited: 4_600, amountDue: 0 });
    // The buyer owes nothing, and all billed revenue went into shares (of ¥44.00, not ¥90.00).
    const openLedger = await ledgerOf(open.license.id);
    expect(openLedger.receivable).toBe(0);
    expect(Math.abs(openLedger.billed_revenue!)).toBeLessThanOrEqual(1);

    // Paid before the final reading: the credit waits in the receivables report until finance refunds it.
    const paid = await volumeLicence(true);
    expect(paid.creditNote).toMatchObject({ status: 'open', amountCredited: 0, amountDue: 4_600, credits: [] });
    const ageing = await ctx.http.get('/api/v1/finance/receivables/ageing', { token: finance.token });
    expect(ageing.status).toBe(200);
    expect(ageing.body.openCredits).toEqual(expect.arrayContaining([expect.objectContaining({ id: paid.creditNote.id, number: paid.creditNote.number, amount: 4_600 })]));
    expect(ageing.body.invoices.map((invoice: { id: string }) => invoice.id)).not.toContain(paid.creditNote.id);
    const payment = paid.usage.payments[0];
    const tooMuch = await ctx.http.post(`/api/v1/finance/payments/${payment.id}/refunds`, { amount: 4_601, reason: 'Volume credit', reference: `BACK-${paid.license.id}`, creditNoteId: paid.creditNote.id }, { token: finance.token });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('billing.credit_exceeds_note');
    const foreign = await ctx.http.post(`/api/v1/finance/payments/${payment.id}/refunds`, { amount: 100, reason: 'Volume credit', reference: `BACK-x-${paid.license.id}`, creditNoteId: open.creditNote.id }, { token: finance.token });
    expect(foreign.status).toBe(409);
    expect(foreign.body.error.code).toBe('billing.credit_note_mismatch');
    const refund = await ctx.http.post(`/api/v1/finance/payments/${payment.id}/refunds`, { amount: 4_600, reason: 'Volume credit', reference: `BACK-${paid.license.id}`, creditNoteId: paid.creditNote.id }, { token: finance.token });
    expect(refund.status).toBe(201);
    const settled = (await ctx.http.get(`/api/v1/invoices/${paid.creditNote.id}`, { token: paid.buyer.token })).body;
    expect(settled).toMatchObject({ status: 'paid', amountCredited: 4_600, amountDue: 0 });
    expect(settled.credits).toEqual([expect.objectContaining({ refundId: refund.body.id, invoiceId: null, amount: 4_600 })]);
    const paidLedger = await ledgerOf(paid.license.id);
    expect(paidLedger).toEqual({ receivable: 0, billed_revenue: 0 });
    // The credit note's journal: its own entry and the refund that paid it out.
    const journal = (await ctx.http.get(`/api/v1/finance/journal?invoiceId=${paid.creditNote.id}`, { token: finance.token })).body.items;
    expect(journal.map((entry: { kind: string }) => entry.kind).sort()).toEqual(['credit_note', 'refund']);
    const reconciliation = await ctx.http.get('/api/v1/finance/reconciliation', { token: finance.token });
    expect(reconciliation.body.issues).toEqual([]);
  });

  it('keeps finance policy changes within the whole and validates them at the edge', async () => {
    const finance = await login(ctx.http, 'analyst@finance.demo');
    const supervisor = await login(ctx.http, 'supervisor@platform.demo');
    const current = await ctx.http.get('/api/v1/finance/policy', { token: supervisor.token });
    expect(current.body.policy).toMatchObject({ platformFeeBp: 1000, defaultRoyaltyBp: 2000, vatRateBp: 600 });
    expect((await ctx.http.post('/api/v1/finance/policy', { platformFeeBp: 900, defaultRoyaltyBp: 2000, vatRateBp: 600 }, { token: supervisor.token })).status).toBe(403);
    const tooMuch = await ctx.http.post('/api/v1/finance/policy', { platformFeeBp: 9000, defaultRoyaltyBp: 2000, vatRateBp: 600 }, { token: finance.token });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.error.code).toBe('billing.invalid_split');
    const invalid = await ctx.http.post('/api/v1/finance/policy', { platformFeeBp: -1, defaultRoyaltyBp: 'x', vatRateBp: 600 }, { token: finance.token });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('request.invalid');

    // The collection account: taken whole and well-formed, audited, and kept by a policy that names none.
    const demoAccount = current.body.policy.collectionAccount;
    expect(demoAccount).toEqual({ payee: expect.any(String), bank: expect.any(String), accountNumber: expect.any(String) });
    const rates = { platformFeeBp: 1000, defaultRoyaltyBp: 2000, vatRateBp: 600 };
    const badAccount = await ctx.http.post('/api/v1/finance/policy', { ...rates, collectionAccount: { payee: ' ', bank: 'Demo Bank', accountNumber: '6212;DROP' } }, { token: finance.token });
    expect(badAccount.status).toBe(400);
    expect(badAccount.body.error.code).toBe('request.invalid');
    expect(badAccount.body.error.details.map((detail: { field: string }) => detail.field).sort()).toEqual(['collectionAccount.accountNumber', 'collectionAccount.payee']);
    const moved = { payee: 'Civic Data Operations Centre', bank: 'Demo Bank, Harbour Branch', accountNumber: '6212-2600-0000-0000-002' };
    const changed = await ctx.http.post('/api/v1/finance/policy', { ...rates, note: 'New collection account', collectionAccount: { ...moved, payee: `  ${moved.payee} ` } }, { token: finance.token });
    expect(changed.status).toBe(200);
    expect(changed.body.policy).toMatchObject({ ...rates, collectionAccount: moved });
    const kept = await ctx.http.post('/api/v1/finance/policy', { ...rates, note: 'Rates confirmed' }, { token: finance.token });
    expect(kept.body.policy).toMatchObject({ note: 'Rates confirmed', collectionAccount: moved });
    const audited = await ctx.http.get('/api/v1/audit-events?action=finance.policy_changed', { token: supervisor.token });
    expect(audited.body.items[0].data).toMatchObject({ note: 'Rates confirmed', collectionAccount: moved });
    await ctx.http.post('/api/v1/finance/policy', { ...rates, collectionAccount: demoAccount }, { token: finance.token });

    const notAgency = await ctx.http.request('PUT', '/api/v1/finance/royalty-rates', { agencyId: finance.me.organization.id, royaltyBp: 100 }, { token: finance.token });
    expect(notAgency.status).toBe(400);
    const periods = await ctx.http.get('/api/v1/finance/periods', { token: finance.token });
    const openPeriod = await ctx.http.post(`/api/v1/finance/periods/${periods.body.currentPeriod}/close`, {}, { token: finance.token });
    expect(periods.body).toMatchObject({ currentPeriod: expect.any(String) });
    expect(openPeriod.status).toBe(409);
    expect(openPeriod.body.error.code).toBe('billing.period_open');
    const badPeriod = await ctx.http.post('/api/v1/finance/periods/2026-13/close', {}, { token: finance.token });
    expect(badPeriod.status).toBe(400);
  });
});
