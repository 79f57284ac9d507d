import { InboxOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Flex, Progress, Typography, Upload } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { DatasetDetail, Ingestion } from '../api/schema-types';
import { describeApiError } from '../components/api-error-feedback';
import { formatBytes } from '../components/number-format';
import { isIngestionFinished } from './ingestion-error';
import { IngestionOutcome } from './ingestion-outcome';
import { isAbortError, uploadDatasetFile, type UploadProgress } from './upload';

const ACCEPTED = '.csv,.json,.ndjson,.parquet';
const POLL_MS = 1000;

type UploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; filename: string; progress: UploadProgress }
  | { phase: 'failed'; filename: string; message: string };

/**
 * Uploads a data file with a progress bar of the bytes sent, then follows the ingestion
 * (about once a second) through its stages until it succeeds, is a duplicate, or fails.
 */
export function UploadPanel({ dataset, activeIngestion }: { dataset: DatasetDetail; activeIngestion: Ingestion | null }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [upload, setUpload] = useState<UploadState>({ phase: 'idle' });
  const [trackedId, setTrackedId] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  // An ingestion already under way (after a reload, or from another tab) is followed too.
  const followedId = trackedId ?? activeIngestion?.id ?? null;
  const ingestion = useQuery({
    queryKey: queryKeys.ingestion(followedId ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/agency/ingestions/{id}', { params: { path: { id: followedId ?? '' } } })),
    enabled: followedId !== null,
    refetchInterval: (query) => (query.state.data && isIngestionFinished(query.state.data) ? false : POLL_MS),
    staleTime: 0,
  });
  const finished = ingestion.data !== undefined && isIngestionFinished(ingestion.data);

  useEffect(() => {
    if (!finished) return;
    // A finished ingestion may have made a version: everything that shows one is stale.
    void queryClient.invalidateQueries({ queryKey: queryKeys.catalogAll });
    void queryClient.invalidateQueries({ queryKey: queryKeys.agencyDatasets });
    void queryClient.invalidateQueries({ queryKey: queryKeys.ingestions(dataset.id) });
  }, [finished, queryClient, dataset.id]);

  useEffect(() => () => abort.current?.abort(), []);

  const start = (file: File) => {
    const controller = new AbortController();
    abort.current = controller;
    setTrackedId(null);
    setUpload({ phase: 'uploading', filename: file.name, progress: { loaded: 0, total: file.size } });
    uploadDatasetFile({
      datasetId: dataset.id,
      file,
      signal: controller.signal,
      onProgress: (progress) => setUpload({ phase: 'uploading', filename: file.name, progress }),
    })
      .then((queued) => {
        queryClient.setQueryData(queryKeys.ingestion(queued.id), queued);
        setTrackedId(queued.id);
        setUpload({ phase: 'idle' });
        void queryClient.invalidateQueries({ queryKey: queryKeys.ingestions(dataset.id) });
      })
      .catch((error: unknown) => {
        setUpload(isAbortError(error) ? { phase: 'idle' } : { phase: 'failed', filename: file.name, message: describeApiError(error, t) });
      })
      .finally(() => {
        if (abort.current === controller) abort.current = null;
      });
  };

  const busy = upload.phase === 'uploading' || (followedId !== null && ingestion.data !== undefined && !finished);
  const percent = upload.phase === 'uploading' && upload.progress.total > 0 ? Math.floor((upload.progress.loaded / upload.progress.total) * 100) : 0;

  return (
    <Card size="small" title={t('upload.title')} data-testid="upload-panel">
      <Flex vertical gap={16}>
        <Upload.Dragger
          accept={ACCEPTED}
          multiple={false}
          showUploadList={false}
          disabled={busy}
          beforeUpload={(file) => {
            start(file);
            return false;
          }}
          data-testid="dataset-upload-input"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('upload.drop')}</p>
          <p className="ant-upload-hint">{t('upload.hint')}</p>
        </Upload.Dragger>

        {upload.phase === 'uploading' ? (
          <Flex vertical gap={4} data-testid="upload-status">
            <Flex justify="space-between" gap={8} wrap>
              <Typography.Text>
                {t('upload.sending', {
                  filename: upload.filename,
                  loaded: formatBytes(upload.progress.loaded, i18n.language),
                  total: formatBytes(upload.progress.total, i18n.language),
                })}
              </Typography.Text>
              <Button size="small" onClick={() => abort.current?.abort()} data-testid="upload-cancel">
                {t('common.cancel')}
              </Button>
            </Flex>
            <Progress percent={percent} status="active" data-testid="upload-progress" />
          </Flex>
        ) : null}

        {upload.phase === 'failed' ? (
          <Alert
            type="error"
            showIcon
            closable={{ onClose: () => setUpload({ phase: 'idle' }) }}
            data-testid="upload-error"
            title={t('upload.failed', { filename: upload.filename })}
            description={upload.message}
          />
        ) : null}

        {upload.phase !== 'uploading' && ingestion.data ? <IngestionOutcome ingestion={ingestion.data} published={dataset.status === 'published'} /> : null}
        {ingestion.isError ? <Alert type="warning" showIcon title={describeApiError(ingestion.error, t)} /> : null}
      </Flex>
    </Card>
  );
}
