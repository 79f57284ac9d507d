/**
 * Pricing vocabularies in both UI languages.
 */
import type { Term } from '../catalog/vocabulary.js';
import type { RatedLineKind } from './rating.js';
import type { BillingInterval, MeteredMode, MeteredUnit, PricePlanKind } from './price-plan.js';

export const PRICE_PLAN_KINDS = {
  free: { zh: '免费', en: 'Free' },
  one_time: { zh: '一次性付费', en: 'One-time payment' },
  subscription: { zh: '订阅', en: 'Subscription' },
  metered: { zh: '按量计费', en: 'Pay as you go' },
  hybrid: { zh: '订阅 + 按量计费', en: 'Subscription + usage' },
} as const satisfies Record<PricePlanKind, Term>;

export const BILLING_INTERVALS = {
  month: { zh: '每月', en: 'Monthly' },
  year: { zh: '每年', en: 'Yearly' },
} as const satisfies Record<BillingInterval, Term>;

export const METERED_MODES = {
  per_unit: { zh: '单一单价', en: 'Per unit' },
  graduated: { zh: '分段累进', en: 'Graduated' },
  volume: { zh: '按总量定价', en: 'Volume' },
} as const satisfies Record<MeteredMode, Term>;

/** Units of metered usage: the label, and the English plural used in descriptions. */
export const METERED_UNITS = {
  api_call: { zh: '次调用', en: 'API call', enPlural: 'API calls' },
  row: { zh: '行', en: 'row', enPlural: 'rows' },
  byte: { zh: '字节', en: 'byte', enPlural: 'bytes' },
} as const satisfies Record<MeteredUnit, Term & { enPlural: string }>;

/** Labels of rated lines (`RatedLine.descriptionKey` is `pricing.line.<kind>`). */
export const RATED_LINE_KINDS = {
  one_time_fee: { zh: '一次性费用', en: 'One-time fee' },
  subscription_fee: { zh: '订阅费', en: 'Subscription fee' },
  included: { zh: '套餐内用量（免费）', en: 'Included usage (free)' },
  usage: { zh: '超出用量', en: 'Usage beyond the included quantity' },
  tier: { zh: '分段用量', en: 'Usage in tier' },
  tier_flat: { zh: '分段固定费用', en: 'Tier flat fee' },
  trial_credit: { zh: '试用期减免', en: 'Free trial credit' },
} as const satisfies Record<RatedLineKind, Term>;
