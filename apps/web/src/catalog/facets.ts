import type { Facet, FacetField } from '../api/schema-types';

export interface FacetOption {
  value: string;
  /** Display name sent by the API where the value is an id (agencies). */
  label?: string;
  count: number;
  selected: boolean;
}

/**
 * The options of one facet, most frequent first (the API's order, where each count ignores the
 * facet's own selection: what checking that value as well would add). Selected values are always
 * offered, with a count of 0 when nothing matches them any more, so they can be unchecked.
 */
export function facetOptions(facets: readonly Facet[], field: FacetField, selected: readonly string[] = []): FacetOption[] {
  const counts = facets.find((facet) => facet.field === field)?.counts ?? [];
  const options: FacetOption[] = counts.map((count) => ({ ...count, selected: selected.includes(count.value) }));
  const missing = selected.filter((value) => !options.some((option) => option.value === value));
  return [...missing.map((value) => ({ value, count: 0, selected: true })), ...options];
}

/** The first `limit` options, plus the selected ones lying further down. */
export function collapsedFacetOptions(options: readonly FacetOption[], limit: number): FacetOption[] {
  const head = options.slice(0, limit);
  const selectedBelow = options.slice(limit).filter((option) => option.selected);
  return [...head, ...selectedBelow];
}
