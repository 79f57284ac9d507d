import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Checkbox, Descriptions, Flex, Form, Grid, Input, Result, Select, Skeleton, Steps, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { AccessPurpose, Checkout, License, Offer, OfferTerms } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { accessPurposes } from '../catalog/vocabulary';
import { ApprovalTag, bilingual, LicenceText, LicenseStateTag, pairText, PlanDetails, TermsHash } from '../commerce/commerce-display';
import { BankTransferInstructions, usePayLicense } from '../commerce/payment';
import { planTrialDays, runningTrial, TrialNotice } from '../commerce/trial';
import { isPurposeBound, licenseIdOf, licensePath, permittedPurposes } from '../commerce/purchase';
import { heldLicenceOf, useProductLicences, useStorefrontOffers, type HeldLicence } from '../commerce/storefront-offers';
import { describeApiError } from '../components/api-error-feedback';
import { PublicLayout } from '../components/public-layout';

interface PurposeValues {
  purpose?: AccessPurpose;
  purposeDetail?: string;
  intendedUse?: string;
}

const LIMITS = { purposeDetail: 1000, intendedUse: 4000 } as const;

/** Buying an offer: read the exact terms, state a purpose when needed, accept for the organization, then pay or wait for approval. */
export function CheckoutPage() {
  const { t } = useTranslation();
  const me = useMe();
  const [params] = useSearchParams();
  const productSlug = params.get('product') ?? '';
  const offerId = params.get('offer') ?? '';
  const narrow = !Grid.useBreakpoint().md;
  const offers = useStorefrontOffers(productSlug);
  const offer = offers.data?.items.find((candidate) => candidate.id === offerId) ?? null;

  let body;
  if (!hasPermission(me.permissions, 'licenses:buy')) {
    body = <Result status="403" title={t('commerce.checkout.buyersOnlyTitle')} subTitle={t('commerce.offers.buyersOnly')} data-testid="checkout-forbidden" />;
  } else if (offers.isPending) body = <Skeleton active paragraph={{ rows: 8 }} />;
  else if (offers.isError && !(offers.error instanceof ApiError && offers.error.status === 404)) {
    body = <Alert type="error" showIcon title={t('commerce.offers.loadFailed')} description={describeApiError(offers.error, t)} />;
  } else if (!offer) {
    body = (
      <Result
        status="404"
        title={<span data-testid="checkout-offer-gone">{t('commerce.checkout.offerGone')}</span>}
        subTitle={t('commerce.checkout.offerGoneDescription')}
        extra={<Link to={productSlug ? `/products/${productSlug}` : '/products'}>{t('commerce.checkout.backToProduct')}</Link>}
      />
    );
  } else body = <PurchaseStart key={offer.id} offer={offer} />;

  return (
    <PublicLayout>
      <div style={{ maxWidth: 960, margin: '0 auto', padding: narrow ? '16px 12px 32px' : '24px 24px 48px' }}>{body}</div>
    </PublicLayout>
  );
}

/**
 * Before anything is accepted: an offer the organization already holds (or is buying) is not
 * bought again (the API would refuse it at the last step); the licence is a link away instead.
 * Decided once, as the checkout opens, so that the purchase made here does not turn into it.
 */
function PurchaseStart({ offer }: { offer: Offer }) {
  const { t } = useTranslation();
  const { enabled, licences } = useProductLicences(offer.product.id);
  const [atStart, setAtStart] = useState<HeldLicence | null | undefined>(undefined);
  const found = !enabled || licences.isError ? null : licences.data ? heldLicenceOf(licences.data.items, offer.id) : undefined;
  // Kept from the first answer on (state set while rendering, as React allows for derived state).
  if (atStart === undefined && found !== undefined) setAtStart(found);
  const held = atStart === undefined ? found : atStart;
  if (held === undefined) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (held === null) return <Purchase offer={offer} />;
  return (
    <Result
      status="info"
      data-testid="checkout-held"
      data-status={held.status}
      title={held.status === 'held' ? t('commerce.offers.held') : t('commerce.offers.pendingPurchase')}
      subTitle={held.status === 'held' ? t('commerce.checkout.alreadyLicensed') : t('commerce.checkout.purchasePending')}
      extra={
        <Link to={licensePath(held.id)} data-testid="checkout-held-link">
          {held.status === 'held' ? t('commerce.checkout.openLicence') : t('commerce.checkout.continuePurchase')}
        </Link>
      }
    />
  );
}

