import { Grid, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { OfferEstimate } from '../api/schema-types';
import { useMoneyAxis } from '../finance/money-axis';
import { bilingual } from './commerce-display';
import { formatMoney } from './money';

const BAR_HEIGHT = 36;
/** Room for an offer's name beside its bar, in half-width units (a CJK character counts two). */
const LABEL_UNITS = { narrow: 14, wide: 30 } as const;

/** Shortens a name to `units` half-width units, with an ellipsis. */
export function fitLabel(value: string, units: number): string {
  let used = 0;
  const characters = [...value];
  for (let index = 0; index < characters.length; index += 1) {
    used += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(characters[index] as string) ? 2 : 1;
    if (used > units - 1 && index < characters.length - 1) return `${characters.slice(0, index).join('')}…`;
  }
  return value;
}

/** Horizontal bars: each offer's total for the expected use, cheapest first (the API's order). Bars are minor units; only labels are formatted. */
export function EstimateChart({ items }: { items: OfferEstimate[] }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const narrow = !Grid.useBreakpoint().md;
  const currency = items[0]?.currency ?? 'CNY';
  const data = items.map((item) => ({ id: item.offerId, name: bilingual(item.nameZh, item.nameEn, i18n.language), total: item.total }));
  const height = data.length * BAR_HEIGHT + 40;
  const units = narrow ? LABEL_UNITS.narrow : LABEL_UNITS.wide;
  const money = (value: unknown) => formatMoney(Number(value), currency, i18n.language);
  // One style for every tick: ¥4,000 … ¥16,000, not "¥8000" beside "¥1.2万".
  const amountAxis = useMoneyAxis('x', currency, i18n.language);

  return (
    <div data-testid="estimate-chart" data-bars={data.length} role="img" aria-label={t('commerce.calculator.chartLabel')}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 600, height }}>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: narrow ? 72 : 96, bottom: 4, left: 4 }}>
          <CartesianGrid horizontal={false} stroke={token.colorBorderSecondary} />
          <XAxis
            type="number"
            allowDecimals={false}
            tickFormatter={amountAxis.format}
            tick={{ fontSize: 12, fill: token.colorTextSecondary }}
            tickCount={narrow ? 3 : 5}
          />
          <YAxis
            type="category"
            dataKey="name"
            width={narrow ? 96 : 200}
            interval={0}
            tick={{ fontSize: 12, fill: token.colorText }}
            tickFormatter={(value: string) => fitLabel(value, units)}
          />
          {amountAxis.probe}
          <Tooltip formatter={(value) => [money(value), t('commerce.calculator.total')]} cursor={{ fill: token.colorFillTertiary }} />
          <Bar dataKey="total" fill={token.colorPrimary} radius={[0, 4, 4, 0]} isAnimationActive={false} minPointSize={2}>
            <LabelList dataKey="total" position="right" formatter={money} style={{ fontSize: 12, fill: token.colorTextSecondary }} />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
