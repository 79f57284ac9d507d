import { createHash, randomUUID } from 'node:crypto';
import { closeBillingPeriods, createDataSource, ensureUsagePartitions, ledgerInvariants, type BillingCloseResult } from '@civic/db';
import { createTestDatabase, type TestDatabase } from '@civic/db/testing';
import { meteredPricing, parsePricePlan, rateUsage, type PricePlan } from '@civic/domain';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { Bench } from './harness.js';

/** Licences of the goal's size; `BENCH_BILLING_LICENSES` scales a quick run down (the goal is then not claimed). */
const GOAL_LICENSES = 10_000;
const LICENSES = Number(process.env.BENCH_BILLING_LICENSES ?? GOAL_LICENSES);
const EVENTS_PER_LICENSE = 1_000;
/** Periods closed per transaction (closeBillingPeriods' default). */
const BATCH = 2_000;
const SETTLE_SECONDS = 300;
const GOAL_SECONDS = 10;
const GOAL_SCALING = 2.2;
/** `BENCH_BILLING_KEEP=1` keeps the databases (after the close) for EXPLAIN ANALYZE; their names are printed. */
const KEEP = process.env.BENCH_BILLING_KEEP === '1';
const VENDORS = 5;
const BUYERS = 200;
const PRODUCTS = 20;
const DAY_MS = 86_400_000;
/** Periods start at random seconds from this many days ago, over START_SPREAD_DAYS days. */
const FIRST_START_DAYS = 61;
const START_SPREAD_DAYS = 28;

/**
 * The licences' price plans (snapshotted on each licence): graduated and volume pricing of rows,
 * and API calls per unit, so the close filters events by the plan's unit and every rating mode
 * is exercised.
 */
const PLANS: PricePlan[] = [
  {
    kind: 'metered',
    currency: 'CNY',
    interval: 'month',
    metered: { unit: 'row', mode: 'graduated', per: 1000, includedQuantity: 100_000, tiers: [{ upTo: 1_000_000, unitAmount: 50 }, { upTo: null, unitAmount: 30 }] },
  },
  {
    kind: 'metered',
    currency: 'CNY',
    interval: 'month',
    metered: {
      unit: 'row',
      mode: 'volume',
      per: 1000,
      includedQuantity: 50_000,
      tiers: [{ upTo: 500_000, unitAmount: 60 }, { upTo: 2_000_000, unitAmount: 45, flatAmount: 1_000 }, { upTo: null, unitAmount: 30 }],
    },
  },
  { kind: 'metered', currency: 'CNY', interval: 'month', metered: { unit: 'api_call', mode: 'per_unit', per: 1, includedQuantity: 20, unitAmount: 5 } },
].map((plan) => parsePricePlan(plan));

interface Offer {
  id: string;
  productId: string;
  vendorId: string;
  plan: PricePlan;
}

