// Named aliases for the finance API's generated types (schema.d.ts, tag `finance`).
import type { components, paths } from '../api/schema';

type Schemas = components['schemas'];

export type FinancePolicyView = Schemas['FinancePolicyViewDto'];
export type FinancePolicy = Schemas['FinancePolicyDto'];
export type RoyaltyRate = Schemas['RoyaltyRateDto'];
export type SetFinancePolicyRequest = Schemas['SetFinancePolicyDto'];
export type SetRoyaltyRateRequest = Schemas['SetRoyaltyRateDto'];
export type RevenueReport = Schemas['RevenueReportDto'];
export type RevenueRow = Schemas['RevenueRowDto'];
export type RevenueGroup = RevenueReport['groupBy'];
export type RevenueQuery = paths['/api/v1/finance/revenue']['get']['parameters']['query'];
export type RevenueFilterBy = NonNullable<RevenueQuery['filterBy']>;
export type AccountBalance = Schemas['AccountBalanceDto'];
export type AccountKind = AccountBalance['kind'];
export type JournalEntry = Schemas['JournalEntryDto'];
// A won dispute reverses a chargeback; the API's schema does not list that kind yet.
export type JournalEntryKind = JournalEntry['kind'] | 'dispute_won';
export type Posting = Schemas['PostingDto'];
export type JournalPage = Schemas['JournalPageDto'];
export type JournalQuery = NonNullable<paths['/api/v1/finance/journal']['get']['parameters']['query']>;
export type AgeingReport = Schemas['AgeingReportDto'];
export type AgeingBucket = Schemas['AgeingBucketDto'];
export type AgeingBucketName = AgeingBucket['bucket'];
export type AgeingInvoice = Schemas['AgeingInvoiceDto'];
export type ReconciliationReport = Schemas['ReconciliationReportDto'];
export type ReconciliationIssue = Schemas['ReconciliationIssueDto'];
export type ReconciliationIssueKind = ReconciliationIssue['kind'];
export type ProviderTotal = Schemas['ProviderTotalDto'];
export type PeriodList = Schemas['PeriodListDto'];
export type PeriodSummary = Schemas['PeriodSummaryDto'];
export type SellerStatement = Schemas['SellerStatementDto'];
export type StatementLine = Schemas['StatementLineDto'];
export type Settlement = Schemas['SettlementDto'];
export type SettlementKind = Settlement['kind'];
export type SettlementMethod = Settlement['method'];
export type SettlementStatus = Settlement['status'];
export type InvoicePayment = Schemas['InvoicePaymentDto'];
export type RecordRefundRequest = Schemas['RecordRefundDto'];
export type Refund = Schemas['RefundDto'];
