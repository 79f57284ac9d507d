import type { TFunction } from 'i18next';
import type { ReviewRecord } from '../api/schema-types';
import { decisionOf, roundsOf, undecidedText } from './review-state';

const t = ((key: string) => key) as unknown as TFunction;

const decision = (overrides: Partial<ReviewRecord>): ReviewRecord => ({
  round: 1,
  version: 1,
  reviewerKind: 'platform',
  agencyId: null,
  agencyName: null,
  decidedByName: null,
  decision: 'approve',
  reason: '',
  decidedAt: '2026-11-20T09:00:00.000Z',
  ...overrides,
});

describe('review state', () => {
  it('says waiting only while the round is open', () => {
    expect(undecidedText({ round: 2, open: true }, t)).toBe('products.review.waiting');
    expect(undecidedText({ round: 2, open: false }, t)).toBe('products.review.noDecision');
    expect(undecidedText({ round: 0, open: false }, t)).toBe('products.review.notYet');
  });

  it("finds a reviewer's decision by kind and agency", () => {
    const agency = decision({ reviewerKind: 'agency', agencyId: 'a1', decision: 'reject' });
    expect(decisionOf({ decisions: [decision({}), agency] }, { reviewerKind: 'agency', agencyId: 'a1' })).toBe(agency);
    expect(decisionOf({ decisions: [agency] }, { reviewerKind: 'platform', agencyId: null })).toBeUndefined();
  });

  it('groups earlier decisions by round, latest round first, each in the order made', () => {
    const rounds = roundsOf([
      decision({ round: 1, decidedAt: '2026-11-19T10:00:00.000Z', reviewerKind: 'agency', agencyId: 'a1' }),
      decision({ round: 3, version: 2, decision: 'reject' }),
      decision({ round: 1, decidedAt: '2026-11-19T09:00:00.000Z' }),
    ]);
    expect(rounds.map((round) => [round.round, round.version, round.decisions.map((entry) => entry.reviewerKind)])).toEqual([
      [3, 2, ['platform']],
      [1, 1, ['platform', 'agency']],
    ]);
  });
});
