import type { CompiledAdvisory, CompiledAffected } from './osv-evaluate.js';
import type { VersionOrder } from './version-order.js';

/**
 * The advisories naming one package (one package key), arranged so that a component's version finds the
 * few that can affect it without evaluating the rest. Each advisory gets an upper bound: the highest
 * version any of its entries for this package can call affected (the last closing event of each range, the
 * highest `versions[]` entry). A version above every bound is affected by none; advisories are kept sorted
 * by bound, so those reaching a version are a prefix found by binary search. Advisories whose reach has no
 * upper end (an open range, an unknown range type, a bound the order cannot parse) are always candidates.
 * A superset, never a guess: every candidate is still evaluated exactly.
 */

interface Bounded {
  readonly advisory: CompiledAdvisory;
  readonly upper: unknown;
}

/** The highest version the advisory's entries for `key` can affect, or null when there is no upper end. */
function upperBound(advisory: CompiledAdvisory, key: string): { order: VersionOrder; upper: unknown } | null {
  const entries: CompiledAffected[] = advisory.affected.filter((a) => a.key === key);
  const order = entries[0]?.order;
  if (order === undefined) return null;
  let upper: unknown = null;
  const raise = (v: unknown): void => {
    if (upper === null || order.compareParsed(v, upper) > 0) upper = v;
  };
  for (const entry of entries) {
    // Unknown range types answer "unknown" for every version: no bound. GIT ranges matter only with a commit.
    if (entry.otherRanges.some((r) => r.type !== 'GIT')) return null;
    for (const range of entry.ranges) {
      const last = range.events[range.events.length - 1];
      if (range.invalid !== null) return null;
      if (last === undefined) continue;
      if (last.kind === 'introduced' || last.parsed === null) return null;
      raise(last.parsed);
    }
    // A listed version the order cannot parse is matched by its spelling alone: no bound to trust.
    if (!entry.listed.facts().complete) return null;
    const highest = entry.listed.highest;
    if (highest !== undefined) raise(highest);
  }
  return upper === null ? null : { order, upper };
}

export class PackageCandidates {
  private readonly all = new Map<string, CompiledAdvisory>();
  private readonly unbounded = new Map<string, CompiledAdvisory>();
  private readonly bounded = new Map<string, Bounded>();
  /** `bounded` by descending bound; rebuilt on the first lookup after a change. */
  private sorted: Bounded[] | null = null;
  private order: VersionOrder | null = null;

  constructor(private readonly key: string) {}

  add(advisory: CompiledAdvisory): void {
    this.all.set(advisory.id, advisory);
    const bound = upperBound(advisory, this.key);
    if (bound === null) this.unbounded.set(advisory.id, advisory);
    else {
      this.order = bound.order;
      this.bounded.set(advisory.id, { advisory, upper: bound.upper });
      this.sorted = null;
    }
  }

  delete(id: string): void {
    this.all.delete(id);
    this.unbounded.delete(id);
    if (this.bounded.delete(id)) this.sorted = null;
  }

  has(id: string): boolean {
    return this.all.has(id);
  }

  get size(): number {
    return this.all.size;
  }

  /** Every advisory naming the package. */
  every(): IterableIterator<CompiledAdvisory> {
    return this.all.values();
  }

  /** The order the bounds are in (the package's ecosystem), or null when no advisory is bounded. */
  get versionOrder(): VersionOrder | null {
    return this.order;
  }

  /** The advisories that can affect a version, parsed by {@link versionOrder}: a superset of those that do. */
  reaching(version: unknown): CompiledAdvisory[] {
    const out = [...this.unbounded.values()];
    const order = this.order;
    if (order === null) return out;
    const sorted = (this.sorted ??= [...this.bounded.values()].sort((a, b) => order.compareParsed(b.upper, a.upper)));
    // The first index whose bound lies below the version; everything before it reaches the version.
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (order.compareParsed((sorted[mid] as Bounded).upper, version) >= 0) low = mid + 1;
      else high = mid;
    }
    for (let i = 0; i < low; i++) out.push((sorted[i] as Bounded).advisory);
    return out;
  }
}
