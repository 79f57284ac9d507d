import { useQuery } from '@tanstack/react-query';
import { Grid, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { ProductSummary } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { localizedText } from '../catalog/localized-text';
import { DateTime } from '../components/date-time';
import { PageHeader } from '../components/page-header';
import { ProductKindTag } from '../products/product-tags';

/** Products awaiting the caller's decision: the platform operator's queue, or an agency's. */
export function ProductReviewsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  // Phones see the title column first: it names the owner there too.
  const narrow = !Grid.useBreakpoint().md;
  const queue = useQuery({ queryKey: queryKeys.productReviewQueue, queryFn: () => unwrap(api.GET('/api/v1/product-reviews')) });

  const columns: TableColumnsType<ProductSummary> = [
    {
      key: 'title',
      title: t('products.list.columns.title'),
      render: (_, product) => {
        const title = localizedText(product.titleZh, product.titleEn, i18n.language);
        return (
          <Space orientation="vertical" size={0}>
            <Link to={`/console/product-reviews/${product.id}`} data-testid={`review-link-${product.slug}`}>
              {title.primary}
            </Link>
            {title.secondary ? <Typography.Text type="secondary">{title.secondary}</Typography.Text> : null}
            {narrow ? <Typography.Text style={{ marginTop: 4 }}>{product.organizationName}</Typography.Text> : null}
          </Space>
        );
      },
    },
    { key: 'owner', title: t('products.reviews.owner'), render: (_, product) => product.organizationName },
    { key: 'kind', title: t('products.list.columns.kind'), render: (_, product) => <ProductKindTag kind={product.kind} /> },
    { key: 'theme', title: t('products.list.columns.theme'), render: (_, product) => t(`vocab.themes.${product.theme}`) },
    {
      key: 'version',
      title: t('products.list.columns.version'),
      render: (_, product) => (product.version === null ? t('common.none') : t('versions.version', { version: product.version })),
    },
    { key: 'submitted', title: t('products.reviews.submitted'), render: (_, product) => <DateTime value={product.updatedAt} /> },
  ];

  return (
    <>
      <PageHeader
        title={t('products.reviews.title')}
        description={t(me.organization.kind === 'platform' ? 'products.reviews.descriptionPlatform' : 'products.reviews.descriptionAgency')}
      />
      <Table<ProductSummary>
        data-testid="product-review-queue"
        rowKey="id"
        loading={queue.isPending}
        columns={columns}
        dataSource={queue.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: queue.isError ? t('common.loadFailed') : t('products.reviews.empty') }}
      />
    </>
  );
}
