import type { TFunction } from 'i18next';
import type { ReviewListReviewer, ReviewListState, ReviewRecord, ReviewState } from '../api/schema-types';

/** The decision a required reviewer made this round, if any. */
export function decisionOf(review: Pick<ReviewState, 'decisions'>, reviewer: Pick<ReviewState['required'][number], 'reviewerKind' | 'agencyId'>): ReviewRecord | undefined {
  return review.decisions.find((decision) => decision.reviewerKind === reviewer.reviewerKind && decision.agencyId === reviewer.agencyId);
}

/** Where a reviewer without a decision stands: waiting while the round is open, not needed once it closed. */
export function undecidedText(review: Pick<ReviewState, 'round' | 'open'>, t: TFunction): string {
  if (review.open) return t('products.review.waiting');
  return review.round > 0 ? t('products.review.noDecision') : t('products.review.notYet');
}

/** Earlier rounds' decisions, latest round first, each round's in the order they were made. */
export function roundsOf(history: readonly ReviewRecord[]): Array<{ round: number; version: number | null; decisions: ReviewRecord[] }> {
  const rounds = new Map<number, ReviewRecord[]>();
  for (const decision of history) rounds.set(decision.round, [...(rounds.get(decision.round) ?? []), decision]);
  return [...rounds.entries()]
    .sort(([a], [b]) => b - a)
    .map(([round, decisions]) => ({
      round,
      version: decisions[0]?.version ?? null,
      decisions: [...decisions].sort((a, b) => a.decidedAt.localeCompare(b.decidedAt)),
    }));
}

/** The review list's filter, in the order shown: what is in review (the default), what was decided, everything. */
export const REVIEW_LIST_STATES: readonly ReviewListState[] = ['in_review', 'decided', 'all'];

/** Where the review list stands, as its URL says (`?tab=decided&page=2`); anything unknown is the default. */
export function reviewListLocation(params: URLSearchParams): { state: ReviewListState; page: number } {
  const tab = params.get('tab');
  const page = Number(params.get('page'));
  return {
    state: (REVIEW_LIST_STATES as readonly string[]).includes(tab ?? '') ? (tab as ReviewListState) : 'in_review',
    page: Number.isInteger(page) && page >= 1 && page <= 1000 ? page : 1,
  };
}

/** The URL's search for a place in the review list, leaving out the defaults (in review, page 1). */
export function reviewListSearch(state: ReviewListState, page = 1): string {
  const params = new URLSearchParams();
  if (state !== 'in_review') params.set('tab', state);
  if (page > 1) params.set('page', String(page));
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** The tab of the review list a product's review is found under (for the way back from it). */
export function reviewListStateOf(review: Pick<ReviewState, 'status' | 'open'>): ReviewListState {
  if (review.open) return 'in_review';
  return review.status === 'approved' || review.status === 'rejected' ? 'decided' : 'all';
}

export type ReviewerStanding = 'waiting' | 'approved' | 'rejected' | 'none';

/** Where one required reviewer stands in a round: its decision, else waiting while the round is open, else none (the round closed without it). */
export function reviewerStanding(reviewer: Pick<ReviewListReviewer, 'decision'>, open: boolean): ReviewerStanding {
  if (reviewer.decision === 'approve') return 'approved';
  if (reviewer.decision === 'reject') return 'rejected';
  return open ? 'waiting' : 'none';
}
