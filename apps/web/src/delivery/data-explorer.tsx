import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Flex, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { License } from '../api/schema-types';
import { describeApiError } from '../components/api-error-feedback';
import { formatCount } from '../components/number-format';
import { operatorsForType, toRequestFilter, type ExplorerFilter, type ExplorerOp } from './explorer-query';

type RowPage = { columns: Array<{ name: string; type: string }>; rows: Array<Record<string, unknown>>; nextCursor: string | null };

/**
 * Query the licensed data in the browser: filters, an order and a page size, sent to the data
 * API with the signed-in session (metered like any other call), pages followed by cursor.
 */
export function DataExplorer({ license }: { license: License }) {
  const { t, i18n } = useTranslation();
  const product = useQuery({
    queryKey: queryKeys.catalogProduct(license.product.slug),
    queryFn: () => unwrap(api.GET('/api/v1/catalog/products/{ref}', { params: { path: { ref: license.product.slug } } })),
  });
  const schema = product.data?.schema ?? [];
  const [filters, setFilters] = useState<ExplorerFilter[]>([]);
  const [draft, setDraft] = useState<{ column?: string; op: ExplorerOp; value: string }>({ op: 'eq', value: '' });
  const [order, setOrder] = useState<{ column?: string; direction: 'asc' | 'desc' }>({ direction: 'asc' });
  const [limit, setLimit] = useState(20);
  const [pages, setPages] = useState<RowPage[]>([]);
  const queryClient = useQueryClient();
  const run = useMutation({
    mutationFn: (cursor: string | null) =>
      unwrap(
        api.POST('/api/v1/data/{product}/rows', {
          params: { path: { product: license.product.slug } },
          body: {
            filters: filters.map(toRequestFilter),
            ...(order.column ? { order: [{ column: order.column, direction: order.direction }] } : {}),
            limit,
            format: 'json',
            ...(cursor ? { cursor } : {}),
          },
        }),
      ) as Promise<RowPage>,
    onSuccess: (page, cursor) => {
      setPages((previous) => (cursor ? [...previous, page] : [page]));
      // The call was metered: the usage card shows it.
      void queryClient.invalidateQueries({ queryKey: ['license-usage', license.id] });
    },
  });
  const draftType = schema.find((column) => column.name === draft.column)?.type ?? 'VARCHAR';
  const addFilter = () => {
    if (!draft.column) return;
    setFilters((previous) => [...previous, { column: draft.column!, op: draft.op, value: draft.value }]);
    setDraft({ column: draft.column, op: draft.op, value: '' });
  };
  const last = pages.at(-1);
  const rows = pages.flatMap((page) => page.rows);
  const columns = (last?.columns ?? schema).map((column) => ({
    key: column.name,
    dataIndex: column.name,
    title: column.name,
    ellipsis: true,
    width: 140,
    render: (value: unknown) => (value === null ? <Typography.Text type="secondary">{t('delivery.explorer.null')}</Typography.Text> : String(value)),
  }));
  const columnOptions = schema.map((column) => ({ value: column.name, label: `${column.name} · ${column.type}` }));
  return (
    <Flex vertical gap={12} data-testid="data-explorer">
      <Typography.Text type="secondary">{t('delivery.explorer.intro')}</Typography.Text>
      <Flex wrap gap={8} align="center">
        <Select
          style={{ minWidth: 180, flex: '1 1 180px' }}
          placeholder={t('delivery.explorer.column')}
          options={columnOptions}
          value={draft.column}
          onChange={(column: string) => setDraft({ column, op: operatorsForType(schema.find((item) => item.name === column)?.type ?? 'VARCHAR')[0]!, value: '' })}
          data-testid="explorer-filter-column"
        />
        <Select
          style={{ width: 150 }}
          value={draft.op}
          options={operatorsForType(draftType).map((op) => ({ value: op, label: t(`delivery.explorer.ops.${op}`) }))}
          onChange={(op: ExplorerOp) => setDraft({ ...draft, op })}
          data-testid="explorer-filter-op"
        />
        {draft.op !== 'is_null' && draft.op !== 'not_null' ? (
          <Input
            style={{ flex: '1 1 160px', minWidth: 140 }}
            value={draft.value}
            placeholder={draft.op === 'in' || draft.op === 'between' ? t('delivery.explorer.listPlaceholder') : t('delivery.explorer.valuePlaceholder')}
            onChange={(event) => setDraft({ ...draft, value: event.target.value })}
            onPressEnter={addFilter}
            data-testid="explorer-filter-value"
          />
        ) : null}
        <Button onClick={addFilter} disabled={!draft.column} data-testid="explorer-filter-add">
          {t('delivery.explorer.addFilter')}
        </Button>
      </Flex>
      {filters.length > 0 ? (
        <Space wrap size={[4, 4]}>
          {filters.map((filter, index) => (
            <Tag key={`${filter.column}-${index}`} closable onClose={() => setFilters(filters.filter((_, other) => other !== index))} data-testid="explorer-filter">
              {filter.column} {t(`delivery.explorer.ops.${filter.op}`)} {filter.op === 'is_null' || filter.op === 'not_null' ? '' : filter.value}
            </Tag>
          ))}
        </Space>
      ) : null}
      <Flex wrap gap={8} align="center">
        <Select
          allowClear
          style={{ minWidth: 180, flex: '1 1 180px' }}
          placeholder={t('delivery.explorer.orderBy')}
          options={columnOptions}
          value={order.column}
          onChange={(column?: string) => setOrder({ ...order, column })}
          data-testid="explorer-order"
        />
        <Select
          style={{ width: 120 }}
          value={order.direction}
          options={(['asc', 'desc'] as const).map((direction) => ({ value: direction, label: t(`delivery.explorer.${direction}`) }))}
          onChange={(direction: 'asc' | 'desc') => setOrder({ ...order, direction })}
        />
        <Select style={{ width: 120 }} value={limit} options={[10, 20, 100].map((value) => ({ value, label: t('delivery.explorer.perPage', { count: value }) }))} onChange={setLimit} />
        <Button type="primary" loading={run.isPending && !run.variables} onClick={() => run.mutate(null)} data-testid="explorer-run">
          {t('delivery.explorer.run')}
        </Button>
      </Flex>
      {run.isError ? <Alert type="error" showIcon title={t('delivery.explorer.failed')} description={describeApiError(run.error, t)} data-testid="explorer-error" /> : null}
      {pages.length > 0 ? (
        <>
          <Typography.Text data-testid="explorer-count" data-value={rows.length}>
            {t('delivery.explorer.shown', { count: rows.length, rows: formatCount(rows.length, i18n.language) })}
          </Typography.Text>
          <Table size="small" rowKey={(_, index) => String(index)} columns={columns} dataSource={rows} pagination={false} scroll={{ x: 'max-content', y: 360 }} data-testid="explorer-rows" />
          <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="explorer-fingerprint-note">
            {t('delivery.explorer.fingerprintNote')}
          </Typography.Text>
          {last?.nextCursor ? (
            <Button loading={run.isPending && Boolean(run.variables)} onClick={() => run.mutate(last.nextCursor)} data-testid="explorer-more">
              {t('delivery.explorer.more')}
            </Button>
          ) : (
            <Typography.Text type="secondary">{t('delivery.explorer.end')}</Typography.Text>
          )}
        </>
      ) : null}
    </Flex>
  );
}

