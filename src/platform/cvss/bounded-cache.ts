/**
 * A bounded memo for pure results, kept in two generations: new entries fill the current one, and when it
 * holds `recent` entries it becomes the previous one and a fresh one starts; a hit in the previous
 * generation is carried over. So the `recent` most recently used keys are always kept, and at most twice
 * as many, at O(1) per call — unlike a Map used as an LRU, whose delete-the-oldest leaves tombstones that
 * every later `keys().next()` walks past (which made it cost more than scoring itself).
 */
export class GenerationalCache<K, V> {
  #current = new Map<K, V>();
  #previous = new Map<K, V>();
  readonly #generationSize: number;

  constructor(recent: number) {
    this.#generationSize = Math.max(1, recent);
  }

  get(key: K): V | undefined {
    const hit = this.#current.get(key);
    if (hit !== undefined) return hit;
    const earlier = this.#previous.get(key);
    if (earlier !== undefined) this.set(key, earlier);
    return earlier;
  }

  set(key: K, value: V): void {
    if (this.#current.size >= this.#generationSize) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(key, value);
  }
}
