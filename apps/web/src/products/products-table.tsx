import { useQuery } from '@tanstack/react-query';
import { Grid, Segmented, Space, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { ProductStatus, ProductSummary } from '../api/schema-types';
import { localizedText } from '../catalog/localized-text';
import { DateTime } from '../components/date-time';
import { formatCount } from '../components/number-format';
import { ProductKindTag, ProductStatusTag } from './product-tags';
import { productStatuses } from './product-vocabulary';
import { TitleCell } from './title-cell';

/** Below this width the table scrolls sideways (the title column shrinks to its share first). */
const PRODUCTS_TABLE_MIN_WIDTH = 1080;

type StatusFilter = 'all' | ProductStatus;

/** The status, and for a draft its reviewers sent back, a tag saying so with their reason on hover. */
function StatusCell({ product }: { product: ProductSummary }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      <ProductStatusTag status={product.status} />
      {product.rejectionReason ? (
        <Tooltip title={t('products.list.changesRequestedWhy', { reason: product.rejectionReason })}>
          <Tag color="warning" data-testid="product-changes-requested">
            {t('products.list.changesRequested')}
          </Tag>
        </Tooltip>
      ) : null}
    </Space>
  );
}

export function useOwnProducts() {
  return useQuery({ queryKey: queryKeys.products, queryFn: () => unwrap(api.GET('/api/v1/products')) });
}

/** The organization's own products in every state, most recently changed first. */
export function ProductsTable() {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState<StatusFilter>('all');
  const products = useOwnProducts();
  // Phones see the title column first: it carries the status and version there too.
  const narrow = !Grid.useBreakpoint().md;
  const all = products.data?.items ?? [];
  const rows = filter === 'all' ? all : all.filter((product) => product.status === filter);
  const countOf = (status: StatusFilter) => (status === 'all' ? all.length : all.filter((product) => product.status === status).length);
  // Only the states that occur, so the filter stays short on a phone.
  const filters: StatusFilter[] = ['all', ...productStatuses.filter((status) => countOf(status) > 0 || status === filter)];

  const columns: TableColumnsType<ProductSummary> = [
    {
      key: 'title',
      title: t('products.list.columns.title'),
      // Phones: the title column keeps its place while the others scroll.
      fixed: narrow ? 'left' : undefined,
      width: narrow ? 220 : undefined,
      render: (_, product) => {
        const title = localizedText(product.titleZh, product.titleEn, i18n.language);
        return (
          <TitleCell
            to={`/console/products/${product.id}`}
            primary={title.primary}
            secondary={title.secondary}
            testId={`product-link-${product.slug}`}
            extra={
              narrow ? (
                <Space size={6} style={{ marginTop: 4 }}>
                  <StatusCell product={product} />
                  <Typography.Text type="secondary">
                    {product.version === null ? t('products.list.noVersion') : t('versions.version', { version: product.version })}
                  </Typography.Text>
                </Space>
              ) : null
            }
          />
        );
      },
    },
    { key: 'status', title: t('products.list.columns.status'), width: 120, render: (_, product) => <StatusCell product={product} /> },
    { key: 'kind', title: t('products.list.columns.kind'), width: 124, render: (_, product) => <ProductKindTag kind={product.kind} /> },
    { key: 'theme', title: t('products.list.columns.theme'), width: 136, render: (_, product) => t(`vocab.themes.${product.theme}`) },
    {
      key: 'version',
      width: 100,
      title: t('products.list.columns.version'),
      render: (_, product) =>
        product.version === null ? <Typography.Text type="secondary">{t('products.list.noVersion')}</Typography.Text> : t('versions.version', { version: product.version }),
    },
    {
      key: 'rows',
      title: t('products.list.columns.rows'),
      width: 90,
      align: 'right',
      render: (_, product) => (product.rowCount === null ? t('common.none') : formatCount(product.rowCount, i18n.language)),
    },
    { key: 'updated', title: t('products.list.columns.updated'), width: 176, render: (_, product) => <DateTime value={product.updatedAt} /> },
  ];

  return (
    <>
      <Segmented<StatusFilter>
        style={{ marginBottom: 16, maxWidth: '100%', overflowX: 'auto' }}
        value={filter}
        onChange={setFilter}
        data-testid="products-filter"
        options={filters.map((value) => ({
          value,
          label: `${value === 'all' ? t('products.list.filterAll') : t(`products.vocab.statuses.${value}`)} (${countOf(value)})`,
        }))}
      />
      <Table<ProductSummary>
        data-testid="products-table"
        rowKey="id"
        loading={products.isPending}
        columns={columns}
        dataSource={rows}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        tableLayout="fixed"
        scroll={{ x: PRODUCTS_TABLE_MIN_WIDTH }}
        locale={{ emptyText: products.isError ? t('common.loadFailed') : filter === 'all' ? t('products.list.empty') : t('products.list.emptyFiltered') }}
      />
    </>
  );
}
