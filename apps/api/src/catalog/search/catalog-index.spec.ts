import { CatalogIndex, compareCodePoints, FACET_FIELDS, type FacetField, type IndexedDataset, type IndexQuery } from './catalog-index.js';
import { firstInOrder } from './first-in-order.js';
import { parseSearchDocument, type WeightedTerm } from './search-document-terms.js';

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NO_FILTERS: Record<FacetField, readonly string[] | null> = { theme: null, agency: null, classification: null, format: null, updateFrequency: null };

function dataset(id: number, overrides: Partial<IndexedDataset> = {}): IndexedDataset {
  return {
    id: `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`,
    terms: [{ term: 'data', weight: 'D' }],
    facets: { theme: 'transport', agency: 'org-1', classification: 'open', format: 'csv', updateFrequency: 'daily' },
    publishedAt: 1_000_000 + id,
    downloadCount: 0,
    titleEn: `Title ${id}`,
    updatedAt: 1,
    ...overrides,
  };
}

function query(overrides: Partial<IndexQuery>): IndexQuery {
  return { terms: null, filters: NO_FILTERS, sort: 'recent', offset: 0, limit: 100, ...overrides };
}

describe('parseSearchDocument', () => {
  it('reads PostgreSQL tsvector output: weights A–C, D unmarked, several positions, quotes', () => {
    expect(parseSearchDocument(`'交通':1A 'traffic':2B,9 'value':3C 'by':4 'o''neil':5,6A 'bare'`)).toEqual([
      { term: '交通', weight: 'A' },
      { term: 'traffic', weight: 'B' },
      { term: 'value', weight: 'C' },
      { term: 'by', weight: 'D' },
      { term: "o'neil", weight: 'A' },
      { term: 'bare', weight: 'D' },
    ]);
    expect(parseSearchDocument('')).toEqual([]);
  });
});

describe('compareCodePoints', () => {
  it('orders by code point like the C collation, also past the BMP', () => {
    const titles = ['b', 'B', 'ﬀ', '𝔸', 'a', 'A b', 'A', ''];
    expect([...titles].sort(compareCodePoints)).toEqual(['', 'A', 'A b', 'B', 'a', 'b', 'ﬀ', '𝔸']);
  });
});

describe('firstInOrder', () => {
  it('returns the same first k as a full sort, for small and large k', () => {
    const next = random(7);
    for (let round = 0; round < 50; round += 1) {
      const n = Math.floor(next() * 300);
      const values = Int32Array.from({ length: n }, () => Math.floor(next() * 50));
      const k = Math.floor(next() * (n + 5));
      const compare = (a: number, b: number) => (a % 7) - (b % 7) || a - b;
      expect(Array.from(firstInOrder(values, n, k, compare))).toEqual(Array.from(values).sort(compare).slice(0, k));
    }
  });
});

