import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { accountBalances, currentFinancePolicy, ledgerInvariants, REVENUE_KINDS_SQL } from '@civic/db';
import { accountingPeriod, accountKind, DomainError, moneyToDecimal, THEMES, type MovementKind, type ProviderMismatchKind } from '@civic/domain';
import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor, Principal } from '../common/principal.js';
import { ProviderRecordsService } from './provider-records.service.js';
import type {
  AccountBalanceDto,
  AgeingReportDto,
  FinancePolicyViewDto,
  JournalPageDto,
  JournalQueryDto,
  PeriodListDto,
  ReconciliationIssueDto,
  ReconciliationReportDto,
  RevenueQueryDto,
  RevenueReportDto,
  RevenueRowDto,
  SellerStatementDto,
  SetFinancePolicyDto,
  SetRoyaltyRateDto,
} from './dto/finance.dto.js';

const PROVIDER_ISSUE: Record<ProviderMismatchKind, string> = {
  missing_record: 'provider_movement_unrecorded',
  missing_at_provider: 'record_missing_at_provider',
  amount_mismatch: 'provider_amount_mismatch',
};

const MOVEMENT_NAMES: Record<MovementKind | 'other', string> = {
  payment: 'payment',
  refund: 'refund',
  chargeback: 'chargeback',
  dispute_won: 'won dispute',
  payout: 'payout',
  other: 'movement',
};

function providerMessage(kind: ProviderMismatchKind, movement: MovementKind | 'other'): string {
  const name = MOVEMENT_NAMES[movement];
  if (kind === 'missing_record') return `Stripe reports a ${name} we have no record of.`;
  if (kind === 'missing_at_provider') return `We recorded a ${name} through Stripe that Stripe does not report.`;
  return `Our ${name} differs in amount from Stripe's.`;
}

/** Revenue shares: the postings that divide payments (and their reversals) among the parties. */
const SHARES = `
  SELECT p.period, p.currency, p.product_id, p.dataset_id, p.account, -p.amount AS amount, p.entry_id, e.kind,
         CASE WHEN p.account LIKE 'agency\\_payable:%' THEN substring(p.account FROM 16)::uuid END AS agency_id
    FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id
   WHERE e.kind IN (${REVENUE_KINDS_SQL})
     AND (p.account = 'platform_revenue' OR p.account LIKE 'agency\\_payable:%' OR p.account LIKE 'vendor\\_payable:%')
     AND ($1::text IS NULL OR p.period >= $1) AND ($2::text IS NULL OR p.period <= $2)`;

/** Net revenue, its three shares and the payments counted (refunds and chargebacks reduce the sums, not the count), over rows of SHARES. */
const SHARE_TOTALS = `sum(s.amount)::text AS net,
       coalesce(sum(s.amount) FILTER (WHERE s.account = 'platform_revenue'), 0)::text AS platform,
       coalesce(sum(s.amount) FILTER (WHERE s.account LIKE 'agency\\_payable:%'), 0)::text AS agencies,
       coalesce(sum(s.amount) FILTER (WHERE s.account LIKE 'vendor\\_payable:%'), 0)::text AS vendors,
       count(DISTINCT s.entry_id) FILTER (WHERE s.kind = 'payment')::int AS payments`;

const GROUPS = {
  period: { key: `s.period`, zh: `s.period`, en: `s.period`, join: '', where: '' },
  product: { key: `pr.id::text`, zh: `pr.title_zh`, en: `pr.title_en`, join: '', where: '' },
  vendor: { key: `pr.organization_id::text`, zh: `seller.name`, en: `seller.name`, join: `JOIN organizations seller ON seller.id = pr.organization_id`, where: '' },
  theme: { key: `pr.theme`, zh: `pr.theme`, en: `pr.theme`, join: '', where: '' },
  agency: { key: `s.agency_id::text`, zh: `agency.name`, en: `agency.name`, join: `JOIN organizations agency ON agency.id = s.agency_id`, where: `AND s.agency_id IS NOT NULL` },
  dataset: { key: `s.dataset_id::text`, zh: `d.title_zh`, en: `d.title_en`, join: `JOIN datasets d ON d.id = s.dataset_id`, where: `AND s.dataset_id IS NOT NULL` },
} as const;

