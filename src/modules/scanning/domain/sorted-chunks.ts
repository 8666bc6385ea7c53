/**
 * A sorted multiset in chunks of a few hundred items: insertion and removal move at most one chunk, so
 * keeping 100,000 items sorted under steady insertion costs microseconds, where one flat array would move
 * the whole list each time.
 */
export class SortedChunks<T> {
  readonly #compare: (a: T, b: T) => number;
  readonly #chunkSize: number;
  #chunks: T[][] = [];
  #size = 0;

  constructor(compare: (a: T, b: T) => number, chunkSize = 512) {
    this.#compare = compare;
    this.#chunkSize = chunkSize;
  }

  get size(): number {
    return this.#size;
  }

  /** Index of the first chunk whose last item is not below `item` (or the last chunk). */
  #chunkFor(item: T): number {
    let lo = 0;
    let hi = this.#chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = this.#chunks[mid] as T[];
      if (this.#compare(chunk[chunk.length - 1] as T, item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Position of the first item not below `item` in a sorted chunk. */
  #lowerBound(chunk: readonly T[], item: T): number {
    let lo = 0;
    let hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#compare(chunk[mid] as T, item) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(item: T): void {
    this.#size++;
    if (this.#chunks.length === 0) {
      this.#chunks.push([item]);
      return;
    }
    const c = this.#chunkFor(item);
    const chunk = this.#chunks[c] as T[];
    chunk.splice(this.#lowerBound(chunk, item), 0, item);
    if (chunk.length > 2 * this.#chunkSize) this.#chunks.splice(c, 1, chunk.slice(0, this.#chunkSize), chunk.slice(this.#chunkSize));
  }

  /** Removes one item that compares equal to `item` and satisfies `same`; false when there is none. */
  remove(item: T, same: (candidate: T) => boolean): boolean {
    for (let c = this.#chunkFor(item); c < this.#chunks.length; c++) {
      const chunk = this.#chunks[c] as T[];
      for (let i = this.#lowerBound(chunk, item); i < chunk.length; i++) {
        const candidate = chunk[i] as T;
        if (this.#compare(candidate, item) !== 0) return false;
        if (!same(candidate)) continue;
        chunk.splice(i, 1);
        if (chunk.length === 0) this.#chunks.splice(c, 1);
        this.#size--;
        return true;
      }
    }
    return false;
  }

  /** Calls `visit` with the items from the first not below `from`, in order, while `keep` holds. */
  forEachFrom(from: T, keep: (item: T) => boolean, visit: (item: T) => void): void {
    if (this.#chunks.length === 0) return;
    let first = true;
    for (let c = this.#chunkFor(from); c < this.#chunks.length; c++) {
      const chunk = this.#chunks[c] as T[];
      for (let i = first ? this.#lowerBound(chunk, from) : 0; i < chunk.length; i++) {
        const item = chunk[i] as T;
        if (!keep(item)) return;
        visit(item);
      }
      first = false;
    }
  }
}
