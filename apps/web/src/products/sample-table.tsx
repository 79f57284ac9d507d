import { Table, type TableColumnsType } from 'antd';
import { Cell } from './dry-run-result';

type SampleRow = Record<string, unknown> & { __row: number };

/** The first rows of a product version's output, one column per output column, as buyers receive them. */
export function SampleTable({ sample, testId }: { sample: { columns: string[]; rows: Array<Record<string, unknown>> }; testId: string }) {
  const columns: TableColumnsType<SampleRow> = sample.columns.map((column) => ({
    key: column,
    title: <span style={{ whiteSpace: 'nowrap' }}>{column}</span>,
    render: (_, row) => <Cell value={row[column]} />,
  }));
  const rows: SampleRow[] = sample.rows.map((row, index) => ({ ...row, __row: index }));
  return <Table<SampleRow> data-testid={testId} size="small" rowKey="__row" pagination={false} scroll={{ x: 'max-content' }} columns={columns} dataSource={rows} />;
}
