import { createHash } from 'node:crypto';
import { createDataSource, currentFinancePolicy, ledgerInvariants, postJournalEntries, RevenueSplitter } from '@civic/db';
import { createTestDatabase } from '@civic/db/testing';
import { paymentEntry, paymentTaxPart, splitInclusiveTax, type InvoiceFacts, type JournalEntryDraft, type RevenueShare } from '@civic/domain';
import type { DataSource } from 'typeorm';
import { seededRandom } from '../support/random.js';
import type { Bench } from './harness.js';

const PAYMENTS = 50_000;
/** Journal entries per postJournalEntries call, each call in a transaction of its own. */
const BATCH = 500;
const WRITERS = 2;
const MAX_AMOUNT = 10_000_000;
const GOAL_SPLITS_PER_SECOND = 5_000;
const GOAL_PARTIES = 3;
const AGENCIES = 6;
const VENDORS = 3;
const DATASETS = 12;
/** Products on datasets only, then products on one of those plus datasets of their own. */
const DIRECT_PRODUCTS = 12;
const NESTED_PRODUCTS = 4;

interface Payment {
  id: string;
  amount: number;
  reference: string;
  invoice: InvoiceFacts;
}

/** A deterministic uuid (v4 layout) from the seeded generator, so a run can be replayed. */
function uuidFrom(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((Number.parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The catalogue the payments are for, written as publishing would leave it: agencies' datasets
 * with a version each, vendors' products whose current version reads 2–4 dataset versions
 * (weights 1–10), some of them through another product's version (a derived-of-derived
 * lineage), and royalty rates that differ from the policy's for one agency and one dataset.
 */
async function publishCatalogue(dataSource: DataSource, next: () => number): Promise<string[]> {
  const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!;
  const agencies = Array.from({ length: AGENCIES }, () => uuidFrom(next));
  const vendors = Array.from({ length: VENDORS }, () => uuidFrom(next));
  const datasets = Array.from({ length: DATASETS }, (_, index) => ({ id: uuidFrom(next), versionId: uuidFrom(next), agencyId: agencies[index % AGENCIES]! }));
  await dataSource.query(
    `INSERT INTO organizations (id, slug, name, kind, status)
     SELECT id, 'bench-org-' || n, 'Bench organization ' || n, kind, 'active' FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS o(id, kind, n)`,
    [[...agencies, ...vendors], [...agencies.map(() => 'agency'), ...vendors.map(() => 'vendor')]],
  );
  await dataSource.query(
    `INSERT INTO datasets (id, organization_id, slug, title_zh, title_en, theme, update_frequency, license_id, classification, status)
     SELECT id, organization_id, 'bench-dataset-' || n, '基准数据集 ' || n, 'Bench dataset ' || n, 'transport', 'daily', 'CC-BY-4.0', 'open', 'published'
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS d(id, organization_id, n)`,
    [datasets.map((dataset) => dataset.id), datasets.map((dataset) => dataset.agencyId)],
  );
  await dataSource.query(
    `INSERT INTO dataset_versions (id, dataset_id, organization_id, version, sha256, source_filename, source_format, bytes, row_count, parquet_key, parquet_bytes, schema, profile)
     SELECT id, dataset_id, organization_id, 1, encode(sha256(id::text::bytea), 'hex'), 'source.csv', 'csv', 1000, 10, 'datasets/' || dataset_id || '/v1.parquet', 800, '{}', '{}'
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS v(id, dataset_id, organization_id)`,
    [datasets.map((dataset) => dataset.versionId), datasets.map((dataset) => dataset.id), datasets.map((dataset) => dataset.agencyId)],
  );
  await dataSource.query(`UPDATE datasets d SET current_version_id = v.id FROM dataset_versions v WHERE v.dataset_id = d.id`);

  // Each product's inputs: dataset versions, or another product's version plus dataset versions not already below it.
  interface Product {
    id: string;
    versionId: string;
    vendorId: string;
    inputs: Array<{ datasetVersionId?: string; productVersionId?: string; weight: number }>;
    datasetIds: Set<string>;
  }
  const products: Product[] = [];
  for (let index = 0; index < DIRECT_PRODUCTS + NESTED_PRODUCTS; index += 1) {
    const product: Product = { id: uuidFrom(next), versionId: uuidFrom(next), vendorId: pick(vendors), inputs: [], datasetIds: new Set() };
    let wanted = 2 + Math.floor(next() * 3);
    if (index >= DIRECT_PRODUCTS) {
      const below = pick(products.filter((candidate) => candidate.datasetIds.size < 4));
      product.inputs.push({ productVersionId: below.versionId, weight: 1 + Math.floor(next() * 10) });
      below.datasetIds.forEach((id) => product.datasetIds.add(id));
      wanted = Math.max(wanted, product.datasetIds.size + 1);
    }
    while (product.datasetIds.size < wanted) {
      const dataset = pick(datasets);
      if (product.datasetIds.has(dataset.id)) continue;
      product.datasetIds.add(dataset.id);
      product.inputs.push({ datasetVersionId: dataset.versionId, weight: 1 + Math.floor(next() * 10) });
    }
    products.push(product);
  }
  await dataSource.query(
    `INSERT INTO products (id, organization_id, kind, slug, title_zh, title_en, theme, sql, status, published_at)
     SELECT id, organization_id, 'derived', 'bench-product-' || n, '基准产品 ' || n, 'Bench product ' || n, 'transport', 'SELECT 1', 'published', now()
       FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS p(id, organization_id, n)`,
    [products.map((product) => product.id), products.map((product) => product.vendorId)],
  );
  await dataSource.query(
    `INSERT INTO product_versions (id, product_id, organization_id, version, fingerprint, sql, row_count, parquet_key, parquet_bytes, schema, profile, gate_report)
     SELECT id, product_id, organization_id, 1, ($4::text[])[n], 'SELECT 1', 10, 'products/' || product_id || '/v1.parquet', 800, '{}', '{}', '{}'
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS v(id, product_id, organization_id, n)`,
    [products.map((product) => product.versionId), products.map((product) => product.id), products.map((product) => product.vendorId), products.map((product) => sha256(product.id))],
  );
  const inputs = products.flatMap((product) => product.inputs.map((input, position) => ({ versionId: product.versionId, position, ...input })));
  await dataSource.query(
    `INSERT INTO product_version_inputs (product_version_id, name, position, dataset_version_id, input_product_version_id, weight)
     SELECT product_version_id, 'input_' || position, position, dataset_version_id, input_product_version_id, weight
       FROM unnest($1::uuid[], $2::int[], $3::uuid[], $4::uuid[], $5::int[]) AS i(product_version_id, position, dataset_version_id, input_product_version_id, weight)`,
    [inputs.map((input) => input.versionId), inputs.map((input) => input.position), inputs.map((input) => input.datasetVersionId ?? null), inputs.map((input) => input.productVersionId ?? null), inputs.map((input) => input.weight)],
  );
  await dataSource.query(`UPDATE products p SET current_version_id = v.id FROM product_versions v WHERE v.product_id = p.id`);
  await dataSource.query(`INSERT INTO royalty_rates (agency_id, dataset_id, royalty_bp) VALUES ($1, NULL, 2500), ($2, $3, 1500)`, [agencies[0], datasets[5]!.agencyId, datasets[5]!.id]);
  return products.map((product) => product.id);
}

/**
 * Posts the entries `drafts` makes of the payments (given with the index of the first), BATCH
 * entries per postJournalEntries call, each call in a transaction of its own, by WRITERS
 * concurrent writers taking the next batch in turn (as concurrent webhook deliveries would).
 */
async function post(dataSource: DataSource, drafts: (slice: readonly Payment[], first: number) => JournalEntryDraft[], payments: readonly Payment[]): Promise<void> {
  let cursor = 0;
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (cursor < payments.length) {
        const first = cursor;
        cursor += BATCH;
        const entries = drafts(payments.slice(first, first + BATCH), first);
        const result = await dataSource.transaction((manager) => postJournalEntries(manager, entries));
        if (result.posted !== entries.length) throw new Error(`posted ${result.posted} of ${entries.length} entries`);
      }
    }),
  );
}

