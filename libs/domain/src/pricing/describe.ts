/**
 * Short readable descriptions of price plans and rated lines in zh-CN and English, e.g.
 *   en    "¥1,200.00 per month + ¥0.05 per 1,000 rows beyond 100,000 rows"
 *   zh-CN "每月 ¥1,200.00，超出 100,000 行后每 1,000 行 ¥0.05"
 * Money goes through `formatMoney` (Intl.NumberFormat with the currency's exponent).
 */
import { formatMoney, type MoneyLocale } from './money.js';
import type { MeteredPricing, MeteredUnit, PricePlan, PriceTier } from './price-plan.js';
import type { RatedLine } from './rating.js';
import { METERED_UNITS, RATED_LINE_KINDS } from './vocabulary.js';

const numberFormats = new Map<MoneyLocale, Intl.NumberFormat>();

/** A quantity with thousands separators ("100,000" in both languages). */
export function formatQuantity(value: number, locale: MoneyLocale): string {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    numberFormats.set(locale, format);
  }
  return format.format(value);
}

/** "1 row", "100,000 rows" / "100,000 行", "1,000 次调用". */
export function formatUnits(value: number, unit: MeteredUnit, locale: MoneyLocale): string {
  const label = METERED_UNITS[unit];
  if (locale === 'zh-CN') return `${formatQuantity(value, locale)} ${label.zh}`;
  return `${formatQuantity(value, locale)} ${value === 1 ? label.en : label.enPlural}`;
}

/** "per 1,000 rows", "per row" / "每 1,000 行", "每行". */
function perBlock(per: number, unit: MeteredUnit, locale: MoneyLocale): string {
  const label = METERED_UNITS[unit];
  if (locale === 'zh-CN') return per === 1 ? `每${label.zh}` : `每 ${formatQuantity(per, locale)} ${label.zh}`;
  return per === 1 ? `per ${label.en}` : `per ${formatUnits(per, unit, locale)}`;
}

export function describePricePlan(plan: PricePlan, locale: MoneyLocale): string {
  const zh = locale === 'zh-CN';
  const m = (amount: number) => formatMoney({ amount, currency: plan.currency }, locale);
  const trial = 'trialDays' in plan && plan.trialDays ? (zh ? `；免费试用 ${plan.trialDays} 天` : `; ${plan.trialDays}-day free trial`) : '';
  switch (plan.kind) {
    case 'free':
      return zh ? '免费' : 'Free';
    case 'one_time':
      return zh ? `一次性 ${m(plan.amount)}` : `${m(plan.amount)} one-time`;
    case 'subscription':
      return (zh ? `${plan.interval === 'month' ? '每月' : '每年'} ${m(plan.amount)}` : `${m(plan.amount)} per ${plan.interval}`) + trial;
    case 'metered':
      return (zh ? `${describeMetered(plan.metered, plan.currency, 'month', locale)}，按月结算` : `${describeMetered(plan.metered, plan.currency, 'month', locale)}, billed monthly`) + trial;
    case 'hybrid': {
      const usage = describeMetered(plan.metered, plan.currency, plan.interval, locale);
      return (zh ? `${plan.interval === 'month' ? '每月' : '每年'} ${m(plan.amount)}，${usage}` : `${m(plan.amount)} per ${plan.interval} + ${usage}`) + trial;
    }
  }
}

