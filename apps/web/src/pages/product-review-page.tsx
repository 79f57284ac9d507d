import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Col, Flex, Row, Skeleton, Space, Table, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Me, Product } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { localizedText } from '../catalog/localized-text';
import { describeApiError } from '../components/api-error-feedback';
import { DateTime } from '../components/date-time';
import { formatCount } from '../components/number-format';
import { GateReportView } from '../products/gate-report-view';
import { SettingsChangedAlert } from '../products/settings-changed';
import { InputsTable } from '../products/inputs-table';
import { LineageSection } from '../products/lineage-graph';
import { ReviewStateCard } from '../products/listing';
import { ProductQueryState } from '../products/product-query-state';
import { ProductKindTag, ProductStatusTag } from '../products/product-tags';
import { ReviewDecisionModal, type ReviewDecisionKind } from '../products/review-decision-modal';
import { reviewListSearch, reviewListStateOf } from '../products/review-state';
import { SampleTable } from '../products/sample-table';
import { SqlEditor } from '../products/sql-editor';
import { BreadcrumbTitle } from '../products/title-cell';

const TABS = ['output', 'derivation', 'lineage'] as const;
type ReviewTab = (typeof TABS)[number];

/** The tab a `?tab=` value selects (the output and privacy gate by default). */
export function reviewTabOf(requested: string | null): ReviewTab {
  return (TABS as readonly string[]).includes(requested ?? '') ? (requested as ReviewTab) : 'output';
}

/** Whether the signed-in organization still has to decide on this product's current round (supervision never decides). */
export function awaitsMyDecision(product: Product, me: Pick<Me, 'organization' | 'permissions'>): boolean {
  if (product.status !== 'submitted' || !hasPermission(me.permissions, 'products:review')) return false;
  const mine = product.review.required.find((reviewer) =>
    me.organization.kind === 'platform' ? reviewer.reviewerKind === 'platform' : reviewer.reviewerKind === 'agency' && reviewer.agencyId === me.organization.id,
  );
  return mine !== undefined && !mine.decided;
}

/** A reviewer's page: the SQL, inputs and their classification, the version's output and privacy gate report, lineage, and the decision. */
export function ProductReviewPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const product = useQuery({
    queryKey: queryKeys.productReview(id),
    queryFn: () => unwrap(api.GET('/api/v1/product-reviews/{id}', { params: { path: { id } } })),
  });
  return (
    <ProductQueryState
      query={product}
      notFound={{ testId: 'review-not-found', title: t('products.reviews.notFound'), backTo: '/console/product-reviews', backLabel: t('products.reviews.backToQueue') }}
    >
      {(loaded) => <Review product={loaded} />}
    </ProductQueryState>
  );
}

