import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Flex, Grid, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { queryKeys } from '../api/query-keys';
import type { ProductReviewSummary, ReviewListState } from '../api/schema-types';
import { useMe } from '../auth/auth-context';
import { hasPermission } from '../auth/permissions';
import { localizedText } from '../catalog/localized-text';
import { DateTime } from '../components/date-time';
import { formatCount } from '../components/number-format';
import { PageHeader } from '../components/page-header';
import { reviewStatusColors } from '../products/product-vocabulary';
import { ReviewerStates } from '../products/reviewer-states';
import { REVIEW_LIST_STATES, reviewListLocation, reviewListSearch } from '../products/review-state';
import { TitleCell } from '../products/title-cell';

const PAGE_SIZE = 20;

function NoWrap({ children }: { children: ReactNode }) {
  return <span style={{ whiteSpace: 'nowrap' }}>{children}</span>;
}

/**
 * The reviews the caller may read: what is in review (the caller's own undecided ones first),
 * what was decided, or everything, each with every required reviewer where it stands. The filter
 * and page are in the URL (`?tab=decided&page=2`).
 */
export function ProductReviewsPage() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const narrow = !Grid.useBreakpoint().md;
  const supervising = !hasPermission(me.permissions, 'products:review');
  const [params, setParams] = useSearchParams();
  const { state, page } = reviewListLocation(params);
  const reviews = useQuery({
    queryKey: queryKeys.productReviewList(state, page),
    queryFn: () => unwrap(api.GET('/api/v1/product-reviews', { params: { query: { state, page, pageSize: PAGE_SIZE } } })),
    placeholderData: keepPreviousData,
  });
  const go = (next: ReviewListState, nextPage = 1) => setParams(new URLSearchParams(reviewListSearch(next, nextPage)));
  const counts = reviews.data?.counts;

  const title = (review: ProductReviewSummary) => localizedText(review.titleZh, review.titleEn, i18n.language);
  const status = (review: ProductReviewSummary) => (
    <Flex gap={4} wrap align="center" data-testid="review-list-status" data-status={review.reviewStatus}>
      <Tag color={reviewStatusColors[review.reviewStatus]} style={{ marginInlineEnd: 0 }}>
        {t(`products.vocab.reviewStatuses.${review.reviewStatus}`)}
      </Tag>
      {review.awaitingYou ? (
        <Tag color="gold" style={{ marginInlineEnd: 0 }} data-testid="review-awaiting-you">
          {t('products.reviews.awaitingYou')}
        </Tag>
      ) : null}
    </Flex>
  );
  const round = (review: ProductReviewSummary) =>
    review.version === null ? t('products.review.round', { round: review.round }) : t('products.review.roundVersion', { round: review.round, version: review.version });
  const link = (review: ProductReviewSummary) => `/console/product-reviews/${review.id}`;

  // Phones: one column, the review stacked (title, owner, where it stands, reviewers, dates): nothing off-screen.
  const columns: TableColumnsType<ProductReviewSummary> = narrow
    ? [
        {
          key: 'review',
          title: t('products.list.columns.title'),
          render: (_, review) => (
            <Flex vertical gap={6} style={{ minWidth: 0 }}>
              <TitleCell to={link(review)} primary={title(review).primary} secondary={title(review).secondary} testId={`review-link-${review.slug}`} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {review.organizationName} · {round(review)}
              </Typography.Text>
              {status(review)}
              <ReviewerStates reviewers={review.reviewers} open={review.reviewStatus === 'pending'} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {review.decidedAt ? (
                  <>
                    {t('products.reviews.decided')} <DateTime value={review.decidedAt} />
                  </>
                ) : (
                  <>
                    {t('products.reviews.submitted')} <DateTime value={review.submittedAt ?? review.updatedAt} />
                  </>
                )}
              </Typography.Text>
            </Flex>
          ),
        },
      ]
    : [
        {
          key: 'title',
          title: t('products.list.columns.title'),
          render: (_, review) => (
            <TitleCell
              to={link(review)}
              primary={title(review).primary}
              secondary={title(review).secondary}
              testId={`review-link-${review.slug}`}
              extra={
                <Typography.Text type="secondary" ellipsis={{ tooltip: review.organizationName }} style={{ display: 'block', fontSize: 12, marginTop: 2 }}>
                  {review.organizationName}
                </Typography.Text>
              }
            />
          ),
        },
        {
          key: 'status',
          width: 160,
          title: t('products.reviews.columns.review'),
          render: (_, review) => (
            <Flex vertical gap={4} align="flex-start">
              {status(review)}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {round(review)}
              </Typography.Text>
            </Flex>
          ),
        },
        {
          key: 'reviewers',
          // Room for an agency's whole name beside its decision, less when two date columns follow.
          width: state === 'all' ? 320 : 360,
          title: t('products.reviews.columns.reviewers'),
          render: (_, review) => <ReviewerStates reviewers={review.reviewers} open={review.reviewStatus === 'pending'} />,
        },
        // In review: when it was submitted; decided: when it was decided; everything: both.
        ...(state === 'decided'
          ? []
          : [
              {
                key: 'submitted',
                width: 180,
                title: t('products.reviews.submitted'),
                render: (_: unknown, review: ProductReviewSummary) => (
                  <NoWrap>
                    <DateTime value={review.submittedAt ?? review.updatedAt} />
                  </NoWrap>
                ),
              },
            ]),
        ...(state === 'in_review'
          ? []
          : [
              {
                key: 'decided',
                width: 180,
                title: t('products.reviews.decided'),
                render: (_: unknown, review: ProductReviewSummary) => (
                  <NoWrap>
                    <DateTime value={review.decidedAt} empty={t('common.none')} />
                  </NoWrap>
                ),
              },
            ]),
      ];

  const empty = reviews.isError ? t('common.loadFailed') : t(`products.reviews.empty.${state}`);

  return (
    <>
      <PageHeader
        title={t('products.reviews.title')}
        description={t(
          supervising
            ? 'products.reviews.descriptionSupervisor'
            : me.organization.kind === 'platform'
              ? 'products.reviews.descriptionPlatform'
              : 'products.reviews.descriptionAgency',
        )}
      />
      <Tabs
        activeKey={state}
        onChange={(key) => go(key as ReviewListState)}
        data-testid="review-list-tabs"
        items={REVIEW_LIST_STATES.map((key) => ({
          key,
          label: (
            <span data-testid={`review-list-tab-${key}`}>
              {t(`products.reviews.filters.${key}`)}
              {counts ? (
                <Typography.Text type="secondary" style={{ marginInlineStart: 6 }} data-testid={`review-list-count-${key}`}>
                  {formatCount(counts[key], i18n.language)}
                </Typography.Text>
              ) : null}
            </span>
          ),
        }))}
      />
      <Table<ProductReviewSummary>
        data-testid="product-review-queue"
        data-state={state}
        rowKey="id"
        loading={reviews.isPending || reviews.isPlaceholderData}
        columns={columns}
        dataSource={reviews.data?.items}
        tableLayout="fixed"
        scroll={narrow ? undefined : { x: state === 'all' ? 1080 : 900 }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: reviews.data?.total ?? 0,
          showSizeChanger: false,
          hideOnSinglePage: true,
          onChange: (next) => go(state, next),
        }}
        locale={{ emptyText: empty }}
      />
    </>
  );
}