describe('CatalogIndex', () => {
  it('requires every term and counts each facet under every filter but its own', () => {
    const index = new CatalogIndex();
    const terms = (...words: string[]): WeightedTerm[] => words.map((term) => ({ term, weight: 'A' }));
    index.upsert(dataset(1, { terms: terms('交通', '流量'), facets: { ...dataset(1).facets, classification: 'open' } }));
    index.upsert(dataset(2, { terms: terms('交通'), facets: { ...dataset(2).facets, classification: 'conditional', theme: 'energy' } }));
    index.upsert(dataset(3, { terms: terms('交通', '流量'), facets: { ...dataset(3).facets, classification: 'conditional', format: null } }));
    index.upsert(dataset(4, { terms: terms('空气') }));

    expect(index.search(query({ terms: ['交通', '流量'] })).total).toBe(2);
    expect(index.search(query({ terms: ['交通', '没有'] })).total).toBe(0);

    const found = index.search(query({ terms: ['交通'], filters: { ...NO_FILTERS, classification: ['conditional'], theme: ['transport'] } }));
    expect(found.ids).toEqual([dataset(3).id]);
    expect(found.total).toBe(1);
    // classification counted under theme=transport only; theme counted under classification=conditional only.
    expect(Object.fromEntries(found.facets.get('classification') ?? [])).toEqual({ open: 1, conditional: 1 });
    expect(Object.fromEntries(found.facets.get('theme') ?? [])).toEqual({ transport: 1, energy: 1 });
    // A dataset without a format passes other filters but is not counted under a format value.
    expect(Object.fromEntries(found.facets.get('format') ?? [])).toEqual({});

    const unknown = index.search(query({ terms: ['交通'], filters: { ...NO_FILTERS, agency: ['no-such-agency'] } }));
    expect(unknown.total).toBe(0);
    expect(Object.fromEntries(unknown.facets.get('agency') ?? [])).toEqual({ 'org-1': 3 });
    expect(index.search(query({ terms: ['交通'], filters: { ...NO_FILTERS, agency: [] } })).total).toBe(0);
  });

  it('keeps any of several values of a facet, ANDs facets, and counts a facet without its own selection', () => {
    const index = new CatalogIndex();
    const facets = (theme: string, classification: string, format: string | null) => ({ ...dataset(0).facets, theme, classification, format });
    index.upsert(dataset(1, { facets: facets('transport', 'open', 'csv') }));
    index.upsert(dataset(2, { facets: facets('energy', 'open', 'json') }));
    index.upsert(dataset(3, { facets: facets('health', 'open', 'csv') }));
    index.upsert(dataset(4, { facets: facets('energy', 'conditional', 'csv') }));
    index.upsert(dataset(5, { facets: facets('transport', 'restricted', null) }));

    const found = index.search(query({ filters: { ...NO_FILTERS, theme: ['transport', 'energy', 'no-such-theme'], classification: ['open', 'conditional'] } }));
    expect(found.ids.map((id) => Number(id.slice(-2))).sort()).toEqual([1, 2, 4]);
    expect(found.total).toBe(3);
    // Themes under the classification filter only; classifications under the theme filter only.
    expect(Object.fromEntries(found.facets.get('theme') ?? [])).toEqual({ transport: 1, energy: 2, health: 1 });
    expect(Object.fromEntries(found.facets.get('classification') ?? [])).toEqual({ open: 2, conditional: 1, restricted: 1 });
    expect(Object.fromEntries(found.facets.get('format') ?? [])).toEqual({ csv: 2, json: 1 });

    // A format filter never keeps a dataset without a format.
    const formats = index.search(query({ filters: { ...NO_FILTERS, format: ['csv', 'json'] } }));
    expect(formats.total).toBe(4);
    expect(Object.fromEntries(formats.facets.get('theme') ?? [])).toEqual({ transport: 1, energy: 2, health: 1 });
  });

  it('sorts like the SQL: ties by published_at DESC then id, NULL published_at first, titles by code point', () => {
    const index = new CatalogIndex();
    index.upsert(dataset(5, { publishedAt: 10, downloadCount: 3, titleEn: 'b' }));
    index.upsert(dataset(4, { publishedAt: 10, downloadCount: 3, titleEn: 'B' }));
    index.upsert(dataset(3, { publishedAt: null, downloadCount: 1, titleEn: '𝔸' }));
    index.upsert(dataset(2, { publishedAt: 20, downloadCount: 3, titleEn: 'ﬀ' }));
    index.upsert(dataset(1, { publishedAt: 5, downloadCount: 9, titleEn: 'b' }));
    const ids = (sort: IndexQuery['sort']) => index.search(query({ sort })).ids.map((id) => Number(id.slice(-2)));
    expect(ids('recent')).toEqual([3, 2, 4, 5, 1]);
    expect(ids('relevance')).toEqual([3, 2, 4, 5, 1]);
    expect(ids('popular')).toEqual([1, 2, 4, 5, 3]);
    expect(ids('title')).toEqual([4, 1, 5, 2, 3]);
    expect(index.search(query({ sort: 'title', offset: 1, limit: 2 })).ids.map((id) => Number(id.slice(-2)))).toEqual([1, 5]);

    expect(index.setDownloadCounts([[dataset(3).id, 100]])).toBe(1);
    expect(ids('popular')).toEqual([3, 1, 2, 4, 5]);
  });

  it('ranks a title match above a keyword, column or description match, recent first among equals', () => {
    const index = new CatalogIndex();
    index.upsert(dataset(1, { terms: [{ term: '交通', weight: 'D' }], publishedAt: 50 }));
    index.upsert(dataset(2, { terms: [{ term: '交通', weight: 'B' }], publishedAt: 40 }));
    index.upsert(dataset(3, { terms: [{ term: '交通', weight: 'A' }], publishedAt: 10 }));
    index.upsert(dataset(4, { terms: [{ term: '交通', weight: 'C' }], publishedAt: 30 }));
    index.upsert(dataset(5, { terms: [{ term: '交通', weight: 'A' }], publishedAt: 20 }));
    const found = index.search(query({ terms: ['交通'], sort: 'relevance' }));
    expect(found.ids.map((id) => Number(id.slice(-2)))).toEqual([5, 3, 2, 4, 1]);
  });

  it('replaces and drops datasets, and answers the same after compacting retired slots', () => {
    const index = new CatalogIndex();
    const latest = new Map<string, IndexedDataset>();
    const next = random(11);
    const make = (id: number, version: number, extra: WeightedTerm[] = []) =>
      dataset(id, {
        terms: [{ term: `t${Math.floor(next() * 5)}`, weight: 'A' }, { term: 'all', weight: 'D' }, ...extra],
        facets: { ...dataset(id).facets, theme: ['transport', 'energy', 'health'][id % 3] },
        publishedAt: Math.floor(next() * 100),
        downloadCount: Math.floor(next() * 10),
        titleEn: `T ${Math.floor(next() * 50)}`,
        updatedAt: version,
      });
    const put = (entry: IndexedDataset) => {
      index.upsert(entry);
      latest.set(entry.id, entry);
    };
    // Each first version holds a term of its own, which only compaction forgets.
    for (let id = 0; id < 3000; id += 1) put(make(id, 1, [{ term: `once${id}`, weight: 'B' }]));
    expect(index.termCount).toBe(3000 + 6);
    for (let id = 0; id < 6000; id += 1) put(make(id % 3000, 2 + id));
    for (let id = 0; id < 1000; id += 1) {
      expect(index.remove(dataset(id * 3).id)).toBe(true);
      latest.delete(dataset(id * 3).id);
    }
    expect(index.remove(dataset(0).id)).toBe(false);
    expect(index.size).toBe(2000);
    expect(index.has(dataset(0).id)).toBe(false);
    expect(index.versionOf(dataset(1).id)).toBe(2 + 3001);
    expect(index.termCount).toBeLessThan(3000);
    expect(index.search(query({ terms: ['once5'] })).total).toBe(0);

    const fresh = new CatalogIndex();
    for (const entry of latest.values()) fresh.upsert(entry);
    for (const q of [query({}), query({ terms: ['all'], sort: 'title' }), query({ terms: ['t1', 'all'], sort: 'popular', offset: 3, limit: 7 })]) {
      const found = index.search(q);
      expect(found.total).toBeGreaterThan(0);
      expect(found).toEqual(fresh.search(q));
    }
  });
});

