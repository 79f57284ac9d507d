// Chart axes' labels, one rule for every chart: all the ticks of an axis are written in one
// style, chosen for the whole axis once recharts has computed its ticks.
import { useCallback, useEffect, useState } from 'react';
import { useXAxisTicks, useYAxisTicks, type AxisId } from 'recharts';

/** How an axis's ticks can be written. */
export interface AxisNotation {
  /** Compact notation (135K, 13.5万) with at most `fractionDigits` decimals. */
  compact(fractionDigits: number): Intl.NumberFormat;
  /** The full number with grouping (135,000). */
  plain: Intl.NumberFormat;
  /** A tick as the formatters take it (a count as is; money as its major units' decimal text). */
  value(tick: number): number | Intl.StringNumericLiteral;
}

/** Decimals compact notation may use to write a tick exactly: 4.5万, 1.25K; more reads as noise. */
const COMPACT_DIGITS = [0, 1, 2] as const;
/** Enough decimals to see whether fewer ones rounded a tick (Intl's compact default writes 13.5万 as "14万"). */
const REFERENCE_DIGITS = 6;

/**
 * Labels for an axis in one style: compact notation when it abbreviates every non-zero tick and
 * writes each exactly with the same few decimals (45K … 180K, 4.5万 … 18万), else the full
 * number (4,000 … 16,000). Chinese abbreviates from 万 (10,000) only, so compact notation tick by
 * tick would write "8000" next to "1.2万" on one axis.
 */
export function axisLabelFormatter(ticks: readonly number[], notation: AxisNotation): (value: number) => string {
  const values = ticks.filter((tick) => tick !== 0).map(notation.value);
  const reference = notation.compact(REFERENCE_DIGITS);
  const abbreviated = values.length > 0 && values.every((value) => reference.formatToParts(value).some((part) => part.type === 'compact'));
  const digits = abbreviated ? COMPACT_DIGITS.find((candidate) => values.every((value) => notation.compact(candidate).format(value) === reference.format(value))) : undefined;
  const chosen = digits === undefined ? notation.plain : notation.compact(digits);
  return (value: number) => chosen.format(notation.value(Number(value)));
}

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(language: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${language}|${JSON.stringify(options)}`;
  let found = numberFormats.get(key);
  if (!found) {
    found = new Intl.NumberFormat(language, options);
    numberFormats.set(key, found);
  }
  return found;
}

/** Labels for an axis of counts (calls, rows, organizations) in the reader's language: 135K, 13.5万, or 4,000 … 16,000. */
export function countAxisFormatter(ticks: readonly number[], language: string): (value: number) => string {
  return axisLabelFormatter(ticks, {
    compact: (fractionDigits) => numberFormat(language, { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: fractionDigits }),
    plain: numberFormat(language, { maximumFractionDigits: REFERENCE_DIGITS }),
    value: (tick) => tick,
  });
}

type TickItems = ReadonlyArray<{ value: unknown }> | undefined;

function useReportTicks(ticks: TickItems, onTicks: (ticks: number[]) => void) {
  const signature = (ticks ?? [])
    .map((tick) => Number(tick.value))
    .filter(Number.isFinite)
    .join('|');
  useEffect(() => {
    if (signature) onTicks(signature.split('|').map(Number));
  }, [signature, onTicks]);
}

function XTicksProbe({ axisId, onTicks }: { axisId?: AxisId; onTicks(ticks: number[]): void }) {
  useReportTicks(useXAxisTicks(axisId), onTicks);
  return null;
}

function YTicksProbe({ axisId, onTicks }: { axisId?: AxisId; onTicks(ticks: number[]): void }) {
  useReportTicks(useYAxisTicks(axisId), onTicks);
  return null;
}

/**
 * The ticks recharts computed for an axis of a chart, and the probe to render inside that chart
 * that reports them. Ticks recharts hid for room (a subset of the ticks already known) keep the
 * known ones, so that the labels' style cannot flip back and forth with what fits.
 */
export function useAxisTicks(axis: 'x' | 'y', axisId?: AxisId) {
  const [ticks, setTicks] = useState<readonly number[]>([]);
  const onTicks = useCallback((next: number[]) => setTicks((known) => (next.every((tick) => known.includes(tick)) ? known : next)), []);
  const probe = axis === 'x' ? <XTicksProbe axisId={axisId} onTicks={onTicks} /> : <YTicksProbe axisId={axisId} onTicks={onTicks} />;
  return { ticks, probe };
}

/**
 * A count axis's label formatter and the probe to render inside the chart:
 * `<YAxis yAxisId="rows" tickFormatter={axis.format} width="auto" />… {axis.probe}`.
 * Vertical axes take `width="auto"` so that recharts makes room for the longest label.
 */
export function useCountAxis(axis: 'x' | 'y', language: string, axisId?: AxisId) {
  const { ticks, probe } = useAxisTicks(axis, axisId);
  return { format: countAxisFormatter(ticks, language), probe };
}
