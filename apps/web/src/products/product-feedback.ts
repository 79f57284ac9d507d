import { App } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { describeProductError } from './derive-error';

export type ProductSuccess =
  | 'created'
  | 'saved'
  | 'inputsSaved'
  | 'sqlSaved'
  | 'runStarted'
  | 'runCancelled'
  | 'submitted'
  | 'submissionCancelled'
  | 'published'
  | 'retired'
  | 'resumed'
  | 'approved'
  | 'rejected';

/** Confirmations and failures of product actions, worded in the reader's language. */
export function useProductFeedback() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return useMemo(
    () => ({
      success: (what: ProductSuccess) => void message.success(t(`products.feedback.${what}`)),
      error: (error: unknown) => void message.error(describeProductError(error, t)),
    }),
    [message, t],
  );
}
