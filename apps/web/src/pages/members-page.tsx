import { UserAddOutlined } from '@ant-design/icons';
import { Button, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { PageHeader } from '../components/page-header';
import { InvitationsTable } from '../members/invitations-table';
import { InviteMemberModal } from '../members/invite-member-modal';
import { MembersTable } from '../members/members-table';

export function MembersPage() {
  const me = useMe();
  const { t } = useTranslation();
  const [inviting, setInviting] = useState(false);
  const canManage = hasPermission(me.permissions, 'members:manage');

  return (
    <>
      <PageHeader
        title={t('members.title')}
        description={t('members.description', { organization: me.organization.name })}
        extra={
          canManage ? (
            <Button type="primary" icon={<UserAddOutlined />} onClick={() => setInviting(true)} data-testid="invite-open">
              {t('invitations.create')}
            </Button>
          ) : null
        }
      />
      <MembersTable />
      {/* Invitations are part of managing members: roles that cannot manage do not see them. */}
      {canManage ? (
        <>
          <Typography.Title level={4} style={{ marginTop: 32 }}>
            {t('invitations.title')}
          </Typography.Title>
          <InvitationsTable />
          <InviteMemberModal open={inviting} onClose={() => setInviting(false)} />
        </>
      ) : null}
    </>
  );
}
