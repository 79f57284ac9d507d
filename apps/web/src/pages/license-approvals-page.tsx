import { useQuery } from '@tanstack/react-query';
import { Button, Descriptions, Empty, Flex, Segmented, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { License } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { LicenseStateTag, optionalText, pairText } from '../commerce/commerce-display';
import { LicenseDecisionModal, type LicenseDecision } from '../commerce/license-decision-modal';
import { LicenseProduct } from '../commerce/license-display';
import { formatDate } from '../components/number-format';
import { PageHeader } from '../components/page-header';

type Filter = 'pending' | 'all';

/** Purchases of purpose-bound offers the organization must approve (as seller or as the agency whose data is used). */
export function LicenseApprovalsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [filter, setFilter] = useState<Filter>('pending');
  const [decision, setDecision] = useState<LicenseDecision | null>(null);
  const queue = useQuery({
    queryKey: queryKeys.licenseApprovals(filter === 'all'),
    queryFn: () => unwrap(api.GET('/api/v1/license-approvals', { params: { query: filter === 'all' ? { all: 'true' } : {} } })),
  });
  const mine = (license: License) => license.approvals.find((approval) => approval.organization.id === me.organization.id);
  const awaitsMe = (license: License) => license.state === 'pending_approval' && mine(license)?.decision === null;

  const columns: TableColumnsType<License> = [
    { key: 'product', title: t('commerce.licenses.product'), render: (_, license) => <LicenseProduct license={license} /> },
    {
      key: 'buyer',
      title: t('commerce.licenses.buyer'),
      render: (_, license) => (
        <span style={{ display: 'inline-flex', flexDirection: 'column', minWidth: 120, maxWidth: 220 }}>
          <span>{license.buyer.name}</span>
          {optionalText(license.acceptedByEmail) ? <Typography.Text type="secondary">{optionalText(license.acceptedByEmail)}</Typography.Text> : null}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('commerce.approvals.filedOn', { date: formatDate(license.acceptedAt, i18n.language) })}
          </Typography.Text>
        </span>
      ),
    },
    {
      key: 'purpose',
      title: t('commerce.checkout.purpose'),
      render: (_, license) => (
        <span style={{ display: 'inline-flex', flexDirection: 'column', minWidth: 140, maxWidth: 240 }} data-testid="approval-purpose">
          <span>{optionalText(license.purpose) ? t(`vocab.purposes.${optionalText(license.purpose) as 'research'}`, { defaultValue: optionalText(license.purpose) ?? '' }) : t('common.none')}</span>
          {license.purposeDetail ? <Typography.Text type="secondary">{license.purposeDetail}</Typography.Text> : null}
          {license.intendedUse ? (
            <Typography.Text type="secondary" ellipsis={{ tooltip: license.intendedUse }} style={{ maxWidth: 240 }} data-testid="approval-intended-use">
              {license.intendedUse}
            </Typography.Text>
          ) : null}
        </span>
      ),
    },
    {
      key: 'decisions',
      title: t('commerce.approvals.decisionsColumn'),
      render: (_, license) => (
        <Space orientation="vertical" size={2}>
          <LicenseStateTag state={license.state} />
          {license.approvals.map((approval) => (
            <Typography.Text key={approval.organization.id} type="secondary" style={{ display: 'inline-block', minWidth: 140, maxWidth: 220 }}>
              <Tag color={approval.decision === 'approve' ? 'green' : approval.decision === 'reject' ? 'red' : 'gold'} style={{ marginInlineEnd: 4 }}>
                {t(`commerce.approvals.decisions.${approval.decision ?? 'pending'}`)}
              </Tag>
              {approval.organization.id === me.organization.id ? t('commerce.approvals.you') : approval.organization.name}
            </Typography.Text>
          ))}
        </Space>
      ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      render: (_, license) =>
        awaitsMe(license) ? (
          <Space>
            <Button size="small" type="primary" onClick={() => setDecision({ kind: 'approve', license })} data-testid={`license-approve-${license.id}`}>
              {t('commerce.approvals.actions.approve')}
            </Button>
            <Button size="small" danger onClick={() => setDecision({ kind: 'reject', license })} data-testid={`license-reject-${license.id}`}>
              {t('commerce.approvals.actions.reject')}
            </Button>
          </Space>
        ) : null,
    },
  ];

  return (
    <>
      <PageHeader title={t('commerce.approvals.title')} description={t('commerce.approvals.description')} />
      <Segmented<Filter>
        style={{ marginBottom: 16 }}
        value={filter}
        onChange={setFilter}
        data-testid="approvals-filter"
        options={[
          { value: 'pending', label: t('commerce.approvals.filterPending') },
          { value: 'all', label: t('commerce.approvals.filterAll') },
        ]}
      />
      <Table<License>
        data-testid="license-approvals-table"
        size="small"
        rowKey="id"
        loading={queue.isPending}
        columns={columns}
        dataSource={queue.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        expandable={{
          expandedRowRender: (license) => (
            <Flex vertical gap={8} style={{ maxWidth: 720 }}>
              <Descriptions
                size="small"
                column={1}
                items={[
                  { key: 'use', label: t('commerce.checkout.intendedUse'), children: <span style={{ whiteSpace: 'pre-wrap' }}>{license.intendedUse || t('common.none')}</span> },
                  { key: 'price', label: t('commerce.licenses.price'), children: pairText(license.priceText, i18n.language) },
                  { key: 'by', label: t('commerce.licenses.acceptedBy'), children: optionalText(license.acceptedByEmail) ?? t('common.none') },
                ]}
              />
            </Flex>
          ),
        }}
        onRow={(license) => ({ 'data-testid': 'approval-row', 'data-license-id': license.id, 'data-state': license.state }) as HTMLAttributes<HTMLElement>}
        locale={{
          emptyText: queue.isError ? t('common.loadFailed') : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filter === 'pending' ? t('commerce.approvals.emptyPending') : t('commerce.approvals.empty')} />,
        }}
      />
      {decision ? <LicenseDecisionModal key={`${decision.kind}-${decision.license.id}`} decision={decision} onClose={() => setDecision(null)} /> : null}
    </>
  );
}
