import type { Facet } from '../api/schema-types';
import { collapsedFacetOptions, facetOptions } from './facets';

const facets: Facet[] = [
  {
    field: 'agency',
    counts: [
      { value: 'transport', label: 'Transport Bureau', count: 4 },
      { value: 'housing', label: 'Housing Bureau', count: 2 },
    ],
  },
  { field: 'theme', counts: [] },
];

describe('facetOptions', () => {
  it("keeps the API's order, labels and counts, and marks the selected value", () => {
    expect(facetOptions(facets, 'agency', 'housing')).toEqual([
      { value: 'transport', label: 'Transport Bureau', count: 4, selected: false },
      { value: 'housing', label: 'Housing Bureau', count: 2, selected: true },
    ]);
  });

  it('still offers a selected value that no longer matches anything, so it can be unchecked', () => {
    expect(facetOptions(facets, 'theme', 'health')).toEqual([{ value: 'health', count: 0, selected: true }]);
    expect(facetOptions(facets, 'format', undefined)).toEqual([]);
  });
});

describe('collapsedFacetOptions', () => {
  const options = ['a', 'b', 'c', 'd'].map((value, index) => ({ value, count: 10 - index, selected: value === 'd' }));

  it('shows the first options and the selected one below them', () => {
    expect(collapsedFacetOptions(options, 2).map((option) => option.value)).toEqual(['a', 'b', 'd']);
    expect(collapsedFacetOptions(options, 10)).toHaveLength(4);
  });
});
