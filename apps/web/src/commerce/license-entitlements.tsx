import { CheckCircleOutlined, CloseCircleOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { useQueries } from '@tanstack/react-query';
import { Alert, Descriptions, Flex, Skeleton, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Entitlement, EntitlementAction, License } from '../api/schema-types';
import { describeApiError } from '../components/api-error-feedback';
import { formatCount, formatDate } from '../components/number-format';
import { optionalText } from './commerce-display';
import { meteredUnits } from './commerce-vocabulary';
import {
  addIsoDuration,
  DEFAULT_TERRITORY,
  ENTITLEMENT_ACTIONS,
  entitlementReasonKey,
  formatIsoDuration,
  licenceFactsOf,
  licenceWideRefusal,
  parseIsoDuration,
  placeName,
  verdictOf,
  type EntitlementVerdict,
  type LicenceFacts,
} from './entitlements';

const VERDICT_TAG: Record<EntitlementVerdict, { color: string; icon: ReactNode; label: 'allowed' | 'conditional' | 'notAllowed' }> = {
  allowed: { color: 'green', icon: <CheckCircleOutlined />, label: 'allowed' },
  conditional: { color: 'gold', icon: <QuestionCircleOutlined />, label: 'conditional' },
  refused: { color: 'default', icon: <CloseCircleOutlined />, label: 'notAllowed' },
};

/**
 * What the licence allows now, asked of the entitlement service for each action (this licence
 * only), with the policy's purpose, place and term and the period's usage.
 */
export function LicenseEntitlements({ license }: { license: License }) {
  const { t, i18n } = useTranslation();
  const answers = useQueries({
    queries: ENTITLEMENT_ACTIONS.map((action) => ({
      queryKey: queryKeys.licenseEntitlement(license.id, license.state, action),
      queryFn: () => unwrap(api.GET('/api/v1/entitlements', { params: { query: { productId: license.product.id, action, licenseId: license.id } } })),
    })),
  });
  const failed = answers.find((answer) => answer.isError);
  const loaded = answers.every((answer) => answer.isSuccess) ? answers.map((answer) => answer.data as Entitlement) : null;
  const facts = licenceFactsOf((license.terms as { policy?: unknown }).policy);
  const wide = loaded ? licenceWideRefusal(loaded) : null;
  const quota = loaded?.find((answer) => answer.quota)?.quota ?? null;
  const language = i18n.language;
  const ending = endingLine(license, language, t);

  const items = [
    { key: 'purpose', label: t('commerce.entitlements.purpose'), children: <FactLines lines={purposeLines(facts, optionalText(license.purpose), language, t)} testId="entitlement-purpose" /> },
    { key: 'territory', label: t('commerce.entitlements.territory'), children: <FactLines lines={territoryLines(facts, language, t)} testId="entitlement-territory" /> },
    { key: 'term', label: t('commerce.entitlements.term'), children: <FactLines lines={termLines(facts, optionalText(license.activatedAt), language, t, optionalText(license.expiresAt))} testId="entitlement-term" /> },
    ...(ending ? [{ key: 'ending', label: ending.label, children: <FactLines lines={[ending.text]} testId="entitlement-ending" kind={ending.kind} /> }] : []),
    ...(quota
      ? [
          {
            key: 'quota',
            label: t('commerce.entitlements.quota'),
            children: <FactLines lines={quotaLines(quota, language, t)} testId="entitlement-quota" />,
          },
        ]
      : []),
  ];

  return (
    <Flex vertical gap={12} data-testid="license-entitlements" data-state={loaded ? 'loaded' : failed ? 'failed' : 'loading'}>
      {failed ? (
        <Alert type="warning" showIcon title={t('commerce.entitlements.loadFailed')} description={describeApiError(failed.error, t)} />
      ) : !loaded ? (
        <Skeleton active title={false} paragraph={{ rows: 4 }} />
      ) : wide ? (
        <Alert type="info" showIcon title={t('commerce.entitlements.nothingNow', { reason: t(`commerce.entitlements.reasons.${wide}`) })} data-testid="entitlements-nothing" data-reason={wide} />
      ) : (
        <div style={{ display: 'grid', gridTemplateColumns: 'max-content minmax(0, 1fr)', columnGap: 8, rowGap: 6, alignItems: 'baseline' }}>
          {ENTITLEMENT_ACTIONS.map((action, index) => (
            <ActionLine key={action} action={action} answer={loaded[index] as Entitlement} />
          ))}
        </div>
      )}
      <Descriptions size="small" column={1} items={items} styles={{ label: { whiteSpace: 'nowrap' } }} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="entitlements-checked-for">
        {/* The place matters only to a licence that limits where the data is used. */}
        {facts.territories.only.length + facts.territories.not.length > 0
          ? t('commerce.entitlements.checkedFor', { place: placeName(DEFAULT_TERRITORY, language) })
          : t('commerce.entitlements.checkedNow')}
      </Typography.Text>
    </Flex>
  );
}

function ActionLine({ action, answer }: { action: EntitlementAction; answer: Entitlement }) {
  const { t } = useTranslation();
  const verdict = verdictOf(answer);
  const tag = VERDICT_TAG[verdict];
  return (
    // One row of the parent's two-column grid: the verdicts line up whatever their length.
    <div style={{ display: 'contents' }} data-testid="entitlement" data-action={action} data-verdict={verdict} data-reason={answer.reason ?? ''}>
      <Tag color={tag.color} icon={tag.icon} style={{ marginInlineEnd: 0 }}>
        {t(`commerce.entitlements.${tag.label}`)}
      </Tag>
      <Flex vertical gap={0} style={{ minWidth: 0 }}>
        <Typography.Text strong>{t(`commerce.entitlements.actions.${action}`)}</Typography.Text>
        {verdict === 'allowed' ? null : <Typography.Text type="secondary">{t(`commerce.entitlements.reasons.${entitlementReasonKey(answer.reason)}`)}</Typography.Text>}
      </Flex>
    </div>
  );
}

function FactLines({ lines, testId, kind }: { lines: string[]; testId: string; kind?: string }) {
  return (
    <Flex vertical gap={0} data-testid={testId} data-kind={kind}>
      {lines.map((line, index) => (
        <Typography.Text key={index}>{line}</Typography.Text>
      ))}
    </Flex>
  );
}

function purposeName(purpose: string, t: TFunction): string {
  return t(`vocab.purposes.${purpose as 'research'}`, { defaultValue: purpose });
}

function list(items: string[], language: string): string {
  return new Intl.ListFormat(language, { type: 'conjunction' }).format(items);
}

export function purposeLines(facts: LicenceFacts, stated: string | null, language: string, t: TFunction): string[] {
  const lines = [
    ...(stated ? [t('commerce.entitlements.purposeStated', { purpose: purposeName(stated, t) })] : []),
    ...(facts.purposes.only.length ? [t('commerce.entitlements.purposeOnly', { purposes: list(facts.purposes.only.map((purpose) => purposeName(purpose, t)), language) })] : []),
    ...(facts.purposes.not.length ? [t('commerce.entitlements.purposeNot', { purposes: list(facts.purposes.not.map((purpose) => purposeName(purpose, t)), language) })] : []),
  ];
  return lines.length > 0 ? lines : [t('commerce.entitlements.anyPurpose')];
}

export function territoryLines(facts: LicenceFacts, language: string, t: TFunction): string[] {
  const lines = [
    ...(facts.territories.only.length ? [t('commerce.entitlements.territoryOnly', { places: list(facts.territories.only.map((code) => placeName(code, language)), language) })] : []),
    ...(facts.territories.not.length ? [t('commerce.entitlements.territoryNot', { places: list(facts.territories.not.map((code) => placeName(code, language)), language) })] : []),
  ];
  return lines.length > 0 ? lines : [t('commerce.entitlements.anywhere')];
}

/**
 * The licence's term in words: "Until Nov 21, 2027 (1 year from the start of the licence)", an end
 * date, or "No fixed term" (a subscription, which runs period by period, or a perpetual licence).
 */
export function termLines(facts: LicenceFacts, activatedAt: string | null, language: string, t: TFunction, expiresAt: string | null = null): string[] {
  const lines = [
    ...(expiresAt ? [t('commerce.entitlements.termDate', { date: formatDate(expiresAt, language) })] : []),
    ...facts.terms.map((term) => {
      const duration = parseIsoDuration(term);
      const words = formatIsoDuration(term, t);
      return duration && activatedAt
        ? t('commerce.entitlements.termUntil', { duration: words, date: formatDate(addIsoDuration(new Date(activatedAt), duration).toISOString(), language) })
        : t('commerce.entitlements.termFor', { duration: words });
    }),
    ...facts.until.map((until) => t('commerce.entitlements.termDate', { date: formatDate(until, language) })),
  ];
  return lines.length > 0 ? lines : [t('commerce.entitlements.noTerm')];
}

export type EndingKind = 'ended' | 'renews' | 'endsAtPeriodEnd';

/**
 * How a licence goes on after now, beside its term: a running subscription renews at the end of
 * its period, or ends then when cancelled; an ended licence says when. Null otherwise: a
 * term-limited or perpetual licence is told by its term.
 */
export function endingLine(
  license: Pick<License, 'state' | 'currentPeriodEnd' | 'cancelAtPeriodEnd' | 'endedAt'>,
  language: string,
  t: TFunction,
): { kind: EndingKind; label: string; text: string } | null {
  const ended = optionalText(license.endedAt);
  if (ended) return { kind: 'ended', label: t('commerce.entitlements.endedLabel'), text: t('commerce.entitlements.endedOn', { date: formatDate(ended, language) }) };
  const periodEnd = optionalText(license.currentPeriodEnd);
  if (!periodEnd || !['active', 'past_due', 'suspended'].includes(license.state)) return null;
  const date = formatDate(periodEnd, language);
  return license.cancelAtPeriodEnd
    ? { kind: 'endsAtPeriodEnd', label: t('commerce.entitlements.endsLabel'), text: t('commerce.entitlements.endsAtPeriodEnd', { date }) }
    : { kind: 'renews', label: t('commerce.entitlements.renewsLabel'), text: t('commerce.entitlements.renewsOn', { date }) };
}

export function quotaLines(quota: NonNullable<Entitlement['quota']>, language: string, t: TFunction): string[] {
  const unit = meteredUnits.find((candidate) => candidate === quota.unit);
  const amount = (count: number) => (unit ? `${formatCount(count, language)} ${t(`commerce.vocab.unitNames.${unit}`, { count })}` : formatCount(count, language));
  return [
    quota.included > 0 ? t('commerce.entitlements.quotaUsed', { used: amount(quota.used), included: amount(quota.included) }) : t('commerce.entitlements.quotaUsedNoneIncluded', { used: amount(quota.used) }),
    quota.remaining === null ? t('commerce.entitlements.quotaNoLimit') : t('commerce.entitlements.quotaRemaining', { remaining: amount(quota.remaining) }),
  ];
}
