import type { VersionOrder } from './version-order.js';

/**
 * An affected entry's `versions[]`, parsed under its ecosystem's order, asked whether a version is listed
 * though spelled differently ("1.0" and "1.0.0" in PEP 440). PyPI advisories list hundreds of versions, and
 * most compiled entries are asked once or twice (`clearinghouse match` compiles the advisories naming an
 * SBOM's packages and evaluates each against that package's few versions): sorting for binary search costs
 * n·log n comparisons up front, a scan n per question. So the first questions scan, and the list is sorted
 * only once as many have been asked as sorting would have cost: never more than twice the comparisons of
 * the cheaper of the two. The answers are the same either way.
 */
export class ListedVersions<P = unknown> {
  /** How many listed versions the order could parse (duplicates counted). */
  readonly size: number;
  /** The highest listed version under the order, or undefined when none parses. */
  readonly highest: P | undefined;
  readonly #order: VersionOrder<P>;
  readonly #items: P[];
  #sorted = false;
  #scansLeft: number;

  constructor(order: VersionOrder<P>, parsed: readonly P[]) {
    this.#order = order;
    this.#items = [...parsed];
    this.size = parsed.length;
    let highest: P | undefined;
    for (const p of parsed) if (highest === undefined || order.compareParsed(p, highest) > 0) highest = p;
    this.highest = highest;
    this.#scansLeft = Math.ceil(Math.log2(parsed.length + 1));
  }

  /** Whether a version equal to `version` under the order is listed. */
  has(version: P): boolean {
    const order = this.#order;
    const list = this.#items;
    if (!this.#sorted && this.#scansLeft > 0) {
      this.#scansLeft -= 1;
      for (const item of list) if (order.compareParsed(version, item) === 0) return true;
      return false;
    }
    if (!this.#sorted) {
      list.sort((a, b) => order.compareParsed(a, b));
      this.#sorted = true;
    }
    let low = 0;
    let high = list.length - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const c = order.compareParsed(version, list[mid] as P);
      if (c === 0) return true;
      if (c < 0) high = mid - 1;
      else low = mid + 1;
    }
    return false;
  }
}
