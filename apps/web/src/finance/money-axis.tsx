import { axisLabelFormatter, useAxisTicks } from '../components/chart-axis';
import { minorToDecimal, moneyFormatter } from '../commerce/money';

/**
 * Labels for a money axis in one style (the rule of every chart axis, see `axisLabelFormatter`):
 * Intl's compact notation when it abbreviates every tick exactly (¥3K … ¥12K, ¥5万 … ¥20万), else
 * the plain amount with grouping and no zero fractions (¥4,000 … ¥16,000), never "¥8000" next to
 * "¥1.2万". Amounts are minor units; a nice tick of a small range may have a fraction.
 */
export function moneyAxisFormatter(ticks: readonly number[], currency: string, language: string): (value: number) => string {
  return axisLabelFormatter(
    ticks.map((tick) => Math.round(tick)),
    {
      compact: (fractionDigits) => moneyFormatter(currency, language, 'compact', fractionDigits),
      plain: moneyFormatter(currency, language, 'plain'),
      value: (tick) => minorToDecimal(Math.round(tick), currency) as Intl.StringNumericLiteral,
    },
  );
}

/**
 * A money axis's label formatter, and the probe to render inside the chart that tells it the
 * axis's ticks: `<YAxis tickFormatter={axis.format} width="auto" />… {axis.probe}`.
 */
export function useMoneyAxis(axis: 'x' | 'y', currency: string, language: string) {
  const { ticks, probe } = useAxisTicks(axis);
  return { format: moneyAxisFormatter(ticks, currency, language), probe };
}
