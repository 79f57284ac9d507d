import {
  activeFilters,
  effectiveSort,
  emptySearchState,
  hasCriteria,
  parseSearchState,
  toApiQuery,
  toSearchParams,
  withFacet,
  withFacetValue,
  withPage,
  withQuery,
  withSort,
} from './search-state';

const parse = (query: string) => parseSearchState(new URLSearchParams(query));

describe('catalog search state in the URL', () => {
  it('reads every criterion from the query string', () => {
    expect(parse('q=%E4%BA%A4%E9%80%9A&theme=transport&agency=transport-bureau&classification=open&format=csv&updateFrequency=daily&sort=popular&page=3')).toEqual({
      q: '交通',
      theme: ['transport'],
      agency: ['transport-bureau'],
      classification: ['open'],
      format: ['csv'],
      updateFrequency: ['daily'],
      sort: 'popular',
      page: 3,
    });
  });

  it('reads several values of a facet, in their order, without repeats or refused values', () => {
    expect(parse('theme=transport&theme=energy&theme=weather&theme=transport&classification=open&classification=conditional')).toEqual({
      q: '',
      theme: ['transport', 'energy'],
      classification: ['open', 'conditional'],
      page: 1,
    });
    expect(parse('agency=a-bureau&agency=B%20C&agency=c-bureau').agency).toEqual(['a-bureau', 'c-bureau']);
  });

  it('ignores values the API would refuse, from an edited or stale link', () => {
    expect(parse('theme=weather&agency=Not%20A%20Slug&classification=secret&format=xlsx&updateFrequency=sometimes&sort=best&page=-2')).toEqual(emptySearchState);
    expect(parse('page=2.5').page).toBe(1);
    expect(parse('page=99999').page).toBe(1000);
    expect(parse(`q=${'x'.repeat(300)}`).q).toHaveLength(200);
  });

  it('writes only what differs from the defaults, and reads back the same state', () => {
    expect(toSearchParams(emptySearchState).toString()).toBe('');
    const state = {
      q: 'air quality',
      theme: ['environment' as const, 'meteorology' as const],
      classification: ['conditional' as const],
      sort: 'title' as const,
      page: 2,
    };
    const query = toSearchParams(state).toString();
    expect(query).toBe('q=air+quality&theme=environment&theme=meteorology&classification=conditional&sort=title&page=2');
    expect(parse(query)).toEqual(state);
  });

  it('builds the API query with the page size', () => {
    expect(toApiQuery(parse('q=bus&agency=transport&agency=housing&page=2'), 10)).toEqual({ q: 'bus', agency: ['transport', 'housing'], page: 2, pageSize: 10 });
    expect(toApiQuery(emptySearchState, 10)).toEqual({ page: 1, pageSize: 10 });
  });
});

describe('changing the search', () => {
  const onPageThree = parse('q=bus&theme=transport&page=3');

  it('starts again at page 1 when a facet changes, and clears a facet with undefined', () => {
    const next = withFacet(onPageThree, 'classification', 'open');
    expect(next).toMatchObject({ classification: ['open'], theme: ['transport'], page: 1 });
    expect(withFacet(next, 'theme', undefined)).toEqual({ q: 'bus', classification: ['open'], page: 1 });
  });

  it('checks and unchecks values of a facet, keeping the others, and refuses unknown values', () => {
    const both = withFacetValue(onPageThree, 'theme', 'energy', true);
    expect(both).toMatchObject({ theme: ['transport', 'energy'], page: 1 });
    expect(withFacetValue(both, 'theme', 'energy', true).theme).toEqual(['transport', 'energy']);
    expect(withFacetValue(both, 'theme', 'transport', false).theme).toEqual(['energy']);
    expect(withFacetValue(withFacetValue(both, 'theme', 'transport', false), 'theme', 'energy', false)).toEqual({ q: 'bus', page: 1 });
    expect(withFacetValue(onPageThree, 'theme', 'nonsense', true).theme).toEqual(['transport']);
    expect(withFacet(onPageThree, 'theme', 'housing').theme).toEqual(['housing']);
    expect(withFacet(onPageThree, 'theme', 'nonsense').theme).toBeUndefined();
  });

  it('sorts by relevance only while there are words', () => {
    expect(effectiveSort(emptySearchState)).toBe('recent');
    expect(effectiveSort(parse('q=bus'))).toBe('relevance');
    const byRelevance = withSort(parse('q=bus&page=2'), 'relevance');
    expect(byRelevance.page).toBe(1);
    expect(withQuery(byRelevance, '  ')).toEqual({ q: '', page: 1 });
    expect(withQuery(withSort(emptySearchState, 'popular'), 'rail').sort).toBe('popular');
  });

  it('keeps pages within the API limits', () => {
    expect(withPage(emptySearchState, 0).page).toBe(1);
    expect(withPage(emptySearchState, 5000).page).toBe(1000);
  });

  it('lists the filters in force', () => {
    expect(activeFilters(onPageThree)).toEqual([{ field: 'theme', value: 'transport' }]);
    expect(activeFilters(parse('format=csv&theme=energy&theme=transport'))).toEqual([
      { field: 'theme', value: 'energy' },
      { field: 'theme', value: 'transport' },
      { field: 'format', value: 'csv' },
    ]);
    expect(hasCriteria(emptySearchState)).toBe(false);
    expect(hasCriteria(parse('format=csv'))).toBe(true);
  });
});
