import {
  adjustmentLine,
  creditNoteEntry,
  describeUsageInvoiceLine,
  invoiceIssuedEntry,
  meteredPricing,
  periodReading,
  splitInclusiveTax,
  USAGE_WINDOW,
  usageInvoice,
  type Adjustment,
  type JournalEntryDraft,
  type PricePlan,
  type UsageInvoiceLine,
} from '@civic/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { settleCreditNotes } from './credit-notes.js';
import { postJournalEntries } from './ledger-store.js';
import { currentFinancePolicy, invoiceFacts } from './revenue-store.js';
import { licenseEventsWhere } from '../metering/usage-store.js';

export interface BillingCloseOptions {
  now?: Date;
  /** Usage is read this long after a period ends, so events in flight are in. */
  settleSeconds?: number;
  /** Periods closed per transaction. */
  batchSize?: number;
  /** Days a usage invoice is due after it is issued. */
  dueDays?: number;
  /** Stop after this many periods (for tests and benchmarks; default all that are due). */
  limit?: number;
  /**
   * The platform can collect through Stripe (the worker has a Stripe client): invoices of
   * licences bought through Stripe whose buyer has a Stripe customer are issued with provider
   * `stripe`, to be charged to the card on file (job `billing.collect`). Otherwise, and by
   * default, every usage and adjustment invoice is collected offline.
   */
  stripeCollection?: boolean;
}

export interface BillingCloseResult {
  /** Billing periods closed. */
  periods: number;
  /** Usage invoices issued. */
  invoices: number;
  /** Of them, invoices to be collected through Stripe. */
  stripeInvoices: number;
  /** Their total, per currency (minor units). */
  amounts: Record<string, number>;
  /** Earlier periods re-billed for late usage. */
  adjustments: number;
  /** Credit notes issued by final readings (volume pricing: more use, a cheaper tier). */
  creditNotes: number;
}

interface DuePeriod {
  license_id: string;
  period_start: Date;
  period_end: Date;
  active_end: Date;
  /** Where billable use starts: the period's start, or the end of the licence's free trial if later. */
  usage_start: Date;
  price_plan: PricePlan;
  currency: string;
  organization_id: string;
  product_id: string;
}

interface FinalPeriod extends DuePeriod {
  billed_quantity: string;
}

interface PriorPeriod {
  license_id: string;
  period_start: Date;
  period_end: Date;
  active_end: Date;
  usage_start: Date;
  billed_quantity: string;
}

type Queryable = Pick<DataSource | EntityManager, 'query'>;

/**
 * The metered usage of many (licence, unit, range) at once: whole hours from the hourly
 * rollups, the partial hours at either end from the events (see periodReading).
 */
async function usageOf(db: Queryable, ranges: ReadonlyArray<{ key: string; licenseId: string; unit: string; start: Date; end: Date }>): Promise<Map<string, number>> {
  const totals = new Map<string, number>(ranges.map((range) => [range.key, 0]));
  if (ranges.length === 0) return totals;
  const hours: Array<[string, string, string, string, string]> = [];
  const edges: Array<[string, string, string, string, string]> = [];
  for (const range of ranges) {
    if (range.end <= range.start) continue;
    const reading = periodReading(range.start, range.end);
    if (reading.hours.from < reading.hours.to) hours.push([range.key, range.licenseId, range.unit, reading.hours.from.toISOString(), reading.hours.to.toISOString()]);
    for (const edge of reading.edges) edges.push([range.key, range.licenseId, range.unit, edge.start.toISOString(), edge.end.toISOString()]);
  }
  const column = (rows: string[][], index: number) => rows.map((row) => row[index]);
  const add = (rows: Array<{ key: string; quantity: string }>) => {
    for (const row of rows) totals.set(row.key, (totals.get(row.key) ?? 0) + Number(row.quantity));
  };
  // One lookup per range, each an index range scan of one licence: whole hours in
  // usage_hourly (license_id, hour) INCLUDE (unit, quantity), edges in usage_events (license_id, UTC hour of occurred_at).
  if (hours.length) {
    add(
      await db.query(
        `SELECT r.key, (SELECT coalesce(sum(h.quantity), 0) FROM usage_hourly h
                          WHERE h.license_id = r.license_id AND h.hour >= r.start_at AND h.hour < r.end_at AND h.unit = r.unit)::text AS quantity
           FROM unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS r(key, license_id, unit, start_at, end_at)`,
        [column(hours, 0), column(hours, 1), column(hours, 2), column(hours, 3), column(hours, 4)],
      ),
    );
  }
  if (edges.length) {
    add(
      await db.query(
        `SELECT r.key, (SELECT coalesce(sum(e.quantity), 0) FROM usage_events e
                          WHERE ${licenseEventsWhere('e.license_id', 'e.occurred_at', 'r.license_id', 'r.start_at', 'r.end_at')} AND e.unit = r.unit)::text AS quantity
           FROM unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS r(key, license_id, unit, start_at, end_at)`,
        [column(edges, 0), column(edges, 1), column(edges, 2), column(edges, 3), column(edges, 4)],
      ),
    );
  }
  return totals;
}

