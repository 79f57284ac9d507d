import { Card, Descriptions, Empty, Flex, Grid, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ProductVersion } from '../api/schema-types';
import { localizedText } from '../catalog/localized-text';
import { DateTime } from '../components/date-time';
import { formatBytes, formatCount } from '../components/number-format';
import { GateOutcomeTag } from './product-tags';
import { GateReportView } from './gate-report-view';
import { SqlEditor } from './sql-editor';

/** Versions of a product, newest first: a table to pick one, then its privacy gate report, schema, inputs and SQL. */
export function ProductVersions({ versions, currentVersion }: { versions: readonly ProductVersion[]; currentVersion: number | null }) {
  const { t, i18n } = useTranslation();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  if (versions.length === 0) return <Empty description={t('products.versions.empty')} data-testid="product-versions-empty" />;
  const selected = versions.find((version) => version.id === selectedId) ?? versions[0]!;
  const columns: TableColumnsType<ProductVersion> = [
    {
      key: 'version',
      title: t('products.versions.version'),
      render: (_, version) => (
        <Space size={6} data-testid="product-version" data-version={version.version}>
          <Typography.Text strong>{t('versions.version', { version: version.version })}</Typography.Text>
          {version.version === currentVersion ? <Tag color="green">{t('versions.current')}</Tag> : null}
        </Space>
      ),
    },
    { key: 'gate', title: t('products.gate.reportTitle'), render: (_, version) => <GateOutcomeTag outcome={version.gateReport.outcome} /> },
    {
      key: 'size',
      title: t('products.versions.size'),
      render: (_, version) =>
        t('products.versions.summary', {
          rows: formatCount(version.rowCount, i18n.language),
          columns: formatCount(version.schema.length, i18n.language),
          size: formatBytes(version.parquetBytes, i18n.language),
        }),
    },
    { key: 'created', title: t('products.versions.created'), render: (_, version) => <DateTime value={version.createdAt} /> },
  ];
  return (
    <Flex vertical gap={16} data-testid="product-versions">
      <Table<ProductVersion>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={[...versions]}
        pagination={versions.length > 10 ? { pageSize: 10, showSizeChanger: false, size: 'small' } : false}
        scroll={{ x: 'max-content' }}
        rowSelection={{
          type: 'radio',
          selectedRowKeys: [selected.id],
          onChange: (keys) => setSelectedId(String(keys[0])),
          columnWidth: 32,
        }}
        onRow={(version) => ({ onClick: () => setSelectedId(version.id), style: { cursor: 'pointer' } })}
      />
      <Card size="small" title={t('products.versions.details', { version: selected.version })} data-testid="product-version-details" data-version={selected.version}>
        <VersionDetails key={selected.id} version={selected} />
      </Card>
    </Flex>
  );
}

function VersionDetails({ version }: { version: ProductVersion }) {
  const { t, i18n } = useTranslation();
  // On a phone the name goes above what it is, whole, rather than broken in a narrow label column.
  const narrow = !Grid.useBreakpoint().md;
  return (
    <Flex vertical gap={16}>
      <GateReportView report={version.gateReport} />
      <div>
        <Typography.Title level={5}>{t('products.versions.schema')}</Typography.Title>
        <Table
          size="small"
          rowKey="name"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={version.schema}
          columns={[
            { key: 'name', title: t('dataset.schema.column'), render: (_, column) => <Typography.Text strong>{column.name}</Typography.Text> },
            { key: 'type', title: t('dataset.schema.type'), render: (_, column) => <Typography.Text code>{column.type}</Typography.Text> },
          ]}
        />
      </div>
      <div>
        <Typography.Title level={5}>{t('products.versions.inputs')}</Typography.Title>
        <Descriptions
          size="small"
          column={1}
          bordered
          layout={narrow ? 'vertical' : 'horizontal'}
          items={version.inputs.map((input) => {
            const title = localizedText(input.titleZh, input.titleEn, i18n.language);
            const versionId = input.datasetVersionId ?? input.productVersionId ?? '';
            return {
              key: input.name,
              label: <Typography.Text code>{input.name}</Typography.Text>,
              children: (
                <Flex vertical gap={2} data-testid="version-input" data-name={input.name}>
                  <Space size={[8, 2]} wrap>
                    <Link to={input.kind === 'dataset' ? `/catalog/${input.slug}` : `/products/${input.slug}`} data-testid="version-input-title">
                      {title.primary}
                    </Link>
                    <Typography.Text data-testid="version-input-version">
                      {t(input.kind === 'dataset' ? 'products.versions.datasetVersionOf' : 'products.versions.productVersionOf', { version: input.version })}
                    </Typography.Text>
                    <Typography.Text type="secondary">{t('products.versions.inputWeight', { weight: input.weight })}</Typography.Text>
                  </Space>
                  {/* The exact version's id, for support and audits: there to copy, not to read. */}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} copyable={{ text: versionId, tooltips: [t('products.versions.copyVersionId'), t('products.versions.copied')] }}>
                    <span data-testid="version-input-id">{t('products.versions.versionId', { id: versionId.slice(0, 8) })}</span>
                  </Typography.Text>
                </Flex>
              ),
            };
          })}
        />
      </div>
      <div>
        <Typography.Title level={5}>{t('products.versions.sql')}</Typography.Title>
        <SqlEditor value={version.sql} readOnly minHeight="60px" maxHeight="320px" testId={`version-sql-${version.version}`} />
      </div>
    </Flex>
  );
}
