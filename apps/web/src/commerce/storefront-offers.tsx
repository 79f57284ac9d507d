import { CheckCircleOutlined, ClockCircleOutlined, FileTextOutlined, LoginOutlined, ShoppingCartOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, Flex, Row, Skeleton, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { License, Offer } from '../api/schema-types';
import { useAuth } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { describeApiError } from '../components/api-error-feedback';
import { ApprovalTag, bilingual, pairText, PlanDetails, PlanKindTag } from './commerce-display';
import { OfferTermsDrawer } from './offer-terms-drawer';
import { PriceCalculator } from './price-calculator';
import { licensePath } from './purchase';

/** Where buying an offer starts: the checkout page (behind login). */
export function checkoutPath(productSlug: string, offerId: string): string {
  return `/licenses/new?${new URLSearchParams({ product: productSlug, offer: offerId }).toString()}`;
}

export function useStorefrontOffers(productSlug: string) {
  return useQuery({
    queryKey: queryKeys.storefrontOffers(productSlug),
    queryFn: () => unwrap(api.GET('/api/v1/catalog/products/{ref}/offers', { params: { path: { ref: productSlug } } })),
  });
}

/** A licence under an offer that the organization holds (in force) or is still buying: buying again would be refused. */
export interface HeldLicence {
  id: string;
  /** `held`: active or past due; `pending`: awaiting approval or payment. */
  status: 'held' | 'pending';
}

const HELD_STATES: ReadonlySet<License['state']> = new Set(['active', 'past_due']);
const PENDING_STATES: ReadonlySet<License['state']> = new Set(['pending_approval', 'pending_payment']);

/** The organization's licence under the offer that blocks buying it again (the API refuses a second one), if any. */
export function heldLicenceOf(licences: readonly Pick<License, 'id' | 'offerId' | 'state'>[], offerId: string): HeldLicence | null {
  const mine = licences.filter((licence) => licence.offerId === offerId);
  const held = mine.find((licence) => HELD_STATES.has(licence.state));
  if (held) return { id: held.id, status: 'held' };
  const pending = mine.find((licence) => PENDING_STATES.has(licence.state));
  return pending ? { id: pending.id, status: 'pending' } : null;
}

/** The signed-in organization's licences of a product (GET /api/v1/licenses?productId=), for those who may read them. */
export function useProductLicences(productId: string) {
  const { session, me } = useAuth();
  const enabled = session.status === 'authenticated' && hasPermission(me?.permissions ?? [], 'licenses:read');
  const licences = useQuery({
    queryKey: [...queryKeys.licenses, { productId }],
    queryFn: () => unwrap(api.GET('/api/v1/licenses', { params: { query: { productId } } })),
    enabled,
  });
  return { enabled, licences };
}

/** Where the organization's licence under the offer is: "You hold this licence" (or the purchase under way), with a link. */
export function HeldLicenceLink({ held, block }: { held: HeldLicence; block?: boolean }) {
  const { t } = useTranslation();
  return (
    <Link
      to={licensePath(held.id)}
      data-testid="offer-held"
      data-status={held.status}
      data-license-id={held.id}
      style={{ display: 'inline-flex', alignItems: 'center', gap: 6, minHeight: 32, ...(block ? { width: '100%', justifyContent: 'center' } : {}) }}
    >
      {held.status === 'held' ? <CheckCircleOutlined /> : <ClockCircleOutlined />}
      {held.status === 'held' ? t('commerce.offers.held') : t('commerce.offers.pendingPurchase')}
    </Link>
  );
}

/** The side card of a product page: how it is licensed, and a way to the offers below. */
export function OffersSummaryCard({ productSlug }: { productSlug: string }) {
  const { t, i18n } = useTranslation();
  const offers = useStorefrontOffers(productSlug);
  const items = offers.data?.items ?? [];
  // No offers: the Offers section below says so; saying it here too would repeat it.
  if (offers.isSuccess && items.length === 0) return null;
  return (
    <Card size="small" title={t('commerce.offers.summaryTitle')} data-testid="offers-summary">
      {offers.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} title={false} />
      ) : items.length === 0 ? (
        <Typography.Text type="secondary">{t('commerce.offers.loadFailed')}</Typography.Text>
      ) : (
        <Flex vertical gap={8}>
          <Typography.Text type="secondary">{t('commerce.offers.summary', { count: items.length })}</Typography.Text>
          {items.map((offer) => (
            <Flex key={offer.id} justify="space-between" gap={8} align="baseline">
              <Typography.Text ellipsis={{ tooltip: true }} style={{ minWidth: 0 }}>
                {bilingual(offer.nameZh, offer.nameEn, i18n.language)}
              </Typography.Text>
              <PlanKindTag kind={offer.pricePlan.kind} />
            </Flex>
          ))}
          <Button type="primary" block href="#offers" onClick={scrollToOffers} data-testid="offers-summary-link">
            {t('commerce.offers.compareAndBuy')}
          </Button>
        </Flex>
      )}
    </Card>
  );
}

function scrollToOffers(event: { preventDefault(): void }) {
  event.preventDefault();
  document.getElementById('offers')?.scrollIntoView?.({ behavior: 'smooth', block: 'start' });
}

