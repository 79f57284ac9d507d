import { accessRequest, grant } from '../test/catalog-fixtures';
import { grantsOf, sortForReview } from './access-display';

describe('sortForReview', () => {
  it('puts waiting requests first, oldest first, then decided ones newest first', () => {
    const requests = [
      accessRequest({ id: 'decided-old', status: 'approved', createdAt: '2026-01-01T00:00:00Z' }),
      accessRequest({ id: 'pending-new', createdAt: '2026-11-20T00:00:00Z' }),
      accessRequest({ id: 'decided-new', status: 'rejected', createdAt: '2026-06-01T00:00:00Z' }),
      accessRequest({ id: 'pending-old', createdAt: '2026-11-01T00:00:00Z' }),
    ];
    expect(sortForReview(requests).map((request) => request.id)).toEqual(['pending-old', 'pending-new', 'decided-new', 'decided-old']);
  });
});

describe('grantsOf', () => {
  it('collects the grants of approved requests, newest first', () => {
    const first = grant({ id: 'first', startsAt: '2026-01-01T00:00:00Z' });
    const second = grant({ id: 'second', startsAt: '2026-05-01T00:00:00Z' });
    const requests = [accessRequest({ status: 'approved', grant: first }), accessRequest(), accessRequest({ status: 'approved', grant: second })];
    expect(grantsOf(requests).map((item) => item.id)).toEqual(['second', 'first']);
  });
});
