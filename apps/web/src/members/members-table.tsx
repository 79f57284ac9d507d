import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Popconfirm, Select, Table, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, expectNoContent, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Member, MemberRole } from '../api/schema-types';
import { useAuth, useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { useShowApiError } from '../components/api-error-feedback';
import { useNotifySuccess } from '../components/success-feedback';
import { DateTime } from '../components/date-time';
import { rolesByOrganizationKind } from './member-roles';

export function MembersTable() {
  const me = useMe();
  const { reloadSession } = useAuth();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showError = useShowApiError();
  const notifySuccess = useNotifySuccess();
  const canManage = hasPermission(me.permissions, 'members:manage');
  const roles = rolesByOrganizationKind[me.organization.kind];

  const members = useQuery({ queryKey: queryKeys.members, queryFn: () => unwrap(api.GET('/api/v1/members')) });

  const changeRole = useMutation({
    mutationFn: ({ id, role }: { id: string; role: MemberRole }) =>
      unwrap(api.PATCH('/api/v1/members/{id}', { params: { path: { id } }, body: { role } })),
    onSuccess: async (member) => {
      // Changing one's own role changes one's permissions: take a token that says so.
      if (member.user.id === me.user.id) await reloadSession();
      await queryClient.invalidateQueries({ queryKey: queryKeys.members });
      notifySuccess('roleChanged');
    },
    onError: showError,
  });

  const remove = useMutation({
    mutationFn: (member: Member) => expectNoContent(api.DELETE('/api/v1/members/{id}', { params: { path: { id: member.id } } })),
    onSuccess: async (_, member) => {
      if (member.user.id === me.user.id) await reloadSession();
      await queryClient.invalidateQueries({ queryKey: queryKeys.members });
      notifySuccess('memberRemoved');
    },
    onError: showError,
  });

  const columns: TableColumnsType<Member> = [
    { key: 'name', title: t('members.name'), render: (_, member) => member.user.displayName },
    { key: 'email', title: t('members.email'), render: (_, member) => member.user.email },
    {
      key: 'role',
      title: t('members.role'),
      render: (_, member) =>
        canManage && roles.length > 1 ? (
          <Select<MemberRole>
            size="small"
            value={member.role}
            aria-label={t('members.changeRole')}
            data-testid={`member-role-${member.id}`}
            disabled={changeRole.isPending}
            style={{ minWidth: 160 }}
            options={roles.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            onChange={(role) => changeRole.mutate({ id: member.id, role })}
          />
        ) : (
          <Tag>{t(`roles.${member.role}`)}</Tag>
        ),
    },
    { key: 'createdAt', title: t('members.joined'), render: (_, member) => <DateTime value={member.createdAt} /> },
  ];
  if (canManage) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      render: (_, member) => (
        <Popconfirm
          title={t('members.removeConfirm', { name: member.user.displayName })}
          okText={t('members.remove')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={() => remove.mutateAsync(member).catch(() => undefined)}
        >
          <Button danger size="small" data-testid={`member-remove-${member.id}`}>
            {member.user.id === me.user.id ? t('members.leave') : t('members.remove')}
          </Button>
        </Popconfirm>
      ),
    });
  }

  return (
    <Table<Member>
      scroll={{ x: 'max-content' }}
      rowKey="id"
      data-testid="members-table"
      loading={members.isPending}
      dataSource={members.data?.items}
      columns={columns}
      pagination={false}
      locale={members.isError ? { emptyText: t('common.loadFailed') } : undefined}
    />
  );
}
