import { Alert, Flex } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { InputColumn, PolicyChange, Product, SettingsChanged } from '../api/schema-types';

type Sensitivity = InputColumn['sensitivity'];
type Advice = 'unmetDraft' | 'unmetSubmitted' | 'unmet' | 'meets' | 'noVersion' | 'reviewerUnmet' | 'reviewerMeets';

/** One change of an input's privacy settings in words: what changed, on which column, from what to what. */
export function describePolicyChange(change: PolicyChange, t: TFunction): string {
  const what = t(`products.vocab.policyChanges.${change.kind}`);
  if ((change.kind === 'k_raised' || change.kind === 'k_lowered') && change.from !== undefined && change.to !== undefined) {
    return t('products.settingsChanged.values', { change: what, from: change.from, to: change.to });
  }
  if ((change.kind === 'sensitivity_raised' || change.kind === 'sensitivity_lowered') && change.column && change.from !== undefined && change.to !== undefined) {
    return t('products.settingsChanged.columnValues', {
      change: what,
      column: change.column,
      from: t(`vocab.sensitivities.${change.from as Sensitivity}`),
      to: t(`vocab.sensitivities.${change.to as Sensitivity}`),
    });
  }
  if (change.column) return t('products.settingsChanged.column', { change: what, column: change.column });
  return what;
}

/**
 * What follows, by the product's status and whether its current version still meets the
 * settings: for its owner, what to do; for its reviewers, whether the version under review can be
 * listed.
 */
export function settingsChangedAdvice(changed: SettingsChanged, status: Product['status'], audience: 'owner' | 'reviewer' = 'owner'): { type: 'warning' | 'info'; key: Advice } {
  if (audience === 'reviewer') return changed.versionMeetsSettings === false ? { type: 'warning', key: 'reviewerUnmet' } : { type: 'info', key: 'reviewerMeets' };
  if (changed.versionMeetsSettings === false) return { type: 'warning', key: status === 'submitted' ? 'unmetSubmitted' : status === 'draft' ? 'unmetDraft' : 'unmet' };
  if (changed.versionMeetsSettings === true) return { type: 'info', key: 'meets' };
  return { type: 'info', key: 'noVersion' };
}

/**
 * Says that the privacy settings of an input changed after the product's latest run (draft and
 * submitted products are not derived again by themselves), how, and what follows.
 */
export function SettingsChangedAlert({ product, action, audience = 'owner' }: { product: Product; action?: ReactNode; audience?: 'owner' | 'reviewer' }) {
  const { t } = useTranslation();
  const changed = product.settingsChanged;
  if (!changed) return null;
  const advice = settingsChangedAdvice(changed, product.status, audience);
  return (
    <Alert
      type={advice.type}
      showIcon
      data-testid="settings-changed"
      title={t('products.settingsChanged.title')}
      action={action}
      description={
        <Flex vertical gap={4}>
          {changed.inputs.map((input) => (
            <span key={input.name} data-testid={`settings-changed-${input.name}`}>
              {t('products.settingsChanged.input', {
                input: input.name,
                changes: input.changes.map((change) => describePolicyChange(change, t)).join(t('products.gate.listSeparator')),
              })}
            </span>
          ))}
          <span>{t(`products.settingsChanged.advice.${advice.key}`)}</span>
        </Flex>
      }
    />
  );
}
