import fc from 'fast-check';
import { queryTerms, searchTerms } from './search-terms.js';

/** Mirrors the database's matching: every query group must be contained in the document terms. */
function matches(document: string, query: string): boolean {
  const terms = new Set(searchTerms(document));
  return queryTerms(query).every((group) => group.every((term) => terms.has(term)));
}

describe('catalog search terms', () => {
  it('finds Chinese titles by their words, however the query is segmented', () => {
    expect(matches('城市道路交通流量', '交通')).toBe(true);
    expect(matches('城市道路交通流量', '交通流量')).toBe(true);
    expect(matches('城市道路交通流量', '道路交通')).toBe(true);
    expect(matches('每小时空气质量监测（按站点）', '空气质量')).toBe(true);
    expect(matches('城市道路交通流量', '空气')).toBe(false);
  });

  it('finds English by words, case- and width-insensitively', () => {
    expect(matches('Hourly Traffic Flow by road segment', 'traffic')).toBe(true);
    expect(matches('Hourly Traffic Flow by road segment', 'ＴＲＡＦＦＩＣ flow')).toBe(true);
    expect(matches('Hourly Traffic Flow', 'water')).toBe(false);
  });

  it('drops punctuation and query-syntax characters', () => {
    expect(searchTerms("traffic & (flow) | 'x':* !y")).toEqual(['traffic', 'flow', 'x', 'y']);
    expect(queryTerms('  !!! ')).toEqual([]);
  });

  it('never produces terms with characters unsafe in a tsquery', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => {
        for (const term of searchTerms(text)) expect(term).toMatch(/^[\p{L}\p{N}_]+$/u);
        for (const group of queryTerms(text)) for (const term of group) expect(term).toMatch(/^[\p{L}\p{N}_]+$/u);
      }),
    );
  });

  it('matches any document against a query made from its own text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), (text) => {
        expect(matches(text, text)).toBe(true);
      }),
    );
  });
});