/** A straightforward reference: filter, count and sort plain arrays. */
function reference(datasets: IndexedDataset[], q: IndexQuery) {
  const matched = datasets.filter((d) => q.terms === null || q.terms.every((term) => d.terms.some((t) => t.term === term)));
  const passes = (d: IndexedDataset, skip: FacetField | null) =>
    FACET_FIELDS.every((f) => f === skip || q.filters[f] === null || (d.facets[f] !== null && q.filters[f].includes(d.facets[f])));
  const facets = new Map(
    FACET_FIELDS.map((field) => {
      const counts = new Map<string, number>();
      for (const d of matched) {
        const value = d.facets[field];
        if (value !== null && passes(d, field)) counts.set(value, (counts.get(value) ?? 0) + 1);
      }
      return [field, counts];
    }),
  );
  const kept = matched.filter((d) => passes(d, null));
  const published = (d: IndexedDataset) => d.publishedAt ?? Number.POSITIVE_INFINITY;
  const byId = (a: IndexedDataset, b: IndexedDataset) => (a.id < b.id ? -1 : 1);
  const recent = (a: IndexedDataset, b: IndexedDataset) => published(b) - published(a) || byId(a, b);
  const sorts = {
    recent,
    relevance: recent,
    popular: (a: IndexedDataset, b: IndexedDataset) => b.downloadCount - a.downloadCount || recent(a, b),
    title: (a: IndexedDataset, b: IndexedDataset) => compareCodePoints(a.titleEn, b.titleEn) || byId(a, b),
  };
  const ordered = [...kept].sort(sorts[q.sort]);
  return { all: ordered.map((d) => d.id), ids: ordered.slice(q.offset, q.offset + q.limit).map((d) => d.id), total: kept.length, facets };
}

