import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Flex, Popconfirm, Space, Table, Typography, type TableColumnsType } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Offer, Product } from '../api/schema-types';
import { localizedText } from '../catalog/localized-text';
import { formatDate } from '../components/number-format';
import { CapViolationsAlert } from './cap-violations';
import { ApprovalTag, bilingual, OfferStatusTag, pairText, PlanKindTag } from './commerce-display';
import { OfferFormModal } from './offer-form-modal';

/** The seller's offers of one product: drafts, published and archived, with what each sold; create, edit, publish (checked against the price caps), archive. */
export function OffersPanel({ product }: { product: Product }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Offer | 'new' | null>(null);
  const [refusal, setRefusal] = useState<{ offer: Offer; error: unknown } | null>(null);
  const offers = useQuery({
    queryKey: queryKeys.productOffers(product.id),
    queryFn: () => unwrap(api.GET('/api/v1/products/{id}/offers', { params: { path: { id: product.id } } })),
  });

  const change = useMutation({
    mutationFn: ({ offer, action }: { offer: Offer; action: 'publish' | 'archive' }) =>
      action === 'publish'
        ? unwrap(api.POST('/api/v1/offers/{id}/publish', { params: { path: { id: offer.id } } }))
        : unwrap(api.POST('/api/v1/offers/{id}/archive', { params: { path: { id: offer.id } } })),
    onMutate: () => setRefusal(null),
    onSuccess: async (_offer, { action }) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.productOffers(product.id) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.storefrontOffers(product.slug) }),
      ]);
      void message.success(t(`commerce.sellerOffers.${action === 'publish' ? 'published' : 'archived'}`));
    },
    onError: (error, { offer }) => setRefusal({ offer, error }),
  });

  const columns: TableColumnsType<Offer> = [
    {
      key: 'name',
      title: t('commerce.sellerOffers.name'),
      render: (_, offer) => {
        const name = localizedText(offer.nameZh, offer.nameEn, i18n.language);
        return (
          <Space orientation="vertical" size={0} style={{ minWidth: 140, maxWidth: 200 }}>
            <Typography.Text strong>{name.primary}</Typography.Text>
            {name.secondary ? <Typography.Text type="secondary">{name.secondary}</Typography.Text> : null}
          </Space>
        );
      },
    },
    {
      key: 'status',
      title: t('commerce.sellerOffers.status'),
      render: (_, offer) => (
        <Space orientation="vertical" size={2}>
          <OfferStatusTag status={offer.status} />
          <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
            {t('commerce.licenses.revision', { revision: offer.revision })}
          </Typography.Text>
          <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap', fontSize: 12 }}>
            {formatDate(offer.updatedAt, i18n.language)}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: 'price',
      title: t('commerce.offers.price'),
      render: (_, offer) => (
        <Space orientation="vertical" size={4} style={{ minWidth: 160, maxWidth: 240 }}>
          <PlanKindTag kind={offer.pricePlan.kind} />
          <Typography.Text>{pairText(offer.priceText, i18n.language)}</Typography.Text>
        </Space>
      ),
    },
    {
      key: 'licence',
      title: t('commerce.offers.licence'),
      render: (_, offer) => (
        <Space orientation="vertical" size={4} style={{ minWidth: 140, maxWidth: 200 }}>
          <Typography.Text>{bilingual(offer.template.titleZh, offer.template.titleEn, i18n.language)}</Typography.Text>
          <ApprovalTag needed={offer.approvalNeeded} />
        </Space>
      ),
    },
    { key: 'sold', title: t('commerce.sellerOffers.sold'), align: 'right', render: (_, offer) => <span data-testid="offer-sold">{offer.licenseCount}</span> },
    {
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      render: (_, offer) =>
        offer.status === 'archived' ? null : (
          <Space wrap size={4}>
            <Button size="small" onClick={() => setEditing(offer)} data-testid={`offer-edit-${offer.id}`}>
              {t('commerce.sellerOffers.edit')}
            </Button>
            {offer.status === 'draft' ? (
              <Button
                size="small"
                type="primary"
                loading={change.isPending && change.variables?.offer.id === offer.id && change.variables.action === 'publish'}
                onClick={() => change.mutate({ offer, action: 'publish' })}
                data-testid={`offer-publish-${offer.id}`}
              >
                {t('commerce.sellerOffers.publish')}
              </Button>
            ) : null}
            <Popconfirm
              title={t('commerce.sellerOffers.archiveConfirm')}
              description={offer.licenseCount > 0 ? t('commerce.sellerOffers.archiveKeeps', { count: offer.licenseCount }) : null}
              okText={t('commerce.sellerOffers.archive')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() => change.mutateAsync({ offer, action: 'archive' }).catch(() => undefined)}
            >
              <Button size="small" danger data-testid={`offer-archive-${offer.id}`}>
                {t('commerce.sellerOffers.archive')}
              </Button>
            </Popconfirm>
          </Space>
        ),
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="offers-panel">
      <Flex justify="space-between" align="flex-start" gap={12} wrap>
        <Typography.Paragraph type="secondary" style={{ margin: 0, maxWidth: 720 }}>
          {t('commerce.sellerOffers.intro')}
        </Typography.Paragraph>
        <Flex gap={8} wrap>
          {product.status === 'published' ? (
            <Link to={`/products/${product.slug}#offers`}>
              <Button>{t('commerce.sellerOffers.viewStorefront')}</Button>
            </Link>
          ) : null}
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} disabled={product.status === 'retired'} data-testid="offer-create">
            {t('commerce.sellerOffers.create')}
          </Button>
        </Flex>
      </Flex>
      {product.status !== 'published' ? <Alert type="info" showIcon title={t('commerce.sellerOffers.notListedYet')} data-testid="offers-not-listed" /> : null}
      {refusal ? (
        <div data-testid="offer-refusal" data-offer-id={refusal.offer.id}>
          <CapViolationsAlert error={refusal.error} onClose={() => setRefusal(null)} />
        </div>
      ) : null}
      <Table<Offer>
        data-testid="offers-table"
        size="small"
        rowKey="id"
        loading={offers.isPending}
        columns={columns}
        dataSource={offers.data?.items}
        pagination={false}
        scroll={{ x: 'max-content' }}
        rowClassName={(offer) => (offer.status === 'archived' ? 'civic-row-muted' : '')}
        onRow={(offer) => ({ 'data-testid': 'offer-row', 'data-offer-id': offer.id, 'data-status': offer.status }) as HTMLAttributes<HTMLElement>}
        locale={{ emptyText: offers.isError ? t('common.loadFailed') : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('commerce.sellerOffers.empty')} /> }}
      />
      {editing === null ? null : (
        <OfferFormModal key={editing === 'new' ? 'new' : editing.id} productId={product.id} offer={editing === 'new' ? null : editing} open onClose={() => setEditing(null)} />
      )}
    </Flex>
  );
}
