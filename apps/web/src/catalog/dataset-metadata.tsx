import { Descriptions, Grid, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DatasetDetail } from '../api/schema-types';
import { formatCount, formatDate } from '../components/number-format';
import { licenseUrls } from './vocabulary';

/** The DCAT metadata of a dataset, in the reader's language where it is a vocabulary. */
export function DatasetMetadata({ dataset }: { dataset: DatasetDetail }) {
  const { t, i18n } = useTranslation();
  const language = i18n.language;
  // Phones: labels above values, so neither is squeezed into half the width.
  const narrow = !Grid.useBreakpoint().sm;
  const none = <Typography.Text type="secondary">{t('common.none')}</Typography.Text>;
  const licenseUrl = licenseUrls[dataset.licenseId];
  const licenseName = t(`vocab.licenses.${dataset.licenseId}`);
  const period =
    dataset.temporalStart || dataset.temporalEnd
      ? t('dataset.meta.period', {
          start: dataset.temporalStart ? formatDate(dataset.temporalStart, language) : t('dataset.meta.openStart'),
          end: dataset.temporalEnd ? formatDate(dataset.temporalEnd, language) : t('dataset.meta.openEnd'),
        })
      : null;

  return (
    <Descriptions
      data-testid="dataset-metadata"
      size="small"
      bordered
      column={1}
      layout={narrow ? 'vertical' : 'horizontal'}
      styles={{ label: { width: narrow ? undefined : 180 } }}
      items={[
        { key: 'agency', label: t('dataset.meta.agency'), children: dataset.agency.name },
        {
          key: 'contact',
          label: t('dataset.meta.contact'),
          children:
            dataset.contactName || dataset.contactEmail ? (
              <Space wrap size={8}>
                {dataset.contactName ? <span>{dataset.contactName}</span> : null}
                {dataset.contactEmail ? <a href={`mailto:${dataset.contactEmail}`}>{dataset.contactEmail}</a> : null}
              </Space>
            ) : (
              none
            ),
        },
        { key: 'theme', label: t('dataset.meta.theme'), children: t(`vocab.themes.${dataset.theme}`) },
        { key: 'frequency', label: t('dataset.meta.updateFrequency'), children: t(`vocab.frequencies.${dataset.updateFrequency}`) },
        { key: 'spatial', label: t('dataset.meta.spatialCoverage'), children: dataset.spatialCoverage || none },
        { key: 'temporal', label: t('dataset.meta.temporalCoverage'), children: period ?? none },
        {
          key: 'license',
          label: t('dataset.meta.license'),
          children: licenseUrl ? (
            <a href={licenseUrl} target="_blank" rel="noopener noreferrer" data-testid="dataset-license">
              {licenseName}
            </a>
          ) : (
            <span data-testid="dataset-license">{licenseName}</span>
          ),
        },
        {
          key: 'k',
          label: t('dataset.meta.minGroupSize'),
          children: (
            <Space orientation="vertical" size={0}>
              <Typography.Text strong>{t('dataset.meta.kValue', { k: dataset.minGroupSize })}</Typography.Text>
              <Typography.Text type="secondary">{t('dataset.meta.kExplained', { k: dataset.minGroupSize })}</Typography.Text>
            </Space>
          ),
        },
        {
          key: 'keywords',
          label: t('dataset.meta.keywords'),
          children:
            dataset.keywords.length > 0 ? (
              <Space wrap size={[4, 4]}>
                {dataset.keywords.map((keyword) => (
                  <Tag key={keyword}>{keyword}</Tag>
                ))}
              </Space>
            ) : (
              none
            ),
        },
        { key: 'published', label: t('dataset.meta.published'), children: dataset.publishedAt ? formatDate(dataset.publishedAt, language) : none },
        { key: 'updated', label: t('dataset.meta.updated'), children: formatDate(dataset.updatedAt, language) },
        { key: 'downloads', label: t('dataset.meta.downloads'), children: formatCount(dataset.downloadCount, language) },
        { key: 'identifier', label: t('dataset.meta.identifier'), children: <Typography.Text code>{dataset.slug}</Typography.Text> },
      ]}
    />
  );
}
