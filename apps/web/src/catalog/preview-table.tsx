import { useQuery } from '@tanstack/react-query';
import { Alert, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import { describeApiError } from '../components/api-error-feedback';
import { formatCount } from '../components/number-format';

type PreviewRow = Record<string, unknown> & { __row: number };

const NUMERIC_TYPE = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|REAL|DOUBLE|DECIMAL)/i;

/** The first rows of an open dataset, as they are stored. */
export function PreviewTable({ datasetRef }: { datasetRef: string }) {
  const { t, i18n } = useTranslation();
  const preview = useQuery({
    queryKey: queryKeys.datasetPreview(datasetRef),
    queryFn: () => unwrap(api.GET('/api/v1/catalog/datasets/{ref}/preview', { params: { path: { ref: datasetRef } } })),
    staleTime: 5 * 60_000,
  });

  if (preview.isError) return <Alert type="error" showIcon title={t('dataset.preview.failed')} description={describeApiError(preview.error, t)} />;

  const columns: TableColumnsType<PreviewRow> = (preview.data?.columns ?? []).map((column) => ({
    key: column.name,
    align: NUMERIC_TYPE.test(column.type) ? 'right' : undefined,
    title: (
      <span title={column.type} style={{ whiteSpace: 'nowrap' }}>
        {column.name}
      </span>
    ),
    render: (_, row) => <PreviewCell value={row[column.name]} />,
  }));
  const rows: PreviewRow[] = (preview.data?.rows ?? []).map((row, index) => ({ ...row, __row: index }));

  return (
    <>
      {preview.data ? (
        <Typography.Paragraph type="secondary" data-testid="preview-caption">
          {t('dataset.preview.caption', {
            shown: formatCount(rows.length, i18n.language),
            total: formatCount(preview.data.totalRows, i18n.language),
          })}
        </Typography.Paragraph>
      ) : null}
      <Table<PreviewRow>
        data-testid="preview-table"
        size="small"
        rowKey="__row"
        loading={preview.isPending}
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('dataset.preview.empty') }}
      />
    </>
  );
}

function PreviewCell({ value }: { value: unknown }) {
  const { t } = useTranslation();
  if (value === null || value === undefined) return <Typography.Text type="secondary">{t('profile.emptyValue')}</Typography.Text>;
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return <span style={{ whiteSpace: 'nowrap' }}>{text}</span>;
}