/** The usage part of a plan's description. */
export function describeMetered(metered: MeteredPricing, currency: string, interval: 'month' | 'year', locale: MoneyLocale): string {
  const zh = locale === 'zh-CN';
  const m = (amount: number) => formatMoney({ amount, currency }, locale);
  const units = (value: number) => formatUnits(value, metered.unit, locale);
  const per = perBlock(metered.per, metered.unit, locale);
  const yearly = interval === 'year';
  const included = metered.includedQuantity;
  const limit =
    metered.maxQuantity === undefined
      ? ''
      : zh
        ? `，${yearly ? '每年' : '每月'}最多 ${units(metered.maxQuantity)}`
        : `, at most ${units(metered.maxQuantity)} per ${interval}`;
  if (metered.mode === 'per_unit') {
    const price = m(metered.unitAmount ?? 0);
    if (zh) return `${included > 0 ? `${yearly ? '每年' : ''}超出 ${units(included)}后` : ''}${per} ${price}${limit}`;
    return `${price} ${per}${included > 0 ? ` beyond ${units(included)}${yearly ? ' per year' : ''}` : ''}${limit}`;
  }
  const tiers = describeTiers(metered.tiers ?? [], currency, metered.unit, locale);
  if (zh) {
    const lead = included > 0 ? `${yearly ? '每年' : ''}超出 ${units(included)}后` : '';
    const mode = metered.mode === 'graduated' ? '分段累进计价' : '按总用量统一单价';
    return `${lead}${mode}，${per}：${tiers}${limit}`;
  }
  const mode = metered.mode === 'graduated' ? 'graduated' : 'volume-priced (one rate for all usage, set by the total)';
  const lead = included > 0 ? ` beyond ${units(included)}${yearly ? ' per year' : ''}` : '';
  return `${mode} ${per}${lead}: ${tiers}${limit}`;
}

function describeTiers(tiers: readonly PriceTier[], currency: string, unit: MeteredUnit, locale: MoneyLocale): string {
  const zh = locale === 'zh-CN';
  const m = (amount: number) => formatMoney({ amount, currency }, locale);
  const units = (value: number) => formatUnits(value, unit, locale);
  const parts: string[] = [];
  let lower = 0;
  for (const tier of tiers) {
    const flat = tier.flatAmount ? (zh ? `（另收固定费用 ${m(tier.flatAmount)}）` : ` + ${m(tier.flatAmount)} flat`) : '';
    const price = `${m(tier.unitAmount)}${flat}`;
    if (tier.upTo === null) {
      parts.push(lower === 0 ? (zh ? `全部 ${price}` : `${price} for all usage`) : zh ? `${units(lower)}以上 ${price}` : `${price} above ${units(lower)}`);
    } else if (lower === 0) {
      parts.push(zh ? `${units(tier.upTo)}以内 ${price}` : `${price} up to ${units(tier.upTo)}`);
    } else {
      parts.push(
        zh
          ? `${formatQuantity(lower + 1, locale)}–${units(tier.upTo)} ${price}`
          : `${price} for ${formatQuantity(lower + 1, locale)}–${units(tier.upTo)}`,
      );
    }
    lower = tier.upTo ?? lower;
  }
  return parts.join(zh ? '，' : ', ');
}

/** One rated line as text, e.g. "Usage in tier 2: 5,000 rows × ¥0.05 per 1,000 rows = ¥0.25". */
export function describeRatedLine(line: RatedLine, context: { currency: string; unit?: MeteredUnit }, locale: MoneyLocale): string {
  const zh = locale === 'zh-CN';
  const m = (amount: number) => formatMoney({ amount, currency: context.currency }, locale);
  const label = RATED_LINE_KINDS[line.kind][zh ? 'zh' : 'en'];
  const title = line.tier === undefined ? label : zh ? `${label}（第 ${line.tier + 1} 段）` : `${label} ${line.tier + 1}`;
  const unit = context.unit;
  if ((line.kind === 'usage' || line.kind === 'tier' || line.kind === 'included') && unit) {
    const quantity = formatUnits(line.quantity, unit, locale);
    if (line.kind === 'included') return `${title}${zh ? '：' : ': '}${quantity}`;
    const rate = zh ? `${perBlock(line.per, unit, locale)} ${m(line.unitAmount)}` : `${m(line.unitAmount)} ${perBlock(line.per, unit, locale)}`;
    return `${title}${zh ? '：' : ': '}${quantity} × ${rate} = ${m(line.amount)}`;
  }
  return `${title}${zh ? '：' : ': '}${m(line.amount)}`;
}
