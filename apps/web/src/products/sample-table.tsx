import { Table, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Cell } from './dry-run-result';
import { formatTemporal, temporalColumn } from './sample-values';

type SampleRow = Record<string, unknown> & { __row: number };

/**
 * The first rows of a product version's output, one column per output column, as buyers receive
 * them. Dates and timestamps read in the reader's language (the value as sent in the tooltip);
 * `schema` (the version's column types), when given, says which columns they are.
 */
export function SampleTable({
  sample,
  schema,
  testId,
}: {
  sample: { columns: string[]; rows: Array<Record<string, unknown>> };
  schema?: ReadonlyArray<{ name: string; type: string }>;
  testId: string;
}) {
  const { i18n } = useTranslation();
  const columns: TableColumnsType<SampleRow> = sample.columns.map((column) => {
    const temporal = temporalColumn(
      sample.rows.map((row) => row[column]),
      schema?.find((entry) => entry.name === column)?.type,
    );
    return {
      key: column,
      title: <span style={{ whiteSpace: 'nowrap' }}>{column}</span>,
      render: (_, row) => {
        const text = temporal ? formatTemporal(row[column], temporal, i18n.language) : null;
        return text === null ? (
          <Cell value={row[column]} />
        ) : (
          <time dateTime={String(row[column])} title={String(row[column])} style={{ whiteSpace: 'nowrap' }}>
            {text}
          </time>
        );
      },
    };
  });
  const rows: SampleRow[] = sample.rows.map((row, index) => ({ ...row, __row: index }));
  return <Table<SampleRow> data-testid={testId} size="small" rowKey="__row" pagination={false} scroll={{ x: 'max-content' }} columns={columns} dataSource={rows} />;
}
