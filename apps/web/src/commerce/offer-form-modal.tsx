import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Collapse, Divider, Flex, Form, Input, InputNumber, Modal, Radio, Row, Select, Switch, theme, Typography } from 'antd';
import type { FormInstance } from 'antd';
import type { NamePath } from 'antd/es/form/interface';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { BillingInterval, CreateOfferRequest, LicenseTemplate, Offer, PlanKind, PricePlan, UpdateOfferRequest } from '../api/schema-types';
import { applyValidationIssues } from '../components/api-error-feedback';
import { formatCount } from '../components/number-format';
import { CapViolationsAlert } from './cap-violations';
import { bilingual, LicenceText, PlanDetails } from './commerce-display';
import { billingIntervals, meteredUnits, planKinds, tierModes } from './commerce-vocabulary';
import { MoneyInput, moneyRules } from './money-input';
import { defaultPlanForm, formFromPlan, hasFee, isMetered, isRecurring, planFromForm, PlanFormError, type PlanFormValues } from './plan-form';

export interface OfferFormValues {
  nameZh: string;
  nameEn: string;
  templateId?: string;
  requiresApproval: boolean;
  plan: PlanFormValues;
}

/** Currencies offered in the form: the platform's, then a few common ones. */
const CURRENCIES = ['CNY', 'USD', 'EUR', 'HKD', 'JPY', 'GBP'] as const;
const LIMITS = { name: 120, trialDays: 365, tiers: 20 } as const;

/** JSON with sorted keys, to tell whether a plan really changed (a published offer gets a new revision when it does). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A computed path as a field name of the form (antd types names as the form's exact tuples). */
const fieldName = (path: (string | number)[]) => path as unknown as NamePath<OfferFormValues>;