/** A published product's offers (price in words, plan, licence, approval), their terms, a price calculator, and Buy. */
export function OffersSection({ productSlug }: { productSlug: string }) {
  const { t } = useTranslation();
  const offers = useStorefrontOffers(productSlug);
  const [termsOf, setTermsOf] = useState<Offer | null>(null);

  let body;
  if (offers.isPending) body = <Skeleton active paragraph={{ rows: 6 }} />;
  else if (offers.isError) body = <Alert type="error" showIcon title={t('commerce.offers.loadFailed')} description={describeApiError(offers.error, t)} />;
  else if (offers.data.items.length === 0) body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('commerce.offers.none')} data-testid="offers-empty" />;
  else {
    body = (
      <Flex vertical gap={24}>
        <Row gutter={[16, 16]} data-testid="offers-list">
          {offers.data.items.map((offer) => (
            <Col key={offer.id} xs={24} md={12} xl={8} style={{ display: 'flex' }}>
              <OfferCard offer={offer} productSlug={productSlug} onReadTerms={() => setTermsOf(offer)} />
            </Col>
          ))}
        </Row>
        <PriceCalculator productRef={productSlug} offers={offers.data.items} />
      </Flex>
    );
  }

  return (
    <section id="offers" data-testid="offers-section" style={{ marginTop: 32, scrollMarginTop: 16 }}>
      <Typography.Title level={3} style={{ marginTop: 0 }}>
        {t('commerce.offers.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('commerce.offers.intro')}</Typography.Paragraph>
      {body}
      <OfferTermsDrawer
        offer={termsOf}
        onClose={() => setTermsOf(null)}
        footer={termsOf ? <BuyButton offer={termsOf} productSlug={productSlug} block /> : null}
      />
    </section>
  );
}

function OfferCard({ offer, productSlug, onReadTerms }: { offer: Offer; productSlug: string; onReadTerms(): void }) {
  const { t, i18n } = useTranslation();
  return (
    <Card
      size="small"
      style={{ width: '100%', display: 'flex', flexDirection: 'column' }}
      styles={{ body: { flex: 1, display: 'flex', flexDirection: 'column', gap: 12 } }}
      title={
        <Typography.Text strong ellipsis={{ tooltip: true }} data-testid="offer-name">
          {bilingual(offer.nameZh, offer.nameEn, i18n.language)}
        </Typography.Text>
      }
      data-testid="offer-card"
      data-offer-id={offer.id}
      data-kind={offer.pricePlan.kind}
    >
      <Typography.Text strong style={{ fontSize: 16 }} data-testid="offer-price-text">
        {pairText(offer.priceText, i18n.language)}
      </Typography.Text>
      <PlanDetails plan={offer.pricePlan} />
      <div>
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
          {t('commerce.offers.licence')}
        </Typography.Text>
        <Typography.Text data-testid="offer-licence">{bilingual(offer.template.titleZh, offer.template.titleEn, i18n.language)}</Typography.Text>
      </div>
      <Space wrap size={[8, 8]}>
        <ApprovalTag needed={offer.approvalNeeded} />
      </Space>
      <Flex gap={8} wrap style={{ marginTop: 'auto' }}>
        <Button icon={<FileTextOutlined />} onClick={onReadTerms} data-testid="offer-read-terms">
          {t('commerce.offers.readTerms')}
        </Button>
        <BuyButton offer={offer} productSlug={productSlug} />
      </Flex>
    </Card>
  );
}

/**
 * Buy: anonymous visitors sign in first and come back to the checkout; a buyer administrator
 * goes to the checkout; anyone else is told who can buy.
 */
export function BuyButton({ offer, productSlug, block }: { offer: Offer; productSlug: string; block?: boolean }) {
  const { t } = useTranslation();
  const { session, me } = useAuth();
  const navigate = useNavigate();
  const target = checkoutPath(productSlug, offer.id);
  const { licences } = useProductLicences(offer.product.id);
  const held = heldLicenceOf(licences.data?.items ?? [], offer.id);
  if (held) return <HeldLicenceLink held={held} block={block} />;
  if (session.status !== 'authenticated') {
    return (
      <Button
        type="primary"
        block={block}
        icon={<LoginOutlined />}
        onClick={() => navigate('/login', { state: { from: target } })}
        data-testid="offer-buy"
        data-offer-id={offer.id}
      >
        {t('commerce.offers.signInToBuy')}
      </Button>
    );
  }
  const canBuy = hasPermission(me?.permissions ?? [], 'licenses:buy');
  const own = me?.organization.id === offer.seller.id;
  const button = (
    <Button
      type="primary"
      block={block}
      icon={<ShoppingCartOutlined />}
      disabled={!canBuy || own}
      onClick={() => navigate(target)}
      data-testid="offer-buy"
      data-offer-id={offer.id}
    >
      {t('commerce.offers.buy')}
    </Button>
  );
  if (canBuy && !own) return button;
  return <Tooltip title={own ? t('commerce.offers.ownProduct') : t('commerce.offers.buyersOnly')}>{button}</Tooltip>;
}
