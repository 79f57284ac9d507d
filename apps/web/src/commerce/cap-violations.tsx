import { Alert, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/api-error';
import type { MeteredUnit } from '../api/schema-types';
import { describeApiError } from '../components/api-error-feedback';
import { formatCount } from '../components/number-format';
import { meteredUnits } from './commerce-vocabulary';
import { formatMoney } from './money';

/** One reason a plan is above the platform's price caps (`pricing.over_cap` details, from the domain's checkPriceCaps). */
export type CapViolation =
  | {
      code: 'pricing.over_cap';
      limit: 'maxOneTime' | 'maxMonthly' | 'maxPerUnit';
      path: string;
      figure: number;
      max: number;
      currency: string;
      scope: { theme?: string; classification?: string };
      perUnit: { unit: MeteredUnit; per: number } | null;
    }
  | { code: 'pricing.cap_currency_mismatch'; currency: string; planCurrency: string; scope: { theme?: string; classification?: string } };

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

/** The violations of a `pricing.over_cap` refusal, read defensively (the OpenAPI document types details loosely). */
export function capViolationsOf(error: unknown): CapViolation[] | null {
  if (!(error instanceof ApiError) || error.code !== 'pricing.over_cap') return null;
  const details = Array.isArray(error.details) ? error.details : Array.isArray(record(error.details).violations) ? (record(error.details).violations as unknown[]) : [];
  return details.flatMap((raw): CapViolation[] => {
    const item = record(raw);
    const cap = record(item.cap);
    const scopeRecord = record(cap.scope);
    const scope = {
      ...(typeof scopeRecord.theme === 'string' ? { theme: scopeRecord.theme } : {}),
      ...(typeof scopeRecord.classification === 'string' ? { classification: scopeRecord.classification } : {}),
    };
    if (item.code === 'pricing.cap_currency_mismatch' && typeof item.currency === 'string' && typeof item.planCurrency === 'string') {
      return [{ code: 'pricing.cap_currency_mismatch', currency: item.currency, planCurrency: item.planCurrency, scope }];
    }
    if (item.code !== 'pricing.over_cap' || typeof item.figure !== 'number' || typeof item.max !== 'number' || typeof item.currency !== 'string') return [];
    if (item.limit !== 'maxOneTime' && item.limit !== 'maxMonthly' && item.limit !== 'maxPerUnit') return [];
    const perUnitRecord = record(cap.maxPerUnit);
    const perUnit =
      meteredUnits.includes(perUnitRecord.unit as MeteredUnit) && typeof perUnitRecord.per === 'number' ? { unit: perUnitRecord.unit as MeteredUnit, per: perUnitRecord.per } : null;
    return [{ code: 'pricing.over_cap', limit: item.limit, path: typeof item.path === 'string' ? item.path : '', figure: item.figure, max: item.max, currency: item.currency, scope, perUnit }];
  });
}

function scopeText(scope: { theme?: string; classification?: string }, t: TFunction): string {
  const parts = [
    ...(scope.theme ? [t(`vocab.themes.${scope.theme as 'transport'}`, { defaultValue: scope.theme })] : []),
    ...(scope.classification ? [t(`classification.${scope.classification as 'open'}.name`, { defaultValue: scope.classification })] : []),
  ];
  return parts.length > 0 ? parts.join(' · ') : t('commerce.caps.everyProduct');
}

/** A violation in words: which limit, the plan's figure, the cap, and which products the cap is for. */
export function capViolationText(violation: CapViolation, t: TFunction, language: string): string {
  const scope = scopeText(violation.scope, t);
  if (violation.code === 'pricing.cap_currency_mismatch') return t('commerce.caps.violations.currency', { currency: violation.currency, planCurrency: violation.planCurrency, scope });
  const figure = formatMoney(violation.figure, violation.currency, language);
  const max = formatMoney(violation.max, violation.currency, language);
  if (violation.limit === 'maxPerUnit' && violation.perUnit) {
    return t('commerce.caps.violations.maxPerUnit', {
      figure,
      max,
      scope,
      per: formatCount(violation.perUnit.per, language),
      unit: t(`commerce.vocab.unitNames.${violation.perUnit.unit}`, { count: violation.perUnit.per }),
    });
  }
  return t(`commerce.caps.violations.${violation.limit === 'maxPerUnit' ? 'maxOneTime' : violation.limit}`, { figure, max, scope });
}

/** Why publishing (or changing a published offer) was refused: each price cap the plan is above, in words. */
export function CapViolationsAlert({ error, onClose }: { error: unknown; onClose?: () => void }) {
  const { t, i18n } = useTranslation();
  const violations = capViolationsOf(error);
  if (!violations) return <Alert type="error" showIcon closable={onClose ? { onClose } : false} title={describeApiError(error, t)} data-testid="offer-error" />;
  return (
    <Alert
      type="error"
      showIcon
      closable={onClose ? { onClose } : false}
      data-testid="cap-violations"
      title={t('commerce.caps.violations.title')}
      description={
        <>
          <ul style={{ margin: '4px 0', paddingInlineStart: 20 }}>
            {violations.map((violation, index) => (
              <li key={index} data-testid="cap-violation" data-limit={violation.code === 'pricing.over_cap' ? violation.limit : 'currency'}>
                {capViolationText(violation, t, i18n.language)}
              </li>
            ))}
          </ul>
          <Typography.Text type="secondary">{t('commerce.caps.violations.hint')}</Typography.Text>
        </>
      }
    />
  );
}
