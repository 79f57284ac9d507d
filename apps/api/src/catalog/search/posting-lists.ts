import type { TermWeight, WeightedTerm } from './search-document-terms.js';

/** Weight codes kept in the two low bits of each posting. */
const WEIGHT_CODES: Record<TermWeight, number> = { A: 0, B: 1, C: 2, D: 3 };

/** Terms' matches, found together: `slots[i]` holds every term, `codes[i * terms + t]` is term t's weight code there. */
export interface Intersection {
  slots: Int32Array;
  codes: Uint8Array;
  length: number;
}

const NONE: Intersection = { slots: new Int32Array(0), codes: new Uint8Array(0), length: 0 };

/** First index at or after `from` whose slot is at least `slot` (galloping, then binary search). */
function seek(list: number[], from: number, slot: number): number {
  let low = from;
  let high = from;
  let step = 1;
  while (high < list.length && list[high] >> 2 < slot) {
    low = high + 1;
    high += step;
    step *= 2;
  }
  if (high > list.length) high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (list[middle] >> 2 < slot) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * An inverted index: for each term, the slots of the documents holding it, ascending, each with
 * the term's weight there (`slot << 2 | weight code`). Documents are only ever appended with a
 * new, higher slot, so lists stay sorted without sorting; removed documents stay in the lists
 * until `compact` (callers skip them).
 */
export class PostingLists {
  private lists = new Map<string, number[]>();

  get termCount(): number {
    return this.lists.size;
  }

  add(slot: number, terms: readonly WeightedTerm[]): void {
    for (const { term, weight } of terms) {
      const encoded = (slot << 2) | WEIGHT_CODES[weight];
      const list = this.lists.get(term);
      if (list) list.push(encoded);
      else this.lists.set(term, [encoded]);
    }
  }

  /** Documents holding the term, removed ones included until the next `compact`. */
  documentFrequency(term: string): number {
    return this.lists.get(term)?.length ?? 0;
  }

  /** Live documents (per `live`) holding every one of `terms`, in slot order. */
  intersect(terms: readonly string[], live: (slot: number) => boolean): Intersection {
    const lists: number[][] = [];
    for (const term of terms) {
      const list = this.lists.get(term);
      if (!list) return NONE;
      lists.push(list);
    }
    if (lists.length === 0) return NONE;
    // Walk the shortest list; look the others up from where the previous match left them.
    const order = lists.map((_, index) => index).sort((a, b) => lists[a].length - lists[b].length);
    const driver = lists[order[0]];
    const cursors = new Array<number>(lists.length).fill(0);
    const width = lists.length;
    const slots = new Int32Array(driver.length);
    const codes = new Uint8Array(driver.length * width);
    let length = 0;
    candidates: for (const encoded of driver) {
      const slot = encoded >> 2;
      if (!live(slot)) continue;
      for (let k = 1; k < order.length; k += 1) {
        const term = order[k];
        const list = lists[term];
        const at = seek(list, cursors[term], slot);
        cursors[term] = at;
        if (at === list.length || list[at] >> 2 !== slot) continue candidates;
        codes[length * width + term] = list[at] & 3;
      }
      codes[length * width + order[0]] = encoded & 3;
      slots[length] = slot;
      length += 1;
    }
    return { slots, codes, length };
  }

  /** Renumbers slots (`renumber[old]`, -1 for removed documents) and drops terms no document holds any more. */
  compact(renumber: Int32Array): void {
    const compacted = new Map<string, number[]>();
    for (const [term, list] of this.lists) {
      const kept: number[] = [];
      for (const encoded of list) {
        const slot = renumber[encoded >> 2];
        if (slot >= 0) kept.push((slot << 2) | (encoded & 3));
      }
      if (kept.length > 0) compacted.set(term, kept);
    }
    this.lists = compacted;
  }
}