/** "metered.tiers[1].upTo" (a plan problem's path) → ['plan', 'metered', 'tiers', 1, 'upTo'] (the form's field). */
export function planFieldOf(path: string): (string | number)[] {
  const parts = path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((part) => part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  return ['plan', ...parts];
}

/**
 * The PATCH body of an edit: only what changed, because a published offer gets a new revision
 * whenever its plan, template or approval setting is sent.
 */
export function offerChanges(offer: Offer, values: { nameZh: string; nameEn: string; templateId: string; requiresApproval: boolean; pricePlan: PricePlan }): UpdateOfferRequest {
  return {
    ...(values.nameZh.trim() !== offer.nameZh ? { nameZh: values.nameZh.trim() } : {}),
    ...(values.nameEn.trim() !== offer.nameEn ? { nameEn: values.nameEn.trim() } : {}),
    ...(values.templateId !== offer.template.id ? { templateId: values.templateId } : {}),
    ...(values.requiresApproval !== offer.requiresApproval ? { requiresApproval: values.requiresApproval } : {}),
    ...(canonicalJson(values.pricePlan) !== canonicalJson(offer.pricePlan) ? { pricePlan: values.pricePlan } : {}),
  };
}

/** Drafts a new offer or changes one: names, licence template (with its text), approval, and the price plan of any kind. Mounted afresh for each offer. */
export function OfferFormModal({ productId, offer, open, onClose }: { productId: string; offer: Offer | null; open: boolean; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<OfferFormValues>();
  const [failure, setFailure] = useState<unknown>(null);
  // A refusal is shown above the form: brought into view, or a user scrolled down to Save sees nothing happen.
  const failureRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (failure) failureRef.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, [failure]);
  const templates = useQuery({ queryKey: queryKeys.licenseTemplates, queryFn: () => unwrap(api.GET('/api/v1/license-templates')), enabled: open });
  const config = useQuery({ queryKey: queryKeys.paymentsConfig, queryFn: () => unwrap(api.GET('/api/v1/payments/config')), enabled: open });
  const defaultCurrency = config.data?.defaultCurrency ?? 'CNY';
  const initialValues = useMemo<OfferFormValues>(
    () =>
      offer
        ? { nameZh: offer.nameZh, nameEn: offer.nameEn, templateId: offer.template.id, requiresApproval: offer.requiresApproval, plan: { ...defaultPlanForm(offer.pricePlan.kind, offer.pricePlan.currency), ...formFromPlan(offer.pricePlan) } }
        : { nameZh: '', nameEn: '', requiresApproval: false, plan: defaultPlanForm('subscription', defaultCurrency) },
    [offer, defaultCurrency],
  );

  const save = useMutation({
    mutationFn: async (values: OfferFormValues): Promise<Offer> => {
      const pricePlan = planFromForm(values.plan);
      const templateId = values.templateId ?? '';
      if (offer) {
        const changes = offerChanges(offer, { nameZh: values.nameZh, nameEn: values.nameEn, templateId, requiresApproval: values.requiresApproval, pricePlan });
        if (Object.keys(changes).length === 0) return offer;
        return unwrap(api.PATCH('/api/v1/offers/{id}', { params: { path: { id: offer.id } }, body: changes }));
      }
      const body: CreateOfferRequest = { templateId, nameZh: values.nameZh.trim(), nameEn: values.nameEn.trim(), requiresApproval: values.requiresApproval, pricePlan };
      return unwrap(api.POST('/api/v1/products/{id}/offers', { params: { path: { id: productId } }, body }));
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.productOffers(productId) });
      void message.success(offer ? t('commerce.sellerOffers.saved', { revision: saved.revision }) : t('commerce.sellerOffers.created'));
      onClose();
    },
    onError: (error) => {
      if (error instanceof PlanFormError) {
        form.setFields([{ name: fieldName(['plan', ...error.path]), errors: [t('commerce.money.invalidShort')] }]);
        return;
      }
      setFailure(error);
      if (error instanceof ApiError && error.code === 'pricing.invalid_plan') {
        const problems = (error.details as { problems?: Array<{ path?: unknown; message?: unknown }> } | undefined)?.problems ?? [];
        form.setFields(problems.filter((problem) => typeof problem.path === 'string' && problem.path !== '').map((problem) => ({ name: fieldName(planFieldOf(problem.path as string)), errors: [String(problem.message)] })));
      } else if (error instanceof ApiError) {
        // Field paths of the request body: the plan is `pricePlan.*` there, `plan.*` in the form.
        const renamed = new ApiError(error.status, error.code, error.message, error.validationIssues.map((issue) => ({ ...issue, field: issue.field.replace(/^pricePlan\b/, 'plan') })));
        applyValidationIssues(form, renamed, t);
      }
    },
  });

  const templateOptions = (templates.data?.items ?? []).map((template) => ({
    value: template.id,
    label: `${bilingual(template.titleZh, template.titleEn, i18n.language)} · ${t('commerce.offers.templateVersion', { version: template.version })}${template.standard ? '' : ` · ${t('commerce.sellerOffers.ownTemplate')}`}`,
  }));

  return (
    <Modal
      open={open}
      title={offer ? t('commerce.sellerOffers.editTitle', { name: bilingual(offer.nameZh, offer.nameEn, i18n.language) }) : t('commerce.sellerOffers.createTitle')}
      onCancel={onClose}
      destroyOnHidden
      width={{ xs: '100%', md: 760 }}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="offer-form-submit">
            {offer ? t('common.save') : t('commerce.sellerOffers.createSubmit')}
          </Button>
        </>
      }
    >
      {offer?.status === 'published' ? <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('commerce.sellerOffers.publishedEditNote')} /> : null}
      {failure ? (
        <div ref={failureRef} style={{ marginBottom: 16 }}>
          <CapViolationsAlert error={failure} onClose={() => setFailure(null)} />
        </div>
      ) : null}
      <Form<OfferFormValues> form={form} layout="vertical" requiredMark={false} noValidate initialValues={initialValues} onFinish={(values) => save.mutate(values)} data-testid="offer-form">
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="nameZh" label={t('commerce.sellerOffers.nameZh')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
              <Input maxLength={LIMITS.name} data-testid="offer-form-name-zh" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="nameEn" label={t('commerce.sellerOffers.nameEn')} rules={[{ required: true, whitespace: true, message: t('validation.required') }]}>
              <Input maxLength={LIMITS.name} data-testid="offer-form-name-en" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="templateId" label={t('commerce.sellerOffers.template')} rules={[{ required: true, message: t('validation.required') }]}>
          <Select loading={templates.isPending} options={templateOptions} placeholder={t('commerce.sellerOffers.templatePlaceholder')} data-testid="offer-form-template" />
        </Form.Item>
        <TemplatePreview form={form} templates={templates.data?.items ?? []} />
        <Form.Item name="requiresApproval" label={t('commerce.sellerOffers.requiresApproval')} valuePropName="checked" extra={t('commerce.sellerOffers.requiresApprovalHint')}>
          <Switch data-testid="offer-form-approval" />
        </Form.Item>
        <Divider titlePlacement="start" style={{ marginTop: 0 }}>
          {t('commerce.sellerOffers.planSection')}
        </Divider>
        <PlanFields form={form} />
      </Form>
      <PlanPreview form={form} />
    </Modal>
  );
}

