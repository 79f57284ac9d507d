import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Popconfirm, Table, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, expectNoContent, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Invitation, InvitationStatus } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { useShowApiError } from '../components/api-error-feedback';
import { useNotifySuccess } from '../components/success-feedback';
import { DateTime } from '../components/date-time';

const statusColors: Record<InvitationStatus, string> = { pending: 'blue', accepted: 'green', revoked: 'default', expired: 'default' };

export function InvitationsTable() {
  const me = useMe();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showError = useShowApiError();
  const notifySuccess = useNotifySuccess();
  const canManage = hasPermission(me.permissions, 'members:manage');

  const invitations = useQuery({ queryKey: queryKeys.invitations, queryFn: () => unwrap(api.GET('/api/v1/invitations')) });

  const revoke = useMutation({
    mutationFn: (id: string) => expectNoContent(api.DELETE('/api/v1/invitations/{id}', { params: { path: { id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.invitations });
      notifySuccess('invitationRevoked');
    },
    onError: showError,
  });

  const columns: TableColumnsType<Invitation> = [
    { dataIndex: 'email', title: t('members.email') },
    { key: 'role', title: t('members.role'), render: (_, invitation) => t(`roles.${invitation.role}`) },
    {
      key: 'status',
      title: t('invitations.status'),
      render: (_, invitation) => <Tag color={statusColors[invitation.status]}>{t(`invitationStatuses.${invitation.status}`)}</Tag>,
    },
    { key: 'expiresAt', title: t('invitations.expiresAt'), render: (_, invitation) => <DateTime value={invitation.expiresAt} /> },
    { key: 'createdAt', title: t('invitations.createdAt'), render: (_, invitation) => <DateTime value={invitation.createdAt} /> },
  ];
  if (canManage) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      render: (_, invitation) =>
        invitation.status === 'pending' ? (
          <Popconfirm
            title={t('invitations.revokeConfirm', { email: invitation.email })}
            okText={t('invitations.revoke')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => revoke.mutateAsync(invitation.id).catch(() => undefined)}
          >
            <Button size="small" danger data-testid={`invitation-revoke-${invitation.id}`}>
              {t('invitations.revoke')}
            </Button>
          </Popconfirm>
        ) : null,
    });
  }

  return (
    <Table<Invitation>
      scroll={{ x: 'max-content' }}
      rowKey="id"
      data-testid="invitations-table"
      loading={invitations.isPending}
      dataSource={invitations.data?.items}
      columns={columns}
      pagination={false}
      locale={{ emptyText: invitations.isError ? t('common.loadFailed') : t('invitations.empty') }}
    />
  );
}
