import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Col, Descriptions, Flex, Popconfirm, Result, Row, Skeleton, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { License } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { bilingual, LicenseTag, optionalText, pairText, PlanDetails } from '../commerce/commerce-display';
import { LicensePeriod } from '../commerce/license-display';
import { LicenseEntitlements } from '../commerce/license-entitlements';
import { AcceptedTerms, LicenseApprovals, LicenseInvoices, LicenseTimeline } from '../commerce/license-sections';
import { DataExplorer } from '../delivery/data-explorer';
import { DataApiAccess, LicenseUsage } from '../delivery/license-usage';
import { BankTransferInstructions, usePayLicense } from '../commerce/payment';
import { planTrialDays, TrialNotice } from '../commerce/trial';
import { describeApiError, useShowApiError } from '../components/api-error-feedback';
import { DateTime } from '../components/date-time';
import { formatDate } from '../components/number-format';

/** How often a licence is read again after Stripe sent the buyer back, and for how long. */
export const CHECKOUT_POLL = { intervalMs: 1500, maxMs: 90_000 } as const;

/** One of the organization's licences: its state and history, approvals, the accepted terms, the price plan, invoices, and what can be done now. */
export function LicensePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const checkoutReturn = params.get('checkout');
  const [pollSince] = useState(() => Date.now());
  const license = useQuery({
    queryKey: queryKeys.license(id),
    queryFn: () => unwrap(api.GET('/api/v1/licenses/{id}', { params: { path: { id } } })),
    // Back from Stripe's page: the webhook activates the licence shortly; follow it until then.
    refetchInterval: (query) =>
      checkoutReturn === 'success' && query.state.data?.state === 'pending_payment' && Date.now() - pollSince < CHECKOUT_POLL.maxMs ? CHECKOUT_POLL.intervalMs : false,
  });

  if (license.isPending) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (license.isError) {
    return license.error instanceof ApiError && (license.error.status === 404 || license.error.status === 400) ? (
      <Result
        status="404"
        title={<span data-testid="license-not-found">{t('commerce.licenses.notFound')}</span>}
        extra={<Link to="/console/licenses">{t('commerce.licenses.backToList')}</Link>}
      />
    ) : (
      <Alert type="error" showIcon title={t('common.loadFailed')} description={describeApiError(license.error, t)} />
    );
  }
  return <LicenseView license={license.data} checkoutReturn={checkoutReturn} />;
}

