import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Popconfirm, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Organization, OrganizationKind, OrganizationStatus } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { useShowApiError } from '../components/api-error-feedback';
import { useNotifySuccess } from '../components/success-feedback';
import { DateTime } from '../components/date-time';

// Records keyed by the schema's unions: a new kind or status in the API fails the build here.
const kindIsListed: Record<OrganizationKind, true> = { agency: true, vendor: true, enterprise: true, finance: true, platform: true };
const statusColors: Record<OrganizationStatus, string> = { active: 'green', pending_approval: 'gold', suspended: 'red' };
const organizationKinds = Object.keys(kindIsListed) as OrganizationKind[];
const organizationStatuses = Object.keys(statusColors) as OrganizationStatus[];

export function OrganizationsTable() {
  const me = useMe();
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const showError = useShowApiError();
  const notifySuccess = useNotifySuccess();
  const canManage = hasPermission(me.permissions, 'organizations:manage');
  const [kind, setKind] = useState<OrganizationKind | undefined>();
  const [status, setStatus] = useState<OrganizationStatus | undefined>();

  const organizations = useQuery({
    queryKey: queryKeys.organizations({ kind, status }),
    queryFn: () => unwrap(api.GET('/api/v1/organizations', { params: { query: { kind, status } } })),
  });

  const approve = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/organizations/{id}/approve', { params: { path: { id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.organizationsAll });
      notifySuccess('organizationApproved');
    },
    onError: showError,
  });

  const columns: TableColumnsType<Organization> = [
    { dataIndex: 'name', title: t('organizations.name') },
    { key: 'slug', title: t('organizations.slug'), render: (_, organization) => <Typography.Text code>{organization.slug}</Typography.Text> },
    { key: 'kind', title: t('organizations.kind'), render: (_, organization) => t(`organizationKinds.${organization.kind}`) },
    {
      key: 'status',
      title: t('organizations.status'),
      render: (_, organization) => <Tag color={statusColors[organization.status]}>{t(`organizationStatuses.${organization.status}`)}</Tag>,
    },
    { key: 'createdAt', title: t('organizations.createdAt'), render: (_, organization) => <DateTime value={organization.createdAt} /> },
  ];
  if (canManage) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      render: (_, organization) =>
        organization.kind === 'vendor' && organization.status === 'pending_approval' ? (
          <Popconfirm
            title={t('organizations.approveConfirm', { name: organization.name })}
            okText={t('organizations.approve')}
            cancelText={t('common.cancel')}
            onConfirm={() => approve.mutateAsync(organization.id).catch(() => undefined)}
          >
            <Button size="small" type="primary" data-testid={`organization-approve-${organization.id}`}>
              {t('organizations.approve')}
            </Button>
          </Popconfirm>
        ) : null,
    });
  }

  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select<OrganizationKind>
          allowClear
          placeholder={t('organizations.filterKind')}
          aria-label={t('organizations.filterKind')}
          value={kind}
          onChange={setKind}
          style={{ minWidth: 180 }}
          data-testid="organizations-filter-kind"
          options={organizationKinds.map((value) => ({ value, label: t(`organizationKinds.${value}`) }))}
        />
        <Select<OrganizationStatus>
          allowClear
          placeholder={t('organizations.filterStatus')}
          aria-label={t('organizations.filterStatus')}
          value={status}
          onChange={setStatus}
          style={{ minWidth: 180 }}
          data-testid="organizations-filter-status"
          options={organizationStatuses.map((value) => ({ value, label: t(`organizationStatuses.${value}`) }))}
        />
      </Space>
      <Table<Organization>
        scroll={{ x: 'max-content' }}
        rowKey="id"
        data-testid="organizations-table"
        loading={organizations.isPending}
        dataSource={organizations.data?.items}
        columns={columns}
        locale={{ emptyText: organizations.isError ? t('common.loadFailed') : t('organizations.empty') }}
      />
    </>
  );
}
