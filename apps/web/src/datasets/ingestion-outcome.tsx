import { Alert, Flex, Progress, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Ingestion, IngestionStatus } from '../api/schema-types';
import { describeIngestionError } from './ingestion-error';

export const ingestionStatusColors: Record<IngestionStatus, string> = {
  queued: 'default',
  running: 'processing',
  succeeded: 'success',
  duplicate: 'blue',
  failed: 'error',
};

export function IngestionStatusTag({ ingestion }: { ingestion: Pick<Ingestion, 'status' | 'id'> }) {
  const { t } = useTranslation();
  return (
    <Tag color={ingestionStatusColors[ingestion.status]} data-testid="ingestion-status-tag" data-value={ingestion.status}>
      {t(`ingest.statuses.${ingestion.status}`)}
    </Tag>
  );
}

/** Progress of an ingestion still under way: its stage and percent. */
export function IngestionProgress({ ingestion }: { ingestion: Ingestion }) {
  const { t } = useTranslation();
  const stage = ingestion.stage ? t(`ingest.stages.${ingestion.stage}`) : t('ingest.statuses.queued');
  return (
    <Flex vertical gap={4} data-testid="ingestion-status" data-status={ingestion.status} data-stage={ingestion.stage ?? ''}>
      <Typography.Text>{t('ingest.processing', { filename: ingestion.filename, stage })}</Typography.Text>
      <Progress percent={Math.round(ingestion.progress)} status="active" data-testid="ingestion-progress" />
    </Flex>
  );
}

/** How a finished ingestion ended: the new version, the identical one, or why the file was refused. */
export function IngestionOutcome({ ingestion, published }: { ingestion: Ingestion; published: boolean }) {
  const { t } = useTranslation();
  const common = { showIcon: true, 'data-testid': 'ingestion-status', 'data-status': ingestion.status } as const;
  switch (ingestion.status) {
    case 'succeeded':
      return (
        <Alert
          {...common}
          type="success"
          title={t('ingest.succeeded', { filename: ingestion.filename, version: ingestion.version ?? '' })}
          description={published ? t('ingest.succeededPublished') : t('ingest.succeededDraft')}
        />
      );
    case 'duplicate':
      return <Alert {...common} type="info" title={t('ingest.duplicate', { filename: ingestion.filename, version: ingestion.version ?? '' })} />;
    case 'failed':
      return <IngestionFailure ingestion={ingestion} />;
    case 'queued':
    case 'running':
      return <IngestionProgress ingestion={ingestion} />;
  }
}

export function IngestionFailure({ ingestion, compact = false }: { ingestion: Ingestion; compact?: boolean }) {
  const { t } = useTranslation();
  const error = ingestion.error ?? { code: 'ingest.internal', message: '', details: null };
  const text = describeIngestionError(error, t);
  const description = (
    <Flex vertical gap={4}>
      <Typography.Text data-testid="ingestion-error-explanation">{text.explanation}</Typography.Text>
      {text.facts.length > 0 ? (
        <Typography.Text strong data-testid="ingestion-error-where">
          {text.facts.join(t('ingest.factSeparator'))}
        </Typography.Text>
      ) : null}
      {text.technical ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="ingestion-error-technical">
          {t('ingest.technical', { message: text.technical })}
        </Typography.Text>
      ) : null}
    </Flex>
  );
  if (compact) return description;
  return (
    <Alert
      showIcon
      type="error"
      data-testid="ingestion-status"
      data-status="failed"
      data-code={error.code}
      title={t('ingest.failed', { filename: ingestion.filename })}
      description={description}
    />
  );
}
