import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import { describeApiError } from '../components/api-error-feedback';
import { formatBytes, formatCount } from '../components/number-format';

type Item = { productId: string; slug: string; titleZh: string; titleEn: string; seller: string; api_call: number; row: number; byte: number; licensees: number };

/** A steward's view of a dataset through the products built on it: what each delivered, to how many licensees. */
export function DatasetProductUsage({ datasetId, query }: { datasetId: string; query: { from?: string; to?: string; timeZone?: string } }) {
  const { t, i18n } = useTranslation();
  const usage = useQuery({
    queryKey: queryKeys.datasetProductUsage(datasetId, query),
    queryFn: () => unwrap(api.GET('/api/v1/agency/datasets/{id}/product-usage', { params: { path: { id: datasetId }, query } })),
    placeholderData: keepPreviousData,
  });
  const count = (value: number) => formatCount(value, i18n.language);
  const columns: TableColumnsType<Item> = [
    {
      key: 'product',
      title: t('delivery.datasetProducts.product'),
      render: (_, item) => (
        <Link to={`/products/${item.slug}`}>{i18n.language.startsWith('zh') ? item.titleZh : item.titleEn}</Link>
      ),
      ellipsis: true,
    },
    // Organization names are shorter than product titles: the title gets the room left.
    { key: 'seller', title: t('delivery.datasetProducts.seller'), dataIndex: 'seller', ellipsis: true, responsive: ['md'], width: 240 },
    { key: 'calls', title: t('delivery.productUsage.calls'), align: 'right', render: (_, item) => count(item.api_call), width: 100 },
    { key: 'rows', title: t('delivery.productUsage.rows'), align: 'right', render: (_, item) => count(item.row), width: 110, responsive: ['sm'] },
    { key: 'bytes', title: t('delivery.productUsage.bytes'), align: 'right', render: (_, item) => formatBytes(item.byte, i18n.language), width: 110, responsive: ['md'] },
    { key: 'licensees', title: t('delivery.productUsage.consumers'), align: 'right', render: (_, item) => count(item.licensees), width: 120 },
  ];
  return (
    <Card size="small" title={t('delivery.datasetProducts.title')} data-testid="dataset-product-usage">
      <Typography.Paragraph type="secondary">{t('delivery.datasetProducts.intro')}</Typography.Paragraph>
      {usage.isError ? (
        <Alert type="error" showIcon title={t('delivery.productUsage.loadFailed')} description={describeApiError(usage.error, t)} />
      ) : usage.data && usage.data.items.length === 0 ? (
        <Empty description={t('delivery.datasetProducts.none')} />
      ) : (
        <Table<Item> size="small" rowKey="productId" loading={usage.isPending} columns={columns} dataSource={usage.data?.items ?? []} pagination={false} data-testid="dataset-product-usage-table" />
      )}
    </Card>
  );
}
