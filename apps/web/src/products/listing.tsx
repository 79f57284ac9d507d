import { CheckCircleFilled, ClockCircleOutlined, CloseCircleFilled } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Divider, Flex, Space, Tag, Tooltip, Typography, theme } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { Product, ReviewRecord, ReviewState } from '../api/schema-types';
import { DateTime } from '../components/date-time';
import { useProductFeedback, type ProductSuccess } from './product-feedback';
import { reviewStatusColors } from './product-vocabulary';
import { decisionOf, roundsOf, undecidedText } from './review-state';

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
  const noDescription = !product.descriptionZh.trim() && !product.descriptionEn.trim();
  const unusable = product.inputs.some((input) => !input.usable);
  return (
    <Space wrap data-testid="listing-actions">
      {actions.map((action) => {
        const blocked =
          action === 'submit' && noVersion
            ? t('products.listing.submitNeedsVersion')
            : action === 'submit' && noDescription
              ? t('products.listing.submitNeedsDescription')
              : action === 'resume' && unusable
                ? t('products.listing.resumeNeedsInputs')
                : null;
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
        // Why it is disabled, written beside it (a tooltip alone escapes keyboard and touch users).
        return blocked ? (
          <Flex key={action} gap={8} align="center">
            <Tooltip title={blocked}>{button}</Tooltip>
            <Typography.Text type="secondary" style={{ fontSize: 12, maxWidth: 280 }} data-testid={`listing-${action}-blocked`}>
              {blocked}
            </Typography.Text>
          </Flex>
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
            {product.suspensionReason.note ? (
              <span data-testid="banner-suspended-note" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                {t('products.listing.suspendedNote', { note: product.suspensionReason.note })}
              </span>
            ) : null}
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
    const rejection = product.review.decisions.find((decision) => decision.decision === 'reject');
    banners.push(
      <Alert
        key="rejected"
        type="error"
        showIcon
        data-testid="banner-rejected"
        title={t('products.listing.rejectedTitle')}
        description={
          <Flex vertical gap={4}>
            {rejection ? (
              <Typography.Text type="secondary" data-testid="banner-rejected-by">
                {t('products.listing.rejectedBy', { reviewer: reviewerName(rejection, t) })} <DateTime value={rejection.decidedAt} />
              </Typography.Text>
            ) : null}
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

function DecisionIcon({ decision }: { decision: ReviewRecord['decision'] | undefined }) {
  const { token } = theme.useToken();
  if (decision === 'approve') return <CheckCircleFilled style={{ color: token.colorSuccess }} />;
  if (decision === 'reject') return <CloseCircleFilled style={{ color: token.colorError }} />;
  return <ClockCircleOutlined style={{ color: token.colorTextTertiary }} />;
}

/** One reviewer's line: who, what they decided (or where they stand), who decided and when, the reason. */
function ReviewerLine({ name, decision, pending, first, testId }: { name: string; decision: ReviewRecord | undefined; pending: string; first: boolean; testId: string }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  return (
    <Flex
      vertical
      gap={2}
      data-testid={testId}
      data-decision={decision?.decision ?? 'none'}
      style={{ padding: '8px 0', borderTop: first ? undefined : `1px solid ${token.colorBorderSecondary}`, minWidth: 0 }}
    >
      {/* The icon keeps to the first line; a long name wraps beside it, never leaving it alone on a line. */}
      <Flex gap={8} align="baseline" style={{ minWidth: 0 }}>
        <DecisionIcon decision={decision?.decision} />
        <Flex wrap gap="0 8px" align="baseline" style={{ minWidth: 0 }}>
          <Typography.Text strong style={{ overflowWrap: 'anywhere' }}>
            {name}
          </Typography.Text>
          <Typography.Text type={decision?.decision === 'reject' ? 'danger' : 'secondary'}>{decision ? t(`products.review.decisions.${decision.decision}`) : pending}</Typography.Text>
        </Flex>
      </Flex>
      {decision ? (
        <Typography.Text type="secondary" style={{ fontSize: 12, paddingInlineStart: 22 }} data-testid="review-decided-by">
          {decision.decidedByName ? `${t('products.review.decidedBy', { name: decision.decidedByName })} · ` : null}
          <DateTime value={decision.decidedAt} />
        </Typography.Text>
      ) : null}
      {decision?.reason ? (
        <Typography.Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', paddingInlineStart: 22 }} data-testid="review-reason">
          {decision.reason}
        </Typography.Text>
      ) : null}
    </Flex>
  );
}

/**
 * Who must approve this round, who has (and who decided, when the viewer may know), and the
 * decisions of earlier rounds with their reasons and dates.
 */
export function ReviewStateCard({ review }: { review: ReviewState }) {
  const { t } = useTranslation();
  const rounds = roundsOf(review.history);
  return (
    <Card
      size="small"
      data-testid="review-state"
      data-status={review.status}
      data-open={review.open}
      title={
        <Space size={8} wrap>
          <span>{t('products.review.stateTitle')}</span>
          <Tag color={reviewStatusColors[review.status]}>{t(`products.vocab.reviewStatuses.${review.status}`)}</Tag>
          {review.round > 0 ? <Typography.Text type="secondary">{t('products.review.round', { round: review.round })}</Typography.Text> : null}
        </Space>
      }
    >
      {review.submittedAt ? (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }} data-testid="review-submitted-at">
          {t('products.review.submittedAt')} <DateTime value={review.submittedAt} />
        </Typography.Paragraph>
      ) : null}
      <Typography.Paragraph type="secondary">{t('products.review.requiredIntro')}</Typography.Paragraph>
      <Flex vertical>
        {review.required.map((reviewer, index) => (
          <div key={reviewer.agencyId ?? 'platform'} data-testid="required-reviewer" data-kind={reviewer.reviewerKind} data-decided={reviewer.decided}>
            <ReviewerLine name={reviewerName(reviewer, t)} decision={decisionOf(review, reviewer)} pending={undecidedText(review, t)} first={index === 0} testId="reviewer-line" />
          </div>
        ))}
      </Flex>
      {rounds.length > 0 ? (
        <div data-testid="review-history">
          <Divider style={{ margin: '12px 0 8px' }} />
          <Typography.Text strong>{t('products.review.historyTitle')}</Typography.Text>
          {rounds.map((round) => (
            <Flex vertical key={round.round} data-testid="review-round" data-round={round.round} style={{ marginTop: 8 }}>
              <Typography.Text type="secondary">
                {round.version === null ? t('products.review.round', { round: round.round }) : t('products.review.roundVersion', { round: round.round, version: round.version })}
              </Typography.Text>
              {round.decisions.map((decision, index) => (
                <ReviewerLine
                  key={`${decision.reviewerKind}-${decision.agencyId ?? 'platform'}-${decision.decidedAt}`}
                  name={reviewerName(decision, t)}
                  decision={decision}
                  pending=""
                  first={index === 0}
                  testId="history-line"
                />
              ))}
            </Flex>
          ))}
        </div>
      ) : null}
    </Card>
  );
}
