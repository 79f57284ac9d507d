/**
 * Search terms for the catalog, for Chinese and English alike. PostgreSQL's text search does
 * not segment Chinese, so terms are made here: ICU word segmentation (Intl.Segmenter, built
 * into Node) plus the character bigrams of longer Chinese words, so a query matches whether
 * it is segmented the same way as the document or not ("交通" finds "城市道路交通流量",
 * and so does "交通流量").
 */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /\p{Script=Han}/u;

function bigrams(word: string): string[] {
  const characters = [...word];
  const result: string[] = [];
  for (let index = 0; index + 1 < characters.length; index += 1) result.push(characters[index] + characters[index + 1]);
  return result;
}

/** Lower-cased terms of a text, in order, duplicates removed. */
export function searchTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const { segment, isWordLike } of segmenter.segment(text.normalize('NFKC').toLowerCase())) {
    if (!isWordLike) continue;
    // Keep only characters that are safe inside a tsquery lexeme.
    const word = segment.replace(/[^\p{L}\p{N}_]/gu, '');
    if (!word) continue;
    terms.add(word);
    if (HAN.test(word) && [...word].length > 2) for (const pair of bigrams(word)) terms.add(pair);
  }
  return [...terms];
}

/**
 * Terms of a user's query, each of which must match. A Chinese word of three or more
 * characters is matched through its bigrams (all required), so a document segmented
 * differently still matches.
 */
export function queryTerms(query: string): string[][] {
  const groups: string[][] = [];
  for (const { segment, isWordLike } of segmenter.segment(query.normalize('NFKC').toLowerCase())) {
    if (!isWordLike) continue;
    const word = segment.replace(/[^\p{L}\p{N}_]/gu, '');
    if (!word) continue;
    groups.push(HAN.test(word) && [...word].length > 2 ? bigrams(word) : [word]);
  }
  return groups;
}
