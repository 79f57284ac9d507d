import { useQuery } from '@tanstack/react-query';
import { Button, Empty, Select, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { License, LicenseState } from '../api/schema-types';
import { LicenseTag, optionalText, pairText } from '../commerce/commerce-display';
import { licenseStates, terminalStates } from '../commerce/commerce-vocabulary';
import { LicenseDecisionModal, type LicenseDecision } from '../commerce/license-decision-modal';
import { LicensePeriod, LicenseProduct } from '../commerce/license-display';
import { formatDate } from '../components/number-format';
import { PageHeader } from '../components/page-header';

/** Licences sold for the organization's products (each opens to its details), and revoking one for a breach of its terms. */
export function SalesPage() {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<LicenseState | undefined>(undefined);
  const [decision, setDecision] = useState<LicenseDecision | null>(null);
  const sales = useQuery({ queryKey: queryKeys.sales, queryFn: () => unwrap(api.GET('/api/v1/sales/licenses')) });
  const all = sales.data?.items ?? [];
  const rows = state ? all.filter((license) => license.state === state) : all;

  const columns: TableColumnsType<License> = [
    { key: 'product', title: t('commerce.licenses.product'), render: (_, license) => <LicenseProduct license={license} link="sale" /> },
    {
      key: 'buyer',
      title: t('commerce.licenses.buyer'),
      render: (_, license) => (
        <span style={{ display: 'inline-flex', flexDirection: 'column', minWidth: 120, maxWidth: 220 }}>
          <span>{license.buyer.name}</span>
          {optionalText(license.acceptedByEmail) ? <Typography.Text type="secondary">{optionalText(license.acceptedByEmail)}</Typography.Text> : null}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('commerce.sales.acceptedOn', { date: formatDate(license.acceptedAt, i18n.language) })}
          </Typography.Text>
        </span>
      ),
    },
    { key: 'state', title: t('commerce.licenses.state'), render: (_, license) => <LicenseTag license={license} /> },
    { key: 'period', title: t('commerce.licenses.period'), render: (_, license) => <LicensePeriod license={license} /> },
    {
      key: 'price',
      title: t('commerce.licenses.price'),
      render: (_, license) => (
        <Typography.Text type="secondary" style={{ display: 'inline-block', minWidth: 140, maxWidth: 220 }}>
          {pairText(license.priceText, i18n.language)}
        </Typography.Text>
      ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      render: (_, license) => (
        <Space size={8}>
          <Link to={`/console/sales/${license.id}`} data-testid={`sale-open-${license.id}`} style={{ whiteSpace: 'nowrap' }}>
            {t('commerce.sale.details')}
          </Link>
          {terminalStates.includes(license.state) ? null : (
            <Button size="small" danger onClick={() => setDecision({ kind: 'revoke', license })} data-testid={`sale-revoke-${license.id}`}>
              {t('commerce.approvals.actions.revoke')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('commerce.sales.title')} description={t('commerce.sales.description')} />
      <Select<LicenseState>
        allowClear
        placeholder={t('commerce.sales.filterState')}
        style={{ minWidth: 200, marginBottom: 16 }}
        value={state}
        onChange={setState}
        options={licenseStates.map((value) => ({ value, label: t(`commerce.vocab.licenseStates.${value}`) }))}
        data-testid="sales-filter-state"
      />
      <Table<License>
        data-testid="sales-table"
        size="small"
        rowKey="id"
        loading={sales.isPending}
        columns={columns}
        dataSource={rows}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
        onRow={(license) => ({ 'data-testid': 'sale-row', 'data-license-id': license.id, 'data-state': license.state }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: sales.isError ? t('common.loadFailed') : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('commerce.sales.empty')} /> }}
      />
      {decision ? <LicenseDecisionModal key={`${decision.kind}-${decision.license.id}`} decision={decision} onClose={() => setDecision(null)} /> : null}
    </>
  );
}
