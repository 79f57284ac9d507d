import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Empty, Flex, Popconfirm, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { DatasetLink, GrantStateTag, GrantTerm, PurposeAndTerm, RequestDetails, RequestStatusTag } from '../access/access-display';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { AccessRequest, Grant } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { useShowApiError } from '../components/api-error-feedback';
import { formatDate } from '../components/number-format';
import { PageHeader } from '../components/page-header';
import { useNotifySuccess } from '../components/success-feedback';

/** The organization's requests for conditional data and the grants it holds. */
export function MyAccessPage() {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader
        title={t('access.mine.title')}
        description={t('access.mine.description')}
        extra={
          <Link to="/catalog?classification=conditional">
            <Button data-testid="my-access-browse">{t('access.mine.browseConditional')}</Button>
          </Link>
        }
      />
      <Flex vertical gap={16}>
        <Card title={t('access.mine.grantsTitle')} size="small">
          <MyGrantsTable />
        </Card>
        <Card title={t('access.mine.requestsTitle')} size="small">
          <MyRequestsTable />
        </Card>
      </Flex>
    </>
  );
}

function MyRequestsTable() {
  const me = useMe();
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const showError = useShowApiError();
  const notifySuccess = useNotifySuccess();
  const canFile = hasPermission(me.permissions, 'access_requests:file');
  const requests = useQuery({ queryKey: queryKeys.myAccessRequests, queryFn: () => unwrap(api.GET('/api/v1/access-requests')) });

  const withdraw = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/access-requests/{id}/withdraw', { params: { path: { id } } })),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.accessRequestsAll });
      notifySuccess('accessRequestWithdrawn');
    },
    onError: showError,
  });

  const columns: TableColumnsType<AccessRequest> = [
    { key: 'dataset', title: t('access.fields.dataset'), render: (_, request) => <DatasetLink dataset={request.dataset} /> },
    { key: 'agency', title: t('access.fields.agency'), render: (_, request) => request.agency.name },
    { key: 'purpose', title: t('access.fields.purpose'), render: (_, request) => <PurposeAndTerm request={request} /> },
    { key: 'filed', title: t('access.fields.filed'), render: (_, request) => formatDate(request.createdAt, i18n.language) },
    {
      key: 'status',
      title: t('access.fields.status'),
      render: (_, request) => (
        <Space orientation="vertical" size={2}>
          <RequestStatusTag status={request.status} />
          {request.decisionReason ? (
            <Typography.Text type="secondary" ellipsis={{ tooltip: request.decisionReason }} style={{ maxWidth: 220 }} data-testid="access-decision-reason">
              {request.decisionReason}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
  ];
  if (canFile) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      render: (_, request) =>
        request.status === 'pending' ? (
          <Popconfirm
            title={t('access.mine.withdrawConfirm')}
            okText={t('access.mine.withdraw')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => withdraw.mutateAsync(request.id).catch(() => undefined)}
          >
            <Button size="small" danger data-testid={`access-withdraw-${request.id}`}>
              {t('access.mine.withdraw')}
            </Button>
          </Popconfirm>
        ) : null,
    });
  }

  return (
    <Table<AccessRequest>
      data-testid="my-access-requests-table"
      rowKey="id"
      size="small"
      loading={requests.isPending}
      columns={columns}
      dataSource={requests.data?.items}
      pagination={false}
      scroll={{ x: 'max-content' }}
      expandable={{ expandedRowRender: (request) => <RequestDetails request={request} inTable /> }}
      locale={{
        emptyText: requests.isError ? t('common.loadFailed') : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('access.mine.noRequests')} />,
      }}
    />
  );
}

function MyGrantsTable() {
  const { t } = useTranslation();
  const grants = useQuery({ queryKey: queryKeys.accessGrants, queryFn: () => unwrap(api.GET('/api/v1/access-grants')) });
  const columns: TableColumnsType<Grant> = [
    { key: 'dataset', title: t('access.fields.dataset'), render: (_, grant) => <DatasetLink dataset={grant.dataset} /> },
    { key: 'agency', title: t('access.fields.agency'), render: (_, grant) => grant.agency.name },
    { key: 'purpose', title: t('access.fields.purpose'), render: (_, grant) => t(`vocab.purposes.${grant.purpose}`) },
    { key: 'term', title: t('access.fields.period'), render: (_, grant) => <GrantTerm grant={grant} /> },
    {
      key: 'state',
      title: t('access.fields.state'),
      render: (_, grant) => (
        <Space orientation="vertical" size={0}>
          <GrantStateTag state={grant.state} />
          {grant.revokedReason ? <Typography.Text type="secondary">{grant.revokedReason}</Typography.Text> : null}
        </Space>
      ),
    },
  ];
  return (
    <Table<Grant>
      data-testid="my-grants-table"
      rowKey="id"
      size="small"
      loading={grants.isPending}
      columns={columns}
      dataSource={grants.data?.items}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: grants.isError ? t('common.loadFailed') : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('access.mine.noGrants')} /> }}
    />
  );
}
