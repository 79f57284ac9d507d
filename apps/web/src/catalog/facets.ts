import type { Facet, FacetField } from '../api/schema-types';

export interface FacetOption {
  value: string;
  /** Display name sent by the API where the value is an id (agencies). */
  label?: string;
  count: number;
  selected: boolean;
}

/**
 * The options of one facet, most frequent first (the API's order). The selected value is
 * always offered, with a count of 0 when nothing matches it any more, so it can be unchecked.
 */
export function facetOptions(facets: readonly Facet[], field: FacetField, selected: string | undefined): FacetOption[] {
  const counts = facets.find((facet) => facet.field === field)?.counts ?? [];
  const options: FacetOption[] = counts.map((count) => ({ ...count, selected: count.value === selected }));
  if (selected !== undefined && !options.some((option) => option.selected)) options.unshift({ value: selected, count: 0, selected: true });
  return options;
}

/** The first `limit` options, plus the selected one if it lies further down. */
export function collapsedFacetOptions(options: readonly FacetOption[], limit: number): FacetOption[] {
  const head = options.slice(0, limit);
  const selectedBelow = options.slice(limit).filter((option) => option.selected);
  return [...head, ...selectedBelow];
}
