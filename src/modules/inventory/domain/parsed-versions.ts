import type { VersionOrder } from './version-order.js';

/**
 * Version strings parsed once per order and shared. An advisory index holds hundreds of thousands of
 * range bounds and `versions[]` entries, most of them the same few strings ("0.1.0", "1.2.3"); parsing
 * each occurrence (PEP 440 and SemVer parses are not cheap) costs time at build and memory for life.
 * Parsed values are never mutated, so sharing them is safe. Belongs to one index: dropped with it.
 */
export class ParsedVersions {
  private readonly byOrder = new Map<VersionOrder, Map<string, unknown>>();

  /** `order.parse(version)`, remembered. */
  parse<P>(order: VersionOrder<P>, version: string): P | null {
    let cache = this.byOrder.get(order as VersionOrder);
    if (cache === undefined) {
      cache = new Map();
      this.byOrder.set(order as VersionOrder, cache);
    }
    if (cache.has(version)) return cache.get(version) as P | null;
    const parsed = order.parse(version);
    cache.set(version, parsed);
    return parsed;
  }
}
