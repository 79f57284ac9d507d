import { useQuery } from '@tanstack/react-query';
import { Card, Progress, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Ingestion } from '../api/schema-types';
import { DateTime } from '../components/date-time';
import { formatBytes } from '../components/number-format';
import { describeIngestionError, isIngestionFinished } from './ingestion-error';
import { IngestionFailure, IngestionStatusTag } from './ingestion-outcome';

/** Recent uploads of a dataset: when, which file, and how each ingestion ended. */
export function useIngestions(datasetId: string) {
  return useQuery({
    queryKey: queryKeys.ingestions(datasetId),
    queryFn: () => unwrap(api.GET('/api/v1/agency/datasets/{id}/ingestions', { params: { path: { id: datasetId } } })),
    refetchInterval: (query) => (query.state.data?.items.some((ingestion) => !isIngestionFinished(ingestion)) ? 3000 : false),
  });
}

export function IngestionHistory({ datasetId }: { datasetId: string }) {
  const { t, i18n } = useTranslation();
  const ingestions = useIngestions(datasetId);

  const columns: TableColumnsType<Ingestion> = [
    { key: 'createdAt', title: t('ingest.history.uploadedAt'), render: (_, ingestion) => <DateTime value={ingestion.createdAt} /> },
    {
      key: 'file',
      title: t('ingest.history.file'),
      render: (_, ingestion) => (
        <Typography.Text ellipsis={{ tooltip: ingestion.filename }} style={{ maxWidth: 220 }}>
          {ingestion.filename}
        </Typography.Text>
      ),
    },
    { key: 'size', title: t('ingest.history.size'), align: 'right', render: (_, ingestion) => formatBytes(ingestion.bytes, i18n.language) },
    {
      key: 'status',
      title: t('ingest.history.status'),
      render: (_, ingestion) =>
        isIngestionFinished(ingestion) ? (
          <IngestionStatusTag ingestion={ingestion} />
        ) : (
          <Progress percent={Math.round(ingestion.progress)} size="small" status="active" style={{ width: 120, margin: 0 }} />
        ),
    },
    {
      key: 'result',
      title: t('ingest.history.result'),
      render: (_, ingestion) => {
        if (ingestion.status === 'failed' && ingestion.error) {
          const explanation = describeIngestionError(ingestion.error, t).explanation;
          return (
            <Typography.Text type="danger" ellipsis={{ tooltip: explanation }} style={{ maxWidth: 360 }}>
              {explanation}
            </Typography.Text>
          );
        }
        if (ingestion.version !== null) return t('versions.version', { version: ingestion.version });
        return ingestion.stage ? t(`ingest.stages.${ingestion.stage}`) : t('common.none');
      },
    },
  ];

  return (
    <Card size="small" title={t('ingest.history.title')}>
      <Table<Ingestion>
        data-testid="ingestion-history"
        size="small"
        rowKey="id"
        loading={ingestions.isPending}
        columns={columns}
        dataSource={ingestions.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        expandable={{
          rowExpandable: (ingestion) => ingestion.status === 'failed',
          expandedRowRender: (ingestion) => <IngestionFailure ingestion={ingestion} compact />,
        }}
        locale={{ emptyText: ingestions.isError ? t('common.loadFailed') : t('ingest.history.empty') }}
      />
    </Card>
  );
}
