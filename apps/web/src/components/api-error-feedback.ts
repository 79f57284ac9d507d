import { App, type FormInstance } from 'antd';
import type { TFunction } from 'i18next';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/api-error';

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
  rate_limited: 'errors.rateLimited',
  network_error: 'errors.network',
} as const;

function retryAfterSeconds(details: unknown): number | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const value = (details as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return typeof value === 'number' ? value : undefined;
}

export function describeApiError(error: unknown, t: TFunction): string {
  if (!(error instanceof ApiError)) return t('errors.unexpected');
  if (error.code === 'auth.locked') {
    const seconds = retryAfterSeconds(error.details);
    return seconds === undefined ? t('errors.locked') : t('errors.lockedFor', { minutes: Math.max(1, Math.ceil(seconds / 60)) });
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
