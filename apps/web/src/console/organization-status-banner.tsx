import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import type { OrganizationKind, OrganizationStatus } from '../api/schema-types';

/** Tells members why their organization cannot act yet (vendor awaiting approval, suspension). */
export function OrganizationStatusBanner({ status, kind }: { status: OrganizationStatus; kind: OrganizationKind }) {
  const { t } = useTranslation();
  if (status === 'pending_approval') {
    return (
      <Alert
        data-testid="pending-approval-banner"
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        title={t('console.pendingApprovalTitle')}
        description={kind === 'vendor' ? t('console.pendingApprovalVendor') : t('console.pendingApprovalGeneric')}
      />
    );
  }
  if (status === 'suspended') {
    return (
      <Alert
        data-testid="suspended-banner"
        type="error"
        showIcon
        style={{ marginBottom: 16 }}
        title={t('console.suspendedTitle')}
        description={t('console.suspendedDescription')}
      />
    );
  }
  return null;
}
