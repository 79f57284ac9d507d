import type { FacetDto, SearchSort } from '../dto/catalog.dto.js';
import { firstInOrder } from './first-in-order.js';
import { PostingLists } from './posting-lists.js';
import type { WeightedTerm } from './search-document-terms.js';
import { SortedOrder, type SlotComparator } from './sorted-order.js';

export type FacetField = FacetDto['field'];

/** The facets, in the order search results list them. */
export const FACET_FIELDS = ['theme', 'agency', 'classification', 'format', 'updateFrequency'] as const satisfies readonly FacetField[];

/** One published dataset as the index keeps it. */
export interface IndexedDataset {
  id: string;
  terms: readonly WeightedTerm[];
  /** Facet values; `agency` is the organization id, `format` the source format (null before a version). */
  facets: Record<FacetField, string | null>;
  publishedAt: number | null;
  downloadCount: number;
  titleEn: string;
  /** The row's `updated_at` (ms), to tell whether the database holds a newer state. */
  updatedAt: number;
}

export interface IndexQuery {
  /** Terms every match must hold; null (or none) lists the whole catalog. */
  terms: readonly string[] | null;
  /** Per facet, the values to keep (any of them; `agency`: organization ids); null for no filter, an empty list keeps nothing. */
  filters: Record<FacetField, readonly string[] | null>;
  sort: SearchSort;
  offset: number;
  limit: number;
}

export interface IndexResult {
  ids: string[];
  total: number;
  /** Per facet, matches per value, each counted under every filter but the facet's own. */
  facets: Map<FacetField, Map<string, number>>;
}

/** Score weight of a match per weight code (A title, B keywords, C agency and columns, D description), as ts_rank's defaults. */
const FIELD_WEIGHTS = [1, 0.4, 0.2, 0.1];
/** BM25 term-frequency saturation. Every term occurs once per document (at its best field), so only the field weight varies. */
const K1 = 1.2;
const SATURATED = FIELD_WEIGHTS.map((weight) => (weight * (K1 + 1)) / (weight + K1));

/** Removed slots are reclaimed once they are this many and a quarter of the live ones. */
const COMPACT_AFTER = 4096;
/** More changes than this at once re-sort the orders instead of inserting one by one. */
const RESORT_AFTER = 2048;

/** Code-point order (PostgreSQL's "C" collation): UTF-16 surrogates sort after U+E000–U+FFFF. */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const x = a.charCodeAt(index);
    const y = b.charCodeAt(index);
    if (x !== y) return codePointKey(x) - codePointKey(y);
  }
  return a.length - b.length;
}

function codePointKey(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function grown<T extends Int32Array | Float64Array | Uint8Array>(array: T, capacity: number): T {
  if (capacity <= array.length) return array;
  const larger = new (array.constructor as new (length: number) => T)(Math.max(capacity, array.length * 2));
  larger.set(array);
  return larger;
}

/** One facet's values as small integer codes per slot (0: no value). */
class FacetColumn {
  private readonly codes = new Map<string, number>();
  private readonly values: string[] = [''];
  data = new Int32Array(1024);

  get size(): number {
    return this.values.length;
  }

  /** The value's code, assigned on first sight. */
  encode(value: string | null): number {
    if (value === null) return 0;
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.codes.set(value, code);
      this.values.push(value);
    }
    return code;
  }

  /**
   * A filter as a mask over codes: 1 for a code kept, 0 otherwise. No filter keeps every code
   * (the empty value included); values no document has keep nothing.
   */
  filter(values: readonly string[] | null): Uint8Array {
    const mask = new Uint8Array(this.values.length);
    if (values === null) return mask.fill(1);
    for (const value of values) {
      const code = this.codes.get(value);
      if (code !== undefined) mask[code] = 1;
    }
    return mask;
  }

  value(code: number): string {
    return this.values[code];
  }
}

/**
 * The published catalog in memory, answering catalog searches without PostgreSQL: text match
 * (every term required) over posting lists, a BM25-style score, filters of several values per
 * facet (any value matches), facet counts over the matched set (each facet under every filter
 * but its own), sorts kept as sorted slot orders, and paging.
 * Each dataset occupies a slot; changing a dataset gives it a new slot and retires the old one
 * (reclaimed by compaction). The ordering rules are the SQL search's: recent = published_at
 * DESC, id; popular = download_count DESC, then recent; title = title_en in code-point order, id;
 * relevance = score DESC, then recent. Not thread-safe (Node runs it on one thread).
 */
