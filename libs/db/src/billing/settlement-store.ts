import { accountingPeriodRange, DomainError, settlementEntry } from '@civic/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { postJournalEntries, REVENUE_KINDS_SQL } from './ledger-store.js';

type Queryable = Pick<DataSource | EntityManager, 'query'>;

export type SettlementKind = 'payout' | 'remittance';
export type SettlementMethod = 'stripe_transfer' | 'bank_instruction' | 'remittance_statement';

export interface Settlement {
  id: string;
  kind: SettlementKind;
  organizationId: string;
  organizationName: string;
  period: string;
  currency: string;
  amount: number;
  method: SettlementMethod;
  status: 'pending' | 'paid' | 'failed';
  providerReference: string | null;
  failureReason: string | null;
  createdAt: Date;
  paidAt: Date | null;
}

const SELECT = `SELECT s.*, o.name AS organization_name FROM settlements s JOIN organizations o ON o.id = s.organization_id`;

export function toSettlement(row: Record<string, unknown>): Settlement {
  return {
    id: row.id as string,
    kind: row.kind as SettlementKind,
    organizationId: row.organization_id as string,
    organizationName: row.organization_name as string,
    period: (row.period as string).trim(),
    currency: (row.currency as string).trim(),
    amount: Number(row.amount),
    method: row.method as SettlementMethod,
    status: row.status as Settlement['status'],
    providerReference: (row.provider_reference as string) ?? null,
    failureReason: (row.failure_reason as string) ?? null,
    createdAt: row.created_at as Date,
    paidAt: (row.paid_at as Date) ?? null,
  };
}

/**
 * Prepares the settlements of an accounting period: for every vendor and agency the ledger
 * owes money at the period's end, one settlement of what it is owed and not yet settled
 * (payouts for vendors, remittances for agencies). Idempotent: a party, currency and period
 * is settled once (unique key), and what was settled before is never counted again.
 * `stripeAccounts` says which vendors can be paid by Stripe Connect transfer.
 */
export async function prepareSettlements(db: Queryable, period: string, options: { stripeVendors?: ReadonlySet<string> } = {}): Promise<Settlement[]> {
  const { end } = accountingPeriodRange(period);
  if (end > new Date()) throw new DomainError('billing.period_open', 'Settlements are prepared for a period that has ended.', [{ field: 'period', messages: ['the period has not ended'] }]);
  const owed: Array<{ kind: string; organization_id: string; currency: string; owed: string }> = await db.query(
    `WITH earned AS (
       SELECT split_part(p.account, ':', 1) AS account_kind, split_part(p.account, ':', 2)::uuid AS organization_id, p.currency, -sum(p.amount) AS earned
         FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id
        WHERE (p.account LIKE 'vendor\\_payable:%' OR p.account LIKE 'agency\\_payable:%')
          AND e.kind IN (${REVENUE_KINDS_SQL}) AND p.period <= $1
        GROUP BY 1, 2, 3),
     settled AS (
       SELECT CASE kind WHEN 'payout' THEN 'vendor_payable' ELSE 'agency_payable' END AS account_kind, organization_id, currency, sum(amount) AS settled
         FROM settlements WHERE status <> 'failed' GROUP BY 1, 2, 3)
     SELECT CASE e.account_kind WHEN 'vendor_payable' THEN 'payout' ELSE 'remittance' END AS kind, e.organization_id, e.currency,
            (e.earned - coalesce(s.settled, 0))::text AS owed
       FROM earned e LEFT JOIN settled s USING (account_kind, organization_id, currency)
      WHERE e.earned - coalesce(s.settled, 0) > 0`,
    [period],
  );
  for (const row of owed) {
    const method: SettlementMethod = row.kind === 'remittance' ? 'remittance_statement' : options.stripeVendors?.has(row.organization_id) ? 'stripe_transfer' : 'bank_instruction';
    await db.query(
      `INSERT INTO settlements (kind, organization_id, period, currency, amount, method) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (kind, organization_id, currency, period) DO NOTHING`,
      [row.kind, row.organization_id, period, row.currency, row.owed, method],
    );
  }
  return listSettlements(db, { period });
}