function TemplatePreview({ form, templates }: { form: FormInstance<OfferFormValues>; templates: LicenseTemplate[] }) {
  const { t, i18n } = useTranslation();
  const templateId = Form.useWatch('templateId', form);
  const template = templates.find((candidate) => candidate.id === templateId);
  if (!template) return null;
  return (
    <Collapse
      size="small"
      style={{ marginTop: -8, marginBottom: 16 }}
      data-testid="offer-form-template-preview"
      items={[
        {
          key: 'text',
          label: (
            <Flex vertical gap={0}>
              <Typography.Text>{t('commerce.sellerOffers.templatePreview')}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {bilingual(template.summaryZh, template.summaryEn, i18n.language)}
              </Typography.Text>
            </Flex>
          ),
          children: <LicenceText text={template.text} />,
        },
      ]}
    />
  );
}

/** Whole numbers of units shown with thousands separators (1,000,000), read back as digits. */
function groupedNumber(language: string) {
  return {
    formatter: (value: number | string | undefined) => (value === undefined || value === '' ? '' : formatCount(Number(value), language)),
    parser: (text: string | undefined) => Number((text ?? '').replace(/[^\d]/g, '') || 0),
  };
}

/** Every field of the chosen kind of plan; the others are hidden (and not sent). */
function PlanFields({ form }: { form: FormInstance<OfferFormValues> }) {
  const { t, i18n } = useTranslation();
  const kind: PlanKind = Form.useWatch(['plan', 'kind'], form) ?? 'subscription';
  const mode = Form.useWatch(['plan', 'metered', 'mode'], form) ?? 'per_unit';
  const currency: string = Form.useWatch(['plan', 'currency'], form) ?? 'CNY';
  const watchedInterval: BillingInterval | undefined = Form.useWatch(['plan', 'interval'], form);
  // A metered plan is billed monthly (see planFromForm); the others by their chosen interval.
  const interval: BillingInterval = kind === 'metered' ? 'month' : (watchedInterval ?? 'month');
  return (
    <>
      <Row gutter={12}>
        <Col xs={24} sm={14}>
          <Form.Item name={['plan', 'kind']} label={t('commerce.plan.kind')} extra={t(`commerce.vocab.planKindDescriptions.${kind}`)}>
            <Select options={planKinds.map((value) => ({ value, label: t(`commerce.vocab.planKinds.${value}`) }))} data-testid="offer-form-kind" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={10}>
          <Form.Item name={['plan', 'currency']} label={t('commerce.sellerOffers.currency')}>
            <Select options={CURRENCIES.map((code) => ({ value: code, label: code }))} data-testid="offer-form-currency" />
          </Form.Item>
        </Col>
      </Row>
      {hasFee(kind) ? (
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name={['plan', 'amount']}
              label={kind === 'one_time' ? t('commerce.plan.oneTimeFee') : t('commerce.plan.recurringFee')}
              rules={moneyRules(currency, t, { required: true })}
            >
              <MoneyInput currency={currency} data-testid="offer-form-amount" />
            </Form.Item>
          </Col>
          {kind !== 'one_time' ? (
            <Col xs={24} sm={12}>
              <Form.Item name={['plan', 'interval']} label={t('commerce.plan.billing')}>
                <Radio.Group optionType="button" options={billingIntervals.map((value) => ({ value, label: t(`commerce.vocab.intervals.${value}`) }))} data-testid="offer-form-interval" />
              </Form.Item>
            </Col>
          ) : null}
        </Row>
      ) : null}
      {isRecurring(kind) ? (
        <Form.Item name={['plan', 'trialDays']} label={t('commerce.plan.trial')} extra={t('commerce.sellerOffers.trialHint', { max: LIMITS.trialDays })}>
          <InputNumber min={0} max={LIMITS.trialDays} precision={0} style={{ width: 160 }} suffix={t('commerce.sellerOffers.days')} data-testid="offer-form-trial" />
        </Form.Item>
      ) : null}
      {isMetered(kind) ? (
        <Card size="small" title={t('commerce.sellerOffers.usageSection')} style={{ marginBottom: 16 }} data-testid="offer-form-metered">
          <Row gutter={12}>
            <Col xs={24} sm={12}>
              <Form.Item name={['plan', 'metered', 'unit']} label={t('commerce.plan.meteredUnit')}>
                <Select options={meteredUnits.map((value) => ({ value, label: t(`commerce.vocab.units.${value}`) }))} data-testid="offer-form-unit" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name={['plan', 'metered', 'mode']} label={t('commerce.plan.mode')} extra={t(`commerce.vocab.modeDescriptions.${mode as 'per_unit'}`)}>
                <Select options={tierModes.map((value) => ({ value, label: t(`commerce.vocab.modes.${value}`) }))} data-testid="offer-form-mode" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={12}>
              <Form.Item
                name={['plan', 'metered', 'per']}
                label={t('commerce.sellerOffers.per')}
                extra={t('commerce.sellerOffers.perHint')}
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <InputNumber min={1} precision={0} style={{ width: '100%' }} {...groupedNumber(i18n.language)} data-testid="offer-form-per" />
              </Form.Item>
            </Col>
            <Col xs={12} sm={12}>
              <Form.Item
                name={['plan', 'metered', 'includedQuantity']}
                label={t('commerce.plan.included')}
                extra={t('commerce.sellerOffers.includedHint', { interval: t(`commerce.vocab.intervalUnits.${interval}`) })}
                rules={[{ required: true, message: t('validation.required') }]}
              >
                <InputNumber min={0} precision={0} style={{ width: '100%' }} {...groupedNumber(i18n.language)} data-testid="offer-form-included" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12}>
              <Form.Item name={['plan', 'metered', 'maxQuantity']} label={t('commerce.sellerOffers.maxQuantity')} extra={t('commerce.sellerOffers.maxQuantityHint')}>
                <InputNumber min={1} precision={0} style={{ width: '100%' }} {...groupedNumber(i18n.language)} data-testid="offer-form-max" />
              </Form.Item>
            </Col>
          </Row>
          {mode === 'per_unit' ? (
            <Form.Item name={['plan', 'metered', 'unitAmount']} label={t('commerce.sellerOffers.blockPrice')} rules={moneyRules(currency, t, { required: true })}>
              <MoneyInput currency={currency} style={{ maxWidth: 240 }} data-testid="offer-form-unit-amount" />
            </Form.Item>
          ) : (
            <TiersEditor form={form} currency={currency} />
          )}
        </Card>
      ) : null}
    </>
  );
}

