import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Flex, Segmented, Skeleton, Statistic, Table, Tag, Typography, theme } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import { describeApiError } from '../components/api-error-feedback';
import { useCountAxis } from '../components/chart-axis';
import { formatBytes, formatCount } from '../components/number-format';
import type { ProductConsumer } from '../api/schema-types';
import { addDays, browserTimeZone, bucketLabel, todayIn } from '../datasets/usage-range';

const RANGES = [7, 30, 90] as const;
/** What the chart's bars count (the totals show all three). */
const MEASURES = ['api_call', 'row', 'byte'] as const;
type Measure = (typeof MEASURES)[number];
const MEASURE_LABEL = { api_call: 'calls', row: 'rows', byte: 'bytes' } as const;

/** A seller's view of a product's deliveries per day: calls, rows, bytes, receiving organizations and licensees. */
export function ProductUsage({ productId }: { productId: string }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const [timeZone] = useState(() => browserTimeZone() ?? 'UTC');
  const [days, setDays] = useState<(typeof RANGES)[number]>(30);
  const [measure, setMeasure] = useState<Measure>('api_call');
  const to = todayIn(timeZone);
  const query = { from: addDays(to, -(days - 1)), to, timeZone };
  const usage = useQuery({
    queryKey: queryKeys.productUsage(productId, query),
    queryFn: () => unwrap(api.GET('/api/v1/products/{id}/usage', { params: { path: { id: productId }, query } })),
    placeholderData: keepPreviousData,
  });
  const count = (value: unknown) => formatCount(Number(value), i18n.language);
  const measureAxis = useCountAxis('y', i18n.language, 'calls');
  const consumersAxis = useCountAxis('y', i18n.language, 'consumers');
  const measureLabel = (value: Measure) => t(`delivery.productUsage.${MEASURE_LABEL[value]}`);
  const measured = (value: number) => (measure === 'byte' ? formatBytes(Number(value), i18n.language) : measureAxis.format(value));
  let body;
  if (usage.isPending) body = <Skeleton active paragraph={{ rows: 6 }} />;
  else if (usage.isError) body = <Alert type="error" showIcon title={t('delivery.productUsage.loadFailed')} description={describeApiError(usage.error, t)} />;
  else {
    const report = usage.data;
    body = (
      <Flex vertical gap={16} style={{ opacity: usage.isFetching ? 0.6 : 1 }}>
        <Flex wrap gap={16}>
          <Statistic title={t('delivery.productUsage.calls')} value={report.totals.api_call} formatter={(value) => count(value)} style={{ flex: '1 1 110px' }} data-testid="product-usage-calls" />
          <Statistic title={t('delivery.productUsage.rows')} value={report.totals.row} formatter={(value) => count(value)} style={{ flex: '1 1 110px' }} />
          <Statistic title={t('delivery.productUsage.bytes')} value={report.totals.byte} formatter={(value) => formatBytes(Number(value), i18n.language)} style={{ flex: '1 1 110px' }} />
          <Statistic title={t('delivery.productUsage.consumers')} value={report.licensees} formatter={(value) => count(value)} style={{ flex: '1 1 110px' }} data-testid="product-usage-licensees" />
        </Flex>
        {report.totals.row === 0 && report.totals.api_call === 0 ? (
          <Empty description={t('delivery.productUsage.empty')} />
        ) : (
          <Flex vertical gap={8}>
          <Segmented<Measure>
            size="small"
            value={measure}
            onChange={setMeasure}
            options={MEASURES.map((value) => ({ value, label: measureLabel(value) }))}
            style={{ alignSelf: 'flex-start' }}
            aria-label={t('delivery.productUsage.measure')}
            data-testid="product-usage-measure"
          />
          <div data-testid="product-usage-chart" data-measure={measure} role="img" aria-label={t('delivery.productUsage.chartLabel', { measure: measureLabel(measure) })}>
            <ResponsiveContainer width="100%" height={260} initialDimension={{ width: 700, height: 260 }}>
              <ComposedChart data={report.days} margin={{ top: 8, right: 0, bottom: 4, left: 0 }}>
                <CartesianGrid vertical={false} stroke={token.colorBorderSecondary} />
                <XAxis dataKey="day" tickFormatter={(day: string) => bucketLabel(day, 'day', i18n.language, 'short')} tick={{ fontSize: 12, fill: token.colorTextSecondary }} minTickGap={16} />
                <YAxis yAxisId="calls" allowDecimals={false} tickFormatter={measured} tick={{ fontSize: 12, fill: token.colorTextSecondary }} width="auto" />
                <YAxis yAxisId="consumers" orientation="right" allowDecimals={false} tickFormatter={consumersAxis.format} tick={{ fontSize: 12, fill: token.colorTextSecondary }} width="auto" />
                {measureAxis.probe}
                {consumersAxis.probe}
                <Tooltip labelFormatter={(day) => bucketLabel(String(day), 'day', i18n.language, 'long')} formatter={(value, name, item) => [item.dataKey === 'byte' ? formatBytes(Number(value), i18n.language) : count(value), name]} cursor={{ fill: token.colorFillTertiary }} />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                <Bar yAxisId="calls" dataKey={measure} name={measureLabel(measure)} fill="#0b5cad" isAnimationActive={false} />
                <Line yAxisId="consumers" dataKey="consumers" name={t('delivery.productUsage.consumers')} stroke="#08979c" strokeWidth={2} dot={false} isAnimationActive={false} />
              </ComposedChart>
            </ResponsiveContainer>
          </div>
          <Typography.Title level={5} style={{ margin: '8px 0 0' }}>
            {t('delivery.productUsage.receivers')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('delivery.productUsage.receiversIntro')}</Typography.Text>
          <Table<ProductConsumer>
            size="small"
            rowKey={(consumer) => consumer.organization.id}
            dataSource={report.consumers}
            pagination={false}
            scroll={{ x: 'max-content' }}
            data-testid="product-usage-receivers"
            columns={[
              {
                key: 'organization',
                title: t('delivery.productUsage.organization'),
                render: (_, consumer) => (
                  <span data-testid="product-usage-receiver" data-organization-id={consumer.organization.id}>
                    {consumer.organization.name} {consumer.own ? <Tag>{t('delivery.productUsage.ownOrganization')}</Tag> : null}
                  </span>
                ),
              },
              { key: 'calls', title: t('delivery.productUsage.calls'), align: 'right', render: (_, consumer) => count(consumer.api_call) },
              { key: 'rows', title: t('delivery.productUsage.rows'), align: 'right', render: (_, consumer) => count(consumer.row) },
              { key: 'bytes', title: t('delivery.productUsage.bytes'), align: 'right', render: (_, consumer) => formatBytes(consumer.byte, i18n.language) },
              {
                key: 'last',
                title: t('delivery.productUsage.lastDelivered'),
                // Usage is kept per hour: the hour of the last delivery, as a span.
                render: (_, consumer) => {
                  const start = new Date(consumer.lastDeliveredAt);
                  const end = new Date(start.getTime() + 3_600_000);
                  return new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).formatRange(start, end);
                },
              },
            ]}
          />
          </Flex>
        )}
      </Flex>
    );
  }
  return (
    <Card size="small" title={t('delivery.productUsage.title')} data-testid="product-usage" extra={<Segmented size="small" value={days} onChange={(value) => setDays(value)} options={RANGES.map((value) => ({ value, label: t('delivery.productUsage.days', { count: value }) }))} />}>
      <Typography.Paragraph type="secondary">{t('delivery.productUsage.intro')}</Typography.Paragraph>
      {body}
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
        {t('delivery.productUsage.leakHint')} <Link to={`/console/products/${productId}/leak-trace`}>{t('delivery.leakTrace.open')}</Link>
      </Typography.Paragraph>
    </Card>
  );
}
