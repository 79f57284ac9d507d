import { Alert, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/api-error';
import { describeApiError } from '../components/api-error-feedback';
import type { ReconciliationIssue } from './finance-types';

/** Finance's own error codes in the reader's language; any other through the console's usual wording. */
export function describeFinanceError(error: unknown, t: TFunction, context: { period?: string } = {}): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'billing.unreconciled':
        return t('finance.errors.unreconciled');
      case 'billing.period_closed':
        return t('finance.errors.periodClosed', { period: context.period ?? '' });
      case 'billing.period_open':
        return t('finance.errors.periodOpen', { period: context.period ?? '' });
      case 'billing.invalid_split':
        return t('finance.errors.invalidSplit');
      case 'auth.forbidden':
        return t('finance.errors.forbidden');
    }
  }
  return describeApiError(error, t);
}

function isIssue(value: unknown): value is ReconciliationIssue {
  return typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string' && typeof (value as { reference?: unknown }).reference === 'string';
}

/** The differences a refused close lists (the error's details), if any. */
export function unreconciledIssues(error: unknown): ReconciliationIssue[] {
  return error instanceof ApiError && error.code === 'billing.unreconciled' && Array.isArray(error.details) ? error.details.filter(isIssue) : [];
}

/** A refused finance action, with the differences to resolve when reconciliation failed. */
export function FinanceErrorAlert({ error, period, testId }: { error: unknown; period?: string; testId: string }) {
  const { t } = useTranslation();
  const issues = unreconciledIssues(error);
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid={testId}
      data-code={error instanceof ApiError ? error.code : ''}
      title={describeFinanceError(error, t, { period })}
      description={
        issues.length > 0 ? (
          <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid={`${testId}-issues`}>
            {issues.map((issue, index) => (
              <li key={`${issue.kind}|${issue.reference}|${index}`}>
                {t(`finance.reconciliation.issueKinds.${issue.kind}`)}{' '}
                <Typography.Text code style={{ wordBreak: 'break-all' }}>
                  {issue.reference}
                </Typography.Text>
              </li>
            ))}
          </ul>
        ) : undefined
      }
    />
  );
}