/** Tiers of graduated or volume pricing: bounds increase, the last tier has none; each with a price per block and an optional flat fee. */
function TiersEditor({ form, currency }: { form: FormInstance<OfferFormValues>; currency: string }) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const grouped = groupedNumber(i18n.language);
  return (
    <Form.List name={['plan', 'metered', 'tiers']}>
      {(fields, { add, remove }) => (
        <Flex vertical gap={4} data-testid="offer-form-tiers">
          <Typography.Text strong>{t('commerce.plan.tiers')}</Typography.Text>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t('commerce.sellerOffers.tiersHint')}
          </Typography.Paragraph>
          {fields.map((field, index) => {
            const last = index === fields.length - 1;
            return (
              <Row
                key={field.key}
                gutter={8}
                align="top"
                style={index > 0 ? { borderTop: `1px dashed ${token.colorBorderSecondary}`, paddingTop: 12 } : undefined}
                data-testid={`offer-form-tier-${index}`}
              >
                <Col xs={24} sm={8}>
                  {last ? (
                    <Form.Item label={t('commerce.sellerOffers.tierUpTo')}>
                      <Input disabled value={index === 0 ? t('commerce.plan.tierAny') : t('commerce.sellerOffers.tierUnbounded')} />
                    </Form.Item>
                  ) : (
                    <Form.Item
                      name={[field.name, 'upTo']}
                      label={t('commerce.sellerOffers.tierUpTo')}
                      dependencies={index > 0 ? [['plan', 'metered', 'tiers', index - 1, 'upTo']] : []}
                      rules={[
                        { required: true, message: t('validation.required') },
                        {
                          validator: async (_rule, value: unknown) => {
                            const previous = index > 0 ? form.getFieldValue(['plan', 'metered', 'tiers', index - 1, 'upTo']) : 0;
                            if (typeof value === 'number' && typeof previous === 'number' && value <= previous) throw new Error(t('commerce.sellerOffers.tierIncreasing'));
                          },
                        },
                      ]}
                    >
                      <InputNumber min={1} precision={0} style={{ width: '100%' }} {...grouped} data-testid={`offer-form-tier-${index}-up-to`} />
                    </Form.Item>
                  )}
                </Col>
                <Col xs={11} sm={7}>
                  <Form.Item name={[field.name, 'unitAmount']} label={t('commerce.sellerOffers.blockPrice')} rules={moneyRules(currency, t, { required: true })}>
                    <MoneyInput currency={currency} data-testid={`offer-form-tier-${index}-price`} />
                  </Form.Item>
                </Col>
                <Col xs={11} sm={7}>
                  <Form.Item name={[field.name, 'flatAmount']} label={t('commerce.sellerOffers.tierFlat')} rules={moneyRules(currency, t)}>
                    <MoneyInput currency={currency} data-testid={`offer-form-tier-${index}-flat`} />
                  </Form.Item>
                </Col>
                <Col xs={2} sm={2}>
                  <Form.Item label=" " colon={false}>
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      disabled={fields.length <= 1}
                      onClick={() => remove(field.name)}
                      aria-label={t('commerce.sellerOffers.removeTier')}
                      data-testid={`offer-form-tier-${index}-remove`}
                    />
                  </Form.Item>
                </Col>
              </Row>
            );
          })}
          <Button
            icon={<PlusOutlined />}
            disabled={fields.length >= LIMITS.tiers}
            // A new tier goes before the last one, which stays unbounded.
            onClick={() => add({ upTo: null, unitAmount: '' }, Math.max(fields.length - 1, 0))}
            style={{ alignSelf: 'flex-start', marginBottom: 8 }}
            data-testid="offer-form-tier-add"
          >
            {t('commerce.sellerOffers.addTier')}
          </Button>
        </Flex>
      )}
    </Form.List>
  );
}

function readablePlan(values: PlanFormValues | undefined): PricePlan | null {
  if (!values) return null;
  try {
    return planFromForm(values);
  } catch {
    return null;
  }
}

/** The plan as buyers will see it, while it is being typed (when it can be read). */
function PlanPreview({ form }: { form: FormInstance<OfferFormValues> }) {
  const { t } = useTranslation();
  const values = Form.useWatch([], form) as OfferFormValues | undefined;
  const plan = readablePlan(values?.plan);
  return (
    <Card size="small" title={t('commerce.sellerOffers.preview')} data-testid="offer-form-preview" style={{ marginTop: 8 }}>
      {plan ? <PlanDetails plan={plan} /> : <Typography.Text type="secondary">{t('commerce.sellerOffers.previewIncomplete')}</Typography.Text>}
    </Card>
  );
}