export class CatalogIndex {
  private readonly postings = new PostingLists();
  private readonly facets = FACET_FIELDS.map(() => new FacetColumn());
  private ids: string[] = [];
  private titles: string[] = [];
  private publishedAt = new Float64Array(1024);
  private downloads = new Float64Array(1024);
  private updatedAt = new Float64Array(1024);
  private alive = new Uint8Array(1024);
  private slotOf = new Map<string, number>();
  private slotCount = 0;
  private liveCount = 0;

  private readonly compareRecent: SlotComparator = (a, b) => {
    const x = this.publishedAt[a];
    const y = this.publishedAt[b];
    if (x !== y) return x > y ? -1 : 1;
    return compareIds(this.ids[a], this.ids[b]);
  };
  private readonly comparePopular: SlotComparator = (a, b) => {
    const x = this.downloads[a];
    const y = this.downloads[b];
    if (x !== y) return x > y ? -1 : 1;
    return this.compareRecent(a, b);
  };
  private readonly compareTitle: SlotComparator = (a, b) => compareCodePoints(this.titles[a], this.titles[b]) || compareIds(this.ids[a], this.ids[b]);

  private readonly orders: Record<Exclude<SearchSort, 'relevance'>, SortedOrder> = {
    recent: new SortedOrder(this.compareRecent),
    popular: new SortedOrder(this.comparePopular),
    title: new SortedOrder(this.compareTitle),
  };

  /** Published datasets in the index. */
  get size(): number {
    return this.liveCount;
  }

