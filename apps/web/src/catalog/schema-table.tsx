import { Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DatasetColumn } from '../api/schema-types';
import { SensitivityTag } from './catalog-tags';
import { localizedText } from './localized-text';

/** The columns of a dataset: name, type, description in the reader's language and sensitivity. */
export function SchemaTable({ columns }: { columns: readonly DatasetColumn[] }) {
  const { t, i18n } = useTranslation();
  const tableColumns: TableColumnsType<DatasetColumn> = [
    {
      key: 'name',
      title: t('dataset.schema.column'),
      render: (_, column) => (
        <>
          <Typography.Text strong>{column.name}</Typography.Text>
          {column.inCurrentVersion ? null : (
            <Tag style={{ marginInlineStart: 8 }} data-testid="column-earlier-only">
              {t('dataset.schema.earlierOnly')}
            </Tag>
          )}
        </>
      ),
    },
    { key: 'type', title: t('dataset.schema.type'), render: (_, column) => <Typography.Text code>{column.dataType}</Typography.Text> },
    {
      key: 'description',
      title: t('dataset.schema.description'),
      render: (_, column) => {
        const text = localizedText(column.descriptionZh, column.descriptionEn, i18n.language);
        return text.primary ? (
          <>
            <div>{text.primary}</div>
            {text.secondary ? <Typography.Text type="secondary">{text.secondary}</Typography.Text> : null}
          </>
        ) : (
          <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
        );
      },
    },
    { key: 'sensitivity', title: t('dataset.schema.sensitivity'), render: (_, column) => <SensitivityTag sensitivity={column.sensitivity} /> },
  ];
  return (
    <Table<DatasetColumn>
      data-testid="schema-table"
      size="small"
      rowKey="name"
      columns={tableColumns}
      dataSource={[...columns]}
      pagination={false}
      scroll={{ x: 'max-content' }}
      rowClassName={(column) => (column.inCurrentVersion ? '' : 'civic-row-muted')}
      locale={{ emptyText: t('dataset.schema.empty') }}
    />
  );
}
