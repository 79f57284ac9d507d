import { queryTerms, searchTerms } from './search-terms.js';

/**
 * The text-search document and query of a dataset, as PostgreSQL `tsvector` / `tsquery`
 * literals. Terms come from `searchTerms` (letters, digits and `_` only), so they can be
 * quoted without escaping; nothing a user types ever reaches SQL as syntax.
 */
export interface SearchableDataset {
  titles: string[];
  keywords: string[];
  descriptions: string[];
  columnNames: string[];
  agencyName: string;
}

const WEIGHTS = [
  ['A', (d: SearchableDataset) => d.titles],
  ['B', (d: SearchableDataset) => d.keywords],
  ['C', (d: SearchableDataset) => [d.agencyName, ...d.columnNames]],
  ['D', (d: SearchableDataset) => d.descriptions],
] as const;

/** PostgreSQL keeps positions up to 16383; beyond that a position adds nothing to ranking. */
const MAX_POSITION = 16383;

/** A `tsvector` literal: each term once, at the position and weight of its most important field. */
export function buildSearchDocument(dataset: SearchableDataset): string {
  const seen = new Set<string>();
  const entries: string[] = [];
  let position = 1;
  for (const [weight, fields] of WEIGHTS) {
    for (const text of fields(dataset)) {
      for (const term of searchTerms(text)) {
        if (seen.has(term)) continue;
        seen.add(term);
        entries.push(`'${term}':${Math.min(position, MAX_POSITION)}${weight}`);
        position += 1;
      }
    }
  }
  return entries.join(' ');
}

/**
 * A `tsquery` literal requiring every word of the query, as whole terms. (Prefix matching is
 * left out on purpose: PostgreSQL rechecks every candidate row of a prefix query, which costs
 * ten times a whole-term query on a large catalog.) Null when the query has no terms.
 */
export function buildSearchQuery(query: string): string | null {
  const groups = queryTerms(query).slice(0, 16);
  if (groups.length === 0) return null;
  return groups.map((group) => `(${group.map((term) => `'${term}'`).join(' & ')})`).join(' & ');
}
