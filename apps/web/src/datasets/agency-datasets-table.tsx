import { useQuery } from '@tanstack/react-query';
import { Segmented, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { DatasetStatus, DatasetSummary } from '../api/schema-types';
import { ClassificationTag, DatasetStatusTag } from '../catalog/catalog-tags';
import { localizedText } from '../catalog/localized-text';
import { DateTime } from '../components/date-time';
import { formatCount } from '../components/number-format';

type StatusFilter = 'all' | DatasetStatus;
const statusFilters: StatusFilter[] = ['all', 'draft', 'published', 'withdrawn'];

/** The agency's datasets in every state, most recently changed first. */
export function AgencyDatasetsTable() {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState<StatusFilter>('all');
  const datasets = useQuery({ queryKey: queryKeys.agencyDatasets, queryFn: () => unwrap(api.GET('/api/v1/agency/datasets')) });
  const all = datasets.data?.items ?? [];
  const rows = filter === 'all' ? all : all.filter((dataset) => dataset.status === filter);
  const countOf = (status: StatusFilter) => (status === 'all' ? all.length : all.filter((dataset) => dataset.status === status).length);

  const columns: TableColumnsType<DatasetSummary> = [
    {
      key: 'title',
      title: t('datasets.columns.title'),
      render: (_, dataset) => {
        const title = localizedText(dataset.titleZh, dataset.titleEn, i18n.language);
        return (
          <Space orientation="vertical" size={0}>
            <Link to={`/console/datasets/${dataset.id}`} data-testid={`agency-dataset-${dataset.slug}`}>
              {title.primary}
            </Link>
            {title.secondary ? <Typography.Text type="secondary">{title.secondary}</Typography.Text> : null}
          </Space>
        );
      },
    },
    { key: 'status', title: t('datasets.columns.status'), render: (_, dataset) => <DatasetStatusTag status={dataset.status} /> },
    { key: 'classification', title: t('datasets.columns.classification'), render: (_, dataset) => <ClassificationTag classification={dataset.classification} /> },
    { key: 'theme', title: t('datasets.columns.theme'), render: (_, dataset) => t(`vocab.themes.${dataset.theme}`) },
    {
      key: 'version',
      title: t('datasets.columns.version'),
      render: (_, dataset) =>
        dataset.versionNumber === null ? (
          <Typography.Text type="secondary">{t('datasets.noData')}</Typography.Text>
        ) : (
          t('versions.version', { version: dataset.versionNumber })
        ),
    },
    {
      key: 'rows',
      title: t('datasets.columns.rows'),
      align: 'right',
      render: (_, dataset) => (dataset.rowCount === null ? t('common.none') : formatCount(dataset.rowCount, i18n.language)),
    },
    { key: 'downloads', title: t('datasets.columns.downloads'), align: 'right', render: (_, dataset) => formatCount(dataset.downloadCount, i18n.language) },
    // The day fits a 1366 px screen beside the other columns; the exact time is in the tooltip.
    { key: 'updated', title: t('datasets.columns.updated'), render: (_, dataset) => <span style={{ whiteSpace: 'nowrap' }}><DateTime value={dataset.updatedAt} dateOnly /></span> },
  ];

  return (
    <>
      <Segmented<StatusFilter>
        style={{ marginBottom: 16, maxWidth: '100%', overflowX: 'auto' }}
        value={filter}
        onChange={setFilter}
        data-testid="agency-datasets-filter"
        options={statusFilters.map((value) => ({
          value,
          label: `${value === 'all' ? t('datasets.filterAll') : t(`vocab.datasetStatuses.${value}`)} (${countOf(value)})`,
        }))}
      />
      <Table<DatasetSummary>
        data-testid="agency-datasets-table"
        rowKey="id"
        loading={datasets.isPending}
        columns={columns}
        dataSource={rows}
        pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: datasets.isError ? t('common.loadFailed') : filter === 'all' ? t('datasets.empty') : t('datasets.emptyFiltered') }}
      />
    </>
  );
}
