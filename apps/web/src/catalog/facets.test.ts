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
    expect(facetOptions(facets, 'agency', ['housing'])).toEqual([
      { value: 'transport', label: 'Transport Bureau', count: 4, selected: false },
      { value: 'housing', label: 'Housing Bureau', count: 2, selected: true },
    ]);
    expect(facetOptions(facets, 'agency', ['housing', 'transport']).map((option) => option.selected)).toEqual([true, true]);
  });

  it('still offers selected values that no longer match anything, so they can be unchecked', () => {
    expect(facetOptions(facets, 'theme', ['health', 'energy'])).toEqual([
      { value: 'health', count: 0, selected: true },
      { value: 'energy', count: 0, selected: true },
    ]);
    expect(facetOptions(facets, 'agency', ['water', 'housing']).map((option) => [option.value, option.count])).toEqual([
      ['water', 0],
      ['transport', 4],
      ['housing', 2],
    ]);
    expect(facetOptions(facets, 'format', undefined)).toEqual([]);
  });
});

describe('collapsedFacetOptions', () => {
  const options = ['a', 'b', 'c', 'd', 'e'].map((value, index) => ({ value, count: 10 - index, selected: value === 'd' || value === 'e' }));

  it('shows the first options and the selected ones below them', () => {
    expect(collapsedFacetOptions(options, 2).map((option) => option.value)).toEqual(['a', 'b', 'd', 'e']);
    expect(collapsedFacetOptions(options, 10)).toHaveLength(5);
  });
});