function Purchase({ offer }: { offer: Offer }) {
  const { t, i18n } = useTranslation();
  const narrow = !Grid.useBreakpoint().md;
  const me = useMe();
  const [form] = Form.useForm<PurposeValues>();
  const [step, setStep] = useState(0);
  const [accepted, setAccepted] = useState(false);
  const [purposeRequired, setPurposeRequired] = useState(false);
  const [license, setLicense] = useState<License | null>(null);
  const [checkout, setCheckout] = useState<Checkout | null>(null);
  const [termsChanged, setTermsChanged] = useState(false);
  const terms = useQuery({
    queryKey: queryKeys.offerTerms(offer.id),
    queryFn: () => unwrap(api.GET('/api/v1/offers/{id}/terms', { params: { path: { id: offer.id } } })),
  });
  const productTitle = bilingual(offer.product.titleZh, offer.product.titleEn, i18n.language);
  const needsPurpose = purposeRequired || (terms.data ? terms.data.approvalNeeded || isPurposeBound(terms.data.terms) : offer.approvalNeeded);

  const accept = useMutation({
    mutationFn: async ({ termsSha256, values }: { termsSha256: string; values: PurposeValues }) =>
      unwrap(
        api.POST('/api/v1/licenses', {
          body: {
            offerId: offer.id,
            termsSha256,
            acceptTerms: true,
            ...(values.purpose ? { purpose: values.purpose } : {}),
            ...(values.purpose === 'other' && values.purposeDetail?.trim() ? { purposeDetail: values.purposeDetail.trim() } : {}),
            ...(values.intendedUse?.trim() ? { intendedUse: values.intendedUse.trim() } : {}),
          },
        }),
      ),
    onSuccess: (created) => {
      setLicense(created);
      setStep(3);
    },
    onError: async (error) => {
      if (error instanceof ApiError && error.code === 'licensing.terms_changed') {
        // Read the new terms before accepting anything.
        setTermsChanged(true);
        setAccepted(false);
        setStep(0);
        await terms.refetch();
        return;
      }
      if (error instanceof ApiError && error.status === 400) {
        const fields = error.validationIssues.filter((issue) => ['purpose', 'purposeDetail', 'intendedUse'].includes(issue.field));
        if (fields.length > 0) {
          setPurposeRequired(true);
          setStep(1);
          // The form mounts with the purpose step: set the server's messages once it is there.
          setTimeout(() => form.setFields(fields.map((issue) => ({ name: issue.field as keyof PurposeValues, errors: [purposeMessage(issue.field, t)] }))), 0);
        }
      }
    },
  });
  const pay = usePayLicense(setCheckout);

  if (terms.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (terms.isError) return <Alert type="error" showIcon title={describeApiError(terms.error, t)} />;
  const current: OfferTerms = terms.data;
  // Only the purposes the licence lets the data be used for are offered.
  const permitted = permittedPurposes(current.terms);
  const purposeChoices = accessPurposes.filter((purpose) => !permitted || permitted.includes(purpose));

  const steps = [
    { key: 'terms', title: t('commerce.checkout.steps.terms') },
    { key: 'purpose', title: t('commerce.checkout.steps.purpose') },
    { key: 'accept', title: t('commerce.checkout.steps.accept') },
    { key: 'pay', title: t('commerce.checkout.steps.done') },
  ];
  const next = () => setStep(needsPurpose || step !== 0 ? step + 1 : 2);
  const back = () => setStep(step === 2 && !needsPurpose ? 0 : step - 1);
  const submit = async () => {
    const values = needsPurpose ? form.getFieldsValue(true) : {};
    accept.mutate({ termsSha256: current.termsSha256, values });
  };

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[
          { key: 'products', title: <Link to="/products">{t('products.storefront.title')}</Link> },
          { key: 'product', title: <Link to={`/products/${offer.product.slug}`}>{productTitle}</Link> },
          { key: 'checkout', title: t('commerce.checkout.title') },
        ]}
      />
      <Typography.Title level={2} style={{ marginTop: 0 }} data-testid="page-title">
        {t('commerce.checkout.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {t('commerce.checkout.intro', { offer: bilingual(offer.nameZh, offer.nameEn, i18n.language), product: productTitle, organization: me.organization.name })}
      </Typography.Paragraph>
      <Steps
        current={step}
        size="small"
        // Phones: four short steps side by side, titles under their numbers.
        responsive={false}
        titlePlacement={narrow ? 'vertical' : 'horizontal'}
        style={{ marginBottom: 24 }}
        items={steps.map((item, index) => ({
          title: item.title,
          disabled: true,
          ...(index === 1 && !needsPurpose ? { status: 'wait' as const, ...(narrow ? {} : { content: t('commerce.checkout.notNeeded') }) } : {}),
        }))}
        data-testid="checkout-steps"
        data-step={steps[step]?.key}
      />

      {step === 0 ? (
        <Flex vertical gap={16} data-testid="checkout-terms">
          {termsChanged ? <Alert type="warning" showIcon title={t('commerce.checkout.termsChanged')} data-testid="checkout-terms-changed" /> : null}
          <Card size="small" title={t('commerce.checkout.whatYouBuy')}>
            <Descriptions
              size="small"
              column={1}
              style={{ marginBottom: 12 }}
              items={[
                { key: 'offer', label: t('commerce.checkout.offer'), children: bilingual(offer.nameZh, offer.nameEn, i18n.language) },
                { key: 'seller', label: t('commerce.checkout.seller'), children: offer.seller.name },
                { key: 'price', label: t('commerce.offers.price'), children: <Typography.Text strong data-testid="checkout-price">{pairText(current.priceText, i18n.language)}</Typography.Text> },
                { key: 'approval', label: t('commerce.offers.approval'), children: <ApprovalTag needed={current.approvalNeeded} /> },
              ]}
            />
            <PlanDetails plan={offer.pricePlan} />
          </Card>
          <Card size="small" title={t('commerce.checkout.licenceTitle', { licence: bilingual(offer.template.titleZh, offer.template.titleEn, i18n.language) })}>
            <LicenceText text={current.text} />
          </Card>
          <div>
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {t('commerce.terms.hashLabel')}
            </Typography.Text>
            <TermsHash sha256={current.termsSha256} />
          </div>
          <Flex gap={8} wrap>
            <Button type="primary" onClick={next} data-testid="checkout-next">
              {t('commerce.checkout.readTerms')}
            </Button>
            <Link to={`/products/${offer.product.slug}`}>
              <Button>{t('common.cancel')}</Button>
            </Link>
          </Flex>
        </Flex>
      ) : null}

      {step === 1 ? (
        <Card size="small" data-testid="checkout-purpose" title={t('commerce.checkout.purposeTitle')}>
          <Typography.Paragraph type="secondary">{current.approvalNeeded ? t('commerce.checkout.purposeApproval') : t('commerce.checkout.purposeBound')}</Typography.Paragraph>
          {/* A licence for one purpose only: that purpose is already chosen. */}
          <Form<PurposeValues>
            form={form}
            layout="vertical"
            requiredMark={false}
            noValidate
            onFinish={() => setStep(2)}
            preserve
            initialValues={purposeChoices.length === 1 ? { purpose: purposeChoices[0] } : undefined}
          >
            <Form.Item name="purpose" label={t('commerce.checkout.purpose')} rules={[{ required: true, message: t('commerce.checkout.purposeMissing') }]}>
              <Select
                placeholder={t('commerce.checkout.purposePlaceholder')}
                options={purposeChoices.map((purpose) => ({ value: purpose, label: t(`vocab.purposes.${purpose}`) }))}
                data-testid="checkout-purpose-select"
              />
            </Form.Item>
            <Form.Item noStyle shouldUpdate={(before, after) => before.purpose !== after.purpose}>
              {/* The purpose in words only for "Other": the intended use below covers the rest. */}
              {({ getFieldValue }) =>
                getFieldValue('purpose') === 'other' ? (
                  <Form.Item
                    name="purposeDetail"
                    label={t('commerce.checkout.purposeDetail')}
                    rules={[{ required: true, whitespace: true, message: t('commerce.checkout.purposeDetailMissing') }]}
                  >
                    <Input maxLength={LIMITS.purposeDetail} data-testid="checkout-purpose-detail" />
                  </Form.Item>
                ) : null
              }
            </Form.Item>
            <Form.Item name="intendedUse" label={t('commerce.checkout.intendedUse')} extra={t('commerce.checkout.intendedUseHint')}>
              <Input.TextArea rows={4} maxLength={LIMITS.intendedUse} showCount data-testid="checkout-intended-use" />
            </Form.Item>
            <Flex gap={8} wrap>
              <Button onClick={back}>{t('commerce.checkout.back')}</Button>
              <Button type="primary" htmlType="submit" data-testid="checkout-purpose-next">
                {t('commerce.checkout.next')}
              </Button>
            </Flex>
          </Form>
        </Card>
      ) : null}

      {step === 2 ? (
        <Card size="small" data-testid="checkout-accept" title={t('commerce.checkout.acceptTitle')}>
          <Flex vertical gap={16}>
            <Descriptions
              size="small"
              column={1}
              items={[
                { key: 'offer', label: t('commerce.checkout.offer'), children: bilingual(offer.nameZh, offer.nameEn, i18n.language) },
                { key: 'price', label: t('commerce.offers.price'), children: pairText(current.priceText, i18n.language) },
                { key: 'organization', label: t('commerce.checkout.licensee'), children: me.organization.name },
                ...(needsPurpose && form.getFieldValue('purpose')
                  ? [{ key: 'purpose', label: t('commerce.checkout.purpose'), children: t(`vocab.purposes.${form.getFieldValue('purpose') as AccessPurpose}`) }]
                  : []),
                { key: 'hash', label: t('commerce.terms.hash'), children: <TermsHash sha256={current.termsSha256} /> },
              ]}
            />
            <Checkbox checked={accepted} onChange={(event) => setAccepted(event.target.checked)} data-testid="checkout-accept-box">
              {t('commerce.checkout.acceptBox', { organization: me.organization.name })}
            </Checkbox>
            {accept.isError && !(accept.error instanceof ApiError && accept.error.code === 'licensing.terms_changed') ? <PurchaseError error={accept.error} /> : null}
            <Flex gap={8} wrap>
              <Button onClick={back}>{t('commerce.checkout.back')}</Button>
              <Button type="primary" disabled={!accepted} loading={accept.isPending} onClick={submit} data-testid="checkout-submit">
                {t('commerce.checkout.submit')}
              </Button>
            </Flex>
          </Flex>
        </Card>
      ) : null}

      {step === 3 && license ? (
        <PurchaseOutcome license={license} checkout={checkout} paying={pay.isPending} payError={pay.error} onPay={() => pay.mutate(license.id)} />
      ) : null}
    </>
  );
}

function purposeMessage(field: string, t: TFunction): string {
  if (field === 'purposeDetail') return t('commerce.checkout.purposeDetailMissing');
  if (field === 'purpose') return t('commerce.checkout.purposeMissing');
  return t('validation.required');
}

/** Why accepting failed, with a way on: the licence already held, the purchase already started. */
function PurchaseError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const licenseId = licenseIdOf(error);
  const code = error instanceof ApiError ? error.code : '';
  if (licenseId && (code === 'licensing.already_licensed' || code === 'licensing.purchase_pending')) {
    return (
      <Alert
        type="info"
        showIcon
        data-testid="checkout-existing"
        data-code={code}
        title={code === 'licensing.already_licensed' ? t('commerce.checkout.alreadyLicensed') : t('commerce.checkout.purchasePending')}
        action={
          <Link to={licensePath(licenseId)} data-testid="checkout-existing-link">
            {code === 'licensing.already_licensed' ? t('commerce.checkout.openLicence') : t('commerce.checkout.continuePurchase')}
          </Link>
        }
      />
    );
  }
  return <Alert type="error" showIcon title={describeApiError(error, t)} data-testid="checkout-error" data-code={code} />;
}