const keyOf = (licenseId: string, start: Date) => `${licenseId}|${start.toISOString()}`;

/**
 * Closes every billing period that has ended (and settled), in batches: rates the metered
 * use of the period from the licence's snapshotted plan, re-rates the licence's earlier
 * periods still within the late-usage window and bills their differences, and issues one
 * usage invoice per licence and period (open, posted to the ledger; collected offline, or by
 * Stripe for Stripe licences when `stripeCollection` is on).
 * Then gives each closed period whose late-usage window has passed its final reading: what
 * arrived too late for any close is billed on one adjustment invoice of that period.
 *
 * Exactly once: a period is taken under a row lock that concurrent closes skip, marked
 * closed in the same transaction as its invoice, and the invoice's unique key (licence, kind,
 * period) refuses a second one whatever happens. Safe to run at any time, twice, at once.
 */
export async function closeBillingPeriods(dataSource: DataSource, options: BillingCloseOptions = {}): Promise<BillingCloseResult> {
  const now = options.now ?? new Date();
  const settle = (options.settleSeconds ?? 300) * 1000;
  const batchSize = options.batchSize ?? 2000;
  const result: BillingCloseResult = { periods: 0, invoices: 0, stripeInvoices: 0, amounts: {}, adjustments: 0, creditNotes: 0 };
  const stripeCollection = options.stripeCollection ?? false;
  const cutoff = new Date(now.getTime() - settle);
  const lateWindowStart = new Date(now.getTime() - USAGE_WINDOW.lateMs);
  for (;;) {
    const remaining = options.limit === undefined ? batchSize : Math.min(batchSize, options.limit - result.periods);
    if (remaining <= 0) break;
    const closed = await dataSource.transaction(async (manager) => {
      const due: DuePeriod[] = await manager.query(
        `SELECT bp.license_id, bp.period_start, bp.period_end, least(bp.period_end, coalesce(l.ended_at, 'infinity')) AS active_end,
                greatest(bp.period_start, l.trial_ends_at) AS usage_start, l.price_plan, l.currency, l.organization_id, l.product_id
           FROM billing_periods bp JOIN licenses l ON l.id = bp.license_id
          WHERE bp.closed_at IS NULL AND least(bp.period_end, coalesce(l.ended_at, 'infinity')) <= $1
          ORDER BY bp.period_end, bp.license_id
          LIMIT $2
          FOR UPDATE OF bp SKIP LOCKED`,
        [cutoff, remaining],
      );
      if (due.length === 0) return 0;
      await closeBatch(manager, due, { now, lateWindowStart, dueDays: options.dueDays ?? 15, stripeCollection }, result);
      return due.length;
    });
    result.periods += closed;
    if (closed < remaining) break;
  }
  // Final readings of periods whose late-usage window has passed.
  for (;;) {
    const finalized = await dataSource.transaction(async (manager) => {
      const periods: FinalPeriod[] = await manager.query(
        `SELECT bp.license_id, bp.period_start, bp.period_end, least(bp.period_end, coalesce(l.ended_at, 'infinity')) AS active_end, bp.billed_quantity::text,
                greatest(bp.period_start, l.trial_ends_at) AS usage_start, l.price_plan, l.currency, l.organization_id, l.product_id
           FROM billing_periods bp JOIN licenses l ON l.id = bp.license_id
          WHERE bp.closed_at IS NOT NULL AND bp.finalized_at IS NULL AND bp.period_end <= $1
          ORDER BY bp.period_end, bp.license_id
          LIMIT $2
          FOR UPDATE OF bp SKIP LOCKED`,
        [lateWindowStart, batchSize],
      );
      if (periods.length) await finalizeBatch(manager, periods, { now, dueDays: options.dueDays ?? 15, stripeCollection }, result);
      return periods.length;
    });
    if (finalized < batchSize) break;
  }
  return result;
}

