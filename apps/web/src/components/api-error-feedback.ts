import { App, type FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/api-error';
import { i18n } from '../i18n/i18n';
import { formatBytes } from './number-format';

// Codes the UI words itself (in the user's language); any other code shows the server's message.
const localizedErrorKeys = {
  'auth.invalid_credentials': 'errors.invalidCredentials',
  'auth.refresh_invalid': 'errors.sessionExpired',
  'identity.email_taken': 'errors.emailTaken',
  'identity.weak_password': 'errors.weakPassword',
  'identity.last_admin': 'errors.lastAdmin',
  'identity.invitation_invalid': 'errors.invitationInvalid',
  'identity.already_member': 'errors.alreadyMember',
  'auth.forbidden': 'errors.forbiddenDescription',
  'auth.unauthenticated': 'errors.signInRequired',
  'catalog.not_found': 'errors.datasetNotFound',
  'catalog.slug_taken': 'errors.slugTaken',
  'catalog.no_version': 'errors.noVersion',
  'catalog.rows_not_available': 'errors.rowsNotAvailable',
  'catalog.ingestion_busy': 'errors.ingestionBusy',
  'catalog.unknown_column': 'errors.unknownColumn',
  'delivery.unreadable_file': 'errors.unreadableFile',
  'access.not_conditional': 'errors.notConditional',
  'access.already_pending': 'errors.alreadyPending',
  'access.already_granted': 'errors.alreadyGranted',
  'access.invalid_state': 'errors.alreadyDecided',
  'access.own_dataset': 'errors.ownDataset',
  'licensing.terms_changed': 'errors.termsChanged',
  'licensing.own_product': 'errors.ownProduct',
  'licensing.purchase_pending': 'errors.purchasePending',
  'licensing.already_licensed': 'errors.alreadyLicensed',
  'licensing.already_decided': 'errors.purchaseDecided',
  'licensing.not_payable': 'errors.notPayable',
  'licensing.not_cancellable': 'errors.notCancellable',
  'licensing.not_resumable': 'errors.notResumable',
  'licensing.provider_mismatch': 'errors.providerMismatch',
  'licensing.payment_processing': 'errors.paymentProcessing',
  'licensing.offer_not_found': 'errors.offerNotFound',
  'licensing.offer_archived': 'errors.offerArchived',
  'licensing.too_many_offers': 'errors.tooManyOffers',
  'licensing.product_retired': 'errors.productRetired',
  'licensing.not_found': 'errors.licenceNotFound',
  'licensing.template_key_taken': 'errors.templateKeyTaken',
  'licensing.template_key_reserved': 'errors.templateKeyReserved',
  'licensing.invalid_policy': 'errors.invalidPolicy',
  'pricing.invalid_plan': 'errors.invalidPlan',
  'billing.invoice_not_open': 'errors.invoiceNotOpen',
  'billing.credit_exceeds_note': 'errors.creditExceedsNote',
  'billing.credit_note_mismatch': 'errors.creditNoteMismatch',
  'billing.credit_note_not_payable': 'errors.creditNoteNotPayable',
  'billing.not_offline': 'errors.invoiceNotOffline',
  'billing.duplicate_reference': 'errors.duplicateReference',
  'billing.amount_mismatch': 'errors.amountMismatch',
  'payments.unavailable': 'errors.paymentsUnavailable',
  'payments.provider_error': 'errors.paymentProviderError',
  rate_limited: 'errors.rateLimited',
  network_error: 'errors.network',
} as const;

function numberDetail(details: unknown, name: string): number | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const value = (details as Record<string, unknown>)[name];
  return typeof value === 'number' ? value : undefined;
}

function retryAfterSeconds(details: unknown): number | undefined {
  return numberDetail(details, 'retryAfterSeconds');
}

interface QueryProblemWords {
  key: string;
  values: Record<string, string>;
}

/**
 * The first problem of a refused data query (`details.problems`), when the UI words its code
 * itself (`errors.invalidQuery.<code>`): by the column, its type, what it takes and the value
 * given when the server names them, else by the field.
 */
function firstQueryProblem(details: unknown, t: TFunction): QueryProblemWords | undefined {
  const problems = (details as { problems?: unknown } | null)?.problems;
  const first = Array.isArray(problems) ? (problems[0] as Record<string, unknown> | undefined) : undefined;
  if (!first || typeof first.field !== 'string' || typeof first.code !== 'string') return undefined;
  const { column, type, expected, value } = first;
  if (first.code === 'invalid_value' && typeof column === 'string' && typeof type === 'string' && typeof expected === 'string' && typeof value === 'string') {
    const kind = `errors.invalidQuery.kinds.${expected}`;
    if (i18n.exists(kind)) return { key: 'errors.invalidQuery.valueForColumn', values: { column, type, value, expected: t(kind as never) } };
  }
  const key = `errors.invalidQuery.${first.code}`;
  return i18n.exists(key) ? { key, values: { field: first.field } } : undefined;
}

export function describeApiError(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError)) return t('errors.unexpected');
  if (error.code === 'auth.locked') {
    const seconds = retryAfterSeconds(error.details);
    return seconds === undefined ? t('errors.locked') : t('errors.lockedFor', { minutes: Math.max(1, Math.ceil(seconds / 60)) });
  }
  if (error.code === 'catalog.upload_too_large' || error.code === 'delivery.file_too_large') {
    const limit = numberDetail(error.details, 'limitBytes');
    return limit === undefined ? t('errors.uploadTooLarge') : t('errors.uploadTooLargeLimit', { size: formatBytes(limit, i18n.language) });
  }
  if (error.code === 'request.too_large') {
    const limit = numberDetail(error.details, 'limitBytes');
    return limit === undefined ? t('errors.requestTooLarge') : t('errors.requestTooLargeLimit', { size: formatBytes(limit, i18n.language) });
  }
  // The server's words are English and name the value; other languages get the problem worded here.
  if (error.code === 'delivery.invalid_query' && !i18n.language.startsWith('en')) {
    const problem = firstQueryProblem(error.details, t);
    if (problem) return t(problem.key as never, problem.values);
  }
  const key = localizedErrorKeys[error.code as keyof typeof localizedErrorKeys];
  if (key) return t(key);
  return error.message || t('errors.unexpected');
}

/** Puts server-side validation messages next to the matching form fields; true if any matched. */
export function applyValidationIssues(form: FormInstance, error: unknown, t?: TFunction): boolean {
  if (!(error instanceof ApiError)) return false;
  const fieldNames = new Set(form.getFieldsError().map((field) => field.name.join('.')));
  const issues = error.validationIssues.filter((issue) => fieldNames.has(issue.field));
  // A code the UI words itself is shown in the user's language beside the field too.
  const localized = t && error.code in localizedErrorKeys ? t(localizedErrorKeys[error.code as keyof typeof localizedErrorKeys]) : null;
  form.setFields(issues.map((issue) => ({ name: issue.field.split('.'), errors: localized ? [localized] : issue.messages })));
  return issues.length > 0;
}

/** Shows an API failure as an antd message (uses the App context so theme and locale apply). */
export function useShowApiError(): (error: unknown) => void {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return useCallback((error: unknown) => void message.error(describeApiError(error, t)), [message, t]);
}

/** For forms: field messages beside the fields, and the overall message as a toast. */
export function useFormErrorHandler(form: FormInstance): (error: unknown) => void {
  const showError = useShowApiError();
  const { t } = useTranslation();
  return useCallback(
    (error: unknown) => {
      applyValidationIssues(form, error, t);
      showError(error);
    },
    [form, showError, t],
  );
}