/** After accepting: waiting for approval (and by whom), paying, or already in force. */
function PurchaseOutcome({ license, checkout, paying, payError, onPay }: { license: License; checkout: Checkout | null; paying: boolean; payError: unknown; onPay(): void }) {
  const { t } = useTranslation();
  const current = checkout?.license ?? license;
  const state = current.state;
  const trialDays = planTrialDays(current.pricePlan);
  const link = (
    <Link to={licensePath(license.id)} data-testid="checkout-license-link">
      <Button>{t('commerce.checkout.openLicence')}</Button>
    </Link>
  );
  if (state === 'pending_approval') {
    return (
      <Card data-testid="checkout-outcome" data-state={state}>
        <Result
          status="info"
          title={t('commerce.checkout.awaitingApproval')}
          subTitle={t('commerce.checkout.awaitingApprovalDescription')}
          extra={link}
          style={{ padding: '16px 0' }}
        />
        <Flex vertical gap={8} data-testid="checkout-approvers">
          <Typography.Text strong>{t('commerce.licenses.approvers')}</Typography.Text>
          {license.approvals.map((approval) => (
            <Flex key={approval.organization.id} justify="space-between" gap={12} wrap>
              <Typography.Text>{approval.organization.name}</Typography.Text>
              <Typography.Text type="secondary">{t(`commerce.vocab.approverKinds.${approval.approverKind}`)}</Typography.Text>
            </Flex>
          ))}
        </Flex>
      </Card>
    );
  }
  if (state === 'pending_payment') {
    return (
      <Card data-testid="checkout-outcome" data-state={state}>
        <Flex vertical gap={16}>
          <Flex gap={8} align="center" wrap>
            {/* A trial is not waiting for a payment: it waits for the buyer to start it. */}
            {trialDays > 0 ? (
              <Tag color="processing" data-testid="checkout-trial-not-started" style={{ marginInlineEnd: 0 }}>
                {t('commerce.checkout.trialNotStarted')}
              </Tag>
            ) : (
              <LicenseStateTag state={state} />
            )}
            <Typography.Text>{trialDays > 0 ? t('commerce.checkout.acceptedTrial', { count: trialDays }) : t('commerce.checkout.acceptedPay')}</Typography.Text>
          </Flex>
          {checkout?.invoice ? (
            <>
              <BankTransferInstructions invoice={checkout.invoice} />
              <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                {t('commerce.checkout.afterTransfer')}
              </Typography.Paragraph>
              <div>{link}</div>
            </>
          ) : (
            <>
              {payError ? <Alert type="error" showIcon title={describeApiError(payError, t)} data-testid="checkout-pay-error" /> : null}
              <Flex gap={8} wrap>
                <Button type="primary" loading={paying} onClick={onPay} data-testid="checkout-pay">
                  {trialDays > 0 ? t('commerce.checkout.startTrial') : t('commerce.checkout.pay')}
                </Button>
                {link}
              </Flex>
            </>
          )}
        </Flex>
      </Card>
    );
  }
  const trial = runningTrial(current);
  return (
    <Card data-testid="checkout-outcome" data-state={state}>
      <Result
        status={state === 'active' ? 'success' : 'info'}
        title={state === 'active' ? (trial ? t('commerce.checkout.trialStarted') : t('commerce.checkout.activeNow')) : t(`commerce.vocab.licenseStates.${state}`)}
        subTitle={state === 'active' ? t('commerce.checkout.activeNowDescription') : null}
        extra={link}
      />
      <TrialNotice license={current} />
    </Card>
  );
}
