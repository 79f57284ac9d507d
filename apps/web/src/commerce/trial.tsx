import { Alert } from 'antd';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { License, PricePlan } from '../api/schema-types';
import { formatDate } from '../components/number-format';
import { optionalText } from './commerce-display';
import { formatMoney } from './money';

/** The free trial a plan starts with, in days (0: none). */
export function planTrialDays(plan: Pick<PricePlan, 'kind' | 'trialDays'>): number {
  return plan.kind === 'subscription' || plan.kind === 'metered' || plan.kind === 'hybrid' ? (plan.trialDays ?? 0) : 0;
}

export interface RunningTrial {
  /** When the trial ends (ISO timestamp): nothing of the plan is charged before it. */
  until: string;
  /** The licence was cancelled: it ends with the trial, nothing charged. */
  ending: boolean;
  /** The first fixed fee, due when the trial ends (minor units); null for plans without one (metered). */
  fee: number | null;
  currency: string;
}

/** The licence's free trial while it runs (the licence in force and its trial not over), else null. */
export function runningTrial(license: Pick<License, 'state' | 'trialEndsAt' | 'cancelAtPeriodEnd' | 'pricePlan'>, now: Date = new Date()): RunningTrial | null {
  const until = optionalText(license.trialEndsAt);
  if (!until || new Date(until).getTime() <= now.getTime()) return null;
  if (license.state !== 'active' && license.state !== 'past_due') return null;
  const plan = license.pricePlan;
  const fee = (plan.kind === 'subscription' || plan.kind === 'hybrid') && (plan.amount ?? 0) > 0 ? (plan.amount as number) : null;
  return { until, ending: license.cancelAtPeriodEnd, fee, currency: plan.currency };
}

/** "Free until <date>", and what happens then: the first charge, billed use, or the end of a cancelled licence. */
export function TrialNotice({ license, style }: { license: Pick<License, 'state' | 'trialEndsAt' | 'cancelAtPeriodEnd' | 'pricePlan'>; style?: CSSProperties }) {
  const { t, i18n } = useTranslation();
  const trial = runningTrial(license);
  if (!trial) return null;
  const date = formatDate(trial.until, i18n.language);
  const description = trial.ending
    ? t('commerce.licenses.trialEnding', { date })
    : trial.fee !== null
      ? t('commerce.licenses.trialThenFee', { date, amount: formatMoney(trial.fee, trial.currency, i18n.language) })
      : t('commerce.licenses.trialThenUsage', { date });
  return (
    <Alert
      type="info"
      showIcon
      style={style}
      title={t('commerce.licenses.trialFreeUntil', { date })}
      description={description}
      data-testid="license-trial"
      data-until={trial.until}
      data-ending={trial.ending}
    />
  );
}
