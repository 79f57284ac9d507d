import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, DatePicker, Empty, Flex, Segmented, Skeleton, Space, Statistic, Table, Tag, Typography, theme, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { UsageBucket, UsageConsumer, UsageGranularity, UsageReport } from '../api/schema-types';
import { describeApiError } from '../components/api-error-feedback';
import { useCountAxis } from '../components/chart-axis';
import { DatasetProductUsage } from '../delivery/dataset-product-usage';
import { DateTime } from '../components/date-time';
import { formatCount } from '../components/number-format';
import {
  allowedGranularities,
  browserTimeZone,
  bucketLabel,
  customRange,
  presetRange,
  todayIn,
  toUsageQuery,
  usageGranularities,
  usagePresets,
  type UsagePreset,
  type UsageRange,
} from './usage-range';

const KINDS = ['preview', 'csv', 'parquet'] as const;
type Kind = (typeof KINDS)[number];
/** One hue per kind of delivery, readable side by side (and not the status colours). */
const KIND_COLORS: Record<Kind, string> = { preview: '#d48806', csv: '#0b5cad', parquet: '#08979c' };

/**
 * A steward's view of how one dataset is used: deliveries of its rows (previews, CSV and
 * Parquet downloads) over a chosen period, per day, week or month, with totals and the
 * organizations receiving most. Days begin in the reader's time zone.
 */
export function DatasetUsage({ datasetId }: { datasetId: string }) {
  const { t } = useTranslation();
  const [timeZone] = useState(browserTimeZone);
  const [range, setRange] = useState<UsageRange>(() => presetRange('30d', todayIn(timeZone)));
  const query = toUsageQuery(range, timeZone);
  const usage = useQuery({
    queryKey: queryKeys.datasetUsage(datasetId, query),
    queryFn: () => unwrap(api.GET('/api/v1/agency/datasets/{id}/usage', { params: { path: { id: datasetId }, query } })),
    placeholderData: keepPreviousData,
  });

  return (
    <Flex vertical gap={16} data-testid="dataset-usage">
      <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
        {t('usage.intro', { timeZone: timeZone ?? 'UTC' })}
      </Typography.Paragraph>
      <UsageRangePicker range={range} onChange={setRange} today={todayIn(timeZone)} />
      {usage.isPending ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : usage.isError ? (
        <Alert type="error" showIcon title={t('usage.loadFailed')} description={describeApiError(usage.error, t)} data-testid="usage-error" />
      ) : (
        <UsageReportView report={usage.data} loading={usage.isFetching} />
      )}
      <DatasetProductUsage datasetId={datasetId} query={{ from: query.from, to: query.to, ...(query.timeZone ? { timeZone: query.timeZone } : {}) }} />
    </Flex>
  );
}

function UsageRangePicker({ range, onChange, today }: { range: UsageRange; onChange(range: UsageRange): void; today: string }) {
  const { t } = useTranslation();
  const allowed = allowedGranularities(range.from, range.to);
  const choose = (value: [Dayjs | null, Dayjs | null] | null) => {
    const [start, end] = value ?? [];
    if (!start || !end) return;
    const next = customRange(start.format('YYYY-MM-DD'), end.format('YYYY-MM-DD'), range.granularity);
    if (next) onChange(next);
  };
  return (
    <Flex wrap gap={12} align="center" data-testid="usage-range">
      <Segmented<UsagePreset | 'custom'>
        value={range.preset}
        onChange={(preset) => (preset === 'custom' ? onChange({ ...range, preset }) : onChange(presetRange(preset, today)))}
        options={[...usagePresets, 'custom' as const].map((preset) => ({
          value: preset,
          label: <span data-testid={`usage-preset-${preset}`}>{t(`usage.presets.${preset}`)}</span>,
        }))}
        aria-label={t('usage.rangeLabel')}
      />
      <DatePicker.RangePicker
        value={[dayjs(range.from), dayjs(range.to)]}
        onChange={choose}
        allowClear={false}
        disabledDate={(date) => date.isAfter(dayjs(today), 'day')}
        aria-label={t('usage.rangeLabel')}
        data-testid="usage-range-picker"
      />
      <Space size={8}>
        <Typography.Text type="secondary">{t('usage.granularityLabel')}</Typography.Text>
        <Segmented<UsageGranularity>
          value={range.granularity}
          onChange={(granularity) => onChange({ ...range, granularity })}
          options={usageGranularities.map((granularity) => ({
            value: granularity,
            disabled: !allowed.includes(granularity),
            label: <span data-testid={`usage-granularity-${granularity}`}>{t(`usage.granularities.${granularity}`)}</span>,
          }))}
          aria-label={t('usage.granularityLabel')}
        />
      </Space>
    </Flex>
  );
}

