import { Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { InputCandidate, InputColumn, ProductInput } from '../api/schema-types';
import { ClassificationTag, SensitivityTag } from '../catalog/catalog-tags';
import { localizedText } from '../catalog/localized-text';
import { formatPercent } from '../components/number-format';
import { weightShares } from './input-drafts';
import { AccessTag, PseudonymTag } from './product-tags';

/**
 * A product's inputs as saved: what each is, who publishes it, how open it is, its weight, and
 * the columns the SQL sees (expand a row). With `candidates`, how the owner may use each.
 */
export function InputsTable({ inputs, candidates }: { inputs: readonly ProductInput[]; candidates?: readonly InputCandidate[] }) {
  const { t, i18n } = useTranslation();
  const shares = weightShares(inputs.map((input) => input.weight));
  const columns: TableColumnsType<ProductInput> = [
    {
      key: 'name',
      title: t('products.inputs.name'),
      width: 116,
      render: (_, input) => (
        <Typography.Text code ellipsis={{ tooltip: input.name }} style={{ maxWidth: '100%' }}>
          {input.name}
        </Typography.Text>
      ),
    },
    {
      key: 'source',
      title: t('products.inputs.sourceColumn'),
      render: (_, input) => {
        const title = localizedText(input.titleZh, input.titleEn, i18n.language);
        return (
          <div style={{ minWidth: 0 }}>
            <Typography.Paragraph ellipsis={{ rows: 2, tooltip: title.primary }} style={{ marginBottom: 0 }}>
              <Link to={input.kind === 'dataset' ? `/catalog/${input.slug}` : `/products/${input.slug}`}>{title.primary}</Link>
            </Typography.Paragraph>
            <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, display: 'block' }}>
              {input.organizationName}
              {input.kind === 'product' ? ` · ${t('products.inputs.aProduct')}` : ''}
            </Typography.Text>
          </div>
        );
      },
    },
    {
      key: 'classification',
      title: t('products.inputs.classification'),
      width: 120,
      render: (_, input) => {
        const access = candidates?.find((candidate) => candidate.kind === input.kind && candidate.id === input.id)?.access;
        return (
          <Space size={4} wrap>
            {input.classification ? <ClassificationTag classification={input.classification} /> : <Tag>{t('products.inputs.aProduct')}</Tag>}
            {access ? <AccessTag access={access} /> : null}
          </Space>
        );
      },
    },
    {
      key: 'weight',
      title: t('products.inputs.weight'),
      width: 92,
      align: 'right',
      render: (_, input) => `${input.weight} · ${formatPercent(shares[inputs.indexOf(input)] ?? 0, i18n.language)}`,
    },
    {
      key: 'usable',
      title: t('products.inputs.usable'),
      width: 104,
      render: (_, input) =>
        input.usable ? (
          <Typography.Text type="success">{t('products.inputs.usableYes')}</Typography.Text>
        ) : (
          <Typography.Text type="danger" data-testid="input-unusable">
            {input.unusableReason ? t(`products.vocab.unusableReasons.${input.unusableReason}`) : t('products.inputs.usableNo')}
          </Typography.Text>
        ),
    },
    { key: 'columns', title: t('products.inputs.columns'), width: 76, align: 'right', render: (_, input) => input.columns.length },
  ];
  return (
    <Table<ProductInput>
      data-testid="inputs-table"
      size="small"
      rowKey="name"
      columns={columns}
      dataSource={[...inputs]}
      pagination={false}
      // Fixed column widths: the source's title shrinks (two lines, then an ellipsis) before the
      // last columns are pushed out of a narrow card; below this width the table scrolls.
      tableLayout="fixed"
      scroll={{ x: 680 }}
      expandable={{ expandedRowRender: (input) => <InputColumnsTable columns={input.columns} /> }}
    />
  );
}

function InputColumnsTable({ columns }: { columns: readonly InputColumn[] }) {
  const { t } = useTranslation();
  return (
    <Table<InputColumn>
      size="small"
      rowKey="name"
      pagination={false}
      dataSource={[...columns]}
      scroll={{ x: 'max-content' }}
      columns={[
        { key: 'name', title: t('dataset.schema.column'), render: (_, column) => <Typography.Text strong>{column.name}</Typography.Text> },
        { key: 'type', title: t('dataset.schema.type'), render: (_, column) => <Typography.Text code>{column.type}</Typography.Text> },
        {
          key: 'sensitivity',
          title: t('dataset.schema.sensitivity'),
          render: (_, column) => (
            <Space size={4}>
              <SensitivityTag sensitivity={column.sensitivity} />
              {column.pseudonym ? <PseudonymTag /> : null}
            </Space>
          ),
        },
      ]}
    />
  );
}
