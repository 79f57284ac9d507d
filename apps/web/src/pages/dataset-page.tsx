import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Col, Flex, Grid, Result, Row, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { DatasetDetail } from '../api/schema-types';
import { useAuth } from '../auth/auth-context';
import { AccessPanel } from '../catalog/access-panel';
import { ClassificationTag, DatasetStatusTag } from '../catalog/catalog-tags';
import { ColumnProfileSection } from '../catalog/column-profile';
import { DatasetFacts } from '../catalog/dataset-facts';
import { DatasetMetadata } from '../catalog/dataset-metadata';
import { localizedText } from '../catalog/localized-text';
import { PreviewTable } from '../catalog/preview-table';
import { SchemaTable } from '../catalog/schema-table';
import { VersionHistory } from '../catalog/version-history';
import { describeApiError } from '../components/api-error-feedback';
import { PublicLayout } from '../components/public-layout';

/** A dataset's public page: metadata, schema, profile, versions, preview and what the visitor may do. */
export function DatasetPage() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const { session, me } = useAuth();
  const narrow = !Grid.useBreakpoint().md;
  // What the API answers depends on who asks (row access, drafts of one's own agency).
  const viewer = me ? `${me.user.id}:${me.organization.id}` : 'anonymous';

  const detail = useQuery({
    queryKey: [...queryKeys.dataset(slug), viewer],
    queryFn: () => unwrap(api.GET('/api/v1/catalog/datasets/{ref}', { params: { path: { ref: slug } } })),
    enabled: session.status !== 'restoring',
  });

  let body;
  if (detail.isPending) {
    body = <Skeleton active paragraph={{ rows: 10 }} />;
  } else if (detail.isError) {
    body =
      detail.error instanceof ApiError && detail.error.status === 404 ? (
        <Result
          status="404"
          title={<span data-testid="dataset-not-found">{t('dataset.notFoundTitle')}</span>}
          subTitle={t('dataset.notFoundDescription')}
          extra={
            <Link to="/catalog">
              <Button type="primary">{t('dataset.backToCatalog')}</Button>
            </Link>
          }
        />
      ) : (
        <Alert type="error" showIcon title={t('dataset.loadFailed')} description={describeApiError(detail.error, t)} />
      );
  } else {
    body = <DatasetView dataset={detail.data} viewer={viewer} />;
  }

  return (
    <PublicLayout>
      <div style={{ maxWidth: 1200, margin: '0 auto', padding: narrow ? '16px 12px 32px' : '24px 24px 48px' }}>{body}</div>
    </PublicLayout>
  );
}

function DatasetView({ dataset, viewer }: { dataset: DatasetDetail; viewer: string }) {
  const { t, i18n } = useTranslation();
  const title = localizedText(dataset.titleZh, dataset.titleEn, i18n.language);
  const description = localizedText(dataset.descriptionZh, dataset.descriptionEn, i18n.language);

  const versions = useQuery({
    queryKey: [...queryKeys.datasetVersions(dataset.slug), viewer],
    queryFn: () => unwrap(api.GET('/api/v1/catalog/datasets/{ref}/versions', { params: { path: { ref: dataset.slug } } })),
  });

  const tabs = [
    {
      key: 'overview',
      label: <span data-testid="dataset-tab-overview">{t('dataset.tabs.overview')}</span>,
      children: (
        <Flex vertical gap={16}>
          {description.primary ? (
            <div data-testid="dataset-description">
              <Typography.Paragraph style={{ whiteSpace: 'pre-line' }}>{description.primary}</Typography.Paragraph>
              {description.secondary ? (
                <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-line' }}>
                  {description.secondary}
                </Typography.Paragraph>
              ) : null}
            </div>
          ) : null}
          <DatasetMetadata dataset={dataset} />
        </Flex>
      ),
    },
    { key: 'schema', label: <span data-testid="dataset-tab-schema">{t('dataset.tabs.schema')}</span>, children: <SchemaTable columns={dataset.columns} /> },
    {
      key: 'profile',
      label: <span data-testid="dataset-tab-profile">{t('dataset.tabs.profile')}</span>,
      children: <ColumnProfileSection profile={dataset.profile} rowCount={dataset.currentVersion?.rowCount ?? null} />,
    },
    ...(dataset.previewAvailable
      ? [{ key: 'preview', label: <span data-testid="dataset-tab-preview">{t('dataset.tabs.preview')}</span>, children: <PreviewTable datasetRef={dataset.slug} /> }]
      : []),
    {
      key: 'versions',
      label: <span data-testid="dataset-tab-versions">{t('dataset.tabs.versions')}</span>,
      children: versions.isPending ? (
        <Skeleton active />
      ) : versions.isError ? (
        <Alert type="error" showIcon title={describeApiError(versions.error, t)} />
      ) : (
        <VersionHistory versions={versions.data.items} currentVersion={dataset.currentVersion?.version ?? null} />
      ),
    },
  ];

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ key: 'catalog', title: <Link to="/catalog">{t('catalog.title')}</Link> }, { key: 'dataset', title: title.primary }]}
      />
      <Typography.Title level={2} style={{ margin: 0 }} data-testid="dataset-title">
        {title.primary}
      </Typography.Title>
      {title.secondary ? (
        <Typography.Text type="secondary" style={{ fontSize: 16 }} data-testid="dataset-subtitle">
          {title.secondary}
        </Typography.Text>
      ) : null}
      <Space wrap size={[8, 8]} style={{ display: 'flex', margin: '12px 0 16px' }}>
        <ClassificationTag classification={dataset.classification} />
        <Tag>{t(`vocab.themes.${dataset.theme}`)}</Tag>
        {dataset.status === 'published' ? null : <DatasetStatusTag status={dataset.status} />}
        <Typography.Text type="secondary">{dataset.agency.name}</Typography.Text>
      </Space>
      {dataset.status === 'published' ? null : (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={dataset.status === 'draft' ? t('dataset.notPublished.draft') : t('dataset.notPublished.withdrawn')} data-testid="dataset-not-published" />
      )}
      <Row gutter={[24, 16]}>
        <Col xs={{ span: 24, order: 2 }} lg={{ span: 16, order: 1 }}>
          <Tabs items={tabs} data-testid="dataset-tabs" />
        </Col>
        <Col xs={{ span: 24, order: 1 }} lg={{ span: 8, order: 2 }}>
          <Flex vertical gap={16}>
            <AccessPanel dataset={dataset} />
            <DatasetFacts dataset={dataset} />
          </Flex>
        </Col>
      </Row>
    </>
  );
}
