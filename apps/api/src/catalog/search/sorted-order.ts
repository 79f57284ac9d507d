/** Orders two slots: negative when `a` comes first. */
export type SlotComparator = (a: number, b: number) => number;

/**
 * Live slots kept sorted by one comparator, with each slot's position, so a page is read off in
 * order and a subset is sorted by comparing positions. Inserting or removing shifts the tail
 * (a memory move of at most the catalog's size).
 */
export class SortedOrder {
  private order = new Int32Array(1024);
  private positions = new Int32Array(1024).fill(-1);
  private count = 0;

  constructor(private readonly compare: SlotComparator) {}

  get length(): number {
    return this.count;
  }

  /** The slot at a position. */
  at(position: number): number {
    return this.order[position];
  }

  /** Where a slot is in the order (-1 when absent). */
  position(slot: number): number {
    return slot < this.positions.length ? this.positions[slot] : -1;
  }

  insert(slot: number): void {
    this.reserve(this.count + 1, slot + 1);
    let low = 0;
    let high = this.count;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.compare(this.order[middle], slot) <= 0) low = middle + 1;
      else high = middle;
    }
    this.order.copyWithin(low + 1, low, this.count);
    this.order[low] = slot;
    this.count += 1;
    this.renumberFrom(low);
  }

  remove(slot: number): void {
    const at = this.position(slot);
    if (at < 0) return;
    this.order.copyWithin(at, at + 1, this.count);
    this.count -= 1;
    this.positions[slot] = -1;
    this.renumberFrom(at);
  }

  /** Sorts these slots afresh (cheaper than many inserts). */
  rebuild(slots: Int32Array): void {
    const sorted = Int32Array.from(slots).sort(this.compare);
    this.reserve(sorted.length, sorted.reduce((max, slot) => Math.max(max, slot + 1), 0));
    this.positions.fill(-1);
    this.order.set(sorted);
    this.count = sorted.length;
    this.renumberFrom(0);
  }

  /** Applies new slot numbers (`renumber[old]`); the relative order is unchanged. */
  renumber(renumber: Int32Array, slotCount: number): void {
    for (let index = 0; index < this.count; index += 1) this.order[index] = renumber[this.order[index]];
    this.positions = new Int32Array(Math.max(1024, slotCount)).fill(-1);
    this.renumberFrom(0);
  }

  private renumberFrom(start: number): void {
    for (let index = start; index < this.count; index += 1) this.positions[this.order[index]] = index;
  }

  private reserve(count: number, slots: number): void {
    if (count > this.order.length) {
      const grown = new Int32Array(Math.max(count, this.order.length * 2));
      grown.set(this.order.subarray(0, this.count));
      this.order = grown;
    }
    if (slots > this.positions.length) {
      const grown = new Int32Array(Math.max(slots, this.positions.length * 2)).fill(-1);
      grown.set(this.positions);
      this.positions = grown;
    }
  }
}
