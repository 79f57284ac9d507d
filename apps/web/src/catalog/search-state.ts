import type { Classification, FacetField, SearchDatasetsQuery, SearchSort, SourceFormat, Theme, UpdateFrequency } from '../api/schema-types';
import { classifications, isOneOf, searchSorts, sourceFormats, themes, updateFrequencies } from './vocabulary';

/**
 * What the storefront search shows; the URL query string holds it (shareable, back button).
 * Each facet holds the values chosen (a dataset with any of them matches; facets combine with
 * AND), in the order they were chosen, never empty (unset instead); repeated in the URL as
 * `theme=transport&theme=energy`.
 */
export interface CatalogSearchState {
  q: string;
  theme?: Theme[];
  /** Agency slugs. */
  agency?: string[];
  classification?: Classification[];
  format?: SourceFormat[];
  updateFrequency?: UpdateFrequency[];
  /** Unset: the server's default (relevance with words, else most recent). */
  sort?: SearchSort;
  /** 1-based. */
  page: number;
}

export const CATALOG_PAGE_SIZE = 10;
const MAX_QUERY_LENGTH = 200;
const MAX_PAGE = 1000;
/** As many values per facet as the API takes. */
const MAX_FACET_VALUES = 50;
const AGENCY_SLUG = /^[a-z0-9-]{1,80}$/;

export const facetFields: readonly FacetField[] = ['theme', 'agency', 'classification', 'format', 'updateFrequency'];

export const emptySearchState: CatalogSearchState = { q: '', page: 1 };

/** The valid values of a facet in a query string, without repeats, in their order. */
function valuesOf<T extends string>(params: URLSearchParams, field: FacetField, valid: (value: string) => value is T): T[] | undefined {
  const values = [...new Set(params.getAll(field))].filter(valid).slice(0, MAX_FACET_VALUES);
  return values.length > 0 ? values : undefined;
}

const facetValidators: { [Field in FacetField]: (value: string) => value is NonNullable<CatalogSearchState[Field]>[number] } = {
  theme: (value): value is Theme => isOneOf(themes, value),
  agency: (value): value is string => AGENCY_SLUG.test(value),
  classification: (value): value is Classification => isOneOf(classifications, value),
  format: (value): value is SourceFormat => isOneOf(sourceFormats, value),
  updateFrequency: (value): value is UpdateFrequency => isOneOf(updateFrequencies, value),
};

/** Reads the state from a query string, ignoring values the API would refuse (an edited or stale link). */
export function parseSearchState(params: URLSearchParams): CatalogSearchState {
  const state: CatalogSearchState = { q: (params.get('q') ?? '').trim().slice(0, MAX_QUERY_LENGTH), page: 1 };
  const theme = valuesOf(params, 'theme', facetValidators.theme);
  if (theme) state.theme = theme;
  const agency = valuesOf(params, 'agency', facetValidators.agency);
  if (agency) state.agency = agency;
  const classification = valuesOf(params, 'classification', facetValidators.classification);
  if (classification) state.classification = classification;
  const format = valuesOf(params, 'format', facetValidators.format);
  if (format) state.format = format;
  const updateFrequency = valuesOf(params, 'updateFrequency', facetValidators.updateFrequency);
  if (updateFrequency) state.updateFrequency = updateFrequency;
  const sort = params.get('sort');
  if (isOneOf(searchSorts, sort)) state.sort = sort;
  const page = Number(params.get('page'));
  if (Number.isInteger(page) && page >= 1) state.page = Math.min(page, MAX_PAGE);
  return state;
}

/** The query string for a state, without defaults, in a stable order. */
export function toSearchParams(state: CatalogSearchState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  for (const field of facetFields) for (const value of state[field] ?? []) params.append(field, value);
  if (state.sort) params.set('sort', state.sort);
  if (state.page > 1) params.set('page', String(state.page));
  return params;
}

/** The API query for a state. */
export function toApiQuery(state: CatalogSearchState, pageSize = CATALOG_PAGE_SIZE): SearchDatasetsQuery {
  const query: SearchDatasetsQuery = { page: state.page, pageSize };
  if (state.q) query.q = state.q;
  if (state.theme) query.theme = state.theme;
  if (state.agency) query.agency = state.agency;
  if (state.classification) query.classification = state.classification;
  if (state.format) query.format = state.format;
  if (state.updateFrequency) query.updateFrequency = state.updateFrequency;
  if (state.sort) query.sort = state.sort;
  return query;
}

/** The sort the results are in: the chosen one, else the server's default. */
export function effectiveSort(state: CatalogSearchState): SearchSort {
  return state.sort ?? (state.q ? 'relevance' : 'recent');
}

/** The facet holding exactly these values (unset when none); values the API would refuse are dropped; results start again at page 1. */
function withFacetValues(state: CatalogSearchState, field: FacetField, values: readonly string[]): CatalogSearchState {
  const next: CatalogSearchState = { ...state, page: 1 };
  delete next[field];
  const parsed = parseSearchState(new URLSearchParams(values.map((value) => [field, value])));
  return parsed[field] ? { ...next, [field]: parsed[field] } : next;
}

/** Selects only this value of a facet (or clears the facet with undefined). */
export function withFacet(state: CatalogSearchState, field: FacetField, value: string | undefined): CatalogSearchState {
  return withFacetValues(state, field, value === undefined ? [] : [value]);
}

/** Adds a value to a facet's selection, or removes it; the other values stay chosen. */
export function withFacetValue(state: CatalogSearchState, field: FacetField, value: string, selected: boolean): CatalogSearchState {
  const current: readonly string[] = state[field] ?? [];
  return withFacetValues(state, field, selected ? [...current, value] : current.filter((candidate) => candidate !== value));
}

/** New words: relevance applies again unless another order was chosen, from page 1. */
export function withQuery(state: CatalogSearchState, q: string): CatalogSearchState {
  const trimmed = q.trim().slice(0, MAX_QUERY_LENGTH);
  const next: CatalogSearchState = { ...state, q: trimmed, page: 1 };
  if (!trimmed && next.sort === 'relevance') delete next.sort;
  return next;
}

export function withSort(state: CatalogSearchState, sort: SearchSort): CatalogSearchState {
  return { ...state, sort, page: 1 };
}

export function withPage(state: CatalogSearchState, page: number): CatalogSearchState {
  return { ...state, page: Math.max(1, Math.min(MAX_PAGE, Math.trunc(page))) };
}

/** The facet values in force, in facet order, then in the order chosen. */
export function activeFilters(state: CatalogSearchState): Array<{ field: FacetField; value: string }> {
  return facetFields.flatMap((field) => (state[field] ?? []).map((value) => ({ field, value })));
}

export function hasCriteria(state: CatalogSearchState): boolean {
  return state.q !== '' || activeFilters(state).length > 0;
}