interface Prepared {
  database: TestDatabase;
  dataSource: DataSource;
  offers: Map<string, Offer>;
  setup: { licences: number; events: number; hourly: number; vacuum: number; total: number };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const seconds = (since: number) => (performance.now() - since) / 1000;
const count = (value: number) => value.toLocaleString('en');

/**
 * A fresh, migrated database with `licenses` licences whose monthly billing periods started at
 * random seconds 61 to 33 days ago (so both ends fall inside an hour) and ended 33 to 2 days
 * ago: all due, all still within the 35-day late-usage window (the close issues their usage
 * invoices, no final readings). 1,000 usage events per licence in time order — 80 % rows, 10 %
 * API calls, 10 % bytes; one in 25 within an hour of a period's start or end, some of them
 * outside it — and the hourly rollups of those events, as recordUsage would have left them.
 * All SQL-side; vacuumed and analyzed like a month-old table.
 */
async function prepare(licenses: number, seed: number): Promise<Prepared> {
  const started = performance.now();
  const database = await createTestDatabase('t_bench_billing');
  const dataSource = createDataSource({ url: database.url, poolSize: 2 });
  await dataSource.initialize();
  const now = Date.now();
  const firstStart = new Date(now - FIRST_START_DAYS * DAY_MS);
  await ensureUsagePartitions(dataSource, new Date(now - 60 * DAY_MS));
  await ensureUsagePartitions(dataSource, new Date(now));

  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query(`SET work_mem = '1GB'; SET maintenance_work_mem = '1GB'; SET TimeZone = 'UTC'; SET synchronous_commit = off`);
    const userId = randomUUID();
    const templateId = randomUUID();
    const vendors = Array.from({ length: VENDORS }, () => randomUUID());
    const buyers = Array.from({ length: BUYERS }, () => randomUUID());
    const products = Array.from({ length: PRODUCTS }, (_, index) => ({ id: randomUUID(), vendorId: vendors[index % VENDORS]! }));
    const offers: Offer[] = products.flatMap((product) => PLANS.map((plan) => ({ id: randomUUID(), productId: product.id, vendorId: product.vendorId, plan })));
    const policy = JSON.stringify({ '@context': 'http://www.w3.org/ns/odrl.jsonld', '@type': 'Offer', permission: [{ action: 'use' }] });

    let mark = performance.now();
    await client.query(
      `INSERT INTO organizations (id, slug, name, kind, status)
       SELECT id, 'bench-org-' || n, 'Bench organization ' || n, kind, 'active' FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS o(id, kind, n)`,
      [[...vendors, ...buyers], [...vendors.map(() => 'vendor'), ...buyers.map(() => 'enterprise')]],
    );
    await client.query(`INSERT INTO users (id, email, display_name, password_hash) VALUES ($1, 'bench-buyer@example.test', 'Bench buyer', 'not-a-hash')`, [userId]);
    await client.query(
      `INSERT INTO license_templates (id, key, version, standard, title_zh, title_en, policy, policy_sha256) VALUES ($1, 'bench-standard', 1, true, '基准许可', 'Bench licence', $2::jsonb, $3)`,
      [templateId, policy, sha256(policy)],
    );
    await client.query(
      `INSERT INTO products (id, organization_id, kind, slug, title_zh, title_en, theme, sql, status, published_at)
       SELECT id, organization_id, 'derived', 'bench-product-' || n, '基准产品 ' || n, 'Bench product ' || n, 'transport', 'SELECT 1', 'published', now()
         FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS p(id, organization_id, n)`,
      [products.map((product) => product.id), products.map((product) => product.vendorId)],
    );
    await client.query(
      `INSERT INTO offers (id, product_id, organization_id, template_id, name_zh, name_en, price_plan, currency, status, published_at)
       SELECT id, product_id, organization_id, $4, '按量 ' || n, 'Metered ' || n, plan, 'CNY', 'published', now()
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $5::jsonb[]) WITH ORDINALITY AS o(id, product_id, organization_id, plan, n)`,
      [offers.map((offer) => offer.id), offers.map((offer) => offer.productId), offers.map((offer) => offer.vendorId), templateId, offers.map((offer) => JSON.stringify(offer.plan))],
    );
    // Each licence's facts, kept until its events are generated: offer (product, plan) and buyer
    // in rotation, a channel, how heavy its use is (one in 20 light: within the included
    // quantity; one in 20 heavy: into the cheaper tier), and a period starting at a random second.
    await client.query(`SELECT setseed($1)`, [seed]);
    await client.query(
      `CREATE UNLOGGED TABLE bench_licenses (ordinal int PRIMARY KEY, license_id uuid, offer_id uuid, product_id uuid, vendor_id uuid, buyer_id uuid,
                                             price_plan jsonb, channel text, row_max int, period_start timestamptz, period_end timestamptz)`,
    );
    await client.query(
      `WITH offer AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::jsonb[]) WITH ORDINALITY AS o(offer_id, product_id, vendor_id, price_plan, n)),
            buyer AS (SELECT * FROM unnest($5::uuid[]) WITH ORDINALITY AS b(buyer_id, n))
       INSERT INTO bench_licenses
       SELECT s.i, gen_random_uuid(), o.offer_id, o.product_id, o.vendor_id, b.buyer_id, o.price_plan,
              CASE WHEN s.i % 4 = 0 THEN 'file' ELSE 'api' END,
              CASE WHEN s.i % 20 = 0 THEN 100 WHEN s.i % 20 = 1 THEN 6000 ELSE 2000 END,
              s.period_start, s.period_start + interval '1 month'
         FROM (SELECT i, date_trunc('second', $6::timestamptz + random() * make_interval(days => $8)) AS period_start FROM generate_series(0, $7 - 1) AS g(i)) s
         JOIN offer o ON o.n = 1 + s.i % cardinality($1::uuid[])
         JOIN buyer b ON b.n = 1 + s.i % cardinality($5::uuid[])`,
      [offers.map((offer) => offer.id), offers.map((offer) => offer.productId), offers.map((offer) => offer.vendorId), offers.map((offer) => JSON.stringify(offer.plan)), buyers, firstStart, licenses, START_SPREAD_DAYS],
    );
    // The licences, active, in their (ended) period: the billing migration's trigger writes each one's billing_periods row.
    await client.query(
      `INSERT INTO licenses (id, organization_id, product_id, vendor_id, offer_id, offer_revision, template_id, terms, terms_sha256, price_plan, currency,
                             accepted_by_user_id, accepted_at, accepted_ip, state, provider, current_period_start, current_period_end, activated_at)
       SELECT license_id, buyer_id, product_id, vendor_id, offer_id, 1, $1, $2::jsonb, $3, price_plan, 'CNY',
              $4, period_start, '127.0.0.1', 'active', 'offline', period_start, period_end, period_start
         FROM bench_licenses ORDER BY ordinal`,
      [templateId, policy, sha256(policy), userId],
    );
    const licencesSeconds = seconds(mark);

    // The events, in time order as they arrive (the BRIN index on occurred_at relies on it).
    mark = performance.now();
    const inserted = await client.query(
      `INSERT INTO usage_events (key, product_id, product_version_id, license_id, consumer_organization_id, channel, unit, quantity, occurred_at, recorded_at)
       SELECT 'bench:' || ordinal || ':' || n, product_id, NULL, license_id, buyer_id, channel, unit,
              CASE unit WHEN 'api_call' THEN 1 WHEN 'byte' THEN (random() * 200000)::bigint ELSE (random() * row_max)::bigint END,
              occurred_at, occurred_at + interval '2 seconds'
         FROM (SELECT b.ordinal, g.n, b.product_id, b.license_id, b.buyer_id, b.channel, b.row_max,
                      CASE WHEN g.n % 10 = 0 THEN 'api_call' WHEN g.n % 10 = 1 THEN 'byte' ELSE 'row' END AS unit,
                      CASE WHEN g.n % 50 = 2 THEN b.period_start - interval '1 hour' + random() * interval '2 hours'
                           WHEN g.n % 50 = 3 THEN b.period_end - interval '1 hour' + random() * interval '2 hours'
                           ELSE b.period_start - interval '2 hours' + random() * (b.period_end - b.period_start + interval '4 hours') END AS occurred_at
                 FROM bench_licenses b CROSS JOIN generate_series(1, $1) AS g(n)) e
        ORDER BY occurred_at`,
      [EVENTS_PER_LICENSE],
    );
    if (inserted.rowCount !== licenses * EVENTS_PER_LICENSE) throw new Error(`inserted ${inserted.rowCount} events, expected ${licenses * EVENTS_PER_LICENSE}`);
    const eventsSeconds = seconds(mark);

    // The hourly rollups recordUsage keeps with the events (same bucket key), written in hour
    // order as they are in production. At 1,000 events per licence and month nearly every event
    // has a bucket of its own, so the rollups are as many rows as the events: their indexes
    // (the unique bucket key among them) are dropped and rebuilt exactly from their own
    // definitions, which is minutes faster than maintaining them row by row.
    mark = performance.now();
    const indexes: Array<{ name: string; definition: string; constraint: string | null; constraint_definition: string | null }> = (
      await client.query(
        `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition, c.conname AS constraint, pg_get_constraintdef(c.oid) AS constraint_definition
           FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
          WHERE i.indrelid = 'usage_hourly'::regclass`,
      )
    ).rows;
    for (const index of indexes) await client.query(index.constraint ? `ALTER TABLE usage_hourly DROP CONSTRAINT ${index.constraint}` : `DROP INDEX ${index.name}`);
    await client.query(
      `INSERT INTO usage_hourly (hour, product_id, license_id, consumer_organization_id, channel, unit, quantity, events, updated_at)
       SELECT date_trunc('hour', occurred_at, 'UTC'), product_id, license_id, consumer_organization_id, channel, unit, sum(quantity), count(*), max(recorded_at)
         FROM usage_events GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3`,
    );
    for (const index of indexes) {
      await client.query(index.constraint ? `ALTER TABLE usage_hourly ADD CONSTRAINT ${index.constraint} ${index.constraint_definition}` : index.definition);
    }
    const hourlySeconds = seconds(mark);
    await client.query(`DROP TABLE bench_licenses`);
    mark = performance.now();
    await client.query(`VACUUM (ANALYZE) usage_events, usage_hourly, licenses, billing_periods`);
    const vacuumSeconds = seconds(mark);
    return {
      database,
      dataSource,
      offers: new Map(offers.map((offer) => [offer.id, offer])),
      setup: { licences: licencesSeconds, events: eventsSeconds, hourly: hourlySeconds, vacuum: vacuumSeconds, total: seconds(started) },
    };
  } catch (error) {
    await dataSource.destroy();
    await database.dispose();
    throw error;
  } finally {
    await client.end();
  }
}