describe('CatalogIndex against a reference implementation', () => {
  it('gives the same ids, totals and facets for random catalogs, changes and queries', () => {
    const next = random(2024);
    const pickOf = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)];
    const words = ['交通', '流量', '空气', 'traffic', 'air', 'quality', '南山', 'district', '区'];
    const values: Record<FacetField, Array<string | null>> = {
      theme: ['transport', 'energy', 'health'],
      agency: ['a', 'b', 'c', 'd'],
      classification: ['open', 'conditional', 'restricted'],
      format: ['csv', 'json', null],
      updateFrequency: ['daily', 'monthly'],
    };
    const catalog = new Map<string, IndexedDataset>();
    const index = new CatalogIndex();
    const randomDataset = (id: number): IndexedDataset =>
      dataset(id, {
        terms: [...new Set(words.filter(() => next() < 0.3))].map((term) => ({ term, weight: pickOf(['A', 'B', 'C', 'D'] as const) })),
        facets: Object.fromEntries(FACET_FIELDS.map((field) => [field, pickOf(values[field])])) as Record<FacetField, string | null>,
        publishedAt: next() < 0.05 ? null : Math.floor(next() * 20),
        downloadCount: Math.floor(next() * 4),
        titleEn: pickOf(['Air', 'air', 'Traffic', 'B', 'ﬀ', '𝔸']),
      });
    for (let round = 0; round < 40; round += 1) {
      // Change the catalog: add, replace, drop.
      for (let change = 0; change < 60; change += 1) {
        const id = Math.floor(next() * 400);
        if (next() < 0.2) {
          index.remove(dataset(id).id);
          catalog.delete(dataset(id).id);
        } else {
          const entry = randomDataset(id);
          index.upsert(entry);
          catalog.set(entry.id, entry);
        }
      }
      for (let q = 0; q < 25; q += 1) {
        const terms = next() < 0.3 ? null : words.filter(() => next() < 0.25);
        // No filter, one value or several (possibly unknown ones), now and then none at all.
        const filters = Object.fromEntries(
          FACET_FIELDS.map((field) => [field, next() < 0.4 ? [...values[field], 'none'].filter((value) => value !== null && next() < 0.4) : null]),
        ) as Record<FacetField, string[] | null>;
        const search = query({ terms, filters, sort: pickOf(['recent', 'popular', 'title', 'relevance'] as const), offset: Math.floor(next() * 10), limit: 1 + Math.floor(next() * 30) });
        const actual = index.search(search);
        const expected = reference([...catalog.values()], search);
        expect({ total: actual.total, facets: actual.facets }).toEqual({ total: expected.total, facets: expected.facets });
        if (search.sort === 'relevance' && terms !== null) {
          const all = index.search({ ...search, offset: 0, limit: 10_000 });
          expect(new Set(all.ids)).toEqual(new Set(expected.all));
          expect(actual.ids).toEqual(all.ids.slice(search.offset, search.offset + search.limit));
        } else {
          expect(actual.ids).toEqual(expected.ids);
        }
      }
    }
  });
});
