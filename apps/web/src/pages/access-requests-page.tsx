import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Segmented, Space, Table, Tabs, Typography, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { DatasetLink, GrantStateTag, GrantTerm, grantsOf, PurposeAndTerm, RequestDetails, RequestStatusTag, sortForReview } from '../access/access-display';
import { DecisionModal, type Decision } from '../access/decision-modals';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { AccessRequest, Grant } from '../api/schema-types';
import { formatDate } from '../components/number-format';
import { PageHeader } from '../components/page-header';

type RequestFilter = 'pending' | 'all';

/** The steward's queue: requests for the agency's conditional data, and the grants made. */
export function AccessRequestsPage() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<RequestFilter>('pending');
  const [decision, setDecision] = useState<Decision | null>(null);
  const requests = useQuery({ queryKey: queryKeys.agencyAccessRequests, queryFn: () => unwrap(api.GET('/api/v1/agency/access-requests')) });
  const all = sortForReview(requests.data?.items ?? []);
  const pendingCount = all.filter((request) => request.status === 'pending').length;
  const rows = filter === 'pending' ? all.filter((request) => request.status === 'pending') : all;
  const grants = grantsOf(all);

  return (
    <>
      <PageHeader title={t('access.queue.title')} description={t('access.queue.description')} />
      <Tabs
        data-testid="access-queue-tabs"
        items={[
          {
            key: 'requests',
            label: (
              <Space size={6} data-testid="access-tab-requests">
                {t('access.queue.requestsTab')}
                <Badge count={pendingCount} size="small" />
              </Space>
            ),
            children: (
              <>
                <Segmented<RequestFilter>
                  style={{ marginBottom: 16 }}
                  value={filter}
                  onChange={setFilter}
                  data-testid="access-queue-filter"
                  options={[
                    { value: 'pending', label: t('access.queue.filterPending', { count: pendingCount }) },
                    { value: 'all', label: t('access.queue.filterAll', { count: all.length }) },
                  ]}
                />
                <RequestsTable
                  requests={rows}
                  loading={requests.isPending}
                  error={requests.isError}
                  emptyText={filter === 'pending' ? t('access.queue.emptyPending') : t('access.queue.empty')}
                  onDecide={setDecision}
                />
              </>
            ),
          },
          {
            key: 'grants',
            label: <span data-testid="access-tab-grants">{t('access.queue.grantsTab')}</span>,
            children: <AgencyGrantsTable grants={grants} loading={requests.isPending} onRevoke={(grant) => setDecision({ kind: 'revoke', grant })} />,
          },
        ]}
      />
      <DecisionModal decision={decision} onClose={() => setDecision(null)} />
    </>
  );
}

function RequestsTable({
  requests,
  loading,
  error,
  emptyText,
  onDecide,
}: {
  requests: AccessRequest[];
  loading: boolean;
  error: boolean;
  emptyText: string;
  onDecide(decision: Decision): void;
}) {
  const { t, i18n } = useTranslation();
  const columns: TableColumnsType<AccessRequest> = [
    { key: 'dataset', title: t('access.fields.dataset'), render: (_, request) => <DatasetLink dataset={request.dataset} /> },
    {
      key: 'organization',
      title: t('access.fields.organization'),
      render: (_, request) => (
        <Space orientation="vertical" size={0}>
          <span>{request.organization.name}</span>
          {request.requestedByEmail ? <Typography.Text type="secondary">{request.requestedByEmail}</Typography.Text> : null}
        </Space>
      ),
    },
    { key: 'purpose', title: t('access.fields.purpose'), render: (_, request) => <PurposeAndTerm request={request} /> },
    { key: 'filed', title: t('access.fields.filed'), render: (_, request) => formatDate(request.createdAt, i18n.language) },
    { key: 'status', title: t('access.fields.status'), render: (_, request) => <RequestStatusTag status={request.status} /> },
    {
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      render: (_, request) =>
        request.status === 'pending' ? (
          <Space>
            <Button size="small" type="primary" onClick={() => onDecide({ kind: 'approve', request })} data-testid={`access-approve-${request.id}`}>
              {t('access.decide.approve')}
            </Button>
            <Button size="small" danger onClick={() => onDecide({ kind: 'reject', request })} data-testid={`access-reject-${request.id}`}>
              {t('access.decide.reject')}
            </Button>
          </Space>
        ) : request.grant?.state === 'active' ? (
          <Button size="small" danger onClick={() => onDecide({ kind: 'revoke', grant: request.grant as Grant })} data-testid={`access-revoke-${request.grant.id}`}>
            {t('access.decide.revoke')}
          </Button>
        ) : null,
    },
  ];
  return (
    <Table<AccessRequest>
      data-testid="access-requests-table"
      rowKey="id"
      loading={loading}
      columns={columns}
      dataSource={requests}
      pagination={requests.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      scroll={{ x: 'max-content' }}
      expandable={{ expandedRowRender: (request) => <RequestDetails request={request} inTable /> }}
      rowClassName={(request) => `access-request-row-${request.status}`}
      onRow={(request) => ({ 'data-testid': `access-request-${request.id}` }) as HTMLAttributes<HTMLElement>}
      locale={{ emptyText: error ? t('common.loadFailed') : emptyText }}
    />
  );
}

function AgencyGrantsTable({ grants, loading, onRevoke }: { grants: Grant[]; loading: boolean; onRevoke(grant: Grant): void }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<Grant> = [
    { key: 'dataset', title: t('access.fields.dataset'), render: (_, grant) => <DatasetLink dataset={grant.dataset} /> },
    { key: 'organization', title: t('access.fields.organization'), render: (_, grant) => grant.organization.name },
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
    {
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      render: (_, grant) =>
        grant.state === 'active' ? (
          <Button size="small" danger onClick={() => onRevoke(grant)} data-testid={`grant-revoke-${grant.id}`}>
            {t('access.decide.revoke')}
          </Button>
        ) : null,
    },
  ];
  return (
    <Table<Grant>
      data-testid="agency-grants-table"
      rowKey="id"
      loading={loading}
      columns={columns}
      dataSource={grants}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('access.queue.noGrants') }}
    />
  );
}
