import { accountingPeriod, assertBalanced, REVENUE_ENTRY_KINDS, type JournalEntryDraft } from '@civic/domain';
import type { DataSource, EntityManager } from 'typeorm';

type Queryable = Pick<DataSource | EntityManager, 'query'>;

/** `REVENUE_ENTRY_KINDS` as an SQL list, for `e.kind IN (${REVENUE_KINDS_SQL})` (constants, never input). */
export const REVENUE_KINDS_SQL = REVENUE_ENTRY_KINDS.map((kind) => `'${kind}'`).join(',');

export interface PostResult {
  /** Entries written now. */
  posted: number;
  /** Entries whose idempotency key was already posted. */
  skipped: number;
}

function nextPeriod(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}

/**
 * Posts journal entries: each once (its idempotency key), in the accounting period of its
 * moment, or in the first open period after it when that one is closed (a late event never
 * reopens a closed period). Entries go in one statement, their postings in another, so the
 * database's balance check sees each entry whole. Call inside the transaction that records
 * the money event.
 */
export async function postJournalEntries(db: Queryable, drafts: readonly JournalEntryDraft[]): Promise<PostResult> {
  if (drafts.length === 0) return { posted: 0, skipped: 0 };
  drafts.forEach((draft) => assertBalanced(draft));
  const periods = [...new Set(drafts.map((draft) => accountingPeriod(draft.occurredAt)))].sort();
  const closed = new Set(
    ((await db.query(`SELECT period FROM finance_period_closes WHERE period >= $1`, [periods[0]])) as Array<{ period: string }>).map((row) => row.period.trim()),
  );
  const periodOf = (draft: JournalEntryDraft) => {
    let period = accountingPeriod(draft.occurredAt);
    while (closed.has(period)) period = nextPeriod(period);
    return period;
  };
  const inserted: Array<{ id: string; idempotency_key: string }> = await db.query(
    `INSERT INTO journal_entries (kind, idempotency_key, period, occurred_at, memo)
     SELECT * FROM unnest($1::text[], $2::text[], $3::char(7)[], $4::timestamptz[], $5::text[])
     ON CONFLICT (idempotency_key) DO NOTHING
     RETURNING id, idempotency_key`,
    [drafts.map((d) => d.kind), drafts.map((d) => d.idempotencyKey), drafts.map(periodOf), drafts.map((d) => d.occurredAt.toISOString()), drafts.map((d) => d.memo)],
  );
  if (inserted.length === 0) return { posted: 0, skipped: drafts.length };
  const ids = new Map(inserted.map((row) => [row.idempotency_key, row.id]));
  const entryIds: string[] = [];
  const accounts: string[] = [];
  const currencies: string[] = [];
  const amounts: string[] = [];
  const postingPeriods: string[] = [];
  const dimensions: string[] = [];
  const products: Array<string | null> = [];
  const datasets: Array<string | null> = [];
  for (const draft of drafts) {
    const id = ids.get(draft.idempotencyKey);
    if (!id) continue;
    ids.delete(draft.idempotencyKey); // the same key twice in one call posts once
    const period = periodOf(draft);
    for (const posting of draft.postings) {
      entryIds.push(id);
      accounts.push(posting.account);
      currencies.push(posting.currency);
      amounts.push(String(posting.amount));
      postingPeriods.push(period);
      dimensions.push(JSON.stringify(posting.dimensions ?? {}));
      products.push(posting.dimensions?.product ?? null);
      datasets.push(posting.dimensions?.dataset ?? null);
    }
  }
  await db.query(
    `INSERT INTO journal_postings (entry_id, account, currency, amount, period, dimensions, product_id, dataset_id)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::char(3)[], $4::bigint[], $5::char(7)[], $6::jsonb[], $7::uuid[], $8::uuid[])`,
    [entryIds, accounts, currencies, amounts, postingPeriods, dimensions, products, datasets],
  );
  return { posted: inserted.length, skipped: drafts.length - inserted.length };
}

export interface AccountBalance {
  account: string;
  currency: string;
  /** Debit positive, credit negative (minor units, as text: sums may exceed 2^53). */
  balance: string;
}

/** Every account's balance, derived from the postings (optionally up to a period, inclusive). */
export async function accountBalances(db: Queryable, options: { throughPeriod?: string; accountPrefix?: string } = {}): Promise<AccountBalance[]> {
  return db.query(
    `SELECT account, currency, sum(amount)::text AS balance FROM journal_postings
      WHERE ($1::text IS NULL OR period <= $1) AND ($2::text IS NULL OR account LIKE $2 || '%')
      GROUP BY account, currency ORDER BY account, currency`,
    [options.throughPeriod ?? null, options.accountPrefix ?? null],
  );
}

/** The ledger's invariants: every entry balances and the whole journal sums to zero per currency. */
export async function ledgerInvariants(db: Queryable): Promise<{ unbalancedEntries: number; totals: Array<{ currency: string; sum: string }> }> {
  const unbalanced: Array<{ count: string }> = await db.query(
    `SELECT count(*)::text AS count FROM (SELECT entry_id FROM journal_postings GROUP BY entry_id, currency HAVING sum(amount) <> 0) bad`,
  );
  const totals: Array<{ currency: string; sum: string }> = await db.query(`SELECT currency, sum(amount)::text AS sum FROM journal_postings GROUP BY currency ORDER BY currency`);
  return { unbalancedEntries: Number(unbalanced[0]?.count ?? 0), totals };
}