/**
 * Checks the close against the data, independently of it: each licence's quantity summed
 * straight from usage_events over its exact period (in the plan's unit) and rated with
 * rateUsage. Every licence is compared (not a sample): its invoice exists exactly when the
 * rating is positive and has that total, its lines add up to it, and its period is closed with
 * that quantity and amount; the ledger balances; a second close issues nothing.
 */
async function verify(prepared: Prepared, licenses: number, closed: BillingCloseResult): Promise<{ invoices: number; billed: number }> {
  const { dataSource, offers } = prepared;
  const offerIds = [...offers.keys()];
  const expected: Array<{ license_id: string; offer_id: string; quantity: string }> = await dataSource.query(
    `SELECT l.id AS license_id, l.offer_id, coalesce(sum(e.quantity), 0)::text AS quantity
       FROM licenses l
       JOIN unnest($1::uuid[], $2::text[]) AS o(offer_id, unit) ON o.offer_id = l.offer_id
       LEFT JOIN usage_events e ON e.license_id = l.id AND e.unit = o.unit AND e.occurred_at >= l.current_period_start AND e.occurred_at < l.current_period_end
      GROUP BY l.id, l.offer_id`,
    [offerIds, offerIds.map((id) => meteredPricing(offers.get(id)!.plan)!.unit)],
  );
  const issued: Array<{ license_id: string; total: string; lines: string | null }> = await dataSource.query(
    `SELECT i.license_id, i.total::text, (SELECT sum(amount) FROM invoice_lines WHERE invoice_id = i.id)::text AS lines FROM invoices i WHERE i.kind = 'usage'`,
  );
  const periods: Array<{ license_id: string; closed: boolean; billed_quantity: string; billed_amount: string; invoiced: boolean }> = await dataSource.query(
    `SELECT license_id, closed_at IS NOT NULL AS closed, billed_quantity::text, billed_amount::text, invoice_id IS NOT NULL AS invoiced FROM billing_periods`,
  );
  const invoiceOf = new Map(issued.map((row) => [row.license_id, row]));
  const periodOf = new Map(periods.map((row) => [row.license_id, row]));
  const problems: string[] = [];
  let billable = 0;
  let billed = 0;
  for (const row of expected) {
    const quantity = Number(row.quantity);
    const total = rateUsage(offers.get(row.offer_id)!.plan, quantity).total;
    const invoice = invoiceOf.get(row.license_id);
    const period = periodOf.get(row.license_id);
    if (total > 0) {
      billable += 1;
      billed += total;
    }
    if (total > 0 ? !invoice || Number(invoice.total) !== total || Number(invoice.lines) !== total : invoice !== undefined) {
      problems.push(`licence ${row.license_id}: quantity ${quantity} rates ${total}, invoice ${invoice ? `${invoice.total} (lines ${invoice.lines})` : 'none'}`);
    }
    if (!period?.closed || Number(period.billed_quantity) !== quantity || Number(period.billed_amount) !== total || period.invoiced !== (total > 0)) {
      problems.push(`licence ${row.license_id}: period ${JSON.stringify(period)}, expected quantity ${quantity}, amount ${total}`);
    }
  }
  if (expected.length !== licenses || periods.length !== licenses) problems.push(`${expected.length} licences and ${periods.length} periods, expected ${licenses}`);
  if (issued.length !== billable || closed.invoices !== billable) problems.push(`${issued.length} invoices (close reported ${closed.invoices}), ${billable} licences have billable usage`);
  if (closed.periods !== licenses) problems.push(`the close closed ${closed.periods} periods of ${licenses}`);
  if ((closed.amounts.CNY ?? 0) !== billed) problems.push(`the close billed ${closed.amounts.CNY}, the independent rating ${billed}`);
  if (closed.adjustments !== 0) problems.push(`the close made ${closed.adjustments} adjustments; no period had been billed before`);
  const ledger = await ledgerInvariants(dataSource);
  const [journal] = await dataSource.query(`SELECT count(*)::int AS entries FROM journal_entries WHERE kind = 'invoice_issued'`);
  if (ledger.unbalancedEntries !== 0 || ledger.totals.some((total) => total.sum !== '0') || journal.entries !== billable) {
    problems.push(`ledger: ${JSON.stringify(ledger)}, ${journal.entries} invoice entries for ${billable} invoices`);
  }
  const again = await closeBillingPeriods(dataSource, { now: new Date(), settleSeconds: SETTLE_SECONDS, batchSize: BATCH });
  const [after] = await dataSource.query(`SELECT count(*)::int AS invoices FROM invoices`);
  if (again.invoices !== 0 || again.periods !== 0 || after.invoices !== billable) problems.push(`a second close issued ${again.invoices} invoices over ${again.periods} periods`);
  if (problems.length) throw new Error(`billing close is wrong (${problems.length} problems):\n  ${problems.slice(0, 10).join('\n  ')}`);
  return { invoices: billable, billed };
}