function Review({ product }: { product: Product }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const [decision, setDecision] = useState<ReviewDecisionKind | null>(null);
  const [params, setParams] = useSearchParams();
  const tab = reviewTabOf(params.get('tab'));
  const supervising = !hasPermission(me.permissions, 'products:review');
  const title = localizedText(product.titleZh, product.titleEn, i18n.language);
  const description = localizedText(product.descriptionZh, product.descriptionEn, i18n.language);
  const version = product.currentVersion ?? null;
  const canDecide = awaitsMyDecision(product, me);
  const lineage = useQuery({
    queryKey: [...queryKeys.productReviewLineage(product.id), version?.id ?? 'none'],
    queryFn: () => unwrap(api.GET('/api/v1/product-reviews/{id}/lineage', { params: { path: { id: product.id } } })),
    enabled: version !== null && tab === 'lineage',
  });

  const sample = useQuery({
    queryKey: [...queryKeys.productReviewSample(product.id), version?.id ?? 'none'],
    queryFn: () => unwrap(api.GET('/api/v1/product-reviews/{id}/sample', { params: { path: { id: product.id } } })),
    enabled: version !== null && tab === 'output',
  });

  const tabs = [
    {
      key: 'output',
      label: <span data-testid="review-tab-output">{t('products.reviews.tabs.output')}</span>,
      children: version ? (
        <Flex vertical gap={16}>
          <Card size="small">
            <GateReportView report={version.gateReport} />
          </Card>
          <Card size="small" title={t('products.versions.schema')}>
            <Table
              size="small"
              rowKey="name"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={version.schema}
              data-testid="review-schema"
              columns={[
                { key: 'name', title: t('dataset.schema.column'), render: (_, column) => <Typography.Text strong>{column.name}</Typography.Text> },
                { key: 'type', title: t('dataset.schema.type'), render: (_, column) => <Typography.Text code>{column.type}</Typography.Text> },
              ]}
            />
          </Card>
          <Card size="small" title={t('products.reviews.sample')} data-testid="review-sample-card">
            {sample.isError ? (
              <Alert type="error" showIcon title={describeApiError(sample.error, t)} />
            ) : (
              <Flex vertical gap={8}>
                <Typography.Text type="secondary" data-testid="review-sample-caption">
                  {t('products.reviews.sampleCaption', { shown: formatCount(sample.data?.rows.length ?? 0, i18n.language), total: formatCount(version.rowCount, i18n.language) })}
                </Typography.Text>
                {sample.data ? <SampleTable sample={sample.data} schema={version.schema} testId="review-sample" /> : <Skeleton active paragraph={{ rows: 3 }} />}
              </Flex>
            )}
          </Card>
        </Flex>
      ) : (
        <Alert type="warning" showIcon title={t('products.reviews.noVersion')} />
      ),
    },
    {
      key: 'derivation',
      label: <span data-testid="review-tab-derivation">{t('products.reviews.tabs.derivation')}</span>,
      children: (
        <Flex vertical gap={16}>
          <Card size="small" title={t('products.inputs.title')}>
            <InputsTable inputs={product.inputs} />
          </Card>
          <Card size="small" title={t('products.sql.title')}>
            <SqlEditor value={version?.sql ?? product.sql} readOnly minHeight="120px" testId="review-sql" />
          </Card>
        </Flex>
      ),
    },
    {
      key: 'lineage',
      label: <span data-testid="review-tab-lineage">{t('products.reviews.tabs.lineage')}</span>,
      children: lineage.isError ? <Alert type="error" showIcon title={describeApiError(lineage.error, t)} /> : <LineageSection graph={lineage.data} loading={lineage.isPending} />,
    },
  ];

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          // Back to the list's tab this review is under (in review, decided, or all).
          { key: 'queue', title: <Link to={`/console/product-reviews${reviewListSearch(reviewListStateOf(product.review))}`}>{t('nav.product-reviews')}</Link> },
          { key: 'product', title: <BreadcrumbTitle title={title.primary} /> },
        ]}
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
            <Typography.Text>{product.organizationName}</Typography.Text>
            {version ? (
              <Typography.Text type="secondary">
                {t('products.reviews.versionFacts', {
                  version: version.version,
                  rows: formatCount(version.rowCount, i18n.language),
                })}{' '}
                <DateTime value={version.createdAt} />
              </Typography.Text>
            ) : null}
          </Space>
        </div>
        {canDecide ? (
          <Space wrap>
            <Button danger onClick={() => setDecision('reject')} data-testid="review-reject">
              {t('products.review.decide.reject')}
            </Button>
            <Button type="primary" onClick={() => setDecision('approve')} data-testid="review-approve">
              {t('products.review.decide.approve')}
            </Button>
          </Space>
        ) : null}
      </Flex>
      {!canDecide ? (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="review-decided"
          title={
            supervising && product.status === 'submitted'
              ? t('products.reviews.supervisorReadOnly')
              : product.status === 'submitted'
                ? t('products.reviews.alreadyDecided')
                : t('products.reviews.closed', { status: t(`products.vocab.statuses.${product.status}`).toLowerCase() })
          }
        />
      ) : null}
      {product.status === 'submitted' ? (
        <div style={{ marginBottom: 16 }}>
          <SettingsChangedAlert product={product} audience="reviewer" />
        </div>
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={16} style={{ minWidth: 0 }}>
          {description.primary ? (
            <Typography.Paragraph style={{ whiteSpace: 'pre-line' }} data-testid="review-description">
              {description.primary}
            </Typography.Paragraph>
          ) : null}
          <Tabs activeKey={tab} onChange={(key) => setParams(key === 'output' ? {} : { tab: key }, { replace: true })} items={tabs} data-testid="review-tabs" />
        </Col>
        <Col xs={24} lg={8}>
          <ReviewStateCard review={product.review} />
        </Col>
      </Row>
      <ReviewDecisionModal product={product} decision={decision} onClose={() => setDecision(null)} />
    </>
  );
}