export async function listSettlements(db: Queryable, filter: { period?: string; organizationId?: string; id?: string } = {}): Promise<Settlement[]> {
  const rows: Array<Record<string, unknown>> = await db.query(
    `${SELECT} WHERE ($1::text IS NULL OR s.period = $1) AND ($2::uuid IS NULL OR s.organization_id = $2) AND ($3::uuid IS NULL OR s.id = $3)
      ORDER BY s.period DESC, s.kind, o.name, s.currency`,
    [filter.period ?? null, filter.organizationId ?? null, filter.id ?? null],
  );
  return rows.map(toSettlement);
}

/**
 * Marks a settlement paid (a transfer made, a remittance received by the treasury) and posts
 * its journal entry, once. Paying it again with the same reference changes nothing.
 */
export async function markSettlementPaid(manager: EntityManager, id: string, payment: { reference: string; paidAt: Date; provider: 'offline' | 'stripe' }): Promise<Settlement> {
  const rows: Array<Record<string, unknown>> = await manager.query(`${SELECT} WHERE s.id = $1 FOR UPDATE OF s`, [id]);
  if (!rows[0]) throw new DomainError('billing.settlement_not_found', 'Settlement not found.');
  const settlement = toSettlement(rows[0]);
  if (settlement.status === 'paid') {
    if (settlement.providerReference === payment.reference) return settlement;
    throw new DomainError('billing.period_closed', 'This settlement is already paid.', [{ reference: settlement.providerReference }]);
  }
  await manager.query(`UPDATE settlements SET status = 'paid', provider_reference = $2, paid_at = $3, failure_reason = NULL WHERE id = $1`, [id, payment.reference, payment.paidAt]);
  await postJournalEntries(manager, [
    settlementEntry(settlement.kind, { id, organizationId: settlement.organizationId, amount: settlement.amount, currency: settlement.currency, provider: payment.provider, reference: payment.reference }, payment.paidAt),
  ]);
  return (await listSettlements(manager, { id }))[0]!;
}

/** Records why a settlement could not be paid; preparing the period again leaves it (failed settlements are re-prepared as owed). */
export async function markSettlementFailed(db: Queryable, id: string, reason: string): Promise<void> {
  await db.query(`UPDATE settlements SET status = 'failed', failure_reason = $2 WHERE id = $1 AND status = 'pending'`, [id, reason.slice(0, 1000)]);
}

export interface StatementLine {
  datasetId: string | null;
  datasetTitleZh: string | null;
  datasetTitleEn: string | null;
  productTitleZh: string;
  productTitleEn: string;
  payments: number;
  amount: number;
}

/** What a settlement pays for: the party's shares in its period, by product and dataset. */
export async function settlementLines(db: Queryable, settlement: Settlement): Promise<StatementLine[]> {
  const account = `${settlement.kind === 'payout' ? 'vendor' : 'agency'}_payable:${settlement.organizationId}`;
  const rows: Array<Record<string, unknown>> = await db.query(
    `SELECT p.dataset_id, d.title_zh AS dataset_zh, d.title_en AS dataset_en, pr.title_zh, pr.title_en, count(DISTINCT p.entry_id) FILTER (WHERE e.kind = 'payment')::int AS payments, (-sum(p.amount))::text AS amount
       FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id
       JOIN products pr ON pr.id = p.product_id LEFT JOIN datasets d ON d.id = p.dataset_id
      WHERE p.account = $1 AND p.period = $2 AND p.currency = $3 AND e.kind IN (${REVENUE_KINDS_SQL})
      GROUP BY 1, 2, 3, 4, 5 ORDER BY 4, 3`,
    [account, settlement.period, settlement.currency],
  );
  return rows.map((row) => ({
    datasetId: (row.dataset_id as string) ?? null,
    datasetTitleZh: (row.dataset_zh as string) ?? null,
    datasetTitleEn: (row.dataset_en as string) ?? null,
    productTitleZh: row.title_zh as string,
    productTitleEn: row.title_en as string,
    payments: Number(row.payments),
    amount: Number(row.amount),
  }));
}
