/**
 * What a product's fields may hold: the names its SQL reads the inputs by, their lineage weights,
 * the size of its SQL and texts, and the URL name made from its English title. The API's request
 * validation and the web app's forms apply the same rules.
 */

/**
 * DuckDB's words that cannot name a table unquoted (`SELECT * FROM select` is a syntax error):
 * the `reserved` keywords of `SELECT keyword_name, keyword_category FROM duckdb_keywords()` (DuckDB
 * 1.5.6) and those of its `type_function` keywords that fail too. Checked word by word against
 * DuckDB with `SELECT * FROM <word>` and `… JOIN <word> ON <word>.a = …`: every other keyword
 * (`columns`, `map`, `struct`, `try_cast`, `year`, `values`…) names a table unquoted.
 */
export const SQL_RESERVED_WORDS: readonly string[] = [
  // reserved
  'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create default',
  'deferrable desc describe distinct do else end except false fetch for foreign from group having in initially intersect',
  'into lambda lateral leading limit not null offset on only or order pivot pivot_longer pivot_wider placing primary',
  'qualify references returning select show some summarize symmetric table then to trailing true union unique unpivot',
  'using variadic when where window with',
  // type_function
  'anti asof at authorization binary by collation concurrently cross freeze full glob ilike inner is isnull join left like',
  'natural notnull outer overlaps positional right semi similar tablesample unpack verbose',
]
  .join(' ')
  .split(' ');

const RESERVED = new Set(SQL_RESERVED_WORDS);

/** Whether DuckDB reads `word` (any case) as a keyword where a table name is expected. */
export function isSqlReservedWord(word: string): boolean {
  return RESERVED.has(word.toLowerCase());
}

/** The name the SQL reads an input by: a plain lower-case SQL identifier of up to 63 characters. */
export const INPUT_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

export type InputNameProblem = 'required' | 'invalid' | 'reserved';

/** Why an input name cannot be used, or null when it can. */
export function inputNameProblem(name: string): InputNameProblem | null {
  if (name === '') return 'required';
  if (!INPUT_NAME_PATTERN.test(name)) return 'invalid';
  if (isSqlReservedWord(name)) return 'reserved';
  return null;
}

/**
 * Lineage weights: whole numbers, at least 1. A weight of 0 is refused, not taken as "no share":
 * every input the SQL reads is credited in the lineage.
 */
export const INPUT_WEIGHT = { min: 1, max: 1_000_000, default: 1 } as const;

export function isValidInputWeight(weight: number): boolean {
  return Number.isInteger(weight) && weight >= INPUT_WEIGHT.min && weight <= INPUT_WEIGHT.max;
}

/** The longest SQL a product keeps, in characters. */
export const PRODUCT_SQL_MAX_LENGTH = 100_000;
/** The longest title, per language, in characters. */
export const PRODUCT_TITLE_MAX_LENGTH = 200;
/** The longest description, per language, in characters. */
export const PRODUCT_DESCRIPTION_MAX_LENGTH = 8_000;
/** The longest URL name (the API's pattern allows 80). */
export const PRODUCT_SLUG_MAX_LENGTH = 80;
/** URL names made from a title stop at a word boundary within this many characters. */
export const PRODUCT_SLUG_FROM_TITLE_LENGTH = 60;

/** Short words a URL name does not end with: "…-visits-by" reads as cut off. */
const DANGLING_WORDS = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'into', 'of', 'on', 'or', 'per', 'the', 'to', 'vs', 'with']);

/**
 * A URL name from an English title: lower-case words joined by hyphens, whole words only up to
 * `PRODUCT_SLUG_FROM_TITLE_LENGTH` characters, without a dangling "and", "by", "of"… at the end.
 * A title without Latin letters or digits gives `fallback`.
 */
export function productSlugFromTitle(title: string, fallback: string): string {
  const words = title
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const kept: string[] = [];
  let length = 0;
  for (const word of words) {
    const next = length + (kept.length > 0 ? 1 : 0) + word.length;
    if (next > PRODUCT_SLUG_FROM_TITLE_LENGTH) break;
    kept.push(word);
    length = next;
  }
  // One word longer than the limit: its start is the best there is.
  if (kept.length === 0 && words.length > 0) kept.push(words[0]!.slice(0, PRODUCT_SLUG_FROM_TITLE_LENGTH));
  while (kept.length > 1 && DANGLING_WORDS.has(kept.at(-1)!)) kept.pop();
  return kept.join('-') || fallback;
}
