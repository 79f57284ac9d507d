/**
 * What a licence owes for the metered use of a closed billing period, billed in arrears
 * (fixed fees are billed in advance by the renewal invoice). The included quantity is prorated
 * when the licence was in force for only part of the period.
 *
 * Late usage (events accepted after their period was closed) is never an edit of the closed
 * period's invoice: the next close re-rates that period with its new total and bills the
 * difference as an adjustment line (or, when no close comes within the late-usage window, the
 * period's final reading bills it on an adjustment invoice), so a period's billed amount is
 * always exactly the rating of its latest reading. Volume pricing can make the difference negative (more units, a
 * cheaper tier); a negative total becomes a credit note instead of an invoice.
 */
import { describeRatedLine, formatUnits } from '../pricing/describe.js';
import { formatMoney, type MoneyLocale } from '../pricing/money.js';
import { meteredPricing, type MeteredUnit, type PricePlan } from '../pricing/price-plan.js';
import { rateUsage, type RatedLine } from '../pricing/rating.js';
import { coverage, prorateQuantity, type Interval } from './proration.js';

export interface PeriodUsageReading {
  period: Interval;
  /** When the licence was in force within the period (absent ends: the whole period). */
  active?: Partial<Interval>;
  /** Units of the plan's metered unit used in the period. */
  quantity: number;
}

export interface UsageInvoiceLine extends Omit<RatedLine, 'descriptionKey' | 'kind'> {
  kind: RatedLine['kind'] | 'usage_adjustment';
  /** i18n key of the line's label. */
  descriptionKey: string;
  /** The period the line bills (adjustments bill an earlier one). */
  period: Interval;
}

/** The plan with its included quantity prorated to the licence's coverage of the period. */
export function planForCoverage(plan: PricePlan, reading: Pick<PeriodUsageReading, 'period' | 'active'>): PricePlan {
  const metered = meteredPricing(plan);
  if (!metered || metered.includedQuantity === 0) return plan;
  const { covered, length } = coverage(reading.period, reading.active);
  const includedQuantity = prorateQuantity(metered.includedQuantity, covered, length);
  if (includedQuantity === metered.includedQuantity) return plan;
  return { ...plan, metered: { ...metered, includedQuantity } } as PricePlan;
}

/** The metered charge of one period's reading. */
export function ratePeriodUsage(plan: PricePlan, reading: PeriodUsageReading): { lines: UsageInvoiceLine[]; total: number } {
  const charge = rateUsage(planForCoverage(plan, reading), reading.quantity);
  return { lines: charge.lines.map((line) => ({ ...line, period: reading.period })), total: charge.total };
}

export interface Adjustment {
  period: Interval;
  active?: Partial<Interval>;
  /** The quantity already billed for the period. */
  billedQuantity: number;
  /** The period's quantity now. */
  quantity: number;
}

/**
 * The adjustment line for a period re-read after its close: the rating of the new total minus
 * the rating of what was billed. Null when nothing changed.
 */
export function adjustmentLine(plan: PricePlan, adjustment: Adjustment): UsageInvoiceLine | null {
  if (adjustment.quantity === adjustment.billedQuantity) return null;
  const before = ratePeriodUsage(plan, { ...adjustment, quantity: adjustment.billedQuantity }).total;
  const after = ratePeriodUsage(plan, adjustment).total;
  const amount = after - before;
  const quantity = adjustment.quantity - adjustment.billedQuantity;
  if (amount === 0 && quantity === 0) return null;
  return { kind: 'usage_adjustment', descriptionKey: 'billing.line.usage_adjustment', quantity, unitAmount: amount, per: 1, amount, period: adjustment.period };
}

export interface UsageInvoiceDraft {
  lines: UsageInvoiceLine[];
  /** Sum of the lines; negative means the buyer is owed a credit. */
  total: number;
}

/** The closing period's charge followed by the adjustments of earlier periods. */
export function usageInvoice(plan: PricePlan, closing: PeriodUsageReading | null, adjustments: readonly Adjustment[] = []): UsageInvoiceDraft {
  const lines: UsageInvoiceLine[] = [];
  if (closing) lines.push(...ratePeriodUsage(plan, closing).lines);
  for (const adjustment of adjustments) {
    const line = adjustmentLine(plan, adjustment);
    if (line) lines.push(line);
  }
  return { lines, total: lines.reduce((sum, line) => sum + line.amount, 0) };
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** One usage invoice line as text, with the period it bills. */
export function describeUsageInvoiceLine(line: UsageInvoiceLine, context: { currency: string; unit?: MeteredUnit }, locale: MoneyLocale): string {
  const zh = locale === 'zh-CN';
  const period = `${isoDay(line.period.start)} – ${isoDay(line.period.end)}`;
  if (line.kind === 'usage_adjustment') {
    const quantity = context.unit ? formatUnits(line.quantity, context.unit, locale) : String(line.quantity);
    if (line.amount < 0) {
      // Volume pricing: with the late units the whole period falls in a cheaper tier.
      const credit = formatMoney({ amount: -line.amount, currency: context.currency }, locale);
      return zh
        ? `补计用量（${period}）：+${quantity}，全部用量适用更低档单价，退还 ${credit}`
        : `Late usage (${period}): +${quantity}; all the period's use now falls in a cheaper tier, ${credit} back`;
    }
    const amount = formatMoney({ amount: line.amount, currency: context.currency }, locale);
    return zh ? `补计用量（${period}）：+${quantity} = ${amount}` : `Late usage (${period}): +${quantity} = ${amount}`;
  }
  const text = describeRatedLine(line as RatedLine, context, locale);
  return zh ? `${text}（${period}）` : `${text} (${period})`;
}