/** Totals, the chart over time and the top consumers of one usage report. */
export function UsageReportView({ report, loading = false }: { report: UsageReport; loading?: boolean }) {
  const { t, i18n } = useTranslation();
  const count = (value: number) => formatCount(value, i18n.language);
  const { totals } = report;
  const statistics: Array<{ key: string; title: string; value: number }> = [
    { key: 'deliveries', title: t('usage.totals.deliveries'), value: totals.deliveries },
    ...KINDS.map((kind) => ({ key: kind, title: t(`usage.kinds.${kind}`), value: totals[kind] })),
    { key: 'rows', title: t('usage.totals.rows'), value: totals.rows },
    { key: 'organizations', title: t('usage.totals.organizations'), value: totals.organizations },
    { key: 'anonymous', title: t('usage.totals.anonymous'), value: totals.anonymousDeliveries },
  ];
  return (
    <Flex vertical gap={16} style={{ opacity: loading ? 0.6 : 1, transition: 'opacity 0.2s' }} data-testid="usage-report" data-from={report.from} data-to={report.to}>
      <Card size="small">
        <Flex wrap gap={16}>
          {statistics.map((statistic) => (
            <Statistic
              key={statistic.key}
              title={statistic.title}
              value={statistic.value}
              formatter={(value) => count(Number(value))}
              style={{ flex: '1 1 120px' }}
              data-testid={`usage-total-${statistic.key}`}
              data-value={statistic.value}
            />
          ))}
        </Flex>
      </Card>
      <Card size="small" title={t('usage.chartTitle')}>
        {totals.deliveries === 0 ? <Empty description={t('usage.empty')} data-testid="usage-empty" /> : <UsageChart report={report} />}
      </Card>
      <Card size="small" title={t('usage.consumersTitle')}>
        <ConsumersTable consumers={report.topConsumers} />
      </Card>
    </Flex>
  );
}

/** Deliveries per bucket, stacked by kind. */
function UsageChart({ report }: { report: UsageReport }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const count = (value: unknown) => formatCount(Number(value), i18n.language);
  const countAxis = useCountAxis('y', i18n.language);
  const label = (start: string, format: 'short' | 'long') => {
    const text = bucketLabel(start, report.granularity, i18n.language, format);
    return report.granularity === 'week' && format === 'long' ? t('usage.weekOf', { date: text }) : text;
  };
  const height = 280;
  // Legend and tooltip list the kinds in stacking order (bottom first), not alphabetically.
  const names = KINDS.map((kind) => t(`usage.kinds.${kind}`));
  const byKind = (item: { value?: unknown; name?: unknown }) => names.indexOf(String(item.name ?? item.value));
  return (
    <div
      data-testid="usage-chart"
      data-buckets={report.series.length}
      role="img"
      aria-label={t('usage.chartLabel', {
        from: bucketLabel(report.from, 'day', i18n.language, 'long'),
        to: bucketLabel(report.to, 'day', i18n.language, 'long'),
        granularity: t(`usage.granularities.${report.granularity}`),
      })}
    >
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 800, height }}>
        <BarChart data={report.series} margin={{ top: 8, right: 8, bottom: 4, left: 0 }}>
          <CartesianGrid vertical={false} stroke={token.colorBorderSecondary} />
          <XAxis
            dataKey="start"
            tickFormatter={(start: string) => label(start, 'short')}
            tick={{ fontSize: 12, fill: token.colorTextSecondary }}
            minTickGap={16}
          />
          <YAxis allowDecimals={false} tickFormatter={countAxis.format} tick={{ fontSize: 12, fill: token.colorTextSecondary }} width="auto" />
          {countAxis.probe}
          <Tooltip
            labelFormatter={(start) => label(String(start), 'long')}
            formatter={(value, name) => [count(value), name]}
            itemSorter={byKind}
            cursor={{ fill: token.colorFillTertiary }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={(item) => names.indexOf(String(item.value))} />
          {KINDS.map((kind) => (
            <Bar key={kind} dataKey={(bucket: UsageBucket) => bucket[kind]} name={t(`usage.kinds.${kind}`)} stackId="kind" fill={KIND_COLORS[kind]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

function ConsumersTable({ consumers }: { consumers: UsageConsumer[] }) {
  const { t, i18n } = useTranslation();
  const columns: TableColumnsType<UsageConsumer> = [
    {
      key: 'organization',
      title: t('usage.consumer'),
      render: (_, consumer) =>
        consumer.organization ? (
          <Space size={[6, 4]} wrap>
            <Typography.Text>{consumer.organization.name}</Typography.Text>
            {consumer.own ? <Tag color="blue">{t('usage.own')}</Tag> : <Tag>{t(`organizationKinds.${consumer.organization.kind}`)}</Tag>}
          </Space>
        ) : (
          <Typography.Text type="secondary">{t('usage.anonymous')}</Typography.Text>
        ),
    },
    { key: 'deliveries', title: t('usage.deliveries'), align: 'right', render: (_, consumer) => formatCount(consumer.deliveries, i18n.language) },
    { key: 'rows', title: t('usage.rows'), align: 'right', render: (_, consumer) => formatCount(consumer.rows, i18n.language) },
    { key: 'last', title: t('usage.lastDelivered'), render: (_, consumer) => <DateTime value={consumer.lastDeliveredAt} /> },
  ];
  return (
    <Table<UsageConsumer>
      data-testid="usage-consumers"
      size="small"
      rowKey={(consumer) => consumer.organization?.id ?? 'anonymous'}
      columns={columns}
      dataSource={consumers}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('usage.empty') }}
    />
  );
}
