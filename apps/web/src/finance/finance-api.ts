// The finance console's queries: one key space ("finance"), so a change (a closed period, a new
// policy) refreshes every view of the money at once.
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
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

/** The file name of a Content-Disposition header, if it has one. */
export function dispositionFilename(header: string | null): string | null {
  const match = header ? /filename="?([^";]+)"?/i.exec(header) : null;
  return match?.[1]?.trim() || null;
}

/**
 * The revenue report as CSV, fetched through the API client (the session's bearer token, a
 * refreshed one when it expired) and saved. A byte order mark goes first: spreadsheet
 * programs need it to read the Chinese names as UTF-8.
 */
export async function downloadRevenueCsv(query: RevenueQuery): Promise<string> {
  let result: Awaited<ReturnType<typeof requestCsv>>;
  try {
    result = await requestCsv(query);
  } catch (cause) {
    throw ApiError.network(cause);
  }
  const body = result.data as Blob | undefined;
  if (!result.response.ok || typeof body?.text !== 'function') throw ApiError.fromResponse(result.response, result.error);
  const filename = dispositionFilename(result.response.headers.get('Content-Disposition')) ?? `revenue-by-${query.groupBy}.csv`;
  const text = await body.text();
  saveBlob(new Blob([text.startsWith('\ufeff') ? text : `\ufeff${text}`], { type: 'text/csv;charset=utf-8' }), filename);
  return filename;
}

export type StatementFormat = 'pdf' | 'csv';

/**
 * A settlement's statement (PDF or CSV), fetched through the API client like the revenue CSV
 * and saved: from the finance console, or (`own`) the payee's own from its statement page.
 */
export async function downloadSettlementStatement(id: string, format: StatementFormat, own = false): Promise<string> {
  let result: Awaited<ReturnType<typeof requestStatement>>;
  try {
    result = await requestStatement(id, format, own);
  } catch (cause) {
    throw ApiError.network(cause);
  }
  const body = result.data as Blob | undefined;
  if (!result.response.ok || typeof body?.text !== 'function') throw ApiError.fromResponse(result.response, result.error);
  const filename = dispositionFilename(result.response.headers.get('Content-Disposition')) ?? `settlement-${id.slice(0, 8)}.${format}`;
  if (format === 'csv') {
    const text = await body.text();
    saveBlob(new Blob([text.startsWith('\ufeff') ? text : `\ufeff${text}`], { type: 'text/csv;charset=utf-8' }), filename);
  } else {
    saveBlob(body, filename);
  }
  return filename;
}

function requestStatement(id: string, format: StatementFormat, own: boolean) {
  const options = { params: { path: { id }, query: { format } }, parseAs: 'blob' as const };
  return own ? api.GET('/api/v1/revenue/settlements/{id}/statement', options) : api.GET('/api/v1/finance/settlements/{id}/statement', options);
}

function requestCsv(query: RevenueQuery) {
  return api.GET('/api/v1/finance/revenue', { params: { query: { ...query, format: 'csv' } }, parseAs: 'blob' });
}

function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
