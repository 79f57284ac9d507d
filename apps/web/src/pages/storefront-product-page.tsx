import { LockOutlined, PauseCircleOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Col, Descriptions, Flex, Grid, Result, Row, Skeleton, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { PublicProduct } from '../api/schema-types';
import { localizedText } from '../catalog/localized-text';
import { OffersSection, OffersSummaryCard } from '../commerce/storefront-offers';
import { describeApiError } from '../components/api-error-feedback';
import { DateTime } from '../components/date-time';
import { formatCount } from '../components/number-format';
import { PublicLayout } from '../components/public-layout';
import { SampleTable } from '../products/sample-table';
import { gateRuleText } from '../products/gate-report';
import { LineageSection } from '../products/lineage-graph';
import { GateOutcomeTag, ProductKindTag } from '../products/product-tags';
import { storefrontTabOf, suspendedProductOf, type SuspendedProduct } from '../products/storefront-state';
import { BreadcrumbTitle } from '../products/title-cell';

/** A published product's page: what it is, its columns, how it passed the privacy gate, a sample when its data is open, its lineage and publisher. */
export function StorefrontProductPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const narrow = !Grid.useBreakpoint().md;
  const product = useQuery({
    queryKey: queryKeys.catalogProduct(slug),
    queryFn: () => unwrap(api.GET('/api/v1/catalog/products/{ref}', { params: { path: { ref: slug } } })),
  });

  let body;
  const suspended = product.isError ? suspendedProductOf(product.error) : null;
  if (product.isPending) body = <Skeleton active paragraph={{ rows: 10 }} />;
  else if (suspended) body = <SuspendedView product={suspended} />;
  else if (product.isError) {
    body =
      product.error instanceof ApiError && product.error.status === 404 ? (
        <Result
          status="404"
          title={<span data-testid="product-not-found">{t('products.storefront.notFound')}</span>}
          subTitle={t('products.storefront.notFoundDescription')}
          extra={
            <Link to="/products">
              <Button type="primary">{t('products.storefront.backToList')}</Button>
            </Link>
          }
        />
      ) : (
        <Alert type="error" showIcon title={t('products.workspace.loadFailed')} description={describeApiError(product.error, t)} />
      );
  } else body = <ProductView product={product.data} />;

  return (
    <PublicLayout>
      <div style={{ maxWidth: 1200, margin: '0 auto', padding: narrow ? '16px 12px 32px' : '24px 24px 48px' }}>{body}</div>
    </PublicLayout>
  );
}

/** A listed product suspended for now: its name and that it is unavailable, nothing of its data. */
function SuspendedView({ product }: { product: SuspendedProduct }) {
  const { t, i18n } = useTranslation();
  const title = localizedText(product.titleZh, product.titleEn, i18n.language);
  return (
    <Result
      status="warning"
      icon={<PauseCircleOutlined />}
      data-testid="product-suspended"
      title={<span data-testid="product-suspended-title">{title.primary ? t('products.storefront.suspendedTitle', { title: title.primary }) : t('products.storefront.suspendedUntitled')}</span>}
      subTitle={
        <Flex vertical gap={4} align="center">
          <span>{t('products.storefront.suspendedDescription')}</span>
          {product.since ? (
            <span>
              {t('products.storefront.suspendedSince')} <DateTime value={product.since} />
            </span>
          ) : null}
        </Flex>
      }
      extra={
        <Link to="/products">
          <Button type="primary">{t('products.storefront.backToList')}</Button>
        </Link>
      }
    />
  );
}


