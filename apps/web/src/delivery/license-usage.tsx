import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Flex, Progress, Segmented, Skeleton, Space, Statistic, Tabs, Typography, theme } from 'antd';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { License } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { browserNavigation } from '../commerce/purchase';
import { describeApiError, useShowApiError } from '../components/api-error-feedback';
import { useCountAxis } from '../components/chart-axis';
import { formatBytes, formatCount } from '../components/number-format';
import { addDays, browserTimeZone, bucketLabel, todayIn } from '../datasets/usage-range';
import { dataApiSnippets, SNIPPET_LANGUAGES } from './api-snippets';

const CALLS_COLOR = '#0b5cad';
const ROWS_COLOR = '#d48806';

/** The days a buyer may chart, as the seller's and the agency's usage pages offer them. */
const RANGES = [7, 30, 90] as const;

/**
 * A buyer's use of one licence: this period's calls, rows and bytes (against the plan's maximum
 * when it has one) and the last 7, 30 or 90 days per day, in the reader's time zone.
 */
export function LicenseUsage({ license }: { license: License }) {
  const { t, i18n } = useTranslation();
  const [timeZone] = useState(() => browserTimeZone() ?? 'UTC');
  const [range, setRange] = useState<(typeof RANGES)[number]>(30);
  const to = todayIn(timeZone);
  const query = { from: addDays(to, -(range - 1)), to, timeZone };
  const usage = useQuery({
    queryKey: [...queryKeys.licenseUsage(license.id, timeZone), query.from, query.to],
    queryFn: () => unwrap(api.GET('/api/v1/licenses/{id}/usage', { params: { path: { id: license.id }, query } })),
    refetchInterval: 30_000,
    placeholderData: keepPreviousData,
  });
  if (usage.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (usage.isError) return <Alert type="error" showIcon title={t('delivery.usage.loadFailed')} description={describeApiError(usage.error, t)} />;
  const { days, period, quota } = usage.data;
  const count = (value: number) => formatCount(value, i18n.language);
  const charted = days.reduce((sum, day) => ({ calls: sum.calls + day.api_call, rows: sum.rows + day.row, bytes: sum.bytes + day.byte }), { calls: 0, rows: 0, bytes: 0 });
  const used = period?.used ?? { api_call: charted.calls, row: charted.rows, byte: charted.bytes };
  return (
    <Flex vertical gap={16} data-testid="license-usage" data-calls={used.api_call} style={{ opacity: usage.isPlaceholderData ? 0.6 : 1 }}>
      <Flex wrap gap={8} justify="space-between" align="center">
        <Typography.Text type="secondary">{period ? t('delivery.usage.periodIntro', { count: range }) : t('delivery.usage.daysIntro', { count: range })}</Typography.Text>
        <Segmented
          size="small"
          value={range}
          onChange={(value) => setRange(value)}
          options={RANGES.map((value) => ({ value, label: t('delivery.productUsage.days', { count: value }) }))}
          data-testid="usage-range"
        />
      </Flex>
      <Flex wrap gap={16}>
        <Statistic title={t('delivery.usage.calls')} value={used.api_call} formatter={(value) => count(Number(value))} style={{ flex: '1 1 100px' }} data-testid="usage-calls" />
        <Statistic title={t('delivery.usage.rows')} value={used.row} formatter={(value) => count(Number(value))} style={{ flex: '1 1 100px' }} data-testid="usage-rows" />
        <Statistic title={t('delivery.usage.bytes')} value={used.byte} formatter={(value) => formatBytes(Number(value), i18n.language)} style={{ flex: '1 1 100px' }} />
      </Flex>
      {quota ? (
        <div data-testid="usage-quota">
          <Typography.Text>
            {quota.max !== null
              ? t('delivery.usage.quotaOfMax', { used: count(quota.used), max: count(quota.max), unit: t(`delivery.units.${quota.unit as 'api_call' | 'row' | 'byte'}`) })
              : t('delivery.usage.quotaIncluded', { used: count(quota.used), included: count(quota.included), unit: t(`delivery.units.${quota.unit as 'api_call' | 'row' | 'byte'}`) })}
          </Typography.Text>
          <Progress
            percent={Math.min(100, Math.round((quota.used / Math.max(1, quota.max ?? quota.included)) * 100))}
            status={quota.max !== null && quota.used >= quota.max ? 'exception' : 'normal'}
            showInfo={false}
          />
        </div>
      ) : null}
      {charted.calls === 0 ? <Empty description={t('delivery.usage.empty', { count: range })} data-testid="usage-empty" /> : <DailyChart days={days} />}
    </Flex>
  );
}

function DailyChart({ days }: { days: Array<{ day: string; api_call: number; row: number }> }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const count = (value: unknown) => formatCount(Number(value), i18n.language);
  const callsAxis = useCountAxis('y', i18n.language, 'calls');
  const rowsAxis = useCountAxis('y', i18n.language, 'rows');
  const height = 240;
  return (
    <div data-testid="usage-daily-chart" data-days={days.length} role="img" aria-label={t('delivery.usage.chartLabel', { count: days.length })}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 600, height }}>
        <ComposedChart data={days} margin={{ top: 8, right: 0, bottom: 4, left: 0 }}>
          <CartesianGrid vertical={false} stroke={token.colorBorderSecondary} />
          <XAxis dataKey="day" tickFormatter={(day: string) => bucketLabel(day, 'day', i18n.language, 'short')} tick={{ fontSize: 12, fill: token.colorTextSecondary }} minTickGap={16} />
          <YAxis yAxisId="calls" allowDecimals={false} tickFormatter={callsAxis.format} tick={{ fontSize: 12, fill: token.colorTextSecondary }} width="auto" />
          <YAxis yAxisId="rows" orientation="right" allowDecimals={false} tickFormatter={rowsAxis.format} tick={{ fontSize: 12, fill: token.colorTextSecondary }} width="auto" />
          {callsAxis.probe}
          {rowsAxis.probe}
          <Tooltip labelFormatter={(day) => bucketLabel(String(day), 'day', i18n.language, 'long')} formatter={(value, name) => [count(value), name]} cursor={{ fill: token.colorFillTertiary }} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar yAxisId="calls" dataKey="api_call" name={t('delivery.usage.calls')} fill={CALLS_COLOR} isAnimationActive={false} />
          <Line yAxisId="rows" dataKey="row" name={t('delivery.usage.rows')} stroke={ROWS_COLOR} dot={false} strokeWidth={2} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

/** How to read the licensed data: the endpoint and a working snippet in three languages. */
export function DataApiAccess({ license }: { license: License }) {
  const { t } = useTranslation();
  const canManageKeys = hasPermission(useMe().permissions, 'api_keys:manage');
  const product = useQuery({
    queryKey: queryKeys.catalogProduct(license.product.slug),
    queryFn: () => unwrap(api.GET('/api/v1/catalog/products/{ref}', { params: { path: { ref: license.product.slug } } })),
  });
  const sample = product.data?.sample ?? null;
  const text = product.data?.schema.find((column) => column.type === 'VARCHAR');
  const example = text && sample?.rows[0] ? (sample.rows[0][text.name] as string | number | null) : null;
  const endpoint = `${window.location.origin}/api/v1/data/${license.product.slug}/rows`;
  const snippets = dataApiSnippets({ origin: window.location.origin, product: license.product.slug, ...(text ? { column: { name: text.name, example } } : {}) });
  return (
    <Flex vertical gap={12} data-testid="data-api-access">
      <Typography.Text>
        {t('delivery.api.intro')}{' '}
        {canManageKeys ? <Link to="/console/api-keys?create=data">{t('delivery.api.keysLink')}</Link> : <Typography.Text type="secondary">{t('delivery.api.keysByAdmin')}</Typography.Text>}
      </Typography.Text>
      <Typography.Text code copyable={{ text: endpoint }} data-testid="data-api-endpoint">
        {/* A long address wraps after a slash, not inside a word. */}
        {`GET `}
        {endpoint.split('/').map((part, index) => (
          <Fragment key={index}>
            {index > 0 ? '/' : null}
            {index > 0 ? <wbr /> : null}
            {part}
          </Fragment>
        ))}
      </Typography.Text>
      <Tabs
        size="small"
        items={SNIPPET_LANGUAGES.map((language) => ({
          key: language,
          label: t(`delivery.api.languages.${language}`),
          children: (
            <Card size="small" styles={{ body: { padding: 0 } }}>
              <Typography.Paragraph copyable={{ text: snippets[language] }} style={{ margin: 0, position: 'relative' }}>
                <pre data-testid={`data-api-snippet-${language}`} style={{ margin: 0, padding: 12, overflowX: 'auto', fontSize: 12, lineHeight: 1.5 }}>
                  {snippets[language]}
                </pre>
              </Typography.Paragraph>
            </Card>
          ),
        }))}
      />
      <Typography.Text type="secondary">{t('delivery.api.metering')}</Typography.Text>
      <Typography.Text type="secondary" data-testid="api-fingerprints">
        {t('delivery.api.fingerprints')}
      </Typography.Text>
      <DownloadButtons license={license} />
    </Flex>
  );
}

/** Whole-version files through a signed link that the browser follows at once. */
function DownloadButtons({ license }: { license: License }) {
  const { t } = useTranslation();
  const showError = useShowApiError();
  const link = useMutation({
    mutationFn: (format: 'parquet' | 'csv') =>
      unwrap(api.POST('/api/v1/data/{product}/downloads', { params: { path: { product: license.product.slug } }, body: { format, bom: format === 'csv' } })),
    onSuccess: (created) => browserNavigation.assign(created.path),
    onError: showError,
  });
  return (
    <Flex vertical gap={8} data-testid="data-downloads">
      <Typography.Text strong>{t('delivery.files.title')}</Typography.Text>
      <Typography.Text type="secondary">{t('delivery.files.intro')}</Typography.Text>
      <Space wrap>
        {(['parquet', 'csv'] as const).map((format) => (
          <Button key={format} loading={link.isPending && link.variables === format} onClick={() => link.mutate(format)} data-testid={`data-download-${format}`}>
            {t(`delivery.files.${format}`)}
          </Button>
        ))}
      </Space>
    </Flex>
  );
}
