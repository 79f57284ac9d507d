import { CheckCircleFilled, ClockCircleOutlined, CloseCircleFilled } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Flex, Space, Tag, Tooltip, Typography, theme } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Product, ReviewState } from '../api/schema-types';
import { DateTime } from '../components/date-time';
import { useProductFeedback, type ProductSuccess } from './product-feedback';
import { reviewStatusColors } from './product-vocabulary';

type ListingAction = 'submit' | 'cancel-submission' | 'publish' | 'retire' | 'resume';

const actionsByStatus: Record<Product['status'], ListingAction[]> = {
  draft: ['submit'],
  submitted: ['cancel-submission'],
  approved: ['publish', 'retire'],
  published: ['retire'],
  suspended: ['resume', 'retire'],
  retired: [],
};

const successOf: Record<ListingAction, ProductSuccess> = {
  submit: 'submitted',
  'cancel-submission': 'submissionCancelled',
  publish: 'published',
  retire: 'retired',
  resume: 'resumed',
};

/** What the owner may do with the listing now: submit, cancel the submission, publish, retire, resume. */
export function ListingActions({ product }: { product: Product }) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const queryClient = useQueryClient();
  const feedback = useProductFeedback();
  const act = useMutation({
    mutationFn: (action: ListingAction) => {
      const params = { params: { path: { id: product.id } } };
      switch (action) {
        case 'submit':
          return unwrap(api.POST('/api/v1/products/{id}/submit', params));
        case 'cancel-submission':
          return unwrap(api.POST('/api/v1/products/{id}/cancel-submission', params));
        case 'publish':
          return unwrap(api.POST('/api/v1/products/{id}/publish', params));
        case 'retire':
          return unwrap(api.POST('/api/v1/products/{id}/retire', params));
        case 'resume':
          return unwrap(api.POST('/api/v1/products/{id}/resume', params));
      }
    },
    onSuccess: async (updated, action) => {
      queryClient.setQueryData(queryKeys.product(product.id), updated);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.productsAll }),
        queryClient.invalidateQueries({ queryKey: queryKeys.catalogAll }),
      ]);
      feedback.success(successOf[action]);
    },
    onError: feedback.error,
  });

  const confirm = (action: ListingAction) =>
    modal.confirm({
      title: t(`products.listing.confirm.${action}.title`),
      content: t(`products.listing.confirm.${action}.content`),
      okText: t(`products.listing.actions.${action}`),
      okButtonProps: { danger: action === 'retire', 'data-testid': `listing-confirm-${action}` },
      cancelText: t('common.cancel'),
      onOk: () => act.mutateAsync(action).catch(() => undefined),
    });

  const actions = actionsByStatus[product.status];
  if (actions.length === 0) return null;
  const noVersion = product.currentVersion === null;
  const unusable = product.inputs.some((input) => !input.usable);
  return (
    <Space wrap data-testid="listing-actions">
      {actions.map((action) => {
        const blocked = action === 'submit' && noVersion ? t('products.listing.submitNeedsVersion') : action === 'resume' && unusable ? t('products.listing.resumeNeedsInputs') : null;
        const button = (
          <Button
            key={action}
            type={action === 'retire' || action === 'cancel-submission' ? 'default' : 'primary'}
            danger={action === 'retire'}
            disabled={blocked !== null}
            loading={act.isPending && act.variables === action}
            onClick={() => confirm(action)}
            data-testid={`listing-${action}`}
          >
            {t(`products.listing.actions.${action}`)}
          </Button>
        );
        return blocked ? (
          <Tooltip key={action} title={blocked}>
            {button}
          </Tooltip>
        ) : (
          button
        );
      })}
    </Space>
  );
}

