import { CloseOutlined, DownloadOutlined, LoadingOutlined, RightOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Flex, Segmented, Select, Skeleton, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { themes } from '../catalog/vocabulary';
import type { Theme } from '../api/schema-types';
import { bilingual } from '../commerce/commerce-display';
import { useShowApiError } from '../components/api-error-feedback';
import { formatCount } from '../components/number-format';
import { PageHeader } from '../components/page-header';
import { downloadRevenue, fetchRevenue, financeKeys, type RevenueExportFormat } from './finance-api';
import { currenciesByWeight, formatPeriod, isDrillable, isPeriod, isRevenueGroup, periodsBetween, revenueGroups, shareColors, shareParts, type SharePart } from './finance-format';
import type { RevenueFilterBy, RevenueGroup, RevenueQuery, RevenueRow } from './finance-types';
import { Amount, defaultPeriodRange, LoadFailed, MoneyStatistic, PeriodRangePicker, ShareOf, useNarrow, type PeriodRange } from './finance-ui';
import { CHART_MAX_GROUPS, ShareChart, type ShareDatum } from './revenue-chart';

interface RevenueState extends PeriodRange {
  groupBy: RevenueGroup;
  filter: { by: RevenueFilterBy; id: string } | null;
}

/** The report's state lives in the URL: a drill-down can be shared, and Back leaves it. */
export function readRevenueState(params: URLSearchParams, now: Date = new Date()): RevenueState {
  const defaults = defaultPeriodRange(now);
  const from = params.get('from');
  const to = params.get('to');
  const range = isPeriod(from) && isPeriod(to) && from <= to ? { from, to } : defaults;
  const groupBy = params.get('groupBy');
  const filterBy = params.get('filterBy') ?? '';
  const filterId = params.get('filterId');
  return {
    ...range,
    groupBy: isRevenueGroup(groupBy) ? groupBy : 'period',
    filter: isDrillable(filterBy) && filterId && /^[0-9a-f-]{36}$/i.test(filterId) ? { by: filterBy, id: filterId } : null,
  };
}

function isRoyaltyDimension(group: string): boolean {
  return group === 'agency' || group === 'dataset';
}

function writeRevenueState(state: RevenueState): URLSearchParams {
  const params = new URLSearchParams({ groupBy: state.groupBy, from: state.from, to: state.to });
  if (state.filter) {
    params.set('filterBy', state.filter.by);
    params.set('filterId', state.filter.id);
  }
  return params;
}

export function revenueQueryOf(state: RevenueState): RevenueQuery {
  return { groupBy: state.groupBy, from: state.from, to: state.to, ...(state.filter ? { filterBy: state.filter.by, filterId: state.filter.id } : {}) };
}

/** A group's name in the reader's language: a month, a catalog theme, or the bilingual title. */
export function revenueRowLabel(row: Pick<RevenueRow, 'key' | 'labelZh' | 'labelEn'>, group: RevenueGroup, language: string, t: TFunction): string {
  if (group === 'period') return formatPeriod(row.key, language, 'long');
  if (group === 'theme') return (themes as string[]).includes(row.key) ? t(`vocab.themes.${row.key as Theme}`) : row.key || t('finance.revenue.noTheme');
  return bilingual(row.labelZh, row.labelEn, language) || row.key;
}

/** Government finance's revenue report: net revenue and its shares by any dimension, with drill-down and CSV export. */
export function RevenuePage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const [params, setParams] = useSearchParams();
  const state = readRevenueState(params);
  const query = revenueQueryOf(state);
  const [chosenCurrency, setChosenCurrency] = useState<string | null>(null);
  const narrow = useNarrow();

  const report = useQuery({ queryKey: financeKeys.revenue(query), queryFn: () => fetchRevenue(query), placeholderData: (previous) => previous });
  // The drilled-into agency, dataset, product or vendor: its name, from its own (all-time) row.
  const filterQuery: RevenueQuery | null = state.filter ? { groupBy: state.filter.by, filterBy: state.filter.by, filterId: state.filter.id } : null;
  const filterRow = useQuery({
    queryKey: financeKeys.revenue(filterQuery ?? { groupBy: 'period' }),
    queryFn: () => fetchRevenue(filterQuery!),
    enabled: filterQuery !== null,
  });
  const exportReport = useMutation({
    mutationFn: (format: RevenueExportFormat) => downloadRevenue(query, format),
    onSuccess: (filename) => void message.success(t('finance.revenue.exported', { filename })),
    onError: showError,
  });

  const update = (next: Partial<RevenueState>) => setParams(writeRevenueState({ ...state, ...next }));
  const drill = (group: RevenueGroup, key: string) => {
    if (isDrillable(group)) update({ groupBy: 'period', filter: { by: group, id: key } });
  };

  const rows = report.data?.rows ?? [];
  const totals = report.data?.totals ?? [];
  const currencies = currenciesByWeight(rows, (row) => row.currency, (row) => row.net);
  const currency = chosenCurrency && currencies.includes(chosenCurrency) ? chosenCurrency : (currencies[0] ?? 'CNY');
  const group = report.data?.groupBy ?? state.groupBy;
  const label = (row: Pick<RevenueRow, 'key' | 'labelZh' | 'labelEn'>) => revenueRowLabel(row, group, i18n.language, t);
  const canDrill = isDrillable(group) && !(state.filter && state.filter.by === group);
  const filterLabel = filterRow.data?.rows[0] ? revenueRowLabel(filterRow.data.rows[0], state.filter!.by, i18n.language, t) : null;
  // Only the agencies' royalties carry an agency and a dataset: by those, the report is royalties alone.
  const royaltiesOnly = isRoyaltyDimension(group) || (state.filter !== null && isRoyaltyDimension(state.filter.by));
  const parts: readonly SharePart[] = royaltiesOnly ? ['agencies'] : shareParts;
  // One payment pays several agencies and datasets: their payment counts do not add up.
  const paymentsAddUp = !isRoyaltyDimension(group);

  const chartData: ShareDatum[] = (() => {
    const inCurrency = rows.filter((row) => row.currency === currency);
    if (group === 'period') {
      const byPeriod = new Map(inCurrency.map((row) => [row.key, row]));
      return periodsBetween(state.from, state.to).map((period) => {
        const row = byPeriod.get(period);
        return { key: period, label: period, platform: row?.platform ?? 0, agencies: row?.agencies ?? 0, vendors: row?.vendors ?? 0 };
      });
    }
    return inCurrency.slice(0, CHART_MAX_GROUPS).map((row) => ({ key: row.key, label: label(row), platform: row.platform, agencies: row.agencies, vendors: row.vendors }));
  })();
  const inCurrencyCount = rows.filter((row) => row.currency === currency).length;

  const columns: TableColumnsType<RevenueRow> = [
    {
      key: 'group',
      title: t(`finance.revenue.groups.${group}`),
      fixed: 'left',
      render: (_, row) => (
        <span style={{ display: 'inline-block', minWidth: group === 'period' ? 90 : 120, maxWidth: narrow ? 150 : 280 }}>
          {canDrill ? (
            <Typography.Link onClick={() => drill(group, row.key)} data-testid="revenue-drill" data-key={row.key}>
              {label(row)} <RightOutlined style={{ fontSize: 10 }} />
            </Typography.Link>
          ) : (
            label(row)
          )}
        </span>
      ),
    },
    ...(royaltiesOnly
      ? []
      : [{ key: 'net', title: t('finance.revenue.net'), align: 'right' as const, render: (_: unknown, row: RevenueRow) => <Amount value={row.net} currency={row.currency} strong testId="revenue-net" /> }]),
    ...parts.map((part) => ({
      key: part,
      title: (
        <Flex gap={6} align="center" justify="flex-end">
          <span style={{ width: 8, height: 8, borderRadius: 2, background: shareColors[part], display: 'inline-block' }} />
          {t(`finance.shares.${part}`)}
        </Flex>
      ),
      align: 'right' as const,
      render: (_: unknown, row: RevenueRow) => (
        <>
          <Amount value={row[part]} currency={row.currency} strong={royaltiesOnly} testId={`revenue-${part}`} />
          {royaltiesOnly ? null : <ShareOf part={row[part]} total={row.net} />}
        </>
      ),
    })),
    { key: 'payments', title: t('finance.revenue.payments'), align: 'right', responsive: ['md'], render: (_, row) => formatCount(row.payments, i18n.language) },
  ];

  return (
    <>
      <PageHeader title={t('finance.revenue.title')} description={t('finance.revenue.description')} />
      <Flex gap={16} wrap align="center" style={{ marginBottom: 16 }}>
        <PeriodRangePicker value={state} onChange={(range) => update(range)} />
        <Flex gap={8} align="center">
          <Typography.Text type="secondary">{t('finance.revenue.groupBy')}</Typography.Text>
          <Select<RevenueGroup>
            value={state.groupBy}
            onChange={(groupBy) => update({ groupBy })}
            options={revenueGroups.map((value) => ({ value, label: t(`finance.revenue.groups.${value}`) }))}
            style={{ width: 150 }}
            data-testid="revenue-group-by"
            aria-label={t('finance.revenue.groupBy')}
          />
        </Flex>
        {/* What is on screen (grouping, drill-down, range) as CSV or as an Excel workbook. */}
        <Flex gap={8} wrap style={{ marginInlineStart: 'auto' }}>
          {(['csv', 'xlsx'] as const).map((format) => (
            <Button
              key={format}
              icon={<DownloadOutlined />}
              loading={exportReport.isPending && exportReport.variables === format}
              disabled={!report.data || (exportReport.isPending && exportReport.variables !== format)}
              onClick={() => exportReport.mutate(format)}
              data-testid={format === 'csv' ? 'revenue-export' : 'revenue-export-xlsx'}
            >
              {t(format === 'csv' ? 'finance.revenue.export' : 'finance.revenue.exportXlsx')}
            </Button>
          ))}
        </Flex>
      </Flex>
      {state.filter ? (
        <Flex gap={8} align="center" wrap style={{ marginBottom: 16 }} data-testid="revenue-filter" data-filter-by={state.filter.by} data-filter-id={state.filter.id}>
          <Typography.Text type="secondary">{t('finance.revenue.filteredBy', { group: t(`finance.revenue.groups.${state.filter.by}`) })}</Typography.Text>
          <Tag color="blue" style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}>
            {/* The name once its row is read; the id only if it cannot be (never a flash of the id). */}
            {filterLabel ?? (filterRow.isPending ? <LoadingOutlined data-testid="revenue-filter-loading" /> : state.filter.id)}
          </Tag>
          <Button size="small" icon={<CloseOutlined />} onClick={() => update({ filter: null })} data-testid="revenue-filter-clear">
            {t('finance.revenue.clearFilter')}
          </Button>
        </Flex>
      ) : null}
      {royaltiesOnly ? (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('finance.revenue.royaltiesOnly')} data-testid="revenue-royalties-only" />
      ) : null}
      {report.isError ? (
        <LoadFailed error={report.error} />
      ) : report.isPending ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        <Flex vertical gap={16} style={{ opacity: report.isFetching ? 0.6 : 1, transition: 'opacity 0.2s' }} data-testid="revenue-report" data-group-by={group} data-from={state.from} data-to={state.to}>
          {totals.length === 0 ? null : (
            <Card size="small" data-testid="revenue-totals">
              <Flex vertical gap={12}>
                {totals.map((total) => (
                  <Flex key={total.currency} wrap gap={16}>
                    {royaltiesOnly ? null : <MoneyStatistic title={t('finance.revenue.net')} value={total.net} currency={total.currency} testId="revenue-total-net" />}
                    {parts.map((part) => (
                      <MoneyStatistic key={part} title={t(`finance.shares.${part}`)} value={total[part]} currency={total.currency} color={shareColors[part]} testId={`revenue-total-${part}`} />
                    ))}
                  </Flex>
                ))}
              </Flex>
            </Card>
          )}
          <Card
            size="small"
            title={t(`finance.revenue.chartBy.${group}`)}
            extra={
              currencies.length > 1 ? (
                <Segmented size="small" value={currency} onChange={(value) => setChosenCurrency(String(value))} options={currencies} data-testid="revenue-currency" />
              ) : null
            }
          >
            {rows.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('finance.revenue.empty')} data-testid="revenue-empty" />
            ) : (
              <>
                <ShareChart data={chartData} currency={currency} series={group === 'period'} parts={parts} onSelect={canDrill ? (key) => drill(group, key) : undefined} />
                {group !== 'period' && inCurrencyCount > CHART_MAX_GROUPS ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('finance.revenue.chartTop', { shown: CHART_MAX_GROUPS, count: inCurrencyCount })}
                  </Typography.Text>
                ) : null}
                {canDrill ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
                    {t('finance.revenue.drillHint')}
                  </Typography.Text>
                ) : null}
              </>
            )}
          </Card>
          <Table<RevenueRow>
            data-testid="revenue-table"
            size="small"
            rowKey={(row) => `${row.key}|${row.currency}`}
            columns={columns}
            dataSource={rows}
            pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: 'max-content' }}
            onRow={(row) => ({ 'data-testid': 'revenue-row', 'data-key': row.key, 'data-net': row.net, 'data-currency': row.currency }) as HTMLAttributes<HTMLElement>}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('finance.revenue.empty')} /> }}
            summary={() =>
              totals.length === 0 ? null : (
                <Table.Summary fixed="bottom">
                  {totals.map((total) => (
                    <Table.Summary.Row key={total.currency} data-testid="revenue-summary">
                      <Table.Summary.Cell index={0}>
                        <Typography.Text strong>{t('finance.revenue.total')}</Typography.Text>
                      </Table.Summary.Cell>
                      {royaltiesOnly ? null : (
                        <Table.Summary.Cell index={1} align="right">
                          <Amount value={total.net} currency={total.currency} strong />
                        </Table.Summary.Cell>
                      )}
                      {parts.map((part, index) => (
                        <Table.Summary.Cell key={part} index={(royaltiesOnly ? 1 : 2) + index} align="right">
                          <Amount value={total[part]} currency={total.currency} strong testId={`revenue-summary-${part}`} />
                        </Table.Summary.Cell>
                      ))}
                      {narrow ? null : (
                        <Table.Summary.Cell index={(royaltiesOnly ? 1 : 2) + parts.length} align="right">
                          {paymentsAddUp ? formatCount(total.payments, i18n.language) : null}
                        </Table.Summary.Cell>
                      )}
                    </Table.Summary.Row>
                  ))}
                </Table.Summary>
              )
            }
          />
        </Flex>
      )}
    </>
  );
}
