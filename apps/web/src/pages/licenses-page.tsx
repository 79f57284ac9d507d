import { useQuery } from '@tanstack/react-query';
import { Button, Empty, Flex, Grid, Segmented, Select, Table, Typography, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { License, LicenseState } from '../api/schema-types';
import { LicenseTag, pairText } from '../commerce/commerce-display';
import { deliveringStates, terminalStates } from '../commerce/commerce-vocabulary';
import { LicensePeriod, LicenseProduct } from '../commerce/license-display';
import { formatDate } from '../components/number-format';
import { PageHeader } from '../components/page-header';

type LicenseFilter = 'all' | 'inForce' | 'waiting' | 'ended';

export function matchesLicenseFilter(state: LicenseState, filter: LicenseFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'inForce':
      return deliveringStates.includes(state) || state === 'suspended';
    case 'waiting':
      return state === 'pending_approval' || state === 'pending_payment';
    case 'ended':
      return terminalStates.includes(state);
  }
}

/** The organization's licences: what it may use, what waits for approval or payment, what ended. */
export function LicensesPage() {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState<LicenseFilter>('all');
  const licenses = useQuery({ queryKey: queryKeys.licenses, queryFn: () => unwrap(api.GET('/api/v1/licenses')) });
  const all = licenses.data?.items ?? [];
  const rows = all.filter((license) => matchesLicenseFilter(license.state, filter));
  const count = (which: LicenseFilter) => all.filter((license) => matchesLicenseFilter(license.state, which)).length;
  // Phones: the filter is a select, and a licence's state and period go under its product.
  const narrow = !Grid.useBreakpoint().md;
  const filters = (['all', 'inForce', 'waiting', 'ended'] as const).map((value) => ({ value, label: t(`commerce.licenses.filters.${value}`, { count: count(value) }) }));

  const columns: TableColumnsType<License> = [
    {
      key: 'product',
      title: t('commerce.licenses.product'),
      render: (_, license) =>
        narrow ? (
          <Flex vertical gap={4} align="flex-start">
            <LicenseProduct license={license} link="license" />
            <LicenseTag license={license} />
            <LicensePeriod license={license} />
          </Flex>
        ) : (
          <LicenseProduct license={license} link="license" />
        ),
    },
    { key: 'state', title: t('commerce.licenses.state'), responsive: ['md'], render: (_, license) => <LicenseTag license={license} /> },
    { key: 'period', title: t('commerce.licenses.period'), responsive: ['md'], render: (_, license) => <LicensePeriod license={license} /> },
    { key: 'seller', title: t('commerce.licenses.seller'), responsive: ['md'], render: (_, license) => license.seller.name },
    {
      key: 'price',
      responsive: ['lg'],
      title: t('commerce.licenses.price'),
      render: (_, license) => (
        <Typography.Text type="secondary" style={{ display: 'inline-block', minWidth: 160, maxWidth: 220 }}>
          {pairText(license.priceText, i18n.language)}
        </Typography.Text>
      ),
    },
    { key: 'accepted', title: t('commerce.licenses.accepted'), responsive: ['xxl'], render: (_, license) => <span style={{ whiteSpace: 'nowrap' }}>{formatDate(license.acceptedAt, i18n.language)}</span> },
    {
      key: 'open',
      title: t('common.actions'),
      fixed: narrow ? undefined : 'right',
      render: (_, license) => (
        <Link to={`/console/licenses/${license.id}`} data-testid={`license-open-${license.id}`}>
          {license.state !== 'pending_payment' ? t('commerce.licenses.open') : (license.pricePlan.trialDays ?? 0) > 0 ? t('commerce.licenses.openToStartTrial') : t('commerce.licenses.openToPay')}
        </Link>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('commerce.licenses.title')}
        description={t('commerce.licenses.description')}
        extra={
          <Link to="/products">
            <Button data-testid="licenses-browse">{t('commerce.licenses.browse')}</Button>
          </Link>
        }
      />
      {narrow ? (
        <Select<LicenseFilter>
          style={{ marginBottom: 16, width: '100%' }}
          value={filter}
          onChange={setFilter}
          aria-label={t('commerce.licenses.filterLabel')}
          data-testid="licenses-filter"
          options={filters}
        />
      ) : (
        <Segmented<LicenseFilter> style={{ marginBottom: 16, maxWidth: '100%' }} value={filter} onChange={setFilter} data-testid="licenses-filter" options={filters} />
      )}
      <Table<License>
        data-testid="licenses-table"
        size="small"
        rowKey="id"
        loading={licenses.isPending}
        columns={columns}
        dataSource={rows}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        scroll={narrow ? undefined : { x: 'max-content' }}
        onRow={(license) => ({ 'data-testid': 'license-row', 'data-license-id': license.id, 'data-state': license.state }) as HTMLAttributes<HTMLElement>}
        locale={{
          emptyText: licenses.isError ? t('common.loadFailed') : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('commerce.licenses.empty')} />,
        }}
      />
    </>
  );
}