async function closeBatch(
  manager: EntityManager,
  due: DuePeriod[],
  context: { now: Date; lateWindowStart: Date; dueDays: number; stripeCollection: boolean },
  result: BillingCloseResult,
): Promise<void> {
  const metered = due.filter((period) => meteredPricing(period.price_plan));
  const unitOf = new Map(metered.map((period) => [period.license_id, meteredPricing(period.price_plan)!.unit as string]));
  const licenseIds = [...new Set(metered.map((period) => period.license_id))];
  // Earlier closed periods of these licences that late usage may still reach.
  const prior: PriorPeriod[] = licenseIds.length
    ? await manager.query(
        `SELECT bp.license_id, bp.period_start, bp.period_end, least(bp.period_end, coalesce(l.ended_at, 'infinity')) AS active_end, bp.billed_quantity::text,
                greatest(bp.period_start, l.trial_ends_at) AS usage_start
           FROM billing_periods bp JOIN licenses l ON l.id = bp.license_id
          WHERE bp.license_id = ANY($1) AND bp.closed_at IS NOT NULL AND bp.finalized_at IS NULL AND bp.period_end > $2
          ORDER BY bp.license_id, bp.period_start
          FOR UPDATE OF bp`,
        [licenseIds, context.lateWindowStart],
      )
    : [];
  const usage = await usageOf(manager, [
    ...metered.map((period) => ({ key: keyOf(period.license_id, period.period_start), licenseId: period.license_id, unit: unitOf.get(period.license_id)!, start: period.usage_start, end: period.active_end })),
    ...prior.map((period) => ({ key: keyOf(period.license_id, period.period_start), licenseId: period.license_id, unit: unitOf.get(period.license_id)!, start: period.usage_start, end: period.active_end })),
  ]);
  const priorByLicense = new Map<string, PriorPeriod[]>();
  for (const period of prior) priorByLicense.set(period.license_id, [...(priorByLicense.get(period.license_id) ?? []), period]);

  const { vatRateBp } = await currentFinancePolicy(manager);
  const invoices: Array<{ period: DuePeriod; lines: UsageInvoiceLine[]; total: number; quantity: number; adjusted: Array<{ start: Date; quantity: number }> }> = [];
  const closedQuantity = new Map<string, number>();
  for (const period of metered) {
    const plan = period.price_plan;
    const quantity = usage.get(keyOf(period.license_id, period.period_start)) ?? 0;
    closedQuantity.set(keyOf(period.license_id, period.period_start), quantity);
    const adjustments: Adjustment[] = (priorByLicense.get(period.license_id) ?? []).map((earlier) => ({
      period: { start: earlier.period_start, end: earlier.period_end },
      active: { end: earlier.active_end },
      billedQuantity: Number(earlier.billed_quantity),
      quantity: Math.max(Number(earlier.billed_quantity), usage.get(keyOf(earlier.license_id, earlier.period_start)) ?? 0),
    }));
    let draft = usageInvoice(plan, { period: { start: period.period_start, end: period.period_end }, active: { end: period.active_end }, quantity }, adjustments);
    let billedAdjustments = adjustments.filter((adjustment) => adjustment.quantity !== adjustment.billedQuantity);
    if (draft.total < 0) {
      // A net credit (volume pricing): keep the adjustments for a later close that can absorb them.
      draft = usageInvoice(plan, { period: { start: period.period_start, end: period.period_end }, active: { end: period.active_end }, quantity });
      billedAdjustments = [];
    }
    result.adjustments += billedAdjustments.length;
    const adjusted = billedAdjustments.map((adjustment) => ({ start: adjustment.period.start, quantity: adjustment.quantity }));
    if (draft.total > 0) invoices.push({ period, lines: draft.lines.filter((line) => line.amount !== 0 || line.kind === 'included'), total: draft.total, quantity, adjusted });
    else if (adjusted.length) invoices.push({ period, lines: [], total: 0, quantity, adjusted });
  }

  const issued = await issueUsageInvoices(
    manager,
    'usage',
    invoices.filter((item) => item.total > 0).map((item) => ({ period: item.period, lines: item.lines, total: item.total })),
    { ...context, vatRateBp },
    result,
  );

  // Mark every due period closed with what it billed, and earlier periods with their new totals.
  const invoiceOf = new Map(invoices.map((item) => [item.period, item]));
  await manager.query(
    `UPDATE billing_periods bp SET closed_at = $4, billed_quantity = r.quantity, billed_amount = r.amount, invoice_id = r.invoice_id
       FROM unnest($1::uuid[], $2::timestamptz[], $3::bigint[], $5::bigint[], $6::uuid[]) AS r(license_id, period_start, quantity, amount, invoice_id)
      WHERE bp.license_id = r.license_id AND bp.period_start = r.period_start AND bp.closed_at IS NULL`,
    [
      due.map((period) => period.license_id),
      due.map((period) => period.period_start.toISOString()),
      due.map((period) => closedQuantity.get(keyOf(period.license_id, period.period_start)) ?? 0),
      context.now,
      due.map((period) => {
        const item = invoiceOf.get(period);
        return item ? item.lines.filter((line) => line.kind !== 'usage_adjustment').reduce((sum, line) => sum + line.amount, 0) : 0;
      }),
      due.map((period) => issued.get(keyOf(period.license_id, period.period_start)) ?? null),
    ],
  );
  const adjustedRows = invoices.flatMap((item) => item.adjusted.map((adjusted) => ({ licenseId: item.period.license_id, ...adjusted })));
  if (adjustedRows.length) {
    await manager.query(
      `UPDATE billing_periods bp SET billed_quantity = r.quantity
         FROM unnest($1::uuid[], $2::timestamptz[], $3::bigint[]) AS r(license_id, period_start, quantity)
        WHERE bp.license_id = r.license_id AND bp.period_start = r.period_start`,
      [adjustedRows.map((row) => row.licenseId), adjustedRows.map((row) => row.start.toISOString()), adjustedRows.map((row) => row.quantity)],
    );
  }
}

