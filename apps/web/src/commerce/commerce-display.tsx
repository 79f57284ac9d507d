import { CheckCircleOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { Descriptions, Flex, Segmented, Space, Tag, Tooltip, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Invoice, License, LicenseState, LocalizedPair, OfferStatus, PlanKind, PricePlan, PriceTier, RenderedLicence } from '../api/schema-types';
import { isChinese } from '../catalog/localized-text';
import { formatCount } from '../components/number-format';
import { invoiceStatusColors, licenseStateColors, offerStatusColors, planKindColors } from './commerce-vocabulary';
import { formatMoney } from './money';

/**
 * Nullable strings of the licensing API (dates, emails, reasons) are typed as opaque objects by
 * the generated schema (their DTOs declare no `type`); at run time they are strings or null.
 */
export function optionalText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The text of a zh/en pair in the reader's language. */
export function pairText(pair: LocalizedPair, language: string): string {
  return isChinese(language) ? pair.zh || pair.en : pair.en || pair.zh;
}

/** A name written in both languages (offers, products, templates) in the reader's. */
export function bilingual(zh: string, en: string, language: string): string {
  return isChinese(language) ? zh || en : en || zh;
}

export function Money({ amount, currency, strong, testId }: { amount: number; currency: string; strong?: boolean; testId?: string }) {
  const { i18n } = useTranslation();
  return (
    <Typography.Text strong={strong} data-testid={testId} data-amount={amount} data-currency={currency} style={{ whiteSpace: 'nowrap' }}>
      {formatMoney(amount, currency, i18n.language)}
    </Typography.Text>
  );
}

/** `trialDays`: the plan's free trial; a licence of such a plan that waits to start waits for its trial, not for a payment. */
export function LicenseStateTag({ state, cancelAtPeriodEnd, trialDays = 0 }: { state: LicenseState; cancelAtPeriodEnd?: boolean; trialDays?: number }) {
  const { t } = useTranslation();
  if (state === 'pending_payment' && trialDays > 0) {
    return (
      <Tooltip title={t('commerce.licenses.trialNotStartedHint', { count: trialDays })}>
        <Tag color="processing" data-testid="license-state" data-value={state} data-trial="not_started" style={{ marginInlineEnd: 0 }}>
          {t('commerce.checkout.trialNotStarted')}
        </Tag>
      </Tooltip>
    );
  }
  return (
    <Space size={4} wrap>
      <Tooltip title={t(`commerce.vocab.licenseStateDescriptions.${state}`)}>
        <Tag color={licenseStateColors[state]} data-testid="license-state" data-value={state} style={{ marginInlineEnd: 0 }}>
          {t(`commerce.vocab.licenseStates.${state}`)}
        </Tag>
      </Tooltip>
      {cancelAtPeriodEnd && (state === 'active' || state === 'past_due') ? (
        <Tag color="default" data-testid="license-ends-at-period-end" style={{ marginInlineEnd: 0 }}>
          {t('commerce.licenses.endsAtPeriodEnd')}
        </Tag>
      ) : null}
    </Space>
  );
}

/** A licence's status tag, from the licence itself (its state, a cancellation at period end, its plan's free trial). */
export function LicenseTag({ license }: { license: Pick<License, 'state' | 'cancelAtPeriodEnd' | 'pricePlan'> }) {
  return <LicenseStateTag state={license.state} cancelAtPeriodEnd={license.cancelAtPeriodEnd} trialDays={license.pricePlan.trialDays ?? 0} />;
}

/** What an invoice asks, or (negative) what a credit note gives back: for lists that mix them. */
export function signedTotal(invoice: Pick<Invoice, 'kind' | 'total'>): number {
  return invoice.kind === 'credit_note' ? -invoice.total : invoice.total;
}

export function InvoiceStatusTag({ invoice }: { invoice: Pick<Invoice, 'status' | 'overdue'> & Partial<Pick<Invoice, 'kind'>> }) {
  const { t } = useTranslation();
  // A credit note is not paid but settled (set against invoices or refunded).
  const creditNote = invoice.kind === 'credit_note' && (invoice.status === 'open' || invoice.status === 'paid');
  return (
    <Space size={4} wrap>
      <Tag color={creditNote && invoice.status === 'open' ? 'gold' : invoiceStatusColors[invoice.status]} data-testid="invoice-status" data-value={invoice.status} style={{ marginInlineEnd: 0 }}>
        {creditNote ? t(invoice.status === 'open' ? 'commerce.vocab.creditNoteStatuses.open' : 'commerce.vocab.creditNoteStatuses.paid') : t(`commerce.vocab.invoiceStatuses.${invoice.status}`)}
      </Tag>
      {invoice.overdue ? (
        <Tag color="red" icon={<ExclamationCircleOutlined />} data-testid="invoice-overdue" style={{ marginInlineEnd: 0 }}>
          {t('commerce.invoices.overdue')}
        </Tag>
      ) : null}
    </Space>
  );
}

export function OfferStatusTag({ status }: { status: OfferStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={offerStatusColors[status]} data-testid="offer-status" data-value={status}>
      {t(`commerce.vocab.offerStatuses.${status}`)}
    </Tag>
  );
}

export function PlanKindTag({ kind }: { kind: PlanKind }) {
  const { t } = useTranslation();
  return (
    <Tag color={planKindColors[kind]} data-testid="plan-kind" data-value={kind} style={{ marginInlineEnd: 0 }}>
      {t(`commerce.vocab.planKinds.${kind}`)}
    </Tag>
  );
}

export function ApprovalTag({ needed }: { needed: boolean }) {
  const { t } = useTranslation();
  return needed ? (
    <Tooltip title={t('commerce.offers.approvalNeededHint')}>
      <Tag color="gold" icon={<ExclamationCircleOutlined />} data-testid="approval-needed" data-value="true" style={{ marginInlineEnd: 0 }}>
        {t('commerce.offers.approvalNeeded')}
      </Tag>
    </Tooltip>
  ) : (
    <Tag color="green" icon={<CheckCircleOutlined />} data-testid="approval-needed" data-value="false" style={{ marginInlineEnd: 0 }}>
      {t('commerce.offers.noApproval')}
    </Tag>
  );
}

/** "¥0.50 per 1,000 rows", "¥0.02 per API call". */
export function usePerBlock() {
  const { t, i18n } = useTranslation();
  return (amount: number, currency: string, per: number, unit: NonNullable<PricePlan['metered']>['unit']) =>
    per === 1
      ? t('commerce.plan.perUnit', { price: formatMoney(amount, currency, i18n.language), unit: t(`commerce.vocab.unitNames.${unit}`, { count: 1 }) })
      : t('commerce.plan.perBlock', {
          price: formatMoney(amount, currency, i18n.language),
          per: formatCount(per, i18n.language),
          unit: t(`commerce.vocab.unitNames.${unit}`, { count: per }),
        });
}

function tierRange(tiers: readonly PriceTier[], index: number, language: string, t: TFunction): string {
  const tier = tiers[index] as PriceTier;
  if (tier.upTo !== null) return t('commerce.plan.tierUpTo', { upTo: formatCount(tier.upTo, language) });
  const previous = index > 0 ? tiers[index - 1]?.upTo : null;
  return previous ? t('commerce.plan.tierAbove', { from: formatCount(previous, language) }) : t('commerce.plan.tierAny');
}

/** A price plan's facts: fee and interval, trial, metered unit, block, included units and tiers. */
export function PlanDetails({ plan, column = 1 }: { plan: PricePlan; column?: number }) {
  const { t, i18n } = useTranslation();
  const perBlock = usePerBlock();
  const fee = plan.amount === undefined ? null : formatMoney(plan.amount, plan.currency, i18n.language);
  const items = [{ key: 'kind', label: t('commerce.plan.kind'), children: <PlanKindTag kind={plan.kind} /> }];
  if (fee !== null) {
    items.push({
      key: 'fee',
      label: plan.kind === 'one_time' ? t('commerce.plan.oneTimeFee') : t('commerce.plan.recurringFee'),
      children: <span data-testid="plan-fee">{plan.kind === 'one_time' || !plan.interval ? fee : t('commerce.plan.feePer', { fee, interval: t(`commerce.vocab.intervalUnits.${plan.interval}`) })}</span>,
    });
  }
  if (plan.kind !== 'free' && plan.kind !== 'one_time' && plan.interval) {
    items.push({ key: 'interval', label: t('commerce.plan.billing'), children: <span>{t(`commerce.vocab.intervals.${plan.interval}`)}</span> });
  }
  if (plan.trialDays) items.push({ key: 'trial', label: t('commerce.plan.trial'), children: <span>{t('commerce.plan.trialDays', { count: plan.trialDays })}</span> });
  const metered = plan.metered;
  if (metered) {
    items.push(
      { key: 'unit', label: t('commerce.plan.meteredUnit'), children: <span>{t(`commerce.vocab.units.${metered.unit}`)}</span> },
      {
        key: 'included',
        label: t('commerce.plan.included'),
        children: (
          <span>
            {metered.includedQuantity > 0
              ? t('commerce.plan.includedPerPeriod', {
                  count: metered.includedQuantity,
                  quantity: formatCount(metered.includedQuantity, i18n.language),
                  unit: t(`commerce.vocab.unitNames.${metered.unit}`, { count: metered.includedQuantity }),
                  interval: t(`commerce.vocab.intervalUnits.${plan.interval ?? 'month'}`),
                })
              : t('commerce.plan.noneIncluded')}
          </span>
        ),
      },
      { key: 'mode', label: t('commerce.plan.mode'), children: <Tooltip title={t(`commerce.vocab.modeDescriptions.${metered.mode}`)}><span>{t(`commerce.vocab.modes.${metered.mode}`)}</span></Tooltip> },
    );
    if (metered.mode === 'per_unit' && metered.unitAmount !== undefined) {
      items.push({ key: 'price', label: t('commerce.plan.usagePrice'), children: <span>{perBlock(metered.unitAmount, plan.currency, metered.per, metered.unit)}</span> });
    }
    if (metered.tiers && metered.tiers.length > 0) {
      const tiers = metered.tiers;
      items.push({
        key: 'tiers',
        label: t('commerce.plan.tiers'),
        children: (
          <Flex vertical gap={2} data-testid="plan-tiers">
            {tiers.map((tier, index) => (
              <Typography.Text key={index}>
                {t('commerce.plan.tierLine', { range: tierRange(tiers, index, i18n.language, t), price: perBlock(tier.unitAmount, plan.currency, metered.per, metered.unit) })}
                {tier.flatAmount ? ` ${t('commerce.plan.tierFlat', { fee: formatMoney(tier.flatAmount, plan.currency, i18n.language) })}` : ''}
              </Typography.Text>
            ))}
          </Flex>
        ),
      });
    }
  }
  return <Descriptions size="small" column={column} items={items} data-testid="plan-details" styles={{ label: { whiteSpace: 'nowrap' } }} />;
}

/** A licence's readable terms, in the reader's language first, the other one a click away. */
export function LicenceText({ text }: { text: RenderedLicence }) {
  const { t, i18n } = useTranslation();
  const [language, setLanguage] = useState<'zh' | 'en'>(isChinese(i18n.language) ? 'zh' : 'en');
  const sections = text[language];
  return (
    <Flex vertical gap={12} data-testid="licence-text" data-language={language}>
      <Segmented<'zh' | 'en'>
        size="small"
        value={language}
        onChange={setLanguage}
        style={{ alignSelf: 'flex-start' }}
        options={[
          { value: 'zh', label: t('language.zh-CN') },
          { value: 'en', label: t('language.en') },
        ]}
        data-testid="licence-text-language"
      />
      {sections.map((section, index) => (
        <div key={`${section.heading}-${index}`} data-testid="licence-section">
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {section.heading}
          </Typography.Title>
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {section.items.map((item, itemIndex) => (
              <li key={itemIndex}>
                <Typography.Text>{item}</Typography.Text>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </Flex>
  );
}

/** The terms' sha256: copyable, wrapping on narrow screens. */
export function TermsHash({ sha256 }: { sha256: string }) {
  return (
    <Typography.Text code copyable={{ text: sha256 }} data-testid="terms-sha256" style={{ wordBreak: 'break-all', fontSize: 12 }}>
      {sha256}
    </Typography.Text>
  );
}
