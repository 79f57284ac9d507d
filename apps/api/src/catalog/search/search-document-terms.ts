/** The weight of a term: the most important field it occurs in (title A, keywords B, agency and columns C, description D). */
export type TermWeight = 'A' | 'B' | 'C' | 'D';

export interface WeightedTerm {
  term: string;
  weight: TermWeight;
}

/** A lexeme of PostgreSQL's `tsvector` output, with its optional positions (`'交通':1A`, `'value':9`, `'x':3B,7`). */
const LEXEME = /'((?:[^'\\]|''|\\.)*)'(?::([0-9A-D,]+))?/g;

function highestWeight(positions: string | undefined): TermWeight {
  if (!positions) return 'D';
  if (positions.includes('A')) return 'A';
  if (positions.includes('B')) return 'B';
  if (positions.includes('C')) return 'C';
  return 'D';
}

/**
 * The terms of a dataset's stored search document (`search_document::text`), each with its
 * highest weight. The document is what `buildSearchDocument` wrote, so the in-process index
 * and PostgreSQL's text search see exactly the same terms.
 */
export function parseSearchDocument(text: string): WeightedTerm[] {
  const terms: WeightedTerm[] = [];
  for (const [, quoted, positions] of text.matchAll(LEXEME)) {
    const term = quoted.replace(/''/g, "'").replace(/\\(.)/g, '$1');
    if (term) terms.push({ term, weight: highestWeight(positions) });
  }
  return terms;
}
