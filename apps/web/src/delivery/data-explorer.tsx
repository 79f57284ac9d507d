import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Flex, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { saveDownload } from '../api/file-download';
import { queryKeys } from '../api/query-keys';
import type { License } from '../api/schema-types';
import { describeApiError } from '../components/api-error-feedback';
import { formatCount } from '../components/number-format';
import { draftState, operatorsForType, toRequestFilter, type ExplorerDraft, type ExplorerFilter } from './explorer-query';

type RowPage = { columns: Array<{ name: string; type: string }>; rows: Array<Record<string, unknown>>; nextCursor: string | null };
/** What one run asked for; its next pages ask for the same. */
type RowQuery = { filters: ExplorerFilter[]; order: { column?: string; direction: 'asc' | 'desc' }; limit: number; select: string[] };
type FileFormat = 'csv' | 'parquet';

/** Rows per file of a query's results: the data API's largest page. */
export const EXPLORER_FILE_ROWS = 10_000;

/** The body of POST …/rows for a query (the columns all when none is chosen). */
function rowsBody(query: RowQuery, format: 'json' | FileFormat, cursor: string | null) {
  return {
    ...(query.select.length > 0 ? { select: query.select } : {}),
    filters: query.filters.map(toRequestFilter),
    ...(query.order.column ? { order: [{ column: query.order.column, direction: query.order.direction }] } : {}),
    limit: format === 'json' ? query.limit : EXPLORER_FILE_ROWS,
    format,
    ...(cursor ? { cursor } : {}),
  };
}

/**
 * Query the licensed data in the browser: columns, filters, an order and a page size, sent to
 * the data API with the signed-in session (metered like any other call), pages followed by
 * cursor; the same query's results saved as a CSV or Parquet file (its first 10,000 rows).
 */
