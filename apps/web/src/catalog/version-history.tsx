import { Empty, Flex, Space, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DatasetVersion } from '../api/schema-types';
import { DateTime } from '../components/date-time';
import { formatBytes, formatCount } from '../components/number-format';
import { SchemaChangesView } from './schema-changes';

/** Versions, newest first: when, from which file, how many rows, and how the schema changed. */
export function VersionHistory({ versions, currentVersion }: { versions: readonly DatasetVersion[]; currentVersion: number | null }) {
  const { t, i18n } = useTranslation();
  if (versions.length === 0) return <Empty description={t('versions.empty')} data-testid="versions-empty" />;
  return (
    <Timeline
      data-testid="version-history"
      items={versions.map((version) => ({
        key: version.id,
        color: version.version === currentVersion ? 'green' : 'gray',
        content: (
          <Flex vertical gap={4} data-testid="version-item" data-version={version.version}>
            <Space size={8} wrap>
              <Typography.Text strong>{t('versions.version', { version: version.version })}</Typography.Text>
              {version.version === currentVersion ? <Typography.Text type="success">{t('versions.current')}</Typography.Text> : null}
            </Space>
            <Typography.Text type="secondary">
              <DateTime value={version.createdAt} />
            </Typography.Text>
            <Typography.Text>
              {t('versions.summary', {
                rows: formatCount(version.rowCount, i18n.language),
                columns: formatCount(version.schema.length, i18n.language),
                size: formatBytes(version.bytes, i18n.language),
              })}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ overflowWrap: 'anywhere' }}>
              {t('versions.source', {
                filename: version.sourceFilename,
                format: t(`vocab.formats.${version.sourceFormat}`),
                encoding: version.encoding ? t(`vocab.encodings.${version.encoding}`) : t('vocab.encodings.binary'),
              })}
            </Typography.Text>
            <SchemaChangesView changes={version.schemaChanges} />
          </Flex>
        ),
      }))}
    />
  );
}
