import { Alert, Button, Card, Flex, Space, Table, Tabs, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DryRunColumn, DryRunResult } from '../api/schema-types';
import { SensitivityTag } from '../catalog/catalog-tags';
import { formatCount } from '../components/number-format';
import { describeDeriveError, type SqlLocation } from './derive-error';
import { GatePlanView } from './gate-report-view';
import { OutputRoleTag } from './product-tags';

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|REAL|DOUBLE|DECIMAL)/i;

/** A refused or failed derivation: what kind of problem, DuckDB's words, and where in the SQL. */
export function DeriveErrorAlert({
  error,
  onGoTo,
  title,
  testId = 'derive-error',
}: {
  error: { code: string; message: string; details?: unknown };
  onGoTo?: (location: SqlLocation) => void;
  title?: string;
  testId?: string;
}) {
  const { t } = useTranslation();
  const text = describeDeriveError(error, t);
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId}
      data-code={error.code}
      title={title ?? text.title}
      description={
        <Flex vertical gap={4}>
          {title ? <Typography.Text strong>{text.title}</Typography.Text> : null}
          {text.explanation ? <Typography.Text data-testid={`${testId}-explanation`}>{text.explanation}</Typography.Text> : null}
          {text.message ? (
            <Typography.Text type={text.explanation ? 'secondary' : undefined} style={{ fontSize: text.explanation ? 12 : undefined, overflowWrap: 'anywhere' }}>
              {text.explanation ? `${t('products.errors.original')} ` : null}
              <Typography.Text code type={text.explanation ? 'secondary' : undefined} style={{ whiteSpace: 'pre-wrap', fontSize: 'inherit' }} data-testid={`${testId}-message`}>
                {text.message}
              </Typography.Text>
            </Typography.Text>
          ) : null}
          {text.location ? (
            <Space size={8} wrap>
              <Typography.Text strong data-testid={`${testId}-location`}>
                {t('products.errors.location', { line: text.location.line, column: text.location.column })}
              </Typography.Text>
              {onGoTo ? (
                <Button size="small" type="link" style={{ padding: 0 }} onClick={() => onGoTo(text.location!)} data-testid={`${testId}-goto`}>
                  {t('products.errors.goTo')}
                </Button>
              ) : null}
            </Space>
          ) : null}
          {text.facts.length > 0 ? <Typography.Text>{text.facts.join(t('products.errors.factSeparator'))}</Typography.Text> : null}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('products.errors.code', { code: error.code })}
          </Typography.Text>
        </Flex>
      }
    />
  );
}

type PreviewRow = Record<string, unknown> & { __row: number };

/** A dry run's output: columns as the gate sees them, preview rows, and what the gate will check. */
export function DryRunResultView({ result }: { result: DryRunResult }) {
  const { t, i18n } = useTranslation();
  const columns: TableColumnsType<DryRunColumn> = [
    {
      key: 'name',
      title: t('products.dryRun.column'),
      render: (_, column) => (
        <Flex vertical gap={2}>
          <Typography.Text strong>{column.name}</Typography.Text>
          <Typography.Text code style={{ fontSize: 12, alignSelf: 'flex-start' }}>
            {column.type}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'sensitivity',
      title: t('products.dryRun.sensitivity'),
      render: (_, column) => (
        <Space size={4} wrap>
          <SensitivityTag sensitivity={column.sensitivity} />
          <OutputRoleTag role={column.role} />
        </Space>
      ),
    },
    {
      key: 'sources',
      title: t('products.dryRun.sources'),
      render: (_, column) =>
        column.sources.length === 0 ? (
          <Typography.Text type="secondary">{t('products.dryRun.noSources')}</Typography.Text>
        ) : (
          <Typography.Text style={{ fontSize: 12 }}>{column.sources.map((source) => `${source.input}.${source.column}`).join(t('products.gate.listSeparator'))}</Typography.Text>
        ),
    },
  ];
  const previewColumns: TableColumnsType<PreviewRow> = result.columns.map((column) => ({
    key: column.name,
    align: NUMERIC_TYPE.test(column.type) ? 'right' : undefined,
    title: (
      <span title={column.type} style={{ whiteSpace: 'nowrap' }}>
        {column.name}
      </span>
    ),
    render: (_, row) => <Cell value={row[column.name]} />,
  }));
  const rows: PreviewRow[] = result.rows.map((row, index) => ({ ...row, __row: index }));

  return (
    <Card size="small" title={t('products.dryRun.title')} data-testid="dry-run-result">
      <Typography.Paragraph type="secondary">
        {t('products.dryRun.caption', { rows: formatCount(rows.length, i18n.language), sample: formatCount(result.sampleRows, i18n.language) })}
      </Typography.Paragraph>
      {result.rowsWithheld > 0 && (
        <Alert type="info" showIcon data-testid="dry-run-withheld" style={{ marginBottom: 12 }} message={t('products.dryRun.withheld', { count: result.rowsWithheld })} />
      )}
      <Tabs
        size="small"
        items={[
          {
            key: 'gate',
            label: <span data-testid="dry-run-tab-gate">{t('products.dryRun.tabs.gate')}</span>,
            children: (
              <Flex vertical gap={16}>
                <GatePlanView plan={result.gatePlan} />
                <Table<DryRunColumn>
                  data-testid="dry-run-columns"
                  size="small"
                  rowKey="name"
                  columns={columns}
                  dataSource={result.columns}
                  pagination={false}
                  scroll={{ x: 'max-content' }}
                />
              </Flex>
            ),
          },
          {
            key: 'rows',
            label: <span data-testid="dry-run-tab-rows">{t('products.dryRun.tabs.rows', { count: rows.length })}</span>,
            children: (
              <Table<PreviewRow>
                data-testid="dry-run-rows"
                size="small"
                rowKey="__row"
                columns={previewColumns}
                dataSource={rows}
                pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false, size: 'small' } : false}
                scroll={{ x: 'max-content' }}
                locale={{ emptyText: t('products.dryRun.noRows') }}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}

export function Cell({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (value === null || value === undefined) return <Typography.Text type="secondary">{t('profile.emptyValue')}</Typography.Text>;
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return <span style={{ whiteSpace: 'nowrap' }}>{text}</span>;
}
