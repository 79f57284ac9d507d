import { Card, Col, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DatasetDetail } from '../api/schema-types';
import { formatBytes, formatCount, formatDate } from '../components/number-format';

/** Size and freshness of the current version at a glance. */
export function DatasetFacts({ dataset }: { dataset: DatasetDetail }) {
  const { t, i18n } = useTranslation();
  const version = dataset.currentVersion;
  const columns = dataset.columns.filter((column) => column.inCurrentVersion).length;
  const facts = [
    { key: 'rows', title: t('dataset.facts.rows'), value: version ? formatCount(version.rowCount, i18n.language) : t('common.none') },
    { key: 'columns', title: t('dataset.facts.columns'), value: formatCount(columns, i18n.language) },
    { key: 'version', title: t('dataset.facts.version'), value: version ? t('versions.version', { version: version.version }) : t('common.none') },
    { key: 'size', title: t('dataset.facts.size'), value: version ? formatBytes(version.parquetBytes, i18n.language) : t('common.none') },
    { key: 'updated', title: t('dataset.facts.updated'), value: formatDate(version?.createdAt ?? dataset.updatedAt, i18n.language) },
    { key: 'downloads', title: t('dataset.facts.downloads'), value: formatCount(dataset.downloadCount, i18n.language) },
  ];
  return (
    <Card size="small" data-testid="dataset-facts">
      <Row gutter={[16, 16]}>
        {facts.map((fact) => (
          <Col xs={12} key={fact.key}>
            <Statistic title={fact.title} value={fact.value} styles={{ content: { fontSize: 18 } }} />
          </Col>
        ))}
      </Row>
    </Card>
  );
}
