import { Card, Collapse, Flex, Grid, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
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
  const narrow = !Grid.useBreakpoint().md;
  const shares = weightShares(inputs.map((input) => input.weight));
  const accessOf = (input: ProductInput) => candidates?.find((candidate) => candidate.kind === input.kind && candidate.id === input.id)?.access;
  const usable = (input: ProductInput) =>
    input.usable ? (
      <Typography.Text type="success">{t('products.inputs.usableYes')}</Typography.Text>
    ) : (
      <Typography.Text type="danger" data-testid="input-unusable">
        {input.unusableReason ? t(`products.vocab.unusableReasons.${input.unusableReason}`) : t('products.inputs.usableNo')}
      </Typography.Text>
    );
  const share = (input: ProductInput, index: number) => `${input.weight} · ${formatPercent(shares[index] ?? 0, i18n.language)}`;

  // On a phone a table of six columns would be cut off: each input is a card of its own.
  if (narrow) {
    return (
      <Flex vertical gap={8} data-testid="inputs-table" data-layout="cards">
        {inputs.map((input, index) => {
          const title = localizedText(input.titleZh, input.titleEn, i18n.language);
          const access = accessOf(input);
          return (
            <Card key={input.name} size="small" data-testid="inputs-table-item" styles={{ body: { padding: 12 } }}>
              <Flex vertical gap={4}>
                <Flex justify="space-between" align="baseline" gap={8} wrap>
                  <Typography.Text code style={{ overflowWrap: 'anywhere' }}>
                    {input.name}
                  </Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('products.inputs.weight')} {share(input, index)}
                  </Typography.Text>
                </Flex>
                <Link to={input.kind === 'dataset' ? `/catalog/${input.slug}` : `/products/${input.slug}`}>{title.primary}</Link>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {input.organizationName}
                  {input.kind === 'product' ? ` · ${t('products.inputs.aProduct')}` : ''}
                </Typography.Text>
                <Space size={[4, 4]} wrap>
                  {input.classification ? <ClassificationTag classification={input.classification} /> : <Tag>{t('products.inputs.aProduct')}</Tag>}
                  {access ? <AccessTag access={access} /> : null}
                  {usable(input)}
                </Space>
                <Collapse
                  size="small"
                  ghost
                  styles={{ header: { paddingInline: 0 }, body: { paddingInline: 0 } }}
                  items={[
                    {
                      key: 'columns',
                      label: t('products.inputs.columnsOf', { count: input.columns.length }),
                      children: <InputColumnsTable columns={input.columns} />,
                    },
                  ]}
                />
              </Flex>
            </Card>
          );
        })}
      </Flex>
    );
  }
  const nameWidth = nameColumnWidth(inputs);
  const columns: TableColumnsType<ProductInput> = [
    {
      key: 'name',
      title: t('products.inputs.name'),
      width: nameWidth,
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
        const access = accessOf(input);
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
      render: (_, input) => share(input, inputs.indexOf(input)),
    },
    {
      key: 'usable',
      title: t('products.inputs.usable'),
      width: 104,
      render: (_, input) => usable(input),
    },
    { key: 'columns', title: t('products.inputs.columns'), width: 76, align: 'right', render: (_, input) => input.columns.length },
  ];
  return (
    <Table<ProductInput>
      data-testid="inputs-table"
      data-layout="table"
      size="small"
      rowKey="name"
      columns={columns}
      dataSource={[...inputs]}
      pagination={false}
      // Fixed column widths: the source's title shrinks (two lines, then an ellipsis) before the
      // last columns are pushed out of a narrow card; below this width the table scrolls.
      tableLayout="fixed"
      scroll={{ x: nameWidth + 564 }}
      expandable={{ expandedRowRender: (input) => <InputColumnsTable columns={input.columns} /> }}
    />
  );
}

/**
 * The name column fits the longest SQL name (monospace, about 8 px a character plus the code
 * tag's padding and the cell's), so names show whole; only a very long one is cut, with a tooltip.
 */
export function nameColumnWidth(inputs: readonly Pick<ProductInput, 'name'>[]): number {
  const longest = Math.max(0, ...inputs.map((input) => input.name.length));
  return Math.min(280, Math.max(116, Math.ceil(longest * 8.2) + 40));
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
