import { Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { License } from '../api/schema-types';
import { formatDate } from '../components/number-format';
import { bilingual, optionalText } from './commerce-display';
import { licenceFactsOf, licenceTermEnd } from './entitlements';

/** The product (linking to its storefront page, the buyer's licence or the seller's sale) and the offer a licence was bought under. */
export function LicenseProduct({ license, link = 'storefront' }: { license: Pick<License, 'id' | 'product' | 'offerNameZh' | 'offerNameEn'>; link?: 'storefront' | 'license' | 'sale' | 'none' }) {
  const { i18n } = useTranslation();
  const title = bilingual(license.product.titleZh, license.product.titleEn, i18n.language);
  return (
    <Space orientation="vertical" size={0} style={{ minWidth: 160, maxWidth: 260 }}>
      {link === 'none' ? (
        <Typography.Text strong>{title}</Typography.Text>
      ) : (
        <Link
          to={link === 'license' ? `/console/licenses/${license.id}` : link === 'sale' ? `/console/sales/${license.id}` : `/products/${license.product.slug}`}
          data-testid="license-product-link"
        >
          {title}
        </Link>
      )}
      <Typography.Text type="secondary">{bilingual(license.offerNameZh, license.offerNameEn, i18n.language)}</Typography.Text>
    </Space>
  );
}

/**
 * The licence's current period (a subscription), or its term: from its start until the term's
 * end (licenceTermEnd) or the day it ended.
 */
export function LicensePeriod({ license }: { license: Pick<License, 'currentPeriodStart' | 'currentPeriodEnd' | 'activatedAt' | 'expiresAt' | 'endedAt' | 'terms'> }) {
  const { t, i18n } = useTranslation();
  const date = (value: unknown) => {
    const text = optionalText(value);
    return text ? formatDate(text, i18n.language) : null;
  };
  const termEnd = licenceTermEnd(licenceFactsOf((license.terms as { policy?: unknown }).policy), optionalText(license.activatedAt), optionalText(license.expiresAt));
  const start = date(license.currentPeriodStart) ?? date(license.activatedAt);
  const end = date(license.currentPeriodEnd) ?? date(license.endedAt) ?? date(termEnd);
  if (!start && !end) return <Typography.Text type="secondary">{t('commerce.licenses.notStarted')}</Typography.Text>;
  return (
    <Typography.Text style={{ whiteSpace: 'nowrap' }} data-testid="license-period">
      {start && end ? t('commerce.licenses.periodRange', { start, end }) : start ? t('commerce.licenses.periodFrom', { start }) : t('commerce.licenses.periodUntil', { end })}
    </Typography.Text>
  );
}
