// The finance console's queries: one key space ("finance"), so a change (a closed period, a new
// policy) refreshes every view of the money at once.
import { api, unwrap } from '../api/client';
import { saveDownload } from '../api/file-download';
import { shortId } from './finance-format';
import type { JournalQuery, RevenueQuery } from './finance-types';

export const financeKeys = {
  all: ['finance'] as const,
  revenue: (query: RevenueQuery) => ['finance', 'revenue', query] as const,
  accounts: (through: string | undefined) => ['finance', 'accounts', through ?? null] as const,
  journal: (query: Omit<JournalQuery, 'before'>) => ['finance', 'journal', query] as const,
  ageing: ['finance', 'ageing'] as const,
  reconciliation: ['finance', 'reconciliation'] as const,
  periods: ['finance', 'periods'] as const,
  policy: ['finance', 'policy'] as const,
  statement: (from: string | undefined, to: string | undefined) => ['revenue-statement', from ?? null, to ?? null] as const,
  agencies: ['finance', 'catalog-agencies'] as const,
  agencyDatasets: (agency: string) => ['finance', 'catalog-agency-datasets', agency] as const,
  settlements: (period: string) => ['finance', 'settlements', period] as const,
  ownSettlements: ['revenue-settlements'] as const,
};

export const JOURNAL_PAGE_SIZE = 50;

export const fetchRevenue = (query: RevenueQuery) => unwrap(api.GET('/api/v1/finance/revenue', { params: { query } }));
export const fetchAccounts = (through: string | undefined) => unwrap(api.GET('/api/v1/finance/accounts', { params: { query: through ? { to: through } : {} } }));
export const fetchJournal = (query: JournalQuery) => unwrap(api.GET('/api/v1/finance/journal', { params: { query: { limit: JOURNAL_PAGE_SIZE, ...query } } }));
export const fetchAgeing = () => unwrap(api.GET('/api/v1/finance/receivables/ageing'));
export const fetchReconciliation = () => unwrap(api.GET('/api/v1/finance/reconciliation'));
export const fetchPeriods = () => unwrap(api.GET('/api/v1/finance/periods'));
export const fetchPolicy = () => unwrap(api.GET('/api/v1/finance/policy'));
export const fetchStatement = (from: string | undefined, to: string | undefined) =>
  unwrap(api.GET('/api/v1/revenue/statement', { params: { query: { ...(from ? { from } : {}), ...(to ? { to } : {}) } } }));

export const fetchSettlements = (period: string) => unwrap(api.GET('/api/v1/finance/settlements', { params: { query: { period } } }));
export const fetchOwnSettlements = () => unwrap(api.GET('/api/v1/revenue/settlements'));

export type RevenueExportFormat = 'csv' | 'xlsx';

/**
 * The name an export is saved under when the server gives none: the grouping, the drilled-into
 * agency, dataset, product or vendor (its id's first characters), and the range.
 */
export function revenueExportName(query: RevenueQuery, format: RevenueExportFormat): string {
  const filter = query.filterBy && query.filterId ? `-${query.filterBy}-${shortId(query.filterId)}` : '';
  const range = [query.from, query.to].filter(Boolean).map((period) => `-${period}`).join('');
  return `revenue-by-${query.groupBy}${filter}${range}.${format}`;
}

/**
 * The revenue report as CSV (with a byte order mark for spreadsheet programs) or as an Excel
 * workbook, fetched through the API client and saved. Returns the file name.
 */
export const downloadRevenue = (query: RevenueQuery, format: RevenueExportFormat): Promise<string> =>
  saveDownload(() => api.GET('/api/v1/finance/revenue', { params: { query: { ...query, format } }, parseAs: 'blob' }), revenueExportName(query, format), { bom: format === 'csv' });

export type StatementFormat = 'pdf' | 'csv';

/**
 * A settlement's statement (PDF or CSV), fetched through the API client and saved: from the
 * finance console, or (`own`) the payee's own from its statement page.
 */
export function downloadSettlementStatement(id: string, format: StatementFormat, own = false): Promise<string> {
  const options = { params: { path: { id }, query: { format } }, parseAs: 'blob' as const };
  return saveDownload(
    () => (own ? api.GET('/api/v1/revenue/settlements/{id}/statement', options) : api.GET('/api/v1/finance/settlements/{id}/statement', options)),
    `settlement-${id.slice(0, 8)}.${format}`,
    { bom: format === 'csv' },
  );
}