function LicenseView({ license, checkoutReturn }: { license: License; checkoutReturn: string | null }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const canBuy = hasPermission(me.permissions, 'licenses:buy');
  const title = bilingual(license.product.titleZh, license.product.titleEn, i18n.language);
  const openInvoices = license.invoices.filter((invoice) => invoice.status === 'open' && invoice.provider === 'offline');
  // Usage and the API are shown once the licence has been in force (an ended one keeps its history).
  const delivering = license.activatedAt !== null && license.activatedAt !== undefined;

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ key: 'list', title: <Link to="/console/licenses">{t('nav.licenses')}</Link> }, { key: 'license', title }]}
      />
      <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }} data-testid="page-title">
            {title}
          </Typography.Title>
          <Space wrap size={[8, 8]}>
            <Typography.Text type="secondary">{bilingual(license.offerNameZh, license.offerNameEn, i18n.language)}</Typography.Text>
            <LicenseTag license={license} />
          </Space>
        </div>
        {canBuy ? <LicenseActions license={license} /> : null}
      </Flex>
      <CheckoutReturn license={license} checkoutReturn={checkoutReturn} />
      <TrialNotice license={license} style={{ marginBottom: 16 }} />
      {openInvoices.length > 0 && license.state === 'pending_payment' ? (
        <Flex vertical gap={12} style={{ marginBottom: 16 }}>
          {openInvoices.map((invoice) => (
            <BankTransferInstructions key={invoice.id} invoice={invoice} />
          ))}
        </Flex>
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14} style={{ minWidth: 0 }}>
          <Flex vertical gap={16}>
            <Card size="small" title={t('commerce.licenses.overview')} data-testid="license-overview">
              <Descriptions
                size="small"
                column={1}
                items={[
                  { key: 'state', label: t('commerce.licenses.state'), children: <LicenseTag license={license} /> },
                  { key: 'period', label: optionalText(license.currentPeriodEnd) ? t('commerce.licenses.currentPeriod') : t('commerce.licenses.term'), children: <LicensePeriod license={license} /> },
                  { key: 'seller', label: t('commerce.licenses.seller'), children: license.seller.name },
                  { key: 'buyer', label: t('commerce.licenses.buyer'), children: license.buyer.name },
                  { key: 'offer', label: t('commerce.licenses.offer'), children: `${bilingual(license.offerNameZh, license.offerNameEn, i18n.language)} · ${t('commerce.licenses.revision', { revision: license.offerRevision })}` },
                  { key: 'price', label: t('commerce.licenses.price'), children: pairText(license.priceText, i18n.language) },
                  { key: 'provider', label: t('commerce.licenses.payment'), children: t(`commerce.vocab.providers.${license.pricePlan.kind === 'free' ? 'free' : (license.provider as 'none' | 'offline' | 'stripe')}`) },
                  ...(optionalText(license.trialEndsAt) ? [{ key: 'trial', label: t('commerce.licenses.trialEnds'), children: <DateTime value={optionalText(license.trialEndsAt)} /> }] : []),
                  ...(optionalText(license.activatedAt) ? [{ key: 'activated', label: t('commerce.licenses.activated'), children: <DateTime value={optionalText(license.activatedAt)} /> }] : []),
                  ...(optionalText(license.expiresAt) ? [{ key: 'expires', label: t('commerce.licenses.expires'), children: <DateTime value={optionalText(license.expiresAt)} /> }] : []),
                  ...(optionalText(license.endedAt)
                    ? [
                        {
                          key: 'ended',
                          label: t('commerce.licenses.ended'),
                          children: (
                            <Space orientation="vertical" size={0}>
                              <DateTime value={optionalText(license.endedAt)} />
                              {optionalText(license.endReason) ? <Typography.Text type="secondary" data-testid="license-end-reason">{optionalText(license.endReason)}</Typography.Text> : null}
                            </Space>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
            </Card>
            <Card size="small" title={t('commerce.entitlements.title')}>
              <LicenseEntitlements license={license} />
            </Card>
            {delivering ? (
              <>
                <Card size="small" title={t('delivery.usage.title')}>
                  <LicenseUsage license={license} />
                </Card>
                <Card size="small" title={t('delivery.api.title')}>
                  <DataApiAccess license={license} />
                </Card>
              </>
            ) : null}
          </Flex>
        </Col>
        <Col xs={24} lg={10} style={{ minWidth: 0 }}>
          <Flex vertical gap={16}>
            <Card size="small" title={t('commerce.licenses.planTitle')}>
              <PlanDetails plan={license.pricePlan} />
            </Card>
            {license.approvals.length > 0 ? (
              <Card size="small" title={t('commerce.licenses.approvalsTitle')} data-testid="license-approvals">
                <LicenseApprovals license={license} />
              </Card>
            ) : null}
            <Card size="small" title={t('commerce.licenses.historyTitle')} data-testid="license-history">
              <LicenseTimeline events={license.events} />
            </Card>
          </Flex>
        </Col>
        {/* The query panel spans the page: a product's rows have many columns. */}
        {delivering ? (
          <Col span={24} style={{ minWidth: 0 }}>
            <Card size="small" title={t('delivery.explorer.title')}>
              <DataExplorer license={license} />
            </Card>
          </Col>
        ) : null}
        {/* Invoices and terms side by side under it, so that neither leaves half the page empty. */}
        <Col xs={24} xl={14} style={{ minWidth: 0 }}>
          <Card size="small" title={t('commerce.licenses.invoicesTitle')} data-testid="license-invoices">
            <LicenseInvoices invoices={license.invoices} />
          </Card>
        </Col>
        <Col xs={24} xl={10} style={{ minWidth: 0 }}>
          <Card size="small" title={t('commerce.licenses.termsTitle')} data-testid="license-terms">
            <AcceptedTerms license={license} />
          </Card>
        </Col>
      </Row>
    </>
  );
}

/** Pay (awaiting payment), cancel the purchase or the subscription at its period's end, or keep it. */
function LicenseActions({ license }: { license: License }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const showError = useShowApiError();
  const pay = usePayLicense();
  const change = useMutation({
    mutationFn: (action: 'cancel' | 'resume') =>
      action === 'cancel'
        ? unwrap(api.POST('/api/v1/licenses/{id}/cancel', { params: { path: { id: license.id } } }))
        : unwrap(api.POST('/api/v1/licenses/{id}/resume', { params: { path: { id: license.id } } })),
    onSuccess: async (updated) => {
      queryClient.setQueryData(queryKeys.license(license.id), updated);
      await queryClient.invalidateQueries({ queryKey: queryKeys.licensesAll });
    },
    onError: showError,
  });
  const pending = license.state === 'pending_approval' || license.state === 'pending_payment';
  const running = license.state === 'active' || license.state === 'past_due';
  const hasPeriod = optionalText(license.currentPeriodEnd) !== null;
  const periodEnd = optionalText(license.currentPeriodEnd);
  return (
    <Space wrap>
      {license.state === 'pending_payment' ? (
        <Button type="primary" loading={pay.isPending} onClick={() => pay.mutate(license.id, { onError: showError })} data-testid="license-pay">
          {planTrialDays(license.pricePlan) > 0 ? t('commerce.checkout.startTrial') : t('commerce.checkout.pay')}
        </Button>
      ) : null}
      {pending ? (
        <Popconfirm
          title={t('commerce.licenses.cancelPurchaseConfirm')}
          okText={t('commerce.licenses.cancelPurchase')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={() => change.mutateAsync('cancel').catch(() => undefined)}
        >
          <Button danger loading={change.isPending} data-testid="license-cancel">
            {t('commerce.licenses.cancelPurchase')}
          </Button>
        </Popconfirm>
      ) : null}
      {running && hasPeriod && !license.cancelAtPeriodEnd ? (
        <Popconfirm
          title={t('commerce.licenses.cancelAtPeriodEndConfirm', { date: periodEnd ? formatDate(periodEnd, i18n.language) : '' })}
          okText={t('commerce.licenses.cancelAtPeriodEnd')}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={() => change.mutateAsync('cancel').catch(() => undefined)}
        >
          <Button danger loading={change.isPending} data-testid="license-cancel">
            {t('commerce.licenses.cancelAtPeriodEnd')}
          </Button>
        </Popconfirm>
      ) : null}
      {running && license.cancelAtPeriodEnd ? (
        <Button loading={change.isPending} onClick={() => change.mutate('resume')} data-testid="license-resume">
          {t('commerce.licenses.resume')}
        </Button>
      ) : null}
    </Space>
  );
}

/** Back from Stripe's checkout: paid (wait for the licence to come into force) or cancelled (pay later). */
function CheckoutReturn({ license, checkoutReturn }: { license: License; checkoutReturn: string | null }) {
  const { t } = useTranslation();
  const wasPending = useRef(license.state === 'pending_payment');
  const [activated, setActivated] = useState(false);
  useEffect(() => {
    if (wasPending.current && license.state === 'active') setActivated(true);
  }, [license.state]);
  if (checkoutReturn === 'success') {
    if (license.state === 'pending_payment') {
      return <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('commerce.licenses.checkoutProcessing')} data-testid="checkout-return" data-value="processing" />;
    }
    return (
      <Alert
        type="success"
        showIcon
        style={{ marginBottom: 16 }}
        title={activated || license.state === 'active' ? t('commerce.licenses.checkoutActive') : t(`commerce.vocab.licenseStates.${license.state}`)}
        data-testid="checkout-return"
        data-value={license.state}
      />
    );
  }
  if (checkoutReturn === 'cancelled' && license.state === 'pending_payment') {
    return <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('commerce.licenses.checkoutCancelled')} data-testid="checkout-return" data-value="cancelled" />;
  }
  return null;
}
