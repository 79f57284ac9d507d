import { useQuery } from '@tanstack/react-query';
import { FileSearchOutlined } from '@ant-design/icons';
import { Alert, Breadcrumb, Button, Flex, Skeleton, Space, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Product } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { localizedText } from '../catalog/localized-text';
import { ProductUsage } from '../delivery/product-usage';
import { OffersPanel } from '../commerce/offers-panel';
import { describeApiError } from '../components/api-error-feedback';
import { DerivationPanel } from '../products/derivation-panel';
import { LineageSection } from '../products/lineage-graph';
import { ListingActions, ListingBanners, ReviewStateCard } from '../products/listing';
import { OwnProductPage } from '../products/product-query-state';
import { ProductMetadataEditor } from '../products/product-metadata-editor';
import { ProductKindTag, ProductStatusTag } from '../products/product-tags';
import { ProductVersions } from '../products/product-versions';
import { BreadcrumbTitle } from '../products/title-cell';
import { RunHistory } from '../products/run-history';

const TABS = ['derivation', 'runs', 'versions', 'lineage', 'review', 'offers', 'usage', 'details'] as const;
type WorkspaceTab = (typeof TABS)[number];

/** An owner's workspace for one product: derivation (inputs, SQL, dry runs, runs), versions, lineage, review and listing. */
export function ProductWorkspacePage() {
  return <OwnProductPage>{(product) => <Workspace product={product} />}</OwnProductPage>;
}

function Workspace({ product }: { product: Product }) {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const me = useMe();
  const canSell = hasPermission(me.permissions, 'offers:manage');
  const requested = params.get('tab');
  const tab: WorkspaceTab = TABS.includes(requested as WorkspaceTab) && (requested !== 'offers' || canSell) ? (requested as WorkspaceTab) : 'derivation';
  const title = localizedText(product.titleZh, product.titleEn, i18n.language);

  const versions = useQuery({
    queryKey: queryKeys.productVersions(product.id),
    queryFn: () => unwrap(api.GET('/api/v1/products/{id}/versions', { params: { path: { id: product.id } } })),
    enabled: tab === 'versions',
  });
  const lineage = useQuery({
    queryKey: [...queryKeys.productLineage(product.id), product.currentVersion?.id ?? 'none'],
    queryFn: () => unwrap(api.GET('/api/v1/products/{id}/lineage', { params: { path: { id: product.id } } })),
    enabled: tab === 'lineage' && product.currentVersion !== null,
  });

  const items = [
    {
      key: 'derivation',
      label: <span data-testid="product-tab-derivation">{t('products.workspace.tabs.derivation')}</span>,
      children: <DerivationPanel key={product.id} product={product} />,
    },
    { key: 'runs', label: <span data-testid="product-tab-runs">{t('products.workspace.tabs.runs')}</span>, children: <RunHistory productId={product.id} /> },
    {
      key: 'versions',
      label: <span data-testid="product-tab-versions">{t('products.workspace.tabs.versions')}</span>,
      children: versions.isPending ? (
        <Skeleton active />
      ) : versions.isError ? (
        <Alert type="error" showIcon title={describeApiError(versions.error, t)} />
      ) : (
        <ProductVersions versions={versions.data.items} currentVersion={product.currentVersion?.version ?? null} />
      ),
    },
    {
      key: 'lineage',
      label: <span data-testid="product-tab-lineage">{t('products.workspace.tabs.lineage')}</span>,
      children:
        product.currentVersion === null ? (
          <Alert type="info" showIcon title={t('products.lineage.noVersion')} data-testid="lineage-no-version" />
        ) : lineage.isError ? (
          <Alert type="error" showIcon title={describeApiError(lineage.error, t)} />
        ) : (
          <LineageSection graph={lineage.data} loading={lineage.isPending} ownOrganizationId={me.organization.id} />
        ),
    },
    {
      key: 'review',
      label: <span data-testid="product-tab-review">{t('products.workspace.tabs.review')}</span>,
      children: (
        <Flex vertical gap={16}>
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {t('products.review.ownerIntro')}
          </Typography.Paragraph>
          <ReviewStateCard review={product.review} />
        </Flex>
      ),
    },
    ...(canSell
      ? [
          {
            key: 'offers',
            label: <span data-testid="product-tab-offers">{t('products.workspace.tabs.offers')}</span>,
            children: <OffersPanel product={product} />,
          },
        ]
      : []),
    ...(product.currentVersion
      ? [
          {
            key: 'usage',
            label: <span data-testid="product-tab-usage">{t('products.workspace.tabs.usage')}</span>,
            children: <ProductUsage productId={product.id} />,
          },
        ]
      : []),
    {
      key: 'details',
      label: <span data-testid="product-tab-details">{t('products.workspace.tabs.details')}</span>,
      children: <ProductMetadataEditor product={product} />,
    },
  ];

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ key: 'list', title: <Link to="/console/products">{t('nav.products')}</Link> }, { key: 'product', title: <BreadcrumbTitle title={title.primary} /> }]}
      />
      <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }} data-testid="page-title">
            {title.primary}
          </Typography.Title>
          {title.secondary ? <Typography.Text type="secondary">{title.secondary}</Typography.Text> : null}
          <Space wrap size={[8, 8]} style={{ display: 'flex', marginTop: 8 }}>
            <ProductStatusTag status={product.status} />
            <ProductKindTag kind={product.kind} />
            <Typography.Text type="secondary" data-testid="product-current-version">
              {product.currentVersion ? t('versions.version', { version: product.currentVersion.version }) : t('products.list.noVersion')}
            </Typography.Text>
          </Space>
        </div>
        <Space wrap>
          {product.currentVersion ? (
            <Link to={`/console/products/${product.id}/leak-trace`} data-testid="product-leak-trace">
              <Button icon={<FileSearchOutlined />}>{t('delivery.leakTrace.open')}</Button>
            </Link>
          ) : null}
          <ListingActions product={product} />
        </Space>
      </Flex>
      <ListingBanners product={product} />
      <Tabs activeKey={tab} onChange={(key) => setParams(key === 'derivation' ? {} : { tab: key }, { replace: true })} items={items} data-testid="product-tabs" />
    </>
  );
}
