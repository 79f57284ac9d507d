import { useQuery } from '@tanstack/react-query';
import { Alert, Flex, Skeleton, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { DatasetDependents } from '../api/schema-types';
import { localizedText } from '../catalog/localized-text';
import { describeApiError } from '../components/api-error-feedback';
import { ProductStatusTag } from '../products/product-tags';

/** Where a dependent product is shown: the agency's own in its workspace, others in the storefront. */
export function dependentProductLink(product: DatasetDependents['items'][number]): string {
  return product.own && product.id ? `/console/products/${product.id}` : `/products/${product.slug}`;
}

/**
 * The listed products built on a dataset (directly or through other products), which withdrawing
 * it or reclassifying it stricter suspends: named when published or the agency's own, counted
 * otherwise. `action` words the warning (withdraw or reclassify).
 */
export function DependentProducts({ datasetId, action }: { datasetId: string; action: 'withdraw' | 'reclassify' }) {
  const { t, i18n } = useTranslation();
  const dependents = useQuery({
    queryKey: queryKeys.datasetDependents(datasetId),
    queryFn: () => unwrap(api.GET('/api/v1/agency/datasets/{id}/dependents', { params: { path: { id: datasetId } } })),
  });
  if (dependents.isPending) return <Skeleton active title={false} paragraph={{ rows: 2 }} style={{ marginBottom: 16 }} />;
  if (dependents.isError) {
    return <Alert style={{ marginBottom: 16 }} type="warning" showIcon title={t('datasets.dependents.loadFailed')} description={describeApiError(dependents.error, t)} />;
  }
  const { items, unlisted } = dependents.data;
  const count = items.length + unlisted;
  if (count === 0) {
    return (
      <Typography.Paragraph type="secondary" data-testid="dataset-dependents" data-count={0}>
        {t('datasets.dependents.none')}
      </Typography.Paragraph>
    );
  }
  return (
    <Alert
      style={{ marginBottom: 16 }}
      type="warning"
      showIcon
      data-testid="dataset-dependents"
      data-count={count}
      title={t(`datasets.dependents.${action}Title`, { count })}
      description={
        <Flex vertical gap={6}>
          {items.map((product) => {
            const title = localizedText(product.titleZh, product.titleEn, i18n.language);
            return (
              <Space key={product.slug} size={[8, 2]} wrap data-testid="dataset-dependent" style={{ minWidth: 0 }}>
                <Link to={dependentProductLink(product)} style={{ overflowWrap: 'anywhere' }}>
                  {title.primary}
                </Link>
                <ProductStatusTag status={product.status} />
                <Typography.Text type="secondary">{product.own ? t('datasets.dependents.own') : product.organizationName}</Typography.Text>
              </Space>
            );
          })}
          {unlisted > 0 ? <Typography.Text type="secondary">{t('datasets.dependents.unlisted', { count: unlisted })}</Typography.Text> : null}
          <Typography.Text type="secondary">{t('datasets.dependents.ownersTold')}</Typography.Text>
        </Flex>
      }
    />
  );
}