/** Why the listing is where it is: suspended (and why), rejected (and why), approved, retired. */
export function ListingBanners({ product }: { product: Product }) {
  const { t } = useTranslation();
  const banners = [];
  if (product.status === 'suspended' && product.suspensionReason) {
    const unusable = product.inputs.filter((input) => !input.usable);
    banners.push(
      <Alert
        key="suspended"
        type="warning"
        showIcon
        data-testid="banner-suspended"
        title={t('products.listing.suspendedTitle', { cause: t(`products.vocab.suspensionCauses.${product.suspensionReason.cause}`) })}
        description={
          <Flex vertical gap={4}>
            <span>
              {t('products.listing.suspendedSince')} <DateTime value={product.suspensionReason.at} />
            </span>
            {unusable.map((input) => (
              <span key={input.name}>
                {t('products.listing.unusableInput', {
                  name: input.name,
                  reason: input.unusableReason ? t(`products.vocab.unusableReasons.${input.unusableReason}`) : t('products.inputs.usableNo'),
                })}
              </span>
            ))}
            <span>{unusable.length > 0 ? t('products.listing.suspendedFix') : t('products.listing.suspendedCanResume')}</span>
          </Flex>
        }
      />,
    );
  }
  if (product.status === 'draft' && product.rejectionReason) {
    banners.push(
      <Alert
        key="rejected"
        type="error"
        showIcon
        data-testid="banner-rejected"
        title={t('products.listing.rejectedTitle')}
        description={
          <Flex vertical gap={4}>
            <Typography.Text style={{ whiteSpace: 'pre-wrap' }} data-testid="banner-rejected-reason">
              {product.rejectionReason}
            </Typography.Text>
            <span>{t('products.listing.rejectedNext')}</span>
          </Flex>
        }
      />,
    );
  }
  if (product.status === 'submitted') {
    const waiting = product.review.required.filter((reviewer) => !reviewer.decided).map((reviewer) => reviewerName(reviewer, t));
    banners.push(
      <Alert
        key="submitted"
        type="info"
        showIcon
        data-testid="banner-submitted"
        title={t('products.listing.submittedTitle')}
        description={waiting.length > 0 ? t('products.listing.waitingFor', { reviewers: waiting.join(t('products.gate.listSeparator')) }) : undefined}
      />,
    );
  }
  if (product.status === 'approved') {
    banners.push(<Alert key="approved" type="success" showIcon data-testid="banner-approved" title={t('products.listing.approvedTitle')} />);
  }
  if (product.status === 'published') {
    banners.push(<Alert key="published" type="success" showIcon data-testid="banner-published" title={t('products.listing.publishedTitle')} />);
  }
  if (product.status === 'retired') {
    banners.push(<Alert key="retired" type="info" showIcon data-testid="banner-retired" title={t('products.listing.retiredTitle')} />);
  }
  return banners.length > 0 ? (
    <Flex vertical gap={8} style={{ marginBottom: 16 }}>
      {banners}
    </Flex>
  ) : null;
}

export function reviewerName(reviewer: { reviewerKind: 'platform' | 'agency'; agencyName: string | null }, t: TFunction): string {
  return reviewer.reviewerKind === 'platform' ? t('products.review.platform') : (reviewer.agencyName ?? t('products.review.agency'));
}

/** Who must approve this round, who has, and every decision with its reason. */
export function ReviewStateCard({ review }: { review: ReviewState }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const decisionOf = (reviewer: ReviewState['required'][number]) =>
    review.decisions.find((decision) => decision.reviewerKind === reviewer.reviewerKind && decision.agencyId === reviewer.agencyId);
  return (
    <Card
      size="small"
      data-testid="review-state"
      data-status={review.status}
      title={
        <Space size={8} wrap>
          <span>{t('products.review.stateTitle')}</span>
          <Tag color={reviewStatusColors[review.status]}>{t(`products.vocab.reviewStatuses.${review.status}`)}</Tag>
          {review.round > 0 ? <Typography.Text type="secondary">{t('products.review.round', { round: review.round })}</Typography.Text> : null}
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('products.review.requiredIntro')}</Typography.Paragraph>
      <Flex vertical>
        {review.required.map((reviewer, index) => {
          const decision = decisionOf(reviewer);
          return (
            <Flex
              key={reviewer.agencyId ?? 'platform'}
              vertical
              gap={2}
              data-testid="required-reviewer"
              data-kind={reviewer.reviewerKind}
              data-decided={reviewer.decided}
              style={{ padding: '8px 0', borderTop: index === 0 ? undefined : `1px solid ${token.colorBorderSecondary}` }}
            >
              <Space size={8} wrap>
                {decision?.decision === 'approve' ? (
                  <CheckCircleFilled style={{ color: '#52c41a' }} />
                ) : decision?.decision === 'reject' ? (
                  <CloseCircleFilled style={{ color: '#ff4d4f' }} />
                ) : (
                  <ClockCircleOutlined />
                )}
                <Typography.Text strong>{reviewerName(reviewer, t)}</Typography.Text>
                <Typography.Text type="secondary">
                  {decision ? t(`products.review.decisions.${decision.decision}`) : review.round > 0 ? t('products.review.waiting') : t('products.review.notYet')}
                </Typography.Text>
                {decision ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    <DateTime value={decision.decidedAt} />
                  </Typography.Text>
                ) : null}
              </Space>
              {decision?.reason ? (
                <Typography.Text style={{ whiteSpace: 'pre-wrap', paddingInlineStart: 22 }} data-testid="review-reason">
                  {decision.reason}
                </Typography.Text>
              ) : null}
            </Flex>
          );
        })}
      </Flex>
    </Card>
  );
}
