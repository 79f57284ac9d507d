export { accountBalances, ledgerInvariants, postJournalEntries, REVENUE_KINDS_SQL, type AccountBalance, type PostResult } from './ledger-store.js';
export { currentFinancePolicy, invoiceFacts, paymentJournalEntry, postInvoiceIssued, postPayment, RevenueSplitter, type CollectionAccount, type FinancePolicy } from './revenue-store.js';
export { closeBillingPeriods, type BillingCloseOptions, type BillingCloseResult } from './billing-close.js';
export { givenBackSql, recordRefund, reinstateChargeback, type RecordRefundInput, type ReinstateChargebackInput, type RefundRecord } from './refund-store.js';
export {
  listSettlements,
  markSettlementFailed,
  markSettlementPaid,
  prepareSettlements,
  settlementLines,
  toSettlement,
  type Settlement,
  type SettlementKind,
  type SettlementMethod,
  type StatementLine,
} from './settlement-store.js';
