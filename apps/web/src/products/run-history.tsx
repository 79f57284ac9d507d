import { useQuery } from '@tanstack/react-query';
import { Progress, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Run } from '../api/schema-types';
import { DateTime } from '../components/date-time';
import { formatCount } from '../components/number-format';
import { describeDeriveError } from './derive-error';
import { RunProgressView } from './run-progress-view';
import { RunStatusTag } from './product-tags';
import { RUN_POLL_MS } from './product-vocabulary';
import { isRunLive, runSeconds } from './run-progress';

/** Runs of a product, newest first: who started them, how they ended, what they made. */
export function RunHistory({ productId }: { productId: string }) {
  const { t, i18n } = useTranslation();
  const runs = useQuery({
    queryKey: queryKeys.productRuns(productId),
    queryFn: () => unwrap(api.GET('/api/v1/products/{id}/runs', { params: { path: { id: productId } } })),
    refetchInterval: (query) => (query.state.data?.items.some(isRunLive) ? RUN_POLL_MS * 4 : false),
  });

  const columns: TableColumnsType<Run> = [
    { key: 'createdAt', title: t('products.runs.started'), render: (_, run) => <DateTime value={run.createdAt} /> },
    { key: 'trigger', title: t('products.runs.trigger'), render: (_, run) => t(`products.vocab.triggers.${run.trigger}`) },
    {
      key: 'status',
      title: t('products.runs.status'),
      render: (_, run) =>
        isRunLive(run) ? <Progress percent={Math.round(run.progress)} size="small" status="active" style={{ width: 120, margin: 0 }} /> : <RunStatusTag run={run} />,
    },
    {
      key: 'result',
      title: t('products.runs.result'),
      render: (_, run) => {
        if (run.status === 'failed') {
          const text = describeDeriveError({ code: run.errorCode ?? 'derive.internal', message: run.errorMessage ?? '', details: run.errorDetails }, t);
          const title = text.title;
          return (
            <Typography.Text type="danger" ellipsis={{ tooltip: text.explanation ?? (run.errorMessage || title) }} style={{ maxWidth: 320 }}>
              {title}
            </Typography.Text>
          );
        }
        if (run.version !== null) {
          return t('products.runs.version', { version: run.version, rows: formatCount(run.outputRows ?? 0, i18n.language) });
        }
        return run.stage ? t(`products.vocab.stages.${run.stage}`) : t('common.none');
      },
    },
    {
      key: 'duration',
      title: t('products.runs.duration'),
      align: 'right',
      render: (_, run) => {
        const seconds = runSeconds(run);
        return seconds === null ? t('common.none') : t('products.run.seconds', { count: seconds });
      },
    },
  ];

  return (
    <Table<Run>
      data-testid="run-history"
      size="small"
      rowKey="id"
      loading={runs.isPending}
      columns={columns}
      dataSource={runs.data?.items}
      pagination={false}
      scroll={{ x: 'max-content' }}
      expandable={{
        rowExpandable: (run) => run.status === 'failed' || run.gateReport !== null,
        expandedRowRender: (run) => <RunProgressView run={run} />,
      }}
      locale={{ emptyText: runs.isError ? t('common.loadFailed') : t('products.runs.empty') }}
    />
  );
}
