import { DownloadOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DownloadFormat } from '../api/schema-types';
import { useShowApiError } from '../components/api-error-feedback';
import { downloadDatasetFile, downloadUrl } from './download';

const formats: DownloadFormat[] = ['csv', 'parquet'];

/**
 * CSV and Parquet downloads of the current version. Signed in, the file is fetched with the
 * session's token (conditional data needs it); anonymous visitors follow a plain link.
 */
export function DownloadButtons({ datasetRef, signedIn }: { datasetRef: string; signedIn: boolean }) {
  const { t } = useTranslation();
  const showError = useShowApiError();
  const [pending, setPending] = useState<DownloadFormat | null>(null);

  return (
    <Space wrap data-testid="download-buttons">
      {formats.map((format) =>
        signedIn ? (
          <Button
            key={format}
            type={format === 'csv' ? 'primary' : 'default'}
            icon={<DownloadOutlined />}
            loading={pending === format}
            disabled={pending !== null && pending !== format}
            data-testid={`download-${format}`}
            onClick={() => {
              setPending(format);
              downloadDatasetFile(datasetRef, format)
                .catch(showError)
                .finally(() => setPending(null));
            }}
          >
            {t(`dataset.download.${format}`)}
          </Button>
        ) : (
          <Button key={format} type={format === 'csv' ? 'primary' : 'default'} icon={<DownloadOutlined />} href={downloadUrl(datasetRef, format)} download data-testid={`download-${format}`}>
            {t(`dataset.download.${format}`)}
          </Button>
        ),
      )}
    </Space>
  );
}