  /** Distinct terms in the posting lists. */
  get termCount(): number {
    return this.postings.termCount;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  /** The `updated_at` (ms) of the indexed state of a dataset, or null when it is not indexed. */
  versionOf(id: string): number | null {
    const slot = this.slotOf.get(id);
    return slot === undefined ? null : this.updatedAt[slot];
  }

  /** Ids of every indexed dataset. */
  datasetIds(): IterableIterator<string> {
    return this.slotOf.keys();
  }

  /** Adds a dataset or replaces its indexed state. */
  upsert(dataset: IndexedDataset): void {
    this.retire(dataset.id);
    const slot = this.place(dataset);
    for (const order of Object.values(this.orders)) order.insert(slot);
    this.compactIfWorthIt();
  }

  /** Many changes at once: inserted one by one, or the orders re-sorted when that is cheaper. */
  upsertMany(datasets: readonly IndexedDataset[]): void {
    if (datasets.length <= RESORT_AFTER) {
      for (const dataset of datasets) this.upsert(dataset);
      return;
    }
    for (const dataset of datasets) this.load(dataset);
    this.finishLoading();
  }

  /**
   * Adds a dataset without keeping the orders: for filling an index before it answers
   * queries. Call `finishLoading` once after the last one.
   */
  load(dataset: IndexedDataset): void {
    const previous = this.slotOf.get(dataset.id);
    if (previous !== undefined) this.retireSlot(previous);
    this.place(dataset);
  }

  /** Sorts the orders after `load`s. */
  finishLoading(): void {
    const live = this.liveSlots();
    for (const order of Object.values(this.orders)) order.rebuild(live);
    this.compactIfWorthIt();
  }

  /** Drops a dataset (it left the published catalog). */
  remove(id: string): boolean {
    const removed = this.retire(id);
    if (removed) this.compactIfWorthIt();
    return removed;
  }

  /** Updates download counts (`popular` order); returns how many changed. */
  setDownloadCounts(counts: ReadonlyArray<readonly [id: string, count: number]>): number {
    const changed: number[] = [];
    for (const [id, count] of counts) {
      const slot = this.slotOf.get(id);
      if (slot !== undefined && this.downloads[slot] !== count) changed.push(slot);
    }
    if (changed.length === 0) return 0;
    const popular = this.orders.popular;
    const resort = changed.length > RESORT_AFTER / 8;
    if (!resort) for (const slot of changed) popular.remove(slot);
    for (const [id, count] of counts) {
      const slot = this.slotOf.get(id);
      if (slot !== undefined) this.downloads[slot] = count;
    }
    if (resort) popular.rebuild(this.liveSlots());
    else for (const slot of changed) popular.insert(slot);
    return changed.length;
  }

  search(query: IndexQuery): IndexResult {
    const filters = FACET_FIELDS.map((field, index) => this.facets[index].filter(query.filters[field]));
    const counts = this.facets.map((column) => new Int32Array(column.size));
    const terms = query.terms?.length ? [...new Set(query.terms)] : null;
    const sort = query.sort === 'relevance' && terms === null ? 'recent' : query.sort;
    let total: number;
    let page: Int32Array;
    if (terms === null) {
      total = this.countFacets(null, this.slotCount, filters, counts);
      page = this.readOrder(this.orders[sort as keyof typeof this.orders], filters, query.offset, query.limit);
    } else {
      const matched = this.postings.intersect(terms, (slot) => this.alive[slot] === 1);
      const kept = { slots: new Int32Array(matched.length), at: new Int32Array(matched.length) };
      total = this.countFacets(matched.slots, matched.length, filters, counts, kept);
      let compare: SlotComparator;
      if (sort === 'relevance') {
        const scores = this.score(terms, matched.codes, kept.at, total);
        const recent = this.orders.recent;
        // Compares positions in `kept`, so the score of each is at hand.
        compare = (a, b) => scores[b] - scores[a] || recent.position(kept.slots[a]) - recent.position(kept.slots[b]);
        const positions = new Int32Array(total);
        for (let index = 0; index < total; index += 1) positions[index] = index;
        const first = firstInOrder(positions, total, query.offset + query.limit, compare);
        page = first.subarray(query.offset).map((index) => kept.slots[index]);
      } else {
        const order = this.orders[sort];
        compare = (a, b) => order.position(a) - order.position(b);
        page = firstInOrder(kept.slots, total, query.offset + query.limit, compare).subarray(query.offset);
      }
    }
    return { ids: Array.from(page, (slot) => this.ids[slot]), total, facets: this.facetCounts(counts) };
  }

  /**
   * Counts live candidates (`slots[0..count)`, or every slot when null) in the facets: under
   * every facet when they pass all filters, under the one facet whose filter they fail when it
   * is the only one, else nowhere. Keeps those passing all filters (their slots, and their
   * positions among the candidates) and returns how many they are. Written out per facet: this
   * loop visits every dataset when browsing.
   */
  private countFacets(slots: Int32Array | null, count: number, filters: Uint8Array[], counts: Int32Array[], kept?: { slots: Int32Array; at: Int32Array }): number {
    const [theme, agency, classification, format, frequency] = this.facets.map((column) => column.data);
    const [themeFilter, agencyFilter, classificationFilter, formatFilter, frequencyFilter] = filters;
    const [themeCounts, agencyCounts, classificationCounts, formatCounts, frequencyCounts] = counts;
    const alive = this.alive;
    let passed = 0;
    for (let index = 0; index < count; index += 1) {
      const slot = slots === null ? index : slots[index];
      if (alive[slot] === 0) continue;
      const t = theme[slot];
      const a = agency[slot];
      const c = classification[slot];
      const f = format[slot];
      const u = frequency[slot];
      const missT = themeFilter[t] ^ 1;
      const missA = agencyFilter[a] ^ 1;
      const missC = classificationFilter[c] ^ 1;
      const missF = formatFilter[f] ^ 1;
      const missU = frequencyFilter[u] ^ 1;
      const misses = missT + missA + missC + missF + missU;
      if (misses === 0) {
        themeCounts[t] += 1;
        agencyCounts[a] += 1;
        classificationCounts[c] += 1;
        formatCounts[f] += 1;
        frequencyCounts[u] += 1;
        if (kept) {
          kept.slots[passed] = slot;
          kept.at[passed] = index;
        }
        passed += 1;
      } else if (misses === 1) {
        if (missT) themeCounts[t] += 1;
        else if (missA) agencyCounts[a] += 1;
        else if (missC) classificationCounts[c] += 1;
        else if (missF) formatCounts[f] += 1;
        else frequencyCounts[u] += 1;
      }
    }
    return passed;
  }

  private passes(slot: number, filters: Uint8Array[]): boolean {
    for (let field = 0; field < filters.length; field += 1) {
      if (filters[field][this.facets[field].data[slot]] === 0) return false;
    }
    return true;
  }

  /** A page of the whole catalog, read off a sorted order. */
  private readOrder(order: SortedOrder, filters: Uint8Array[], offset: number, limit: number): Int32Array {
    const page = new Int32Array(Math.max(0, limit));
    let skipped = 0;
    let taken = 0;
    for (let position = 0; position < order.length && taken < limit; position += 1) {
      const slot = order.at(position);
      if (!this.passes(slot, filters)) continue;
      if (skipped < offset) skipped += 1;
      else page[taken++] = slot;
    }
    return page.subarray(0, taken);
  }

  /** BM25 scores (idf × saturated field weight, summed over terms) of the kept matches. */
  private score(terms: readonly string[], codes: Uint8Array, keptAt: Int32Array, count: number): Float64Array {
    const documents = this.liveCount;
    const idf = terms.map((term) => {
      const frequency = Math.min(this.postings.documentFrequency(term), documents);
      return Math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5));
    });
    const scores = new Float64Array(count);
    for (let index = 0; index < count; index += 1) {
      let score = 0;
      const base = keptAt[index] * terms.length;
      for (let term = 0; term < terms.length; term += 1) score += idf[term] * SATURATED[codes[base + term]];
      scores[index] = score;
    }
    return scores;
  }

  private facetCounts(counts: Int32Array[]): Map<FacetField, Map<string, number>> {
    return new Map(
      FACET_FIELDS.map((field, index) => {
        const values = new Map<string, number>();
        counts[index].forEach((count, code) => {
          if (code !== 0 && count > 0) values.set(this.facets[index].value(code), count);
        });
        return [field, values];
      }),
    );
  }

  /** Writes a dataset into a new slot (posting lists and columns), without the orders. */
  private place(dataset: IndexedDataset): number {
    const slot = this.slotCount;
    const capacity = slot + 1;
    this.publishedAt = grown(this.publishedAt, capacity);
    this.downloads = grown(this.downloads, capacity);
    this.updatedAt = grown(this.updatedAt, capacity);
    this.alive = grown(this.alive, capacity);
    FACET_FIELDS.forEach((field, index) => {
      const column = this.facets[index];
      column.data = grown(column.data, capacity);
      column.data[slot] = column.encode(dataset.facets[field]);
    });
    this.ids[slot] = dataset.id;
    this.titles[slot] = dataset.titleEn;
    // PostgreSQL puts NULLs first in a descending order.
    this.publishedAt[slot] = dataset.publishedAt ?? Number.POSITIVE_INFINITY;
    this.downloads[slot] = dataset.downloadCount;
    this.updatedAt[slot] = dataset.updatedAt;
    this.alive[slot] = 1;
    this.postings.add(slot, dataset.terms);
    this.slotOf.set(dataset.id, slot);
    this.slotCount += 1;
    this.liveCount += 1;
    return slot;
  }

  private retire(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    for (const order of Object.values(this.orders)) order.remove(slot);
    this.retireSlot(slot);
    return true;
  }

  private retireSlot(slot: number): void {
    this.alive[slot] = 0;
    this.slotOf.delete(this.ids[slot]);
    this.liveCount -= 1;
  }

  private liveSlots(): Int32Array {
    const live = new Int32Array(this.liveCount);
    let count = 0;
    for (let slot = 0; slot < this.slotCount; slot += 1) if (this.alive[slot]) live[count++] = slot;
    return live;
  }

  /** Reclaims retired slots once there are many: renumbers the live ones in the same order. */
  private compactIfWorthIt(): void {
    const retired = this.slotCount - this.liveCount;
    if (retired < COMPACT_AFTER || retired * 4 < this.liveCount) return;
    const renumber = new Int32Array(this.slotCount).fill(-1);
    let next = 0;
    for (let slot = 0; slot < this.slotCount; slot += 1) {
      if (!this.alive[slot]) continue;
      renumber[slot] = next;
      if (slot !== next) {
        this.ids[next] = this.ids[slot];
        this.titles[next] = this.titles[slot];
        this.publishedAt[next] = this.publishedAt[slot];
        this.downloads[next] = this.downloads[slot];
        this.updatedAt[next] = this.updatedAt[slot];
        for (const column of this.facets) column.data[next] = column.data[slot];
        this.alive[next] = 1;
      }
      next += 1;
    }
    this.alive.fill(0, next, this.slotCount);
    this.ids.length = next;
    this.titles.length = next;
    this.slotCount = next;
    this.slotOf = new Map(this.ids.map((id, slot) => [id, slot]));
    this.postings.compact(renumber);
    for (const order of Object.values(this.orders)) order.renumber(renumber, next);
  }
}
