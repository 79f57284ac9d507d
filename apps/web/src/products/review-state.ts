import type { TFunction } from 'i18next';
import type { ReviewRecord, ReviewState } from '../api/schema-types';

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
