import { Card, Flex, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DatasetSummary } from '../api/schema-types';
import { formatCount, formatDate } from '../components/number-format';
import { ClassificationTag } from './catalog-tags';
import { localizedText } from './localized-text';

/** One search result: what it is, who publishes it, how open it is, how big and how fresh. */
export function DatasetCard({ dataset }: { dataset: DatasetSummary }) {
  const { t, i18n } = useTranslation();
  const title = localizedText(dataset.titleZh, dataset.titleEn, i18n.language);
  const description = localizedText(dataset.descriptionZh, dataset.descriptionEn, i18n.language).primary;
  const updated = dataset.publishedAt && dataset.publishedAt > dataset.updatedAt ? dataset.publishedAt : dataset.updatedAt;

  return (
    <Card size="small" data-testid="dataset-card" data-slug={dataset.slug}>
      <Flex justify="space-between" align="flex-start" gap={12}>
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={5} style={{ margin: 0 }}>
            <Link to={`/catalog/${dataset.slug}`} data-testid="dataset-card-title">
              {title.primary}
            </Link>
          </Typography.Title>
          {title.secondary ? (
            <Typography.Text type="secondary" data-testid="dataset-card-subtitle">
              {title.secondary}
            </Typography.Text>
          ) : null}
        </div>
        <ClassificationTag classification={dataset.classification} />
      </Flex>
      {description ? (
        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: '8px 0' }}>
          {description}
        </Typography.Paragraph>
      ) : null}
      <Space wrap size={[12, 4]} separator={<Typography.Text type="secondary">·</Typography.Text>} style={{ marginTop: description ? 0 : 8 }}>
        <Typography.Text data-testid="dataset-card-agency">{dataset.agency.name}</Typography.Text>
        <Typography.Text type="secondary">{t(`vocab.themes.${dataset.theme}`)}</Typography.Text>
        {dataset.rowCount !== null ? (
          <Typography.Text type="secondary">{t('catalog.rows', { formatted: formatCount(dataset.rowCount, i18n.language) })}</Typography.Text>
        ) : null}
        {dataset.sourceFormat ? <Typography.Text type="secondary">{t(`vocab.formats.${dataset.sourceFormat}`)}</Typography.Text> : null}
        <Typography.Text type="secondary">{t('catalog.updatedOn', { date: formatDate(updated, i18n.language) })}</Typography.Text>
      </Space>
    </Card>
  );
}
