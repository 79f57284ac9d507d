import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Card, Flex, Result, Skeleton, Space, Steps, Tabs, Typography } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { DatasetDetail } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { ClassificationTag, DatasetStatusTag } from '../catalog/catalog-tags';
import { localizedText } from '../catalog/localized-text';
import { VersionHistory } from '../catalog/version-history';
import { describeApiError } from '../components/api-error-feedback';
import { ColumnsEditor } from '../datasets/columns-editor';
import { DatasetActions } from '../datasets/dataset-actions';
import { DatasetMetadataEditor } from '../datasets/dataset-metadata-editor';
import { isIngestionFinished } from '../datasets/ingestion-error';
import { IngestionHistory, useIngestions } from '../datasets/ingestion-history';
import { UploadPanel } from '../datasets/upload-panel';

// The usage tab draws charts: its code (and the charts library) loads when the tab is first opened.
const DatasetUsage = lazy(() => import('../datasets/dataset-usage').then((module) => ({ default: module.DatasetUsage })));

/** A steward's page for one dataset: data uploads, metadata, columns, versions, usage and its state. */
export function DatasetManagePage() {
  const { id = '' } = useParams();
  const me = useMe();
  const { t } = useTranslation();
  const detail = useQuery({
    queryKey: [...queryKeys.dataset(id), `${me.user.id}:${me.organization.id}`],
    queryFn: () => unwrap(api.GET('/api/v1/catalog/datasets/{ref}', { params: { path: { ref: id } } })),
  });

  if (detail.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (detail.isError) {
    return detail.error instanceof ApiError && (detail.error.status === 404 || detail.error.status === 400) ? (
      <Result
        status="404"
        title={<span data-testid="dataset-not-found">{t('dataset.notFoundTitle')}</span>}
        extra={<Link to="/console/datasets">{t('datasets.backToList')}</Link>}
      />
    ) : (
      <Alert type="error" showIcon title={t('dataset.loadFailed')} description={describeApiError(detail.error, t)} />
    );
  }
  if (detail.data.agency.id !== me.organization.id) {
    // Another agency's published dataset: its page is the public one.
    return <Result status="403" title={t('datasets.notYours')} extra={<Link to={`/catalog/${detail.data.slug}`}>{t('datasets.actions.viewInCatalog')}</Link>} />;
  }
  return <ManagedDataset dataset={detail.data} />;
}

function ManagedDataset({ dataset }: { dataset: DatasetDetail }) {
  const { t, i18n } = useTranslation();
  const title = localizedText(dataset.titleZh, dataset.titleEn, i18n.language);
  const ingestions = useIngestions(dataset.id);
  const active = ingestions.data?.items.find((ingestion) => !isIngestionFinished(ingestion)) ?? null;
  const versions = useQuery({
    queryKey: [...queryKeys.datasetVersions(dataset.id), 'agency'],
    queryFn: () => unwrap(api.GET('/api/v1/catalog/datasets/{ref}/versions', { params: { path: { ref: dataset.id } } })),
  });

  // The open tab is in the address (`?tab=usage`), so a link can open it and reloading keeps it.
  const [params, setParams] = useSearchParams();
  const tabs = [
    {
      key: 'data',
      label: <span data-testid="manage-tab-data">{t('datasets.tabs.data')}</span>,
      children: (
        <Flex vertical gap={16}>
          <UploadPanel dataset={dataset} activeIngestion={active} />
          <IngestionHistory datasetId={dataset.id} />
        </Flex>
      ),
    },
    { key: 'metadata', label: <span data-testid="manage-tab-metadata">{t('datasets.tabs.metadata')}</span>, children: <DatasetMetadataEditor dataset={dataset} /> },
    {
      key: 'columns',
      label: <span data-testid="manage-tab-columns">{t('datasets.tabs.columns')}</span>,
      children: <ColumnsEditor key={dataset.updatedAt} datasetId={dataset.id} columns={dataset.columns} minGroupSize={dataset.minGroupSize} />,
    },
    {
      key: 'versions',
      label: <span data-testid="manage-tab-versions">{t('datasets.tabs.versions')}</span>,
      children: versions.isPending ? (
        <Skeleton active />
      ) : versions.isError ? (
        <Alert type="error" showIcon title={describeApiError(versions.error, t)} />
      ) : (
        <VersionHistory versions={versions.data.items} currentVersion={dataset.currentVersion?.version ?? null} />
      ),
    },
    {
      key: 'usage',
      label: <span data-testid="manage-tab-usage">{t('datasets.tabs.usage')}</span>,
      children: (
        <Suspense fallback={<Skeleton active paragraph={{ rows: 8 }} />}>
          <DatasetUsage datasetId={dataset.id} />
        </Suspense>
      ),
    },
  ];

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ key: 'list', title: <Link to="/console/datasets">{t('nav.datasets')}</Link> }, { key: 'dataset', title: title.primary }]}
      />
      <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }} data-testid="page-title">
            {title.primary}
          </Typography.Title>
          {title.secondary ? <Typography.Text type="secondary">{title.secondary}</Typography.Text> : null}
          <Space wrap size={[8, 8]} style={{ display: 'flex', marginTop: 8 }}>
            <DatasetStatusTag status={dataset.status} />
            <ClassificationTag classification={dataset.classification} />
            {dataset.currentVersion ? (
              <Typography.Text type="secondary">{t('versions.version', { version: dataset.currentVersion.version })}</Typography.Text>
            ) : null}
          </Space>
        </div>
        <DatasetActions dataset={dataset} />
      </Flex>
      {dataset.status === 'draft' ? <DraftChecklist dataset={dataset} /> : null}
      {dataset.status === 'withdrawn' ? (
        <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('dataset.notPublished.withdrawn')} />
      ) : null}
      <Tabs
        items={tabs}
        activeKey={tabs.some((tab) => tab.key === params.get('tab')) ? params.get('tab')! : 'data'}
        onChange={(key) => setParams(key === 'data' ? {} : { tab: key }, { replace: true })}
        data-testid="manage-tabs"
      />
    </>
  );
}

/** A draft's way to publication: describe, upload, review columns, publish. */
function DraftChecklist({ dataset }: { dataset: DatasetDetail }) {
  const { t } = useTranslation();
  const hasData = dataset.currentVersion !== null;
  return (
    <Card size="small" style={{ marginBottom: 16 }} data-testid="draft-checklist">
      <Steps
        size="small"
        current={hasData ? 2 : 1}
        items={[
          { title: t('datasets.checklist.describe') },
          { title: t('datasets.checklist.upload') },
          { title: t('datasets.checklist.review') },
          { title: t('datasets.checklist.publish') },
        ]}
      />
    </Card>
  );
}
