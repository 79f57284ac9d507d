import { ApiError } from '../api/api-error';
import type { Theme } from '../api/schema-types';
import { isOneOf, themes } from '../catalog/vocabulary';

export const STOREFRONT_TABS = ['overview', 'schema', 'sample', 'lineage'] as const;
export type StorefrontTab = (typeof STOREFRONT_TABS)[number];

/** The tab a `?tab=` value selects (the overview by default). */
export function storefrontTabOf(requested: string | null): StorefrontTab {
  return (STOREFRONT_TABS as readonly string[]).includes(requested ?? '') ? (requested as StorefrontTab) : 'overview';
}

export interface SuspendedProduct {
  slug: string;
  titleZh: string;
  titleEn: string;
  since: string | null;
}

/** A listed product that is suspended now (409 `product.suspended`): what the storefront may still say about it. */
export function suspendedProductOf(error: unknown): SuspendedProduct | null {
  if (!(error instanceof ApiError) || error.code !== 'product.suspended') return null;
  const details = (typeof error.details === 'object' && error.details !== null ? error.details : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    slug: text(details.slug),
    titleZh: text(details.titleZh),
    titleEn: text(details.titleEn),
    since: typeof details.since === 'string' ? details.since : null,
  };
}

/** The longest search the storefront's product list accepts (as the API). */
export const PRODUCT_SEARCH_MAX_LENGTH = 100;

export interface StorefrontListQuery {
  theme?: Theme;
  q?: string;
}

/** The storefront list's query from the URL (`?q=&theme=`): unknown themes and blank words are dropped. */
export function storefrontListQuery(params: URLSearchParams): StorefrontListQuery {
  const requested = params.get('theme');
  const words = (params.get('q') ?? '').trim().slice(0, PRODUCT_SEARCH_MAX_LENGTH);
  return { ...(isOneOf(themes, requested) ? { theme: requested } : {}), ...(words ? { q: words } : {}) };
}

/** The URL parameters of a storefront list query (empty ones left out). */
export function storefrontListParams(query: StorefrontListQuery): Record<string, string> {
  return { ...(query.q ? { q: query.q } : {}), ...(query.theme ? { theme: query.theme } : {}) };
}