/**
 * Revenue splitting into the ledger: 50,000 payments of random amounts (1 to 10,000,000 minor
 * units; one in five a part payment of a larger invoice) of products whose lineage holds 2–4
 * datasets, each payment's VAT part taken out (6 %, paymentTaxPart), its net split between the
 * platform, the datasets' agencies and the vendor by the real RevenueSplitter (lineage loaded
 * from the database), made into its journal entry (paymentEntry) and posted with
 * postJournalEntries, 500 entries per transaction, by two concurrent writers. Baseline: the same payments posted as
 * unsplit two-posting entries (clearing and receivable only), in the same batches. Then the
 * ledger is checked for drift: every entry balanced, every currency summing to zero, and per
 * payment the parties' postings equal to its net recomputed in SQL from the amounts alone.
 */
export const ledgerSplits: Bench = {
  name: 'ledger-splits',
  description: 'payments split to ≥ 3 parties and posted to the ledger per second, vs unsplit entries',
  async run() {
    const database = await createTestDatabase('t_bench_ledger');
    const dataSource = createDataSource({ url: database.url, poolSize: WRITERS + 1 });
    await dataSource.initialize();
    try {
      const next = seededRandom(11);
      const productIds = await publishCatalogue(dataSource, next);
      const { vatRateBp } = await currentFinancePolicy(dataSource);
      const now = new Date();
      const buyers = Array.from({ length: 100 }, () => uuidFrom(next));
      // The payments and the invoices they pay (already issued: not timed).
      const payments: Payment[] = Array.from({ length: PAYMENTS }, (_, index) => {
        const amount = 1 + Math.floor(next() * MAX_AMOUNT);
        const total = next() < 0.2 ? amount + 1 + Math.floor(next() * MAX_AMOUNT) : amount;
        const { net, tax } = splitInclusiveTax(total, vatRateBp);
        const invoice: InvoiceFacts = {
          id: uuidFrom(next),
          number: `INV-BENCH-${String(index).padStart(6, '0')}`,
          currency: 'CNY',
          subtotal: net,
          tax,
          total,
          licenseId: uuidFrom(next),
          productId: productIds[index % productIds.length]!,
          organizationId: buyers[index % buyers.length]!,
        };
        return { id: uuidFrom(next), amount, reference: `bench-${index}`, invoice };
      });
      const facts = (payment: Payment) => ({ id: payment.id, provider: 'offline', amount: payment.amount, currency: payment.invoice.currency, reference: payment.reference });

      // Baseline: the same payments, unsplit.
      let started = performance.now();
      await post(
        dataSource,
        (slice) =>
          slice.map((payment) => {
            const dimensions = { invoice: payment.invoice.id, license: payment.invoice.licenseId, product: payment.invoice.productId, buyer: payment.invoice.organizationId, payment: payment.id };
            return {
              kind: 'payment',
              idempotencyKey: `unsplit:${payment.id}`,
              occurredAt: now,
              memo: `Payment ${payment.reference} (unsplit)`,
              postings: [
                { account: 'clearing:offline', amount: payment.amount, currency: payment.invoice.currency, dimensions },
                { account: 'receivable', amount: -payment.amount, currency: payment.invoice.currency, dimensions },
              ],
            };
          }),
        payments,
      );
      const baselineSeconds = (performance.now() - started) / 1000;

      // Split and posted, end to end (the splitter loads the lineage and rates inside the timing).
      const shares: RevenueShare[][] = [];
      started = performance.now();
      const splitter = new RevenueSplitter(dataSource);
      await splitter.prepare(productIds);
      await post(
        dataSource,
        (slice, first) =>
          slice.map((payment, index) => {
            const { net } = paymentTaxPart(payment.amount, payment.invoice);
            const split = splitter.split(payment.invoice.productId, net, payment.invoice.currency);
            shares[first + index] = split;
            return paymentEntry(facts(payment), payment.invoice, split, now);
          }),
        payments,
      );
      const splitSeconds = (performance.now() - started) / 1000;

      // Drift: the ledger's invariants, then one aggregate over every payment comparing its
      // postings with its net recomputed here in SQL (VAT extracted half up from the invoice
      // total; a part payment's tax part by largest remainder, ties to the net).
      const ledger = await ledgerInvariants(dataSource);
      const [drift] = await dataSource.query(
        `WITH paid AS (
           SELECT p.*, t.tax_total, p.total - t.tax_total AS subtotal
             FROM unnest($1::uuid[], $2::bigint[], $3::bigint[]) AS p(payment_id, amount, total)
             CROSS JOIN LATERAL (SELECT (2 * p.total * $4::int + (10000 + $4::int)) / (2 * (10000 + $4::int)) AS tax_total) t
         ), expected AS (
           SELECT payment_id, amount,
                  CASE WHEN amount = total THEN subtotal
                       WHEN tax_total = 0 THEN amount
                       ELSE amount * subtotal / total
                            + CASE WHEN amount - amount * subtotal / total - amount * tax_total / total = 1
                                    AND (amount * subtotal) % total >= (amount * tax_total) % total THEN 1 ELSE 0 END
                  END AS net
             FROM paid
         ), posted AS (
           SELECT (p.dimensions->>'payment')::uuid AS payment_id,
                  sum(p.amount) FILTER (WHERE p.account ~ '^(platform_revenue$|agency_payable:|vendor_payable:)') AS parties,
                  sum(p.amount) FILTER (WHERE p.account = 'billed_revenue') AS billed,
                  sum(p.amount) FILTER (WHERE p.account LIKE 'clearing:%') AS cleared,
                  sum(p.amount) FILTER (WHERE p.account = 'receivable') AS received
             FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id
            WHERE e.idempotency_key LIKE 'payment:%'
            GROUP BY 1
         )
         SELECT count(*)::int AS payments,
                count(*) FILTER (WHERE p.payment_id IS NULL)::int AS unposted,
                count(*) FILTER (WHERE -coalesce(p.parties, 0) <> x.net)::int AS parties_off,
                count(*) FILTER (WHERE coalesce(p.billed, 0) <> x.net)::int AS billed_off,
                count(*) FILTER (WHERE p.cleared <> x.amount OR p.received <> -x.amount)::int AS amount_off,
                coalesce(sum(x.net), 0)::text AS net,
                coalesce(-sum(p.parties), 0)::text AS split
           FROM expected x LEFT JOIN posted p ON p.payment_id = x.payment_id`,
        [payments.map((payment) => payment.id), payments.map((payment) => payment.amount), payments.map((payment) => payment.invoice.total), vatRateBp],
      );
      // Deterministic: a splitter loaded afresh splits the same inputs into identical shares.
      const again = new RevenueSplitter(dataSource);
      await again.prepare(productIds);
      const differing = payments.filter((payment, index) => {
        const { net } = paymentTaxPart(payment.amount, payment.invoice);
        return JSON.stringify(again.split(payment.invoice.productId, net, payment.invoice.currency)) !== JSON.stringify(shares[index]);
      }).length;
      // Parties: the platform, each agency, the vendor (an agency with two datasets is one party).
      const parties = shares.map((split) => new Set(split.map((share) => (share.party === 'platform' ? 'platform' : share.party === 'agency' ? `agency:${share.agencyId}` : `vendor:${share.vendorId}`))).size);
      const fewestParties = parties.reduce((min, count) => Math.min(min, count), Infinity);
      const mostParties = parties.reduce((max, count) => Math.max(max, count), 0);
      const [postings] = await dataSource.query(`SELECT count(*)::int AS n FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id WHERE e.idempotency_key LIKE 'payment:%'`);

      const zeroDrift =
        ledger.unbalancedEntries === 0 &&
        ledger.totals.every((total) => total.sum === '0') &&
        drift.payments === PAYMENTS &&
        drift.unposted + drift.parties_off + drift.billed_off + drift.amount_off === 0 &&
        drift.net === drift.split &&
        differing === 0;
      const splitsPerSecond = PAYMENTS / splitSeconds;
      const baselinePerSecond = PAYMENTS / baselineSeconds;
      return {
        value: Math.round(splitsPerSecond),
        unit: 'splits/s',
        baseline: Math.round(baselinePerSecond),
        goal: `≥ ${GOAL_SPLITS_PER_SECOND.toLocaleString('en')} splits/s to ≥ ${GOAL_PARTIES} parties, zero drift`,
        met: splitsPerSecond >= GOAL_SPLITS_PER_SECOND && fewestParties >= GOAL_PARTIES && zeroDrift,
        notes:
          `${PAYMENTS.toLocaleString('en')} payments split and posted in ${splitSeconds.toFixed(2)} s (${postings.n.toLocaleString('en')} postings, ${fewestParties}–${mostParties} parties each, ` +
          `${productIds.length} products, ${BATCH} entries per transaction, ${WRITERS} writers); unsplit two-posting entries ${baselineSeconds.toFixed(2)} s. ` +
          `Drift: ${ledger.unbalancedEntries} unbalanced entries, journal sums ${ledger.totals.map((total) => `${total.currency} ${total.sum}`).join(', ')}; ` +
          `per payment vs its net recomputed in SQL: ${drift.unposted} unposted, ${drift.parties_off} parties' sums off, ${drift.billed_off} billed revenue off, ${drift.amount_off} amounts off ` +
          `(net ${drift.net} = split ${drift.split}); re-split by a fresh splitter: ${differing} differ`,
      };
    } finally {
      await dataSource.destroy();
      await database.dispose();
    }
  },
};
