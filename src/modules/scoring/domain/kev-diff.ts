import type { KevCatalog, KevEntry } from './kev-catalog.js';

/** The fields whose change is a change of the entry; the catalog's own version and date are not. */
export const KEV_COMPARED_FIELDS = [
  'vendorProject',
  'product',
  'vulnerabilityName',
  'dateAdded',
  'dueDate',
  'knownRansomwareCampaignUse',
] as const satisfies readonly (keyof KevEntry)[];

export type KevComparedField = (typeof KEV_COMPARED_FIELDS)[number];

export interface KevChange {
  readonly cveId: string;
  readonly before: KevEntry;
  readonly after: KevEntry;
  /** Which of {@link KEV_COMPARED_FIELDS} differ, in that order. */
  readonly fields: readonly KevComparedField[];
}

export interface KevDiff {
  /** The previous catalog's release, or null on a first import. */
  readonly from: { readonly catalogVersion: string; readonly dateReleased: string } | null;
  readonly to: { readonly catalogVersion: string; readonly dateReleased: string };
  /** True when the new catalog was released before the previous one: an out-of-order or replayed import. */
  readonly olderThanPrevious: boolean;
  /** Each list sorted by CVE id, so that two runs over the same catalogs produce the same diff. */
  readonly added: readonly KevEntry[];
  readonly removed: readonly KevEntry[];
  readonly changed: readonly KevChange[];
  readonly unchanged: number;
}

const byCve = (a: { cveId: string }, b: { cveId: string }) => (a.cveId < b.cveId ? -1 : a.cveId > b.cveId ? 1 : 0);

/**
 * What importing `next` over `previous` changes, entry by entry, keyed by CVE id. Importing the same catalog
 * again yields no additions, removals or changes, which is what makes re-import idempotent: a store applies
 * exactly this diff. CISA does remove entries now and then (rejected CVEs, merged duplicates), hence `removed`.
 *
 * @param previous the catalog currently held, or null before the first import.
 */
export function diffKevCatalogs(previous: KevCatalog | null, next: KevCatalog): KevDiff {
  const before = new Map((previous?.entries ?? []).map((e) => [e.cveId, e]));
  const added: KevEntry[] = [];
  const changed: KevChange[] = [];
  let unchanged = 0;
  for (const after of next.entries) {
    const old = before.get(after.cveId);
    before.delete(after.cveId);
    if (old === undefined) {
      added.push(after);
      continue;
    }
    const fields = KEV_COMPARED_FIELDS.filter((f) => old[f] !== after[f]);
    if (fields.length === 0) unchanged += 1;
    else changed.push({ cveId: after.cveId, before: old, after, fields });
  }
  const release = (c: KevCatalog) => ({ catalogVersion: c.catalogVersion, dateReleased: c.dateReleased });
  return {
    from: previous === null ? null : release(previous),
    to: release(next),
    olderThanPrevious: previous !== null && Date.parse(next.dateReleased) < Date.parse(previous.dateReleased),
    added: added.sort(byCve),
    removed: [...before.values()].sort(byCve),
    changed: changed.sort(byCve),
    unchanged,
  };
}
