import type { SlotComparator } from './sorted-order.js';

/**
 * The first `k` of `slots[0..n)` under `compare`, in order. A bounded heap keeps only the `k`
 * best seen so far, so a page near the top of a large match costs one pass, not a full sort.
 */
export function firstInOrder(slots: Int32Array, n: number, k: number, compare: SlotComparator): Int32Array {
  if (k <= 0 || n === 0) return new Int32Array(0);
  if (k * 4 >= n) return slots.slice(0, n).sort(compare).subarray(0, Math.min(k, n));
  // Max-heap: the root is the worst of the kept slots.
  const heap = new Int32Array(k);
  let size = 0;
  const siftDown = (start: number) => {
    let parent = start;
    for (;;) {
      const left = parent * 2 + 1;
      if (left >= size) return;
      const right = left + 1;
      const worse = right < size && compare(heap[right], heap[left]) > 0 ? right : left;
      if (compare(heap[worse], heap[parent]) <= 0) return;
      [heap[worse], heap[parent]] = [heap[parent], heap[worse]];
      parent = worse;
    }
  };
  for (let index = 0; index < n; index += 1) {
    const slot = slots[index];
    if (size < k) {
      let child = size;
      heap[size] = slot;
      size += 1;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if (compare(heap[child], heap[parent]) <= 0) break;
        [heap[child], heap[parent]] = [heap[parent], heap[child]];
        child = parent;
      }
    } else if (compare(slot, heap[0]) < 0) {
      heap[0] = slot;
      siftDown(0);
    }
  }
  return heap.sort(compare);
}