function ProductView({ product }: { product: PublicProduct }) {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = storefrontTabOf(params.get('tab'));
  const title = localizedText(product.titleZh, product.titleEn, i18n.language);
  const description = localizedText(product.descriptionZh, product.descriptionEn, i18n.language);
  const rule = gateRuleText(product.privacy.rule, t);


  const tabs = [
    {
      key: 'overview',
      label: <span data-testid="product-tab-overview">{t('products.storefront.tabs.overview')}</span>,
      children: description.primary ? (
        <div data-testid="product-description">
          <Typography.Paragraph style={{ whiteSpace: 'pre-line' }}>{description.primary}</Typography.Paragraph>
          {description.secondary ? (
            <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-line' }}>
              {description.secondary}
            </Typography.Paragraph>
          ) : null}
          {product.keywords.length > 0 ? (
            <Space wrap size={[6, 6]}>
              {product.keywords.map((keyword) => (
                <Tag key={keyword}>{keyword}</Tag>
              ))}
            </Space>
          ) : null}
        </div>
      ) : (
        <Typography.Text type="secondary">{t('products.storefront.noDescription')}</Typography.Text>
      ),
    },
    {
      key: 'schema',
      label: <span data-testid="product-tab-schema">{t('products.storefront.tabs.schema')}</span>,
      children: (
        <Table
          data-testid="product-schema"
          size="small"
          rowKey="name"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={product.schema}
          columns={[
            { key: 'name', title: t('dataset.schema.column'), render: (_, column) => <Typography.Text strong>{column.name}</Typography.Text> },
            { key: 'type', title: t('dataset.schema.type'), render: (_, column) => <Typography.Text code>{column.type}</Typography.Text> },
          ]}
        />
      ),
    },
    {
      key: 'sample',
      label: <span data-testid="product-tab-sample">{t('products.storefront.tabs.sample')}</span>,
      children: product.sample ? (
        <>
          <Typography.Paragraph type="secondary" data-testid="product-sample-caption">
            {t('products.storefront.sampleCaption', { shown: formatCount(product.sample.rows.length, i18n.language), total: formatCount(product.rowCount, i18n.language) })}
          </Typography.Paragraph>
          <SampleTable sample={product.sample} schema={product.schema} testId="product-sample" />
        </>
      ) : (
        <Alert type="info" showIcon icon={<LockOutlined />} data-testid="product-no-sample" title={t('products.storefront.noSampleTitle')} description={t('products.storefront.noSample')} />
      ),
    },
    {
      key: 'lineage',
      label: <span data-testid="product-tab-lineage">{t('products.storefront.tabs.lineage')}</span>,
      children: <LineageSection graph={product.lineage} />,
    },
  ];

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ key: 'products', title: <Link to="/products">{t('products.storefront.title')}</Link> }, { key: 'product', title: <BreadcrumbTitle title={title.primary} /> }]}
      />
      <Typography.Title level={2} style={{ margin: 0 }} data-testid="product-title">
        {title.primary}
      </Typography.Title>
      {title.secondary ? (
        <Typography.Text type="secondary" style={{ fontSize: 16 }}>
          {title.secondary}
        </Typography.Text>
      ) : null}
      <Space wrap size={[8, 8]} style={{ display: 'flex', margin: '12px 0 16px' }}>
        <ProductKindTag kind={product.kind} />
        <Tag>{t(`vocab.themes.${product.theme}`)}</Tag>
        <Typography.Text type="secondary" data-testid="product-publisher">
          {product.organizationName}
        </Typography.Text>
      </Space>
      <Row gutter={[24, 16]}>
        <Col xs={{ span: 24, order: 2 }} lg={{ span: 16, order: 1 }} style={{ minWidth: 0 }}>
          <Tabs
            activeKey={tab}
            onChange={(key) => setParams(key === 'overview' ? {} : { tab: key }, { replace: true })}
            items={tabs}
            data-testid="product-tabs"
          />
        </Col>
        <Col xs={{ span: 24, order: 1 }} lg={{ span: 8, order: 2 }}>
          <Flex vertical gap={16}>
            <Card
              size="small"
              data-testid="product-privacy"
              title={
                <Space>
                  <SafetyCertificateOutlined />
                  {t('products.storefront.privacyTitle')}
                </Space>
              }
            >
              <Flex vertical gap={8}>
                <Space wrap>
                  <GateOutcomeTag outcome={product.privacy.outcome} />
                  <Typography.Text strong>{rule.name}</Typography.Text>
                </Space>
                <Typography.Text type="secondary">{rule.description}</Typography.Text>
                {product.privacy.rule === 'none' ? null : (
                  <Typography.Text data-testid="product-privacy-k">
                    {t('products.storefront.privacyK', { k: product.privacy.k ?? '' })}
                  </Typography.Text>
                )}
                {product.privacy.suppressedRows > 0 ? (
                  <Typography.Text>{t('products.storefront.privacySuppressed', { rows: formatCount(product.privacy.suppressedRows, i18n.language) })}</Typography.Text>
                ) : null}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('products.storefront.privacyNote')}
                </Typography.Text>
              </Flex>
            </Card>
            <Card size="small" title={t('products.storefront.factsTitle')}>
              <Descriptions
                size="small"
                column={1}
                items={[
                  { key: 'publisher', label: t('products.storefront.publisher'), children: product.organizationName },
                  { key: 'version', label: t('products.storefront.version'), children: t('versions.version', { version: product.version }) },
                  { key: 'rows', label: t('products.storefront.rows'), children: formatCount(product.rowCount, i18n.language) },
                  { key: 'columns', label: t('products.storefront.columns'), children: formatCount(product.schema.length, i18n.language) },
                  { key: 'updated', label: t('products.storefront.updated'), children: <DateTime value={product.updatedAt} /> },
                  { key: 'published', label: t('products.storefront.published'), children: <DateTime value={product.publishedAt} empty={t('common.none')} /> },
                ]}
              />
            </Card>
            <OffersSummaryCard productSlug={product.slug} />
          </Flex>
        </Col>
      </Row>
      <OffersSection productSlug={product.slug} />
    </>
  );
}