const FILTERS = { agency: 's.agency_id', dataset: 's.dataset_id', product: 'pr.id', vendor: 'pr.organization_id' } as const;

type Row = Record<string, unknown>;
const num = (value: unknown) => Number(value ?? 0);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A row of SHARE_TOTALS as the report's row. */
const revenueRow = (row: Row, key: string, labelZh: string, labelEn: string): RevenueRowDto => ({
  key,
  labelZh,
  labelEn,
  currency: (row.currency as string).trim(),
  net: num(row.net),
  platform: num(row.platform),
  agencies: num(row.agencies),
  vendors: num(row.vendors),
  payments: num(row.payments),
});

/**
 * Government finance's view of the money: the revenue-sharing policy, revenue by any
 * dimension from the ledger, account balances, the journal, receivables ageing, the
 * reconciliation of the ledger with the payment records, and the monthly close. Sellers see
 * their own statement. Every figure comes from the journal; nothing is stored twice.
 */
@Injectable()
export class FinanceService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly providerRecords: ProviderRecordsService,
  ) {}

  async policy(): Promise<FinancePolicyViewDto> {
    const policy = await currentFinancePolicy(this.dataSource);
    const rates: Row[] = await this.dataSource.query(
      `SELECT r.agency_id, o.name AS agency_name, r.dataset_id, d.title_zh, d.title_en, r.royalty_bp, r.updated_at
         FROM royalty_rates r JOIN organizations o ON o.id = r.agency_id LEFT JOIN datasets d ON d.id = r.dataset_id
        ORDER BY o.name, d.title_en NULLS FIRST`,
    );
    return {
      policy: { ...policy, createdAt: policy.createdAt.toISOString() },
      royaltyRates: rates.map((row) => ({
        agencyId: row.agency_id as string,
        agencyName: row.agency_name as string,
        datasetId: (row.dataset_id as string) ?? null,
        datasetTitleZh: (row.title_zh as string) ?? null,
        datasetTitleEn: (row.title_en as string) ?? null,
        royaltyBp: num(row.royalty_bp),
        updatedAt: (row.updated_at as Date).toISOString(),
      })),
    };
  }

  async setPolicy(actor: Actor, principal: Principal, input: SetFinancePolicyDto): Promise<FinancePolicyViewDto> {
    const maxRoyalty: Array<{ max: number | null }> = await this.dataSource.query(`SELECT max(royalty_bp) AS max FROM royalty_rates`);
    const highest = Math.max(input.defaultRoyaltyBp, num(maxRoyalty[0]?.max));
    if (input.platformFeeBp + highest > 10_000) {
      throw new DomainError('billing.invalid_split', 'The platform fee and the highest royalty rate together exceed 100 %.', [
        { field: 'platformFeeBp', messages: [`at most ${10_000 - highest} with royalty rates up to ${highest} basis points`], max: 10_000 - highest },
      ]);
    }
    await this.dataSource.transaction(async (manager) => {
      // A new policy keeps the collection account in force unless it names another.
      const given = input.collectionAccount;
      const account = given
        ? { payee: given.payee.trim(), bank: given.bank.trim(), accountNumber: given.accountNumber }
        : (await currentFinancePolicy(manager)).collectionAccount;
      await manager.query(
        `INSERT INTO finance_policies (platform_fee_bp, default_royalty_bp, vat_rate_bp, note, collection_payee, collection_bank, collection_account, created_by_user_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [input.platformFeeBp, input.defaultRoyaltyBp, input.vatRateBp, input.note ?? '', account?.payee ?? null, account?.bank ?? null, account?.accountNumber ?? null, principal.userId],
      );
      await this.audit.record(manager, actor, { action: 'finance.policy_changed', targetType: 'finance_policy', targetId: null, data: { ...input, collectionAccount: account } });
    });
    return this.policy();
  }

  async setRoyaltyRate(actor: Actor, principal: Principal, input: SetRoyaltyRateDto): Promise<FinancePolicyViewDto> {
    const agency: Row[] = await this.dataSource.query(`SELECT kind FROM organizations WHERE id = $1`, [input.agencyId]);
    if (agency[0]?.kind !== 'agency') throw new DomainError('request.invalid', 'agencyId must be an agency.', [{ field: 'agencyId', messages: ['not an agency'] }]);
    if (input.datasetId) {
      const dataset: Row[] = await this.dataSource.query(`SELECT organization_id FROM datasets WHERE id = $1`, [input.datasetId]);
      if (dataset[0]?.organization_id !== input.agencyId) throw new DomainError('request.invalid', 'datasetId must be a dataset of the agency.', [{ field: 'datasetId', messages: ['not a dataset of this agency'] }]);
    }
    const policy = await currentFinancePolicy(this.dataSource);
    if (policy.platformFeeBp + input.royaltyBp > 10_000) {
      throw new DomainError('billing.invalid_split', 'The platform fee and this royalty together exceed 100 %.', [{ field: 'royaltyBp', messages: [`at most ${10_000 - policy.platformFeeBp}`], max: 10_000 - policy.platformFeeBp }]);
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO royalty_rates (agency_id, dataset_id, royalty_bp, updated_by_user_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (agency_id, coalesce(dataset_id, '00000000-0000-0000-0000-000000000000')) DO UPDATE SET royalty_bp = EXCLUDED.royalty_bp, updated_by_user_id = EXCLUDED.updated_by_user_id, updated_at = now()`,
        [input.agencyId, input.datasetId ?? null, input.royaltyBp, principal.userId],
      );
      await this.audit.record(manager, actor, { action: 'finance.royalty_rate_set', targetType: 'organization', targetId: input.agencyId, data: { ...input } });
    });
    return this.policy();
  }

  async revenue(query: RevenueQueryDto): Promise<RevenueReportDto> {
    const group = GROUPS[query.groupBy];
    const params: unknown[] = [query.from ?? null, query.to ?? null];
    let filter = '';
    if (query.filterBy && query.filterId) {
      params.push(query.filterId);
      filter = `AND ${FILTERS[query.filterBy]} = $3`;
    } else if (query.filterBy || query.filterId) {
      throw new DomainError('request.invalid', 'filterBy and filterId go together.', [{ field: 'filterId', messages: ['filterBy and filterId go together'] }]);
    }
    const rows: Row[] = await this.dataSource.query(
      `WITH s AS (${SHARES})
       SELECT ${group.key} AS key, min(${group.zh}) AS label_zh, min(${group.en}) AS label_en, s.currency, ${SHARE_TOTALS}
         FROM s JOIN products pr ON pr.id = s.product_id ${group.join}
        WHERE true ${group.where} ${filter}
        GROUP BY 1, s.currency
        ORDER BY ${query.groupBy === 'period' ? '1' : 'sum(s.amount) DESC, 1'}, s.currency`,
      params,
    );
    const items = rows.map((row) => {
      const theme = query.groupBy === 'theme' ? THEMES[row.key as keyof typeof THEMES] : undefined;
      const key = row.key as string;
      return revenueRow(row, key, theme?.zh ?? (query.groupBy === 'theme' ? key : (row.label_zh as string)), theme?.en ?? (query.groupBy === 'theme' ? key : (row.label_en as string)));
    });
    // Totals per currency, each payment counted once (one payment pays several agencies).
    const totalRows: Row[] = await this.dataSource.query(
      `WITH s AS (${SHARES})
       SELECT s.currency, ${SHARE_TOTALS}
         FROM s JOIN products pr ON pr.id = s.product_id ${group.join}
        WHERE true ${group.where} ${filter}
        GROUP BY s.currency ORDER BY s.currency`,
      params,
    );
    const totals = totalRows.map((row) => revenueRow(row, 'total', '合计', 'Total'));
    return { groupBy: query.groupBy, from: query.from ?? null, to: query.to ?? null, rows: items, totals };
  }

  /**
   * The revenue report as CSV, one row per group and currency: amounts in minor units (exact
   * integers for systems) and again as decimal text in the currency's unit (for people).
   */
  revenueCsv(report: RevenueReportDto): string {
    const quote = (value: string | number) => (typeof value === 'number' ? String(value) : /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
    const lines = [['group', 'key', 'label_zh', 'label_en', 'currency', 'net_minor', 'platform_minor', 'agencies_minor', 'vendors_minor', 'payments', 'net', 'platform', 'agencies', 'vendors'].join(',')];
    for (const row of [...report.rows, ...report.totals]) {
      const decimal = (amount: number) => moneyToDecimal({ amount, currency: row.currency });
      lines.push(
        [report.groupBy, row.key, row.labelZh, row.labelEn, row.currency, row.net, row.platform, row.agencies, row.vendors, row.payments, decimal(row.net), decimal(row.platform), decimal(row.agencies), decimal(row.vendors)]
          .map(quote)
          .join(','),
      );
    }
    return `${lines.join('\n')}\n`;
  }

  /**
   * The revenue report as a spreadsheet. Amounts are exact integers of minor units (so
   * sheets can sum them); the net is also given as exact decimal text in the currency.
   */
  async revenueXlsx(report: RevenueReportDto): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    workbook.created = new Date();
    const sheet = workbook.addWorksheet(`Revenue by ${report.groupBy}`);
    sheet.columns = [
      { header: 'Key', key: 'key', width: 38 },
      { header: '名称', key: 'labelZh', width: 36 },
      { header: 'Name', key: 'labelEn', width: 36 },
      { header: 'Currency', key: 'currency', width: 10 },
      { header: 'Net 净收入', key: 'netText', width: 18 },
      { header: 'Net (minor units)', key: 'net', width: 18 },
      { header: 'Platform (minor units)', key: 'platform', width: 20 },
      { header: 'Agencies (minor units)', key: 'agencies', width: 20 },
      { header: 'Vendors (minor units)', key: 'vendors', width: 20 },
      { header: 'Payments 笔数', key: 'payments', width: 14 },
    ];
    sheet.getRow(1).font = { bold: true };
    for (const row of [...report.rows, ...report.totals]) {
      const added = sheet.addRow({ ...row, netText: moneyToDecimal({ amount: row.net, currency: row.currency }) });
      added.getCell('netText').alignment = { horizontal: 'right' };
      if (row.key === 'total') added.font = { bold: true };
    }
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }

  private async describeAccounts(balances: Array<{ account: string; currency: string; balance: string }>): Promise<AccountBalanceDto[]> {
    const owners = [...new Set(balances.map((row) => row.account.split(':')[1]).filter((id): id is string => Boolean(id) && /^[0-9a-f-]{36}$/.test(id!)))];
    const names = new Map<string, string>(
      owners.length ? ((await this.dataSource.query(`SELECT id, name FROM organizations WHERE id = ANY($1)`, [owners])) as Row[]).map((row) => [row.id as string, row.name as string]) : [],
    );
    return balances.map((row) => ({
      account: row.account,
      kind: accountKind(row.account),
      organizationName: names.get(row.account.split(':')[1] ?? '') ?? null,
      currency: row.currency.trim(),
      balance: Number(row.balance),
    }));
  }

  async accounts(throughPeriod?: string): Promise<AccountBalanceDto[]> {
    return this.describeAccounts(await accountBalances(this.dataSource, { throughPeriod }));
  }

  async journal(query: JournalQueryDto): Promise<JournalPageDto> {
    const limit = query.limit ?? 50;
    const entries: Row[] = await this.dataSource.query(
      `SELECT e.id, e.kind, e.idempotency_key, e.period, e.occurred_at, e.memo FROM journal_entries e
        WHERE ($1::text IS NULL OR e.period = $1)
          AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM journal_postings p WHERE p.entry_id = e.id AND p.account = $2))
          AND ($3::uuid IS NULL OR e.idempotency_key IN (
                SELECT 'invoice:' || $3::text UNION ALL SELECT 'invoice-void:' || $3::text UNION ALL SELECT 'credit-note:' || $3::text
                UNION ALL SELECT 'refund:' || r.id FROM refunds r WHERE r.credit_note_id = $3::uuid
                UNION ALL SELECT 'payment:' || p.id FROM payments p WHERE p.invoice_id = $3::uuid
                UNION ALL SELECT r.kind || ':' || r.id FROM refunds r WHERE r.invoice_id = $3::uuid
                UNION ALL SELECT 'dispute-won:' || d.refund_id FROM dispute_reinstatements d JOIN refunds r ON r.id = d.refund_id WHERE r.invoice_id = $3::uuid))
          AND ($4::bigint IS NULL OR e.id < $4)
        ORDER BY e.id DESC LIMIT $5`,
      [query.period ?? null, query.account ?? null, query.invoiceId ?? null, query.before ?? null, limit + 1],
    );
    const page = entries.slice(0, limit);
    const postings: Row[] = page.length
      ? await this.dataSource.query(`SELECT entry_id, account, currency, amount::text, dimensions FROM journal_postings WHERE entry_id = ANY($1) ORDER BY entry_id, id`, [page.map((entry) => entry.id)])
      : [];
    const byEntry = new Map<string, Row[]>();
    for (const posting of postings) byEntry.set(String(posting.entry_id), [...(byEntry.get(String(posting.entry_id)) ?? []), posting]);
    // Names for the ids the postings are about (products, datasets, buyers, invoices).
    const ids = (key: string) => [...new Set(postings.map((posting) => (posting.dimensions as Record<string, string>)[key]).filter((id): id is string => UUID.test(id ?? '')))];
    const labels: Row[] = postings.length
      ? await this.dataSource.query(
          `SELECT id::text, title_zh AS zh, title_en AS en FROM products WHERE id = ANY($1::uuid[])
           UNION ALL SELECT id::text, title_zh, title_en FROM datasets WHERE id = ANY($2::uuid[])
           UNION ALL SELECT id::text, name, name FROM organizations WHERE id = ANY($3::uuid[])
           UNION ALL SELECT id::text, number, number FROM invoices WHERE id = ANY($4::uuid[])`,
          [ids('product'), ids('dataset'), ids('buyer'), ids('invoice')],
        )
      : [];
    return {
      labels: Object.fromEntries(labels.map((row) => [row.id as string, { zh: row.zh as string, en: row.en as string }])),
      items: page.map((entry) => ({
        id: Number(entry.id),
        kind: entry.kind as string,
        idempotencyKey: entry.idempotency_key as string,
        period: (entry.period as string).trim(),
        occurredAt: (entry.occurred_at as Date).toISOString(),
        memo: entry.memo as string,
        postings: (byEntry.get(String(entry.id)) ?? []).map((posting) => ({
          account: posting.account as string,
          currency: (posting.currency as string).trim(),
          amount: Number(posting.amount),
          dimensions: posting.dimensions as Record<string, string>,
        })),
      })),
      nextBefore: entries.length > limit ? Number(page[page.length - 1]!.id) : null,
    };
  }

  async ageing(now = new Date()): Promise<AgeingReportDto> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT i.id, i.number, o.name AS buyer_name, i.currency, (i.total - i.amount_paid - i.amount_credited)::text AS outstanding, i.due_at,
              greatest(0, floor(extract(epoch FROM ($1::timestamptz - coalesce(i.due_at, $1::timestamptz))) / 86400))::int AS days_overdue
         FROM invoices i JOIN organizations o ON o.id = i.organization_id
        WHERE i.status = 'open' AND i.kind <> 'credit_note' AND i.total > i.amount_paid + i.amount_credited
        ORDER BY days_overdue DESC, i.due_at NULLS LAST`,
      [now],
    );
    // Credit notes not yet settled: money the platform owes buyers, to refund.
    const credits: Row[] = await this.dataSource.query(
      `SELECT i.id, i.number, o.name AS buyer_name, i.currency, (i.total - i.amount_credited)::text AS amount, i.issued_at
         FROM invoices i JOIN organizations o ON o.id = i.organization_id
        WHERE i.status = 'open' AND i.kind = 'credit_note'
        ORDER BY i.issued_at, i.number LIMIT 500`,
    );
    const bucketOf = (days: number) => (days <= 0 ? 'current' : days <= 30 ? '1-30' : days <= 60 ? '31-60' : days <= 90 ? '61-90' : '90+');
    const invoices = rows.map((row) => ({
      id: row.id as string,
      number: row.number as string,
      buyerName: row.buyer_name as string,
      currency: (row.currency as string).trim(),
      outstanding: num(row.outstanding),
      dueAt: row.due_at ? (row.due_at as Date).toISOString() : null,
      daysOverdue: num(row.days_overdue),
      bucket: bucketOf(num(row.days_overdue)),
    }));
    const buckets = new Map<string, { bucket: string; currency: string; invoices: number; outstanding: number }>();
    for (const bucket of ['current', '1-30', '31-60', '61-90', '90+']) {
      for (const currency of new Set(invoices.map((invoice) => invoice.currency))) buckets.set(`${bucket}|${currency}`, { bucket, currency, invoices: 0, outstanding: 0 });
    }
    for (const invoice of invoices) {
      const bucket = buckets.get(`${invoice.bucket}|${invoice.currency}`)!;
      bucket.invoices += 1;
      bucket.outstanding += invoice.outstanding;
    }
    return {
      asOf: now.toISOString(),
      buckets: [...buckets.values()],
      invoices: invoices.slice(0, 500),
      openCredits: credits.map((row) => ({ id: row.id as string, number: row.number as string, buyerName: row.buyer_name as string, currency: (row.currency as string).trim(), amount: num(row.amount), issuedAt: (row.issued_at as Date).toISOString() })),
    };
  }

  /**
   * The ledger against the payment records: every payment and refund posted once with its
   * amount, every non-zero invoice posted, every entry balanced, and per provider and
   * currency the money received less refunded equal to the clearing account's movements.
   * Then, when Stripe is configured, our records against Stripe's own (its balance
   * transactions), each movement matched to the record we keep of it.
   */
  async reconciliation(): Promise<ReconciliationReportDto> {
    const issues: ReconciliationIssueDto[] = [];
    const payments: Row[] = await this.dataSource.query(
      `SELECT p.id, p.provider, p.provider_reference, trim(p.currency) AS currency, p.amount::text AS amount, c.amount::text AS posted, e.id AS entry_id
         FROM payments p
         LEFT JOIN journal_entries e ON e.idempotency_key = 'payment:' || p.id
         LEFT JOIN LATERAL (SELECT sum(amount) AS amount FROM journal_postings jp WHERE jp.entry_id = e.id AND jp.account LIKE 'clearing:%') c ON true`,
    );
    for (const payment of payments) {
      const currency = payment.currency as string;
      if (!payment.entry_id) issues.push({ kind: 'payment_not_posted', reference: `${payment.provider}:${payment.provider_reference}`, message: 'A payment has no journal entry.', currency, expected: num(payment.amount), actual: null });
      else if (num(payment.posted) !== num(payment.amount)) {
        issues.push({ kind: 'amount_mismatch', reference: `${payment.provider}:${payment.provider_reference}`, message: 'The journal entry’s amount differs from the payment.', currency, expected: num(payment.amount), actual: num(payment.posted) });
      }
    }
    const orphans: Row[] = await this.dataSource.query(
      `SELECT e.idempotency_key FROM journal_entries e WHERE e.kind = 'payment'
          AND NOT EXISTS (SELECT 1 FROM payments p WHERE 'payment:' || p.id = e.idempotency_key)`,
    );
    for (const orphan of orphans) issues.push({ kind: 'posting_without_payment', reference: orphan.idempotency_key as string, message: 'A payment entry has no payment record.', currency: null, expected: null, actual: null });
    const refunds: Row[] = await this.dataSource.query(
      `SELECT r.id, r.kind, trim(r.currency) AS currency, r.amount::text FROM refunds r WHERE NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.idempotency_key = r.kind || ':' || r.id)`,
    );
    for (const refund of refunds) issues.push({ kind: 'refund_not_posted', reference: refund.id as string, message: `A ${refund.kind as string} has no journal entry.`, currency: refund.currency as string, expected: num(refund.amount), actual: null });
    const invoices: Row[] = await this.dataSource.query(
      `SELECT i.number, trim(i.currency) AS currency, i.total::text FROM invoices i WHERE i.total > 0 AND i.status <> 'draft'
          AND NOT EXISTS (SELECT 1 FROM journal_entries e WHERE e.idempotency_key = CASE WHEN i.kind = 'credit_note' THEN 'credit-note:' ELSE 'invoice:' END || i.id)`,
    );
    for (const invoice of invoices) issues.push({ kind: 'invoice_not_posted', reference: invoice.number as string, message: 'An issued invoice has no journal entry.', currency: invoice.currency as string, expected: num(invoice.total), actual: null });
    const invariants = await ledgerInvariants(this.dataSource);
    if (invariants.unbalancedEntries > 0) issues.push({ kind: 'unbalanced_entry', reference: 'journal', message: `${invariants.unbalancedEntries} journal entries do not balance.`, currency: null, expected: 0, actual: invariants.unbalancedEntries });
    const providerRows: Row[] = await this.dataSource.query(
      `WITH provider AS (
         SELECT provider, currency, sum(amount) AS net FROM payments GROUP BY provider, currency
         UNION ALL SELECT provider, currency, -sum(amount) FROM refunds GROUP BY provider, currency
         UNION ALL SELECT r.provider, r.currency, sum(r.amount) FROM dispute_reinstatements d JOIN refunds r ON r.id = d.refund_id GROUP BY r.provider, r.currency),
       ledger AS (
         SELECT substring(p.account FROM 10) AS provider, p.currency, sum(p.amount) AS net
           FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id
          WHERE p.account LIKE 'clearing:%' AND e.kind IN (${REVENUE_KINDS_SQL}) GROUP BY 1, 2)
       SELECT coalesce(pr.provider, l.provider) AS provider, coalesce(pr.currency, l.currency) AS currency, coalesce(pr.net, 0)::text AS provider_net, coalesce(l.net, 0)::text AS ledger_net
         FROM (SELECT provider, currency, sum(net) AS net FROM provider GROUP BY 1, 2) pr
         FULL JOIN ledger l ON l.provider = pr.provider AND l.currency = pr.currency
        ORDER BY 1, 2`,
    );
    const providers = providerRows.map((row) => ({ provider: row.provider as string, currency: (row.currency as string).trim(), providerNet: num(row.provider_net), ledgerNet: num(row.ledger_net) }));
    for (const total of providers) {
      if (total.providerNet !== total.ledgerNet) {
        issues.push({ kind: 'provider_total_mismatch', reference: `${total.provider}:${total.currency}`, message: 'Received less refunded differs from the clearing account.', currency: total.currency, expected: total.providerNet, actual: total.ledgerNet });
      }
    }
    const stripe = await this.providerRecords.reconcile();
    if (stripe?.error) issues.push({ kind: 'provider_unreachable', reference: stripe.provider, message: `Stripe's records could not be read: ${stripe.error}`, currency: null, expected: null, actual: null });
    for (const mismatch of stripe?.mismatches ?? []) {
      issues.push({ kind: PROVIDER_ISSUE[mismatch.kind], reference: `${stripe!.provider}:${mismatch.reference}`, message: providerMessage(mismatch.kind, mismatch.movement), currency: mismatch.currency, expected: mismatch.expected, actual: mismatch.actual });
    }
    return {
      from: null,
      to: null,
      matched: issues.length === 0,
      providers,
      providerRecords: stripe ? { provider: stripe.provider, error: stripe.error, movements: stripe.providerMovements, matched: stripe.matched, totals: stripe.totals } : null,
      issues: issues.slice(0, 500),
      paymentsChecked: payments.length,
      invoicesChecked: num(((await this.dataSource.query(`SELECT count(*)::int AS n FROM invoices`)) as Row[])[0]?.n),
    };
  }

  async periods(now = new Date()): Promise<PeriodListDto> {
    const current = accountingPeriod(now);
    const rows: Row[] = await this.dataSource.query(
      `WITH activity AS (
         SELECT e.period, count(DISTINCT e.id)::int AS entries FROM journal_entries e GROUP BY e.period),
       revenue AS (
         SELECT p.period, p.currency, -sum(p.amount) AS net FROM journal_postings p JOIN journal_entries e ON e.id = p.entry_id
          WHERE e.kind IN (${REVENUE_KINDS_SQL}) AND (p.account = 'platform_revenue' OR p.account LIKE '%\\_payable:%')
          GROUP BY 1, 2)
       SELECT k.period, coalesce(a.entries, 0) AS entries, c.closed_at, u.display_name AS closed_by, c.note,
              coalesce((SELECT jsonb_object_agg(trim(r.currency), r.net) FROM revenue r WHERE r.period = k.period), '{}') AS net_revenue
         FROM (SELECT period FROM activity UNION SELECT period FROM finance_period_closes UNION SELECT $1) k
         LEFT JOIN activity a ON a.period = k.period
         LEFT JOIN finance_period_closes c ON c.period = k.period
         LEFT JOIN users u ON u.id = c.closed_by_user_id
        ORDER BY k.period DESC`,
      [current],
    );
    return {
      currentPeriod: current,
      items: rows.map((row) => ({
        period: (row.period as string).trim(),
        entries: num(row.entries),
        netRevenue: Object.fromEntries(Object.entries((row.net_revenue as Record<string, string | number>) ?? {}).map(([currency, value]) => [currency, Number(value)])),
        closed: Boolean(row.closed_at),
        closedAt: row.closed_at ? (row.closed_at as Date).toISOString() : null,
        closedBy: (row.closed_by as string) ?? null,
        note: (row.note as string) ?? null,
      })),
    };
  }

  /** Signs off an ended accounting period: reconciled, then locked (the database refuses entries into it). */
  async closePeriod(actor: Actor, principal: Principal, period: string, note: string | undefined, now = new Date()): Promise<PeriodListDto> {
    if (period >= accountingPeriod(now)) throw new DomainError('billing.period_open', 'Only a period that has ended can be closed.', [{ field: 'period', messages: [`before ${accountingPeriod(now)}`] }]);
    const earlier: Row[] = await this.dataSource.query(
      `SELECT DISTINCT e.period FROM journal_entries e WHERE e.period < $1 AND NOT EXISTS (SELECT 1 FROM finance_period_closes c WHERE c.period = e.period) ORDER BY 1 LIMIT 1`,
      [period],
    );
    if (earlier[0]) {
      const open = (earlier[0].period as string).trim();
      throw new DomainError('billing.period_open', `Periods are closed in order: close ${open} first.`, [{ field: 'period', messages: [`close ${open} first`], period: open }]);
    }
    const reconciliation = await this.reconciliation();
    if (!reconciliation.matched) {
      throw new DomainError('billing.unreconciled', 'The ledger does not reconcile with the payment records; resolve the differences first.', reconciliation.issues.slice(0, 20));
    }
    const accounts = await this.accounts(period);
    await this.dataSource.transaction(async (manager) => {
      const inserted: Row[] = await manager.query(
        `INSERT INTO finance_period_closes (period, closed_by_user_id, note, totals) VALUES ($1, $2, $3, $4) ON CONFLICT (period) DO NOTHING RETURNING period`,
        [period, principal.userId, note ?? '', JSON.stringify({ balances: accounts })],
      );
      if (inserted.length === 0) throw new DomainError('billing.period_closed', `Period ${period} is already closed.`);
      await this.audit.record(manager, actor, { action: 'finance.period_closed', targetType: 'finance_period', targetId: null, data: { period, note: note ?? '' } });
    });
    return this.periods(now);
  }

  /** A seller's own revenue: its shares of payments by period, product (and dataset for agencies), and what it is owed. */
  async statement(principal: Principal, query: { from?: string; to?: string }): Promise<SellerStatementDto> {
    const orgs: Row[] = await this.dataSource.query(`SELECT kind FROM organizations WHERE id = $1`, [principal.organizationId]);
    const role = orgs[0]?.kind === 'agency' ? 'agency' : 'vendor';
    const account = `${role}_payable:${principal.organizationId}`;
    const rows: Row[] = await this.dataSource.query(
      `WITH s AS (${SHARES})
       SELECT s.period, pr.id AS product_id, pr.title_zh, pr.title_en, s.dataset_id, d.title_zh AS dataset_zh, d.title_en AS dataset_en, s.currency,
              sum(s.amount)::text AS amount, count(DISTINCT s.entry_id) FILTER (WHERE s.kind = 'payment')::int AS payments
         FROM s JOIN products pr ON pr.id = s.product_id LEFT JOIN datasets d ON d.id = s.dataset_id
        WHERE s.account = $3
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        ORDER BY s.period DESC, sum(s.amount) DESC`,
      [query.from ?? null, query.to ?? null, account],
    );
    const balances = await this.describeAccounts(await accountBalances(this.dataSource, { accountPrefix: account }));
    return {
      role,
      lines: rows.map((row) => ({
        period: (row.period as string).trim(),
        productId: row.product_id as string,
        productTitleZh: row.title_zh as string,
        productTitleEn: row.title_en as string,
        datasetId: (row.dataset_id as string) ?? null,
        datasetTitleZh: (row.dataset_zh as string) ?? null,
        datasetTitleEn: (row.dataset_en as string) ?? null,
        currency: (row.currency as string).trim(),
        amount: num(row.amount),
        payments: num(row.payments),
      })),
      balances,
    };
  }
}
