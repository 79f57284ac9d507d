import { useEffect, useState } from 'react';
import { useXAxisTicks, useYAxisTicks } from 'recharts';
import { minorToDecimal, moneyFormatter } from '../commerce/money';

/** A tick's amount (minor units; a nice tick of a small range may have a fraction) as the exact decimal text Intl formats. */
function majorUnits(value: number, currency: string): Intl.StringNumericLiteral {
  return minorToDecimal(Math.round(value), currency) as Intl.StringNumericLiteral;
}

/**
 * Labels for a money axis in one style: Intl's compact notation when it abbreviates every tick
 * (¥3K … ¥12K, ¥5万 … ¥20万), else the plain amount with grouping and no zero fractions
 * (¥3,000 … ¥12,000). Chinese abbreviates from 万 (10,000) only, so compact notation alone would
 * write "¥9000" next to "¥1.2万" on one axis. Amounts are minor units.
 */
export function moneyAxisFormatter(ticks: readonly number[], currency: string, language: string): (value: number) => string {
  const compact = moneyFormatter(currency, language, 'compact');
  const abbreviated = (value: number) => compact.formatToParts(majorUnits(value, currency)).some((part) => part.type === 'compact');
  const nonZero = ticks.filter((tick) => Math.round(tick) !== 0);
  const chosen = nonZero.length > 0 && nonZero.every(abbreviated) ? compact : moneyFormatter(currency, language, 'plain');
  return (value: number) => chosen.format(majorUnits(Number(value), currency));
}

/**
 * Reports the ticks recharts computed for an axis of the chart it is rendered in (once they
 * change), so the axis's labels can be chosen for all of them at once.
 */
function AxisTicksProbe({ axis, onTicks }: { axis: 'x' | 'y'; onTicks(ticks: number[]): void }) {
  const xTicks = useXAxisTicks();
  const yTicks = useYAxisTicks();
  const ticks = axis === 'x' ? xTicks : yTicks;
  const values = (ticks ?? []).map((tick) => Number(tick.value)).filter(Number.isFinite);
  const signature = values.join('|');
  useEffect(() => {
    if (signature) onTicks(signature.split('|').map(Number));
  }, [signature, onTicks]);
  return null;
}

/**
 * A money axis's label formatter, and the probe to render inside the chart that tells it the
 * axis's ticks: `<YAxis tickFormatter={axis.format} />… {axis.probe}`.
 */
export function useMoneyAxis(axis: 'x' | 'y', currency: string, language: string) {
  const [ticks, setTicks] = useState<readonly number[]>([]);
  return { format: moneyAxisFormatter(ticks, currency, language), probe: <AxisTicksProbe axis={axis} onTicks={setTicks} /> };
}
