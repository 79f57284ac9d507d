import { useQuery } from '@tanstack/react-query';
import { Alert, Breadcrumb, Button, Card, Col, Descriptions, Flex, Result, Row, Skeleton, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { License } from '../api/schema-types';
import { bilingual, LicenseTag, optionalText, pairText, PlanDetails } from '../commerce/commerce-display';
import { terminalStates } from '../commerce/commerce-vocabulary';
import { LicenseDecisionModal } from '../commerce/license-decision-modal';
import { LicensePeriod } from '../commerce/license-display';
import { AcceptedTerms, LicenseApprovals, LicenseInvoices, LicenseTimeline } from '../commerce/license-sections';
import { describeApiError } from '../components/api-error-feedback';
import { DateTime } from '../components/date-time';

/** One licence sold for the organization's products: the buyer, the terms it accepted, its state, history and invoices; revoking it for a breach. */
export function SalePage() {
  const { licenseId = '' } = useParams();
  const { t } = useTranslation();
  const sale = useQuery({
    queryKey: queryKeys.sale(licenseId),
    queryFn: () => unwrap(api.GET('/api/v1/sales/licenses/{id}', { params: { path: { id: licenseId } } })),
  });

  if (sale.isPending) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (sale.isError) {
    return sale.error instanceof ApiError && (sale.error.status === 404 || sale.error.status === 400) ? (
      <Result
        status="404"
        title={<span data-testid="sale-not-found">{t('commerce.sale.notFound')}</span>}
        extra={<Link to="/console/sales">{t('commerce.sale.backToList')}</Link>}
      />
    ) : (
      <Alert type="error" showIcon title={t('common.loadFailed')} description={describeApiError(sale.error, t)} />
    );
  }
  return <SaleView license={sale.data} />;
}

function SaleView({ license }: { license: License }) {
  const { t, i18n } = useTranslation();
  const [revoking, setRevoking] = useState(false);
  const title = bilingual(license.product.titleZh, license.product.titleEn, i18n.language);
  const offerName = bilingual(license.offerNameZh, license.offerNameEn, i18n.language);
  const ended = optionalText(license.endedAt);

  return (
    <>
      <Breadcrumb style={{ marginBottom: 12 }} items={[{ key: 'list', title: <Link to="/console/sales">{t('nav.sales')}</Link> }, { key: 'sale', title }]} />
      <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
        <div style={{ minWidth: 0 }}>
          <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }} data-testid="page-title">
            {title}
          </Typography.Title>
          <Space wrap size={[8, 8]}>
            <Typography.Text type="secondary">{t('commerce.sale.soldTo', { buyer: license.buyer.name })}</Typography.Text>
            <Typography.Text type="secondary">{offerName}</Typography.Text>
            <LicenseTag license={license} />
          </Space>
        </div>
        {terminalStates.includes(license.state) ? null : (
          <Button danger onClick={() => setRevoking(true)} data-testid="sale-revoke">
            {t('commerce.sale.revoke')}
          </Button>
        )}
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14} style={{ minWidth: 0 }}>
          <Flex vertical gap={16}>
            <Card size="small" title={t('commerce.sale.buyerTitle')} data-testid="sale-overview">
              <Descriptions
                size="small"
                column={1}
                items={[
                  { key: 'buyer', label: t('commerce.sale.buyerOrganization'), children: <span data-testid="sale-buyer">{license.buyer.name}</span> },
                  { key: 'product', label: t('commerce.sale.product'), children: <Link to={`/products/${license.product.slug}`}>{title}</Link> },
                  { key: 'offer', label: t('commerce.licenses.offer'), children: `${offerName} · ${t('commerce.licenses.revision', { revision: license.offerRevision })}` },
                  { key: 'price', label: t('commerce.licenses.price'), children: pairText(license.priceText, i18n.language) },
                  { key: 'state', label: t('commerce.licenses.state'), children: <LicenseTag license={license} /> },
                  { key: 'period', label: optionalText(license.currentPeriodEnd) ? t('commerce.licenses.currentPeriod') : t('commerce.licenses.term'), children: <LicensePeriod license={license} /> },
                  { key: 'provider', label: t('commerce.licenses.payment'), children: t(`commerce.vocab.providers.${license.pricePlan.kind === 'free' ? 'free' : (license.provider as 'none' | 'offline' | 'stripe')}`) },
                  ...(optionalText(license.activatedAt) ? [{ key: 'activated', label: t('commerce.licenses.activated'), children: <DateTime value={optionalText(license.activatedAt)} /> }] : []),
                  ...(optionalText(license.expiresAt) ? [{ key: 'expires', label: t('commerce.licenses.expires'), children: <DateTime value={optionalText(license.expiresAt)} /> }] : []),
                  ...(ended
                    ? [
                        {
                          key: 'ended',
                          label: t('commerce.licenses.ended'),
                          children: (
                            <Space orientation="vertical" size={0}>
                              <DateTime value={ended} />
                              {optionalText(license.endReason) ? <Typography.Text type="secondary" data-testid="sale-end-reason">{optionalText(license.endReason)}</Typography.Text> : null}
                            </Space>
                          ),
                        },
                      ]
                    : []),
                ]}
              />
            </Card>
            <Card size="small" title={t('commerce.licenses.invoicesTitle')} data-testid="sale-invoices">
              <LicenseInvoices invoices={license.invoices} />
            </Card>
            <Card size="small" title={t('commerce.licenses.termsTitle')} data-testid="sale-terms">
              <AcceptedTerms license={license} />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} lg={10} style={{ minWidth: 0 }}>
          <Flex vertical gap={16}>
            <Card size="small" title={t('commerce.licenses.historyTitle')} data-testid="sale-history">
              <LicenseTimeline events={license.events} />
            </Card>
            {license.approvals.length > 0 ? (
              <Card size="small" title={t('commerce.licenses.approvalsTitle')}>
                <LicenseApprovals license={license} />
              </Card>
            ) : null}
            <Card size="small" title={t('commerce.licenses.planTitle')}>
              <PlanDetails plan={license.pricePlan} />
            </Card>
          </Flex>
        </Col>
      </Row>
      {revoking ? <LicenseDecisionModal decision={{ kind: 'revoke', license }} onClose={() => setRevoking(false)} /> : null}
    </>
  );
}
