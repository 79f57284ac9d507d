import { StopOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Progress, Space, Steps, Typography, theme } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Run } from '../api/schema-types';
import { formatCount } from '../components/number-format';
import type { SqlLocation } from './derive-error';
import { DeriveErrorAlert } from './dry-run-result';
import { gateReportOfDetails } from './gate-report';
import { GateReportView } from './gate-report-view';
import { useProductFeedback } from './product-feedback';
import { RunStatusTag } from './product-tags';
import { RUN_POLL_MS, runStages } from './product-vocabulary';
import { isRunLive, runSeconds, runSteps } from './run-progress';

/** Follows a run: read every ~500 ms while it is queued or running, then refresh what it changed. */
export function useFollowedRun(productId: string, runId: string | null, initial?: Run | null) {
  const queryClient = useQueryClient();
  const run = useQuery({
    queryKey: queryKeys.productRun(productId, runId ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/products/{id}/runs/{runId}', { params: { path: { id: productId, runId: runId ?? '' } } })),
    enabled: runId !== null,
    initialData: initial && initial.id === runId ? initial : undefined,
    refetchInterval: (query) => (query.state.data && !isRunLive(query.state.data) ? false : RUN_POLL_MS),
    staleTime: 0,
  });
  const wasLive = useRef(false);
  const data = run.data;
  useEffect(() => {
    if (!data) return;
    if (isRunLive(data)) {
      wasLive.current = true;
      return;
    }
    // Only a run seen running here changes anything when it ends (not one loaded finished).
    if (!wasLive.current) return;
    wasLive.current = false;
    // A finished run may have made a version: the product, its versions, runs and lineage changed.
    void queryClient.invalidateQueries({ queryKey: queryKeys.product(productId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.products });
  }, [data, queryClient, productId]);
  return run;
}

/** A run's five stages with a progress bar, its outcome, and a way to cancel it while it runs. */
export function RunProgressView({ run, onGoTo }: { run: Run; onGoTo?: (location: SqlLocation) => void }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const queryClient = useQueryClient();
  const feedback = useProductFeedback();
  const steps = runSteps(run);
  const stageName = (stage: Run['stage']) => t(`products.vocab.stages.${stage ?? 'validating'}`);
  const live = isRunLive(run);
  const seconds = runSeconds(run);

  const cancel = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/products/{id}/runs/{runId}/cancel', { params: { path: { id: run.productId, runId: run.id } } })),
    onSuccess: (cancelled) => {
      queryClient.setQueryData(queryKeys.productRun(run.productId, run.id), cancelled);
      feedback.success('runCancelled');
    },
    onError: feedback.error,
  });

  const failureReport = run.status === 'failed' ? gateReportOfDetails(run.errorDetails) : null;

  return (
    <Card
      size="small"
      title={
        <Space size={8} wrap>
          <span>{t('products.run.title')}</span>
          <RunStatusTag run={run} />
          {seconds !== null ? <Typography.Text type="secondary">{t('products.run.seconds', { count: seconds })}</Typography.Text> : null}
        </Space>
      }
      extra={
        live ? (
          <Button danger size="small" loading={cancel.isPending} onClick={() => cancel.mutate()} data-testid="run-cancel">
            {t('products.run.cancel')}
          </Button>
        ) : null
      }
      data-testid="run-progress"
      data-status={run.status}
      data-stage={run.stage ?? ''}
    >
      <Flex vertical gap={16}>
        {run.status === 'duplicate' ? null : (
          <Steps
            size="small"
            current={Math.min(steps.current, runStages.length - 1)}
            status={steps.current >= runStages.length ? 'finish' : steps.status}
            responsive
            data-testid="run-steps"
            items={runStages.map((stage, index) => {
              // A cancelled run stopped at its stage: marked so, not drawn as the step under way.
              const stoppedHere = steps.cancelled && index === steps.current;
              return {
                title: t(`products.vocab.stages.${stage}`),
                content: stoppedHere ? (
                  <span data-testid="run-step-cancelled">{t('products.run.cancelledStep')}</span>
                ) : index === steps.current && live ? (
                  t(`products.vocab.stageDescriptions.${stage}`)
                ) : undefined,
                status: index < steps.current || steps.current >= runStages.length ? 'finish' : index === steps.current ? steps.status : 'wait',
                icon: stoppedHere ? <StopOutlined style={{ color: token.colorWarning }} /> : undefined,
              };
            })}
          />
        )}
        {/* A cancelled run's bar would only show how far it got: the steps say where it stopped. */}
        {steps.cancelled ? null : <Progress percent={steps.percent} status={steps.progressStatus} data-testid="run-progress-bar" />}
        {run.status === 'queued' ? <Typography.Text type="secondary">{t('products.run.queued')}</Typography.Text> : null}
        {run.status === 'succeeded' ? (
          <Alert
            type="success"
            showIcon
            data-testid="run-succeeded"
            title={t('products.run.succeeded', { version: run.version ?? '', rows: formatCount(run.outputRows ?? 0, i18n.language) })}
          />
        ) : null}
        {run.status === 'duplicate' ? <Alert type="info" showIcon data-testid="run-duplicate" title={t('products.run.duplicate', { version: run.version ?? '' })} /> : null}
        {run.status === 'cancelled' ? (
          <Alert
            type="warning"
            showIcon
            data-testid="run-cancelled"
            title={run.stage ? t('products.run.cancelledAt', { stage: stageName(run.stage) }) : t('products.run.cancelledQueued')}
          />
        ) : null}
        {run.status === 'failed' ? (
          <DeriveErrorAlert
            error={{ code: run.errorCode ?? 'derive.internal', message: run.errorMessage ?? '', details: run.errorDetails }}
            title={t('products.run.failed', { stage: stageName(run.stage) })}
            onGoTo={onGoTo}
            testId="run-error"
          />
        ) : null}
        {run.gateReport && run.status === 'succeeded' ? <GateReportView report={run.gateReport} compact /> : null}
        {failureReport ? <GateReportView report={failureReport} /> : null}
      </Flex>
    </Card>
  );
}
