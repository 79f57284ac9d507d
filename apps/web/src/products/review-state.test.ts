import type { TFunction } from 'i18next';
import type { ReviewRecord } from '../api/schema-types';
import { decisionOf, reviewerStanding, reviewListLocation, reviewListSearch, reviewListStateOf, roundsOf, undecidedText } from './review-state';

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

  it('reads the list\'s state and page from the URL, anything unknown as the default', () => {
    expect(reviewListLocation(new URLSearchParams(''))).toEqual({ state: 'in_review', page: 1 });
    expect(reviewListLocation(new URLSearchParams('tab=decided&page=3'))).toEqual({ state: 'decided', page: 3 });
    expect(reviewListLocation(new URLSearchParams('tab=all'))).toEqual({ state: 'all', page: 1 });
    expect(reviewListLocation(new URLSearchParams('tab=closed&page=-2'))).toEqual({ state: 'in_review', page: 1 });
    expect(reviewListLocation(new URLSearchParams('tab=decided&page=1.5'))).toEqual({ state: 'decided', page: 1 });
    expect(reviewListLocation(new URLSearchParams('page=1001'))).toEqual({ state: 'in_review', page: 1 });
  });

  it('writes the list\'s URL without the defaults', () => {
    expect(reviewListSearch('in_review')).toBe('');
    expect(reviewListSearch('in_review', 2)).toBe('?page=2');
    expect(reviewListSearch('decided')).toBe('?tab=decided');
    expect(reviewListSearch('all', 4)).toBe('?tab=all&page=4');
    // What the URL says reads back the same.
    expect(reviewListLocation(new URLSearchParams(reviewListSearch('all', 4)))).toEqual({ state: 'all', page: 4 });
  });

  it('finds a review under the tab of where its round stands', () => {
    expect(reviewListStateOf({ open: true, status: 'pending' })).toBe('in_review');
    expect(reviewListStateOf({ open: false, status: 'approved' })).toBe('decided');
    expect(reviewListStateOf({ open: false, status: 'rejected' })).toBe('decided');
    expect(reviewListStateOf({ open: false, status: 'cancelled' })).toBe('all');
  });

  it('says where each reviewer stands: its decision, else waiting while the round is open, else none', () => {
    expect(reviewerStanding({ decision: 'approve' }, true)).toBe('approved');
    expect(reviewerStanding({ decision: 'reject' }, false)).toBe('rejected');
    expect(reviewerStanding({ decision: null }, true)).toBe('waiting');
    expect(reviewerStanding({ decision: null }, false)).toBe('none');
  });
});
