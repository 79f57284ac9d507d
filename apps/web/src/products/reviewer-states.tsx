import { CheckCircleFilled, ClockCircleOutlined, CloseCircleFilled, MinusCircleOutlined } from '@ant-design/icons';
import { Flex, Tooltip, Typography, theme } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ReviewListReviewer } from '../api/schema-types';
import { DateTime } from '../components/date-time';
import { reviewerName } from './listing';
import { reviewerStanding, type ReviewerStanding } from './review-state';

const standingKey = {
  waiting: 'products.review.waiting',
  approved: 'products.review.decisions.approve',
  rejected: 'products.review.decisions.reject',
  none: 'products.reviews.noDecision',
} as const satisfies Record<ReviewerStanding, string>;

function StandingIcon({ standing }: { standing: ReviewerStanding }) {
  const { token } = theme.useToken();
  if (standing === 'approved') return <CheckCircleFilled style={{ color: token.colorSuccess }} />;
  if (standing === 'rejected') return <CloseCircleFilled style={{ color: token.colorError }} />;
  if (standing === 'waiting') return <ClockCircleOutlined style={{ color: token.colorWarning }} />;
  return <MinusCircleOutlined style={{ color: token.colorTextTertiary }} />;
}

/**
 * Every reviewer a round needs, one line each: where it stands (an icon and a word: waiting,
 * approved, rejected, or no decision once the round closed) and who it is; when it decided is in
 * the tooltip.
 */
export function ReviewerStates({ reviewers, open }: { reviewers: readonly ReviewListReviewer[]; open: boolean }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={2} style={{ minWidth: 0 }} data-testid="reviewer-states">
      {reviewers.map((reviewer) => {
        const standing = reviewerStanding(reviewer, open);
        const name = reviewerName(reviewer, t);
        const word = t(standingKey[standing]);
        return (
          <Tooltip
            key={reviewer.agencyId ?? 'platform'}
            title={
              reviewer.decidedAt ? (
                <span>
                  {name} · {word} · <DateTime value={reviewer.decidedAt} />
                </span>
              ) : (
                `${name} · ${word}`
              )
            }
          >
            <Flex
              gap={6}
              align="center"
              style={{ minWidth: 0 }}
              data-testid="reviewer-standing"
              data-kind={reviewer.reviewerKind}
              data-agency={reviewer.agencyId ?? ''}
              data-standing={standing}
            >
              <StandingIcon standing={standing} />
              <Typography.Text style={{ minWidth: 0, flex: '0 1 auto', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{name}</Typography.Text>
              <Typography.Text type={standing === 'rejected' ? 'danger' : 'secondary'} style={{ whiteSpace: 'nowrap', fontSize: 12, flex: 'none' }}>
                {word}
              </Typography.Text>
            </Flex>
          </Tooltip>
        );
      })}
    </Flex>
  );
}
