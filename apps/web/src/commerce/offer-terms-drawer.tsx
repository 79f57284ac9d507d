import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Drawer, Flex, Skeleton, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Offer } from '../api/schema-types';
import { describeApiError } from '../components/api-error-feedback';
import { ApprovalTag, bilingual, LicenceText, pairText, TermsHash } from './commerce-display';

/** The exact terms of a published offer as a buyer accepts them: price, licence text, approval and their sha256. */
export function OfferTermsDrawer({ offer, onClose, footer }: { offer: Offer | null; onClose(): void; footer?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const terms = useQuery({
    queryKey: queryKeys.offerTerms(offer?.id ?? ''),
    queryFn: () => unwrap(api.GET('/api/v1/offers/{id}/terms', { params: { path: { id: offer?.id ?? '' } } })),
    enabled: offer !== null,
  });
  return (
    <Drawer
      open={offer !== null}
      onClose={onClose}
      size="min(640px, 100vw)"
      title={offer ? t('commerce.terms.drawerTitle', { offer: bilingual(offer.nameZh, offer.nameEn, i18n.language) }) : null}
      footer={footer}
      destroyOnHidden
      data-testid="offer-terms-drawer"
    >
      {offer === null ? null : terms.isPending ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : terms.isError ? (
        <Alert type="error" showIcon title={describeApiError(terms.error, t)} />
      ) : (
        <Flex vertical gap={16} data-testid="offer-terms">
          <Descriptions
            size="small"
            column={1}
            items={[
              {
                key: 'template',
                label: t('commerce.offers.licence'),
                children: `${bilingual(offer.template.titleZh, offer.template.titleEn, i18n.language)} · ${t('commerce.offers.templateVersion', { version: offer.template.version })}`,
              },
              { key: 'price', label: t('commerce.offers.price'), children: <span data-testid="terms-price">{pairText(terms.data.priceText, i18n.language)}</span> },
              { key: 'approval', label: t('commerce.offers.approval'), children: <ApprovalTag needed={terms.data.approvalNeeded} /> },
              { key: 'revision', label: t('commerce.terms.revision'), children: terms.data.revision },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            {bilingual(offer.template.summaryZh, offer.template.summaryEn, i18n.language)}
          </Typography.Paragraph>
          <LicenceText text={terms.data.text} />
          <div>
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {t('commerce.terms.hashLabel')}
            </Typography.Text>
            <TermsHash sha256={terms.data.termsSha256} />
          </div>
        </Flex>
      )}
    </Drawer>
  );
}
