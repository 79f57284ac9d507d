export {
  activateForPaidInvoice,
  issueInvoice,
  applyLicenceEvent,
  convergeLicenceStatus,
  statusOf,
  recordPayment,
  type InvoiceLineInput,
  type IssueInvoiceInput,
  type LicenseChangeContext,
  type LicensePatch,
  type RecordPaymentInput,
} from './license-store.js';
export { activeLicenceUnder, type ActiveLicenceInput } from './licence-factory.js';
