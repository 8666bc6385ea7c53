import type { VersionOrder } from './version-order.js';

/**
 * What an index needs to know of a `versions[]` before any lookup, computed by {@link ListedVersions.facts}
 * under the entry's order. The advisory snapshot keeps it beside the record, so a warm `clearinghouse match`
 * parses none of the listed versions of the advisories no component's version reaches.
 */
export interface ListedFacts {
  /** The highest listed version under the order, as written, or null when none parses. */
  readonly highest: string | null;
  /** Every listed version parses: none can be matched by its spelling alone, so `highest` bounds them all. */
  readonly complete: boolean;
}

/**
 * An affected entry's `versions[]`, parsed under its ecosystem's order, asked whether a version is listed
 * though spelled differently ("1.0" and "1.0.0" in PEP 440). Nothing is parsed until asked: `clearinghouse
 * match` compiles the advisories naming an SBOM's packages, and most of them are never evaluated (the
 * component's version lies above their reach); given the {@link ListedFacts} (from a snapshot), even the
 * reach costs one parse. PyPI advisories list hundreds of versions, and most compiled entries are asked once
 * or twice: sorting for binary search costs n·log n comparisons up front, a scan n per question. So the
 * first questions scan, and the list is sorted only once as many have been asked as sorting would have cost:
 * never more than twice the comparisons of the cheaper of the two. The answers are the same either way.
 */
export class ListedVersions<P = unknown> {
  readonly #order: VersionOrder<P>;
  readonly #spellings: readonly string[];
  readonly #parse: (version: string) => P | null;
  #facts: ListedFacts | undefined;
  #spelled: ReadonlySet<string> | undefined;
  /** The versions that parse, once first needed. */
  #items: P[] | undefined;
  #sorted = false;
  #scansLeft = 0;

  /** `parse` defaults to the order's own; an index passes a shared, remembering one (ParsedVersions). */
  constructor(
    order: VersionOrder<P>,
    spellings: readonly string[],
    parse: (version: string) => P | null = (v) => order.parse(v),
    facts?: ListedFacts,
  ) {
    this.#order = order;
    this.#spellings = spellings;
    this.#parse = parse;
    this.#facts = facts;
  }

  /** How many versions are listed, as written (duplicates and unparseable ones counted). */
  get length(): number {
    return this.#spellings.length;
  }

  /** Whether `version` is listed spelled exactly so. */
  hasSpelling(version: string): boolean {
    return (this.#spelled ??= new Set(this.#spellings)).has(version);
  }

  #parsed(): P[] {
    if (this.#items === undefined) {
      const items: P[] = [];
      for (const v of this.#spellings) {
        const p = this.#parse(v);
        if (p !== null) items.push(p);
      }
      this.#items = items;
      this.#scansLeft = Math.ceil(Math.log2(items.length + 1));
    }
    return this.#items;
  }

  /** The highest version and whether every one parses (given, or computed once). */
  facts(): ListedFacts {
    if (this.#facts === undefined) {
      const order = this.#order;
      let highest: string | null = null;
      let highestParsed: P | null = null;
      let complete = true;
      for (const v of this.#spellings) {
        const p = this.#parse(v);
        if (p === null) complete = false;
        else if (highestParsed === null || order.compareParsed(p, highestParsed) > 0) {
          highest = v;
          highestParsed = p;
        }
      }
      this.#facts = { highest, complete };
    }
    return this.#facts;
  }

  /** The highest listed version under the order, or undefined when none parses. */
  get highest(): P | undefined {
    const { highest } = this.facts();
    return highest === null ? undefined : (this.#parse(highest) ?? undefined);
  }

  /** Whether a version equal to `version` under the order is listed. */
  has(version: P): boolean {
    const order = this.#order;
    const list = this.#parsed();
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
