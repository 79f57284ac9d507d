import { useQuery } from '@tanstack/react-query';
import { Grid, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { ProductSummary } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { localizedText } from '../catalog/localized-text';
import { DateTime } from '../components/date-time';
import { PageHeader } from '../components/page-header';
import { ProductKindTag } from '../products/product-tags';
import { TitleCell } from '../products/title-cell';

/** Products awaiting the caller's decision: the platform operator's queue, or an agency's. */
export function ProductReviewsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  // Phones see the title column first: it names the owner there too.
  const narrow = !Grid.useBreakpoint().md;
  const supervising = !hasPermission(me.permissions, 'products:review');
  const queue = useQuery({ queryKey: queryKeys.productReviewQueue, queryFn: () => unwrap(api.GET('/api/v1/product-reviews')) });

  const columns: TableColumnsType<ProductSummary> = [
    {
      key: 'title',
      title: t('products.list.columns.title'),
      fixed: narrow ? 'left' : undefined,
      width: narrow ? 220 : undefined,
      render: (_, product) => {
        const title = localizedText(product.titleZh, product.titleEn, i18n.language);
        return (
          <TitleCell
            to={`/console/product-reviews/${product.id}`}
            primary={title.primary}
            secondary={title.secondary}
            testId={`review-link-${product.slug}`}
            extra={narrow ? <Typography.Text style={{ display: 'block', marginTop: 4 }}>{product.organizationName}</Typography.Text> : null}
          />
        );
      },
    },
    { key: 'owner', title: t('products.reviews.owner'), width: 200, ellipsis: { showTitle: true }, render: (_, product) => product.organizationName },
    { key: 'kind', title: t('products.list.columns.kind'), width: 130, render: (_, product) => <ProductKindTag kind={product.kind} /> },
    { key: 'theme', title: t('products.list.columns.theme'), width: 140, render: (_, product) => t(`vocab.themes.${product.theme}`) },
    {
      key: 'version',
      width: 100,
      title: t('products.list.columns.version'),
      render: (_, product) => (product.version === null ? t('common.none') : t('versions.version', { version: product.version })),
    },
    { key: 'submitted', width: 180, title: t('products.reviews.submitted'), render: (_, product) => <DateTime value={product.submittedAt ?? product.updatedAt} /> },
  ];

  return (
    <>
      <PageHeader
        title={t('products.reviews.title')}
        description={t(
          supervising
            ? 'products.reviews.descriptionSupervisor'
            : me.organization.kind === 'platform'
              ? 'products.reviews.descriptionPlatform'
              : 'products.reviews.descriptionAgency',
        )}
      />
      <Table<ProductSummary>
        data-testid="product-review-queue"
        rowKey="id"
        loading={queue.isPending}
        columns={columns}
        dataSource={queue.data?.items}
        pagination={false}
        tableLayout="fixed"
        scroll={{ x: 1060 }}
        locale={{ emptyText: queue.isError ? t('common.loadFailed') : t(supervising ? 'products.reviews.emptySupervisor' : 'products.reviews.empty') }}
      />
    </>
  );
}
