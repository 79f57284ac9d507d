import { useQuery } from '@tanstack/react-query';
import { Grid, Segmented, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { ProductStatus, ProductSummary } from '../api/schema-types';
import { localizedText } from '../catalog/localized-text';
import { DateTime } from '../components/date-time';
import { formatCount } from '../components/number-format';
import { ProductKindTag, ProductStatusTag } from './product-tags';
import { productStatuses } from './product-vocabulary';

type StatusFilter = 'all' | ProductStatus;

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
      render: (_, product) => {
        const title = localizedText(product.titleZh, product.titleEn, i18n.language);
        return (
          <Space orientation="vertical" size={0}>
            <Link to={`/console/products/${product.id}`} data-testid={`product-link-${product.slug}`}>
              {title.primary}
            </Link>
            {title.secondary ? <Typography.Text type="secondary">{title.secondary}</Typography.Text> : null}
            {narrow ? (
              <Space size={6} style={{ marginTop: 4 }}>
                <ProductStatusTag status={product.status} />
                <Typography.Text type="secondary">
                  {product.version === null ? t('products.list.noVersion') : t('versions.version', { version: product.version })}
                </Typography.Text>
              </Space>
            ) : null}
          </Space>
        );
      },
    },
    { key: 'status', title: t('products.list.columns.status'), render: (_, product) => <ProductStatusTag status={product.status} /> },
    { key: 'kind', title: t('products.list.columns.kind'), render: (_, product) => <ProductKindTag kind={product.kind} /> },
    { key: 'theme', title: t('products.list.columns.theme'), render: (_, product) => t(`vocab.themes.${product.theme}`) },
    {
      key: 'version',
      title: t('products.list.columns.version'),
      render: (_, product) =>
        product.version === null ? <Typography.Text type="secondary">{t('products.list.noVersion')}</Typography.Text> : t('versions.version', { version: product.version }),
    },
    {
      key: 'rows',
      title: t('products.list.columns.rows'),
      align: 'right',
      render: (_, product) => (product.rowCount === null ? t('common.none') : formatCount(product.rowCount, i18n.language)),
    },
    { key: 'updated', title: t('products.list.columns.updated'), render: (_, product) => <DateTime value={product.updatedAt} /> },
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
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: products.isError ? t('common.loadFailed') : filter === 'all' ? t('products.list.empty') : t('products.list.emptyFiltered') }}
      />
    </>
  );
}