/** One size: set up, close every period (timed), verify, drop. */
async function measure(licenses: number, seed: number): Promise<{ seconds: number; setup: Prepared['setup']; invoices: number; billed: number }> {
  const prepared = await prepare(licenses, seed);
  const { setup } = prepared;
  console.log(
    `  ${count(licenses)} licences, ${count(licenses * EVENTS_PER_LICENSE)} events: setup ${setup.total.toFixed(1)} s ` +
      `(licences ${setup.licences.toFixed(1)} s, events ${setup.events.toFixed(1)} s, hourly rollups ${setup.hourly.toFixed(1)} s, vacuum analyze ${setup.vacuum.toFixed(1)} s)`,
  );
  try {
    const started = performance.now();
    const closed = await closeBillingPeriods(prepared.dataSource, { now: new Date(), settleSeconds: SETTLE_SECONDS, batchSize: BATCH });
    const elapsed = seconds(started);
    console.log(`    close ${elapsed.toFixed(2)} s: ${count(closed.periods)} periods, ${count(closed.invoices)} invoices`);
    const checked = await verify(prepared, licenses, closed);
    console.log(`    verified: every licence's invoice and period match an independent rating; ledger balanced; a second close issued 0 invoices`);
    return { seconds: elapsed, setup, ...checked };
  } finally {
    await prepared.dataSource.destroy();
    if (KEEP) console.log(`    kept database ${prepared.database.name}`);
    else await prepared.database.dispose();
  }
}

