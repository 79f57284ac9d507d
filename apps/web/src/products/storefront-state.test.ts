import { ApiError } from '../api/api-error';
import { storefrontListParams, storefrontListQuery, storefrontTabOf, suspendedProductOf } from './storefront-state';

describe('storefront state in the URL', () => {
  it('reads search words and a known theme, and drops the rest', () => {
    expect(storefrontListQuery(new URLSearchParams('q=%20拥堵%20&theme=transport'))).toEqual({ q: '拥堵', theme: 'transport' });
    expect(storefrontListQuery(new URLSearchParams('q=%20&theme=nonsense'))).toEqual({});
    expect(storefrontListQuery(new URLSearchParams(`q=${'x'.repeat(150)}`)).q).toHaveLength(100);
    expect(storefrontListParams({ q: 'weather', theme: undefined })).toEqual({ q: 'weather' });
    expect(storefrontListParams({ q: '', theme: 'statistics' })).toEqual({ theme: 'statistics' });
  });

  it('selects a tab from ?tab=, the overview otherwise', () => {
    expect(storefrontTabOf('lineage')).toBe('lineage');
    expect(storefrontTabOf('offers')).toBe('overview');
    expect(storefrontTabOf(null)).toBe('overview');
  });

  it('recognizes a suspended product and keeps only what may be said of it', () => {
    const error = new ApiError(409, 'product.suspended', 'Unavailable.', { slug: 'road', titleZh: '道路', titleEn: 'Road', since: '2026-11-20T09:00:00.000Z', schema: [] });
    expect(suspendedProductOf(error)).toEqual({ slug: 'road', titleZh: '道路', titleEn: 'Road', since: '2026-11-20T09:00:00.000Z' });
    expect(suspendedProductOf(new ApiError(404, 'product.not_found', 'Not found.'))).toBeNull();
    expect(suspendedProductOf(new Error('x'))).toBeNull();
  });
});
