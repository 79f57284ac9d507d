import { Flex, Grid, Select, Tag, Typography } from 'antd';
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
      <Flex align="center" gap={8} data-testid="current-organization" style={{ minWidth: 0 }}>
        {/* Shortened to the room the header leaves; the whole name on hover or long press. */}
        <Typography.Text strong ellipsis={{ tooltip: me.organization.name }} style={{ minWidth: 0, maxWidth: 420 }}>
          {me.organization.name}
        </Typography.Text>
        {narrow ? null : <Tag style={{ marginInlineEnd: 0, flex: 'none' }}>{t(`organizationKinds.${me.organization.kind}`)}</Tag>}
      </Flex>
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
      style={{ width: narrow ? '100%' : undefined, minWidth: narrow ? 0 : 160, maxWidth: narrow ? '100%' : 420 }}
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