/**
 * Month-end billing close: `closeBillingPeriods` over 10,000 licences whose periods ended,
 * with 10,000,000 usage events in those periods (whole hours read from the hourly rollups, the
 * partial hours at each end from the events), issuing one invoice per billable licence with its
 * lines and journal entry. The same close of twice the work (20,000 licences, 20,000,000
 * events) in another fresh database in the same run shows how it scales. Value: seconds for
 * 10,000 licences; baseline: seconds for twice the work, so `ratio` reads time(2×) / time(1×).
 */
export const billingClose: Bench = {
  name: 'billing-close',
  description: 'closing 10,000 licences’ billing periods over 10M usage events, and twice the work',
  lowerIsBetter: true,
  async run() {
    const single = await measure(LICENSES, 0.25);
    const double = await measure(2 * LICENSES, 0.5);
    const scaling = double.seconds / single.seconds;
    const fullSize = LICENSES >= GOAL_LICENSES;
    const met = fullSize && single.seconds <= GOAL_SECONDS && scaling <= GOAL_SCALING;
    return {
      value: Number(single.seconds.toFixed(2)),
      unit: 's',
      baseline: Number(double.seconds.toFixed(2)),
      goal: `≤ ${GOAL_SECONDS} s for ${count(GOAL_LICENSES)} licences / ${GOAL_LICENSES * EVENTS_PER_LICENSE / 1e6}M events; 2× work ≤ ${GOAL_SCALING}× time`,
      met,
      notes:
        `${count(LICENSES)} licences / ${count(LICENSES * EVENTS_PER_LICENSE)} events closed in ${single.seconds.toFixed(2)} s (${count(single.invoices)} invoices); ` +
        `${count(2 * LICENSES)} / ${count(2 * LICENSES * EVENTS_PER_LICENSE)} in ${double.seconds.toFixed(2)} s (${count(double.invoices)} invoices): ${scaling.toFixed(2)}× the time for 2× the work; ` +
        `batches of ${count(BATCH)}; every licence verified against an independent rating of usage_events; ` +
        `setup ${single.setup.total.toFixed(0)} s + ${double.setup.total.toFixed(0)} s` +
        (fullSize ? '' : `; scaled run (BENCH_BILLING_LICENSES=${LICENSES}): the goal is for ${count(GOAL_LICENSES)} licences`),
    };
  },
};
