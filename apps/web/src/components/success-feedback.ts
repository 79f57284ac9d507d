import { App } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

export type SuccessMessage =
  | 'roleChanged'
  | 'memberRemoved'
  | 'invitationRevoked'
  | 'apiKeyRevoked'
  | 'organizationApproved'
  | 'datasetCreated'
  | 'datasetSaved'
  | 'columnsSaved'
  | 'datasetPublished'
  | 'datasetWithdrawn'
  | 'datasetReclassified'
  | 'accessRequested'
  | 'accessRequestWithdrawn'
  | 'accessApproved'
  | 'accessRejected'
  | 'grantRevoked';

/** A short confirmation after an action whose effect is not otherwise obvious on screen. */
export function useNotifySuccess(): (what: SuccessMessage) => void {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return useCallback((what: SuccessMessage) => void message.success(t(`feedback.${what}`)), [message, t]);
}
