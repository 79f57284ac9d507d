import { createDataSource, ledgerInvariants, seedDemo, seedDemoBilling, seedDemoCatalog, seedDemoCommerce, seedDemoDatasetUse, seedDemoProducts } from '@civic/db';
import { createTestDatabase, type TestDatabase } from '@civic/db/testing';
import { accountingPeriod, accountingPeriodRange } from '@civic/domain';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { TEST_PASSWORD } from '../support/global-setup.js';
import { Http, login } from '../support/http.js';
import { startPlatform, type RunningPlatform } from '../support/platform.js';

/**
 * The demo a new user starts with (`npm start` seeds it): weeks of purchases, usage, payments,
 * a refund and last month's settlements, in time order, that finance can review and that
 * reconcile. In a database of its own (the shared one has no demo money).
 */
describe('the demo money', () => {
  let database: TestDatabase;
  let db: DataSource;
  let storage: string;
  let platform: RunningPlatform;

  beforeAll(async () => {
    database = await createTestDatabase('civic_demo_billing');
    db = createDataSource({ url: database.url, poolSize: 4 });
    await db.initialize();
    storage = await mkdtemp(path.join(tmpdir(), 'civic-demo-billing-storage-'));
    await seedDemo(db, TEST_PASSWORD);
    await seedDemoCatalog(db, { storage: { kind: 'local', root: storage }, scale: 'small' });
    await seedDemoProducts(db, { storage: { kind: 'local', root: storage } });
    await seedDemoCommerce(db);
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
    await db?.destroy();
    await database?.dispose();
    await rm(storage, { recursive: true, force: true });
  });

  it('gives finance weeks of activity in time order, balanced, settled for last month and reconciled; seeding again adds nothing', async () => {
    const counts = await seedDemoBilling(db);
    expect(counts.licences).toBe(4);
    expect(counts.invoices).toBeGreaterThanOrEqual(5);

    // Invoice numbers follow the dates invoices were issued on; the journal follows the dates of its entries.
    const invoices: Array<{ number: string; issued_at: Date; status: string; kind: string }> = await db.query(`SELECT number, issued_at, status, kind FROM invoices ORDER BY number`);
    const issued = invoices.map((invoice) => invoice.issued_at.getTime());
    expect(issued).toEqual([...issued].sort((a, b) => a - b));
    expect(invoices.filter((invoice) => invoice.kind === 'usage').map((invoice) => invoice.status)).toEqual(['paid', 'open']);
    const entries: Array<{ occurred_at: Date }> = await db.query(`SELECT occurred_at FROM journal_entries ORDER BY id`);
    const occurred = entries.map((entry) => entry.occurred_at.getTime());
    expect(occurred).toEqual([...occurred].sort((a, b) => a - b));

    // Each demo licence has the history a bought one has: terms accepted, payment received, when it started.
    const histories: Array<{ events: string[]; at_start: boolean }> = await db.query(
      `SELECT array_agg(e.event ORDER BY e.id) AS events, bool_and(e.occurred_at = l.accepted_at) AS at_start
         FROM licenses l JOIN license_events e ON e.license_id = l.id
        WHERE l.accepted_user_agent LIKE 'Demo activity:%'
        GROUP BY l.id`,
    );
    expect(histories).toHaveLength(4);
    expect(histories.every((history) => history.events.join() === 'accepted,payment_succeeded' && history.at_start)).toBe(true);

    const ledger = await ledgerInvariants(db);
    expect(ledger.unbalancedEntries).toBe(0);
    expect(ledger.totals.every((total) => total.sum === '0')).toBe(true);
    // Royalties reach every agency whose data is in a product sold (transport, weather, tourism, health).
    const [agencies] = await db.query(`SELECT count(DISTINCT account)::int AS n FROM journal_postings WHERE account LIKE 'agency\\_payable:%'`);
    expect(agencies.n).toBeGreaterThanOrEqual(4);
    const refunds: Array<{ amount: string }> = await db.query(`SELECT amount::text FROM refunds`);
    expect(refunds.map((refund) => Number(refund.amount))).toEqual([48_000]);

    // Last month's settlements: one payout and a remittance per agency owed, the payout and one remittance paid.
    const lastMonth = accountingPeriod(new Date(accountingPeriodRange(accountingPeriod(new Date())).start.getTime() - 86_400_000));
    const settlements: Array<{ kind: string; status: string }> = await db.query(`SELECT kind, status FROM settlements WHERE period = $1`, [lastMonth]);
    expect(settlements.filter((settlement) => settlement.kind === 'payout').map((settlement) => settlement.status)).toEqual(['paid']);
    expect(settlements.filter((settlement) => settlement.kind === 'remittance' && settlement.status === 'paid')).toHaveLength(1);
    expect(settlements.filter((settlement) => settlement.kind === 'remittance').length).toBeGreaterThanOrEqual(3);

    // Finance sees it reconciled, revenue with its payments counted (the refund is not a payment).
    platform = await startPlatform({ DATABASE_URL: database.url, STORAGE_DIR: storage });
    const http = new Http(platform.baseUrl);
    const finance = await login(http, 'analyst@finance.demo');
    const reconciliation = await http.get('/api/v1/finance/reconciliation', { token: finance.token });
    expect(reconciliation.body.issues).toEqual([]);
    expect(reconciliation.body.matched).toBe(true);
    const revenue = await http.get('/api/v1/finance/revenue?groupBy=product', { token: finance.token });
    const [payments] = await db.query(`SELECT count(*)::int AS n FROM payments`);
    expect(revenue.body.totals[0].payments).toBe(payments.n);

    expect(await seedDemoBilling(db)).toEqual({ licences: 0, invoices: 0, payments: 0 });

    // Weeks of open-data use, so that an agency's usage pages show something from the start.
    const use = await seedDemoDatasetUse(db);
    expect(use.deliveries).toBeGreaterThan(20);
    const [traffic]: Array<{ id: string; download_count: string }> = await db.query(`SELECT id, download_count FROM datasets WHERE slug = 'road-traffic-flow-hourly'`);
    const transport = await login(http, 'steward@transport.demo');
    const report = await http.get(`/api/v1/agency/datasets/${traffic!.id}/usage?from=${new Date(Date.now() - 44 * 86_400_000).toISOString().slice(0, 10)}`, { token: transport.token });
    expect(report.status).toBe(200);
    expect(report.body.totals.deliveries).toBeGreaterThan(5);
    expect(report.body.totals.csv + report.body.totals.parquet).toBe(Number(traffic!.download_count));
    expect(report.body.totals.anonymousDeliveries).toBeGreaterThan(0);
    expect(report.body.topConsumers.length).toBeGreaterThanOrEqual(2);
    expect(await seedDemoDatasetUse(db)).toEqual({ deliveries: 0 });

    // The demo's product awaiting review waits in its reviewers' inboxes, as a submission would.
    const [waiting]: Array<{ id: string; title_en: string }> = await db.query(`SELECT id, title_en FROM products WHERE status = 'submitted'`);
    const operator = await login(http, 'admin@platform.demo');
    const steward = await login(http, 'steward@energy.demo');
    for (const reviewer of [operator, steward]) {
      const inbox = await http.get('/api/v1/me/notifications?unread=true&limit=100', { token: reviewer.token });
      expect(inbox.body.items).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'product.review_requested', subjectEn: `Product to review: ${waiting!.title_en}`, target: { type: 'product_review', id: waiting!.id } })]),
      );
    }
  }, 120_000);
});
