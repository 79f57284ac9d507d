import { Grid, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMoney } from '../commerce/money';
import { CategoryTick, labelUnits } from './category-tick';
import { formatPeriod, shareColors, shareParts, type SharePart } from './finance-format';
import { useMoneyAxis } from './money-axis';

export interface ShareDatum {
  key: string;
  label: string;
  platform: number;
  agencies: number;
  vendors: number;
}

/** The most groups a bar chart shows; the table lists every one. */
export const CHART_MAX_GROUPS = 12;
/** Room per bar for a name on two lines. */
const BAR_HEIGHT = 40;

/**
 * Net revenue divided among the platform, the agencies and the vendors: stacked columns over
 * time (`series`), or stacked horizontal bars per agency, dataset, product, vendor or theme.
 * Amounts are minor units of one currency; only the labels are formatted.
 */
export function ShareChart({
  data,
  currency,
  series,
  onSelect,
  testId = 'revenue-chart',
  parts = shareParts,
}: {
  data: ShareDatum[];
  currency: string;
  series: boolean;
  onSelect?: (key: string) => void;
  testId?: string;
  parts?: readonly SharePart[];
}) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const narrow = !Grid.useBreakpoint().md;
  // The amounts' axis: vertical for a series over time, horizontal beside named bars.
  const amountAxis = useMoneyAxis(series ? 'y' : 'x', currency, i18n.language);
  const labelWidth = narrow ? 120 : 220;
  const money = (value: unknown) => formatMoney(Number(value), currency, i18n.language);
  const tick = { fontSize: 12, fill: token.colorTextSecondary };
  const clickable = onSelect ? { cursor: 'pointer' } : undefined;
  const select = onSelect
    ? (item: unknown) => {
        const key = (item as { payload?: { key?: unknown } }).payload?.key;
        if (typeof key === 'string') onSelect(key);
      }
    : undefined;
  const bars = parts.map((part, index) => (
    <Bar
      key={part}
      dataKey={part}
      name={t(`finance.shares.${part}`)}
      stackId="shares"
      fill={shareColors[part]}
      isAnimationActive={false}
      onClick={select}
      style={clickable}
      radius={index === parts.length - 1 ? (series ? [3, 3, 0, 0] : [0, 3, 3, 0]) : undefined}
    />
  ));
  const height = series ? 280 : Math.max(160, data.length * BAR_HEIGHT + 70);
  return (
    <div data-testid={testId} data-bars={data.length} data-currency={currency} role="img" aria-label={t('finance.revenue.chartLabel')}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 640, height }}>
        {series ? (
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 0 }} stackOffset="sign">
            <CartesianGrid vertical={false} stroke={token.colorBorderSecondary} />
            <XAxis dataKey="key" tickFormatter={(period: string) => formatPeriod(period, i18n.language)} tick={tick} minTickGap={8} />
            <YAxis tickFormatter={amountAxis.format} tick={tick} width="auto" />
            {amountAxis.probe}
            <Tooltip labelFormatter={(period) => formatPeriod(String(period), i18n.language, 'long')} formatter={(value, name) => [money(value), name]} cursor={{ fill: token.colorFillTertiary }} />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
            {bars}
          </BarChart>
        ) : (
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 4 }} stackOffset="sign">
            <CartesianGrid horizontal={false} stroke={token.colorBorderSecondary} />
            <XAxis type="number" tickFormatter={amountAxis.format} tick={tick} tickCount={narrow ? 3 : 5} />
            <YAxis type="category" dataKey="label" width={labelWidth} interval={0} tick={(props: object) => <CategoryTick {...props} units={labelUnits(labelWidth)} fill={token.colorText} />} />
            {amountAxis.probe}
            <Tooltip formatter={(value, name) => [money(value), name]} cursor={{ fill: token.colorFillTertiary }} />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
            {bars}
          </BarChart>
        )}
      </ResponsiveContainer>
    </div>
  );
}
