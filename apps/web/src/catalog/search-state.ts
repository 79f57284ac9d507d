import type { Classification, FacetField, SearchDatasetsQuery, SearchSort, SourceFormat, Theme, UpdateFrequency } from '../api/schema-types';
import { classifications, isOneOf, searchSorts, sourceFormats, themes, updateFrequencies } from './vocabulary';

/** What the storefront search shows; the URL query string holds it (shareable, back button). */
export interface CatalogSearchState {
  q: string;
  theme?: Theme;
  /** Agency slug. */
  agency?: string;
  classification?: Classification;
  format?: SourceFormat;
  updateFrequency?: UpdateFrequency;
  /** Unset: the server's default (relevance with words, else most recent). */
  sort?: SearchSort;
  /** 1-based. */
  page: number;
}

export const CATALOG_PAGE_SIZE = 10;
const MAX_QUERY_LENGTH = 200;
const MAX_PAGE = 1000;
const AGENCY_SLUG = /^[a-z0-9-]{1,80}$/;

export const facetFields: readonly FacetField[] = ['theme', 'agency', 'classification', 'format', 'updateFrequency'];

export const emptySearchState: CatalogSearchState = { q: '', page: 1 };

/** Reads the state from a query string, ignoring values the API would refuse (an edited or stale link). */
export function parseSearchState(params: URLSearchParams): CatalogSearchState {
  const state: CatalogSearchState = { q: (params.get('q') ?? '').trim().slice(0, MAX_QUERY_LENGTH), page: 1 };
  const theme = params.get('theme');
  if (isOneOf(themes, theme)) state.theme = theme;
  const agency = params.get('agency');
  if (agency && AGENCY_SLUG.test(agency)) state.agency = agency;
  const classification = params.get('classification');
  if (isOneOf(classifications, classification)) state.classification = classification;
  const format = params.get('format');
  if (isOneOf(sourceFormats, format)) state.format = format;
  const updateFrequency = params.get('updateFrequency');
  if (isOneOf(updateFrequencies, updateFrequency)) state.updateFrequency = updateFrequency;
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
  for (const field of facetFields) {
    const value = state[field];
    if (value) params.set(field, value);
  }
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

/** Selects one value of a facet (or clears it with undefined); results start again at page 1. */
export function withFacet(state: CatalogSearchState, field: FacetField, value: string | undefined): CatalogSearchState {
  const next: CatalogSearchState = { ...state, page: 1 };
  delete next[field];
  if (value === undefined) return next;
  const parsed = parseSearchState(new URLSearchParams({ [field]: value }));
  return parsed[field] ? { ...next, [field]: parsed[field] } : next;
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

/** The facet filters in force, in facet order. */
export function activeFilters(state: CatalogSearchState): Array<{ field: FacetField; value: string }> {
  return facetFields.flatMap((field) => {
    const value = state[field];
    return value ? [{ field, value }] : [];
  });
}

export function hasCriteria(state: CatalogSearchState): boolean {
  return state.q !== '' || activeFilters(state).length > 0;
}