interface InvoiceDraft {
  period: Pick<DuePeriod, 'license_id' | 'organization_id' | 'product_id' | 'currency' | 'period_start' | 'period_end' | 'price_plan'>;
  lines: UsageInvoiceLine[];
  total: number;
}

/**
 * Issues usage invoices (kind `usage` for a closed period, `adjustment` for a period's final
 * re-reading, `credit_note` for a final re-reading that gives money back: its total is the
 * credit, its lines the negative correction) in one statement, their lines in another, and
 * posts them to the ledger. The unique key (licence, kind, period) skips any that exist.
 * Returns licence|period → invoice id.
 * With Stripe collection on, the invoices of Stripe licences whose buyer is a Stripe customer
 * are Stripe's to collect; all others are collected offline.
 */
async function issueUsageInvoices(
  manager: EntityManager,
  kind: 'usage' | 'adjustment' | 'credit_note',
  billable: readonly InvoiceDraft[],
  context: { now: Date; dueDays: number; vatRateBp: number; stripeCollection: boolean },
  result: BillingCloseResult,
): Promise<Map<string, string>> {
  const issued = new Map<string, string>();
  if (billable.length === 0) return issued;
  const dueAt = new Date(context.now.getTime() + context.dueDays * 86_400_000);
  const parts = billable.map((item) => splitInclusiveTax(item.total, context.vatRateBp));
  const rows: Array<{ id: string; number: string; license_id: string; period_start: Date; organization_id: string; subtotal: string; tax: string; total: string; currency: string; provider: string }> = await manager.query(
    `INSERT INTO invoices (number, organization_id, license_id, provider, kind, status, currency, subtotal, tax, total, amount_paid,
                           period_start, period_end, issued_at, due_at, tax_rate_bp)
     SELECT CASE WHEN $12 = 'credit_note' THEN 'CN-' ELSE 'INV-' END || to_char($9::timestamptz, 'YYYY') || '-' || lpad(nextval('invoice_number_seq')::text, 6, '0'),
            r.organization_id, r.license_id,
            CASE WHEN $13::boolean AND EXISTS (SELECT 1 FROM licenses l JOIN stripe_customers sc ON sc.organization_id = l.organization_id
                                                 WHERE l.id = r.license_id AND l.provider = 'stripe')
                 THEN 'stripe' ELSE 'offline' END,
            $12, 'open', r.currency, r.subtotal, r.tax, r.subtotal + r.tax, 0,
            r.period_start, r.period_end, $9, CASE WHEN $12 = 'credit_note' THEN NULL ELSE $10::timestamptz END, $11
       FROM unnest($1::uuid[], $2::uuid[], $3::char(3)[], $4::bigint[], $5::bigint[], $6::timestamptz[], $7::timestamptz[], $8::int[])
            AS r(organization_id, license_id, currency, subtotal, tax, period_start, period_end, ordinal)
      ORDER BY r.ordinal
     ON CONFLICT (license_id, kind, coalesce(period_start, 'epoch'::timestamptz)) WHERE status <> 'void' DO NOTHING
     RETURNING id, number, license_id, period_start, organization_id, subtotal::text, tax::text, total::text, currency, provider`,
    [
      billable.map((item) => item.period.organization_id),
      billable.map((item) => item.period.license_id),
      billable.map((item) => item.period.currency),
      parts.map((part) => part.net),
      parts.map((part) => part.tax),
      billable.map((item) => item.period.period_start.toISOString()),
      billable.map((item) => item.period.period_end.toISOString()),
      billable.map((_, index) => index),
      context.now,
      dueAt,
      context.vatRateBp,
      kind,
      context.stripeCollection,
    ],
  );
  const byKey = new Map(billable.map((item) => [keyOf(item.period.license_id, item.period.period_start), item]));
  const lineColumns: Array<unknown[]> = [[], [], [], [], [], [], [], []];
  const entries: JournalEntryDraft[] = [];
  for (const row of rows) {
    const item = byKey.get(keyOf(row.license_id, new Date(row.period_start)))!;
    issued.set(keyOf(row.license_id, item.period.period_start), row.id);
    const unit = meteredPricing(item.period.price_plan)?.unit;
    item.lines.forEach((line, position) => {
      const values = [row.id, position, line.kind, describeUsageInvoiceLine(line, { currency: row.currency, unit }, 'zh-CN'), describeUsageInvoiceLine(line, { currency: row.currency, unit }, 'en'), line.quantity, line.unitAmount, line.amount];
      values.forEach((value, index) => lineColumns[index]!.push(value));
    });
    const facts = invoiceFacts({ id: row.id, number: row.number, currency: row.currency, subtotal: Number(row.subtotal), tax: Number(row.tax), total: Number(row.total), licenseId: row.license_id, organizationId: row.organization_id }, item.period.product_id);
    const entry = kind === 'credit_note' ? creditNoteEntry(facts, context.now) : invoiceIssuedEntry(facts, context.now);
    if (entry) entries.push(entry);
    if (kind === 'credit_note') {
      result.creditNotes += 1;
      result.amounts[row.currency] = (result.amounts[row.currency] ?? 0) - Number(row.total);
      continue;
    }
    result.invoices += 1;
    if (row.provider === 'stripe') result.stripeInvoices += 1;
    result.amounts[row.currency] = (result.amounts[row.currency] ?? 0) + Number(row.total);
  }
  if (lineColumns[0]!.length) {
    await manager.query(
      `INSERT INTO invoice_lines (invoice_id, position, kind, description_zh, description_en, quantity, unit_amount, amount)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::bigint[])`,
      lineColumns,
    );
  }
  await postJournalEntries(manager, entries);
  return issued;
}

