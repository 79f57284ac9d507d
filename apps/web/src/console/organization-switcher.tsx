import { Grid, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAuth, useMe } from '../auth/auth-context';
import { useShowApiError } from '../components/api-error-feedback';

/** Current organization; a selector when the user belongs to several. */
export function OrganizationSwitcher() {
  const me = useMe();
  const { switchOrganization } = useAuth();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const showError = useShowApiError();
  const [switching, setSwitching] = useState(false);
  // Phones: the name alone, so the header's icons keep their room.
  const narrow = !Grid.useBreakpoint().md;

  if (me.memberships.length < 2) {
    return (
      <Space data-testid="current-organization" style={{ minWidth: 0 }}>
        <Typography.Text strong ellipsis style={{ maxWidth: 'min(40vw, 420px)', verticalAlign: 'middle' }}>
          {me.organization.name}
        </Typography.Text>
        {narrow ? null : <Tag>{t(`organizationKinds.${me.organization.kind}`)}</Tag>}
      </Space>
    );
  }

  return (
    <Select
      data-testid="org-switcher"
      aria-label={t('console.switchOrganization')}
      value={me.organization.id}
      loading={switching}
      disabled={switching}
      popupMatchSelectWidth={false}
      style={{ minWidth: 160, maxWidth: '45vw' }}
      options={me.memberships.map((membership) => ({
        value: membership.organizationId,
        label: `${membership.organizationName} · ${t(`organizationKinds.${membership.organizationKind}`)}`,
      }))}
      onChange={async (organizationId: string) => {
        setSwitching(true);
        try {
          await switchOrganization(organizationId);
          navigate('/console');
        } catch (error) {
          showError(error);
        } finally {
          setSwitching(false);
        }
      }}
    />
  );
}
