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
import { isRunLive, runOutcome, runSeconds } from './run-progress';

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
    // Left out on phones, so the outcome stays in view.
    { key: 'trigger', title: t('products.runs.trigger'), responsive: ['md'], render: (_, run) => t(`products.vocab.triggers.${run.trigger}`) },
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
        const outcome = runOutcome(run);
        if (outcome?.kind === 'failed') {
          // Why it failed, in words (the row expands to the whole error).
          const text = describeDeriveError({ code: run.errorCode ?? 'derive.internal', message: run.errorMessage ?? '', details: run.errorDetails }, t);
          return (
            <Typography.Text type="danger" ellipsis={{ tooltip: text.explanation ?? (run.errorMessage || text.title) }} style={{ maxWidth: 320 }} data-testid="run-result" data-outcome="failed">
              {text.title}
            </Typography.Text>
          );
        }
        if (outcome?.kind === 'cancelled') {
          return (
            <Typography.Text data-testid="run-result" data-outcome="cancelled">
              {outcome.stage ? t('products.runs.cancelledAt', { stage: t(`products.vocab.stages.${outcome.stage}`) }) : t('products.runs.cancelledQueued')}
            </Typography.Text>
          );
        }
        if (outcome?.kind === 'version') {
          return (
            <span data-testid="run-result" data-outcome="version">
              {t('products.runs.version', { version: outcome.version, rows: formatCount(outcome.rows, i18n.language) })}
            </span>
          );
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
        rowExpandable: (run) => run.status === 'failed' || run.status === 'cancelled' || run.gateReport !== null,
        expandedRowRender: (run) => <RunProgressView run={run} />,
      }}
      locale={{ emptyText: runs.isError ? t('common.loadFailed') : t('products.runs.empty') }}
    />
  );
}