/**
 * The final reading of closed periods whose late-usage window has passed: usage that arrived
 * after the period's last billing (and that no later close picked up, e.g. the licence ended
 * or its next period is a year away) is billed on one `adjustment` invoice per period; when
 * the re-rating costs less (volume pricing), the difference is given back on one credit note
 * per period, set against the licence's open invoices or left to be refunded.
 */
async function finalizeBatch(manager: EntityManager, periods: FinalPeriod[], context: { now: Date; dueDays: number; stripeCollection: boolean }, result: BillingCloseResult): Promise<void> {
  const metered = periods.filter((period) => meteredPricing(period.price_plan));
  const usage = await usageOf(
    manager,
    metered.map((period) => ({ key: keyOf(period.license_id, period.period_start), licenseId: period.license_id, unit: meteredPricing(period.price_plan)!.unit, start: period.usage_start, end: period.active_end })),
  );
  const drafts: Array<InvoiceDraft & { quantity: number }> = [];
  const credits: InvoiceDraft[] = [];
  const quantities = new Map<string, number>();
  for (const period of metered) {
    const billedQuantity = Number(period.billed_quantity);
    const quantity = Math.max(billedQuantity, usage.get(keyOf(period.license_id, period.period_start)) ?? 0);
    const line = adjustmentLine(period.price_plan, { period: { start: period.period_start, end: period.period_end }, active: { end: period.active_end }, billedQuantity, quantity });
    if (!line) continue;
    quantities.set(keyOf(period.license_id, period.period_start), quantity);
    if (line.amount > 0) drafts.push({ period, lines: [line], total: line.amount, quantity });
    else if (line.amount < 0) credits.push({ period, lines: [line], total: -line.amount });
  }
  const { vatRateBp } = await currentFinancePolicy(manager);
  await issueUsageInvoices(manager, 'adjustment', drafts, { ...context, vatRateBp }, result);
  const creditNotes = await issueUsageInvoices(manager, 'credit_note', credits, { ...context, vatRateBp }, result);
  await settleCreditNotes(manager, [...creditNotes.values()], context.now);
  result.adjustments += quantities.size;
  await manager.query(
    `UPDATE billing_periods bp SET finalized_at = $3, billed_quantity = coalesce(r.quantity, bp.billed_quantity)
       FROM unnest($1::uuid[], $2::timestamptz[], $4::bigint[]) AS r(license_id, period_start, quantity)
      WHERE bp.license_id = r.license_id AND bp.period_start = r.period_start`,
    [
      periods.map((period) => period.license_id),
      periods.map((period) => period.period_start.toISOString()),
      context.now,
      periods.map((period) => quantities.get(keyOf(period.license_id, period.period_start)) ?? null),
    ],
  );
}