export function DataExplorer({ license }: { license: License }) {
  const { t, i18n } = useTranslation();
  const product = useQuery({
    queryKey: queryKeys.catalogProduct(license.product.slug),
    queryFn: () => unwrap(api.GET('/api/v1/catalog/products/{ref}', { params: { path: { ref: license.product.slug } } })),
  });
  const schema = product.data?.schema ?? [];
  const [filters, setFilters] = useState<ExplorerFilter[]>([]);
  const [draft, setDraft] = useState<ExplorerDraft>({ op: 'eq', value: '', edited: false });
  /** Run was clicked while the filter being typed lacked its column or value. */
  const [incomplete, setIncomplete] = useState(false);
  const [ran, setRan] = useState<RowQuery | null>(null);
  const [order, setOrder] = useState<{ column?: string; direction: 'asc' | 'desc' }>({ direction: 'asc' });
  const [limit, setLimit] = useState(20);
  const [select, setSelect] = useState<string[]>([]);
  const [pages, setPages] = useState<RowPage[]>([]);
  const queryClient = useQueryClient();
  const run = useMutation({
    mutationFn: ({ query, cursor }: { query: RowQuery; cursor: string | null }) =>
      unwrap(
        api.POST('/api/v1/data/{product}/rows', {
          params: { path: { product: license.product.slug } },
          body: rowsBody(query, 'json', cursor),
        }),
      ) as Promise<RowPage>,
    onSuccess: (page, { query, cursor }) => {
      setRan(query);
      setPages((previous) => (cursor ? [...previous, page] : [page]));
      // The call was metered: the usage card shows it.
      void queryClient.invalidateQueries({ queryKey: queryKeys.licenseUsageAll(license.id) });
    },
    // A refused query has no rows: the previous query's stay no longer, as if they were its answer.
    // A page that could not be loaded leaves the pages before it.
    onError: (_, { cursor }) => {
      if (cursor) return;
      setRan(null);
      setPages([]);
    },
  });
  // The results as a file: the query as it was last run, its first EXPLORER_FILE_ROWS rows.
  const save = useMutation({
    mutationFn: async ({ query, format }: { query: RowQuery; format: FileFormat }) => {
      let more = false;
      await saveDownload(
        async () => {
          const result = await api.POST('/api/v1/data/{product}/rows', { params: { path: { product: license.product.slug } }, body: rowsBody(query, format, null), parseAs: 'blob' });
          more = result.response.headers.has('x-next-cursor');
          return result;
        },
        `${license.product.slug}.${format}`,
        { bom: format === 'csv' },
      );
      return { more };
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: queryKeys.licenseUsageAll(license.id) }),
  });
  const draftType = schema.find((column) => column.name === draft.column)?.type ?? 'VARCHAR';
  const editDraft = (next: Omit<ExplorerDraft, 'edited'>) => {
    setDraft({ ...next, edited: true });
    setIncomplete(false);
  };
  /** Adds the filter being typed to the list (keeping its column and operator for the next one); answers the new list. */
  const addFilter = (): ExplorerFilter[] => {
    if (!draft.column) return filters;
    const added = [...filters, { column: draft.column, op: draft.op, value: draft.value }];
    setFilters(added);
    setDraft({ column: draft.column, op: draft.op, value: '', edited: false });
    setIncomplete(false);
    return added;
  };
  // A filter typed but not added still counts: Run adds it first rather than query without it.
  const runQuery = () => {
    const pending = draftState(draft);
    if (pending === 'incomplete') {
      setIncomplete(true);
      return;
    }
    const applied = pending === 'complete' ? addFilter() : filters;
    save.reset();
    run.mutate({ query: { filters: applied, order, limit, select }, cursor: null });
  };
  const last = pages.at(-1);
  const rows = pages.flatMap((page) => page.rows).map((row, index) => ({ row, index }));
  const columns = (last?.columns ?? schema).map((column) => ({
    key: column.name,
    dataIndex: ['row', column.name],
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
          onChange={(column?: string) =>
            column === undefined
              ? editDraft({ op: 'eq', value: '' })
              : editDraft({ column, op: operatorsForType(schema.find((item) => item.name === column)?.type ?? 'VARCHAR')[0]!, value: '' })
          }
          allowClear
          status={incomplete && !draft.column ? 'error' : undefined}
          data-testid="explorer-filter-column"
        />
        <Select
          style={{ width: 150 }}
          value={draft.op}
          options={operatorsForType(draftType).map((op) => ({ value: op, label: t(`delivery.explorer.ops.${op}`) }))}
          onChange={(op: ExplorerDraft['op']) => editDraft({ ...draft, op })}
          data-testid="explorer-filter-op"
        />
        {draft.op !== 'is_null' && draft.op !== 'not_null' ? (
          <Input
            style={{ flex: '1 1 160px', minWidth: 140 }}
            value={draft.value}
            placeholder={draft.op === 'in' || draft.op === 'between' ? t('delivery.explorer.listPlaceholder') : t('delivery.explorer.valuePlaceholder')}
            onChange={(event) => editDraft({ ...draft, value: event.target.value })}
            status={incomplete && draft.value.trim() === '' ? 'error' : undefined}
            onPressEnter={addFilter}
            data-testid="explorer-filter-value"
          />
        ) : null}
        <Button onClick={addFilter} disabled={!draft.column} data-testid="explorer-filter-add">
          {t('delivery.explorer.addFilter')}
        </Button>
      </Flex>
      <Select
        mode="multiple"
        allowClear
        maxTagCount="responsive"
        style={{ width: '100%' }}
        placeholder={t('delivery.explorer.allColumns')}
        options={schema.map((column) => ({ value: column.name, label: column.name }))}
        value={select}
        onChange={setSelect}
        aria-label={t('delivery.explorer.columns')}
        data-testid="explorer-select"
      />
      {incomplete ? (
        <Typography.Text type="danger" role="alert" data-testid="explorer-filter-incomplete">
          {t('delivery.explorer.incompleteFilter')}
        </Typography.Text>
      ) : null}
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
        <Button type="primary" loading={run.isPending && !run.variables.cursor} onClick={runQuery} data-testid="explorer-run">
          {t('delivery.explorer.run')}
        </Button>
      </Flex>
      {run.isError ? <Alert type="error" showIcon title={t('delivery.explorer.failed')} description={describeApiError(run.error, t)} data-testid="explorer-error" /> : null}
      {pages.length > 0 ? (
        <>
          <Typography.Text data-testid="explorer-count" data-value={rows.length}>
            {t('delivery.explorer.shown', { count: rows.length, rows: formatCount(rows.length, i18n.language) })}
          </Typography.Text>
          <Table size="small" rowKey="index" columns={columns} dataSource={rows} pagination={false} scroll={{ x: 'max-content', y: 360 }} data-testid="explorer-rows" />
          {rows.length > 0 ? (
            // Only pages with rows carry the fingerprint row.
            <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="explorer-fingerprint-note">
              {t('delivery.explorer.fingerprintNote')}
            </Typography.Text>
          ) : null}
          {last?.nextCursor && ran ? (
            <Button loading={run.isPending && Boolean(run.variables.cursor)} onClick={() => run.mutate({ query: ran, cursor: last.nextCursor })} data-testid="explorer-more">
              {t('delivery.explorer.more')}
            </Button>
          ) : (
            <Typography.Text type="secondary">{t('delivery.explorer.end')}</Typography.Text>
          )}
          {ran && rows.length > 0 ? (
            <Flex wrap gap={8} align="center" data-testid="explorer-save">
              <Typography.Text>{t('delivery.explorer.saveResults')}</Typography.Text>
              {(['csv', 'parquet'] as const).map((format) => (
                <Button
                  key={format}
                  size="small"
                  icon={<DownloadOutlined />}
                  loading={save.isPending && save.variables.format === format}
                  disabled={save.isPending}
                  onClick={() => save.mutate({ query: ran, format })}
                  data-testid={`explorer-save-${format}`}
                >
                  {format === 'csv' ? 'CSV' : 'Parquet'}
                </Button>
              ))}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('delivery.explorer.saveNote', { rows: formatCount(EXPLORER_FILE_ROWS, i18n.language) })}
              </Typography.Text>
            </Flex>
          ) : null}
          {save.isSuccess && save.data.more ? (
            <Alert type="info" showIcon title={t('delivery.explorer.savedFirstRows', { rows: formatCount(EXPLORER_FILE_ROWS, i18n.language) })} data-testid="explorer-saved-more" />
          ) : null}
          {save.isError ? <Alert type="error" showIcon title={t('delivery.explorer.saveFailed')} description={describeApiError(save.error, t)} data-testid="explorer-save-error" /> : null}
        </>
      ) : null}
    </Flex>
  );
}

