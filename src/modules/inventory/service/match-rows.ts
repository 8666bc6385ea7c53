import { canonicalJson } from '../../../platform/hash.js';
import type { AffectedVerdict, ComponentRef } from '../domain/osv-evaluate.js';
import { packageKey } from '../domain/package-name.js';
import type { ParsedSbom } from '../domain/sbom-model.js';
import { componentRefOf } from '../domain/sbom-match.js';
import { storedPackageKey } from '../store/sboms.js';
import type { ComponentRow, MatchRow } from '../store/tables.js';
import { toComponentRef, type InventoryIndexes } from './match-indexes.js';

/** How SBOM components become rows, and verdicts become match rows: shared by both match directions. */

const CPE_ONLY = 'identified by CPE only; OSV advisories name packages';

/** The rows of a parsed SBOM's components, identity resolved once: OSV ecosystem, name and package key. */
export function componentRows(sbomId: string, sbom: ParsedSbom): ComponentRow[] {
  return sbom.components.map((c, idx) => {
    const ref = componentRefOf(c);
    return {
      sbom_id: sbomId,
      idx,
      ref: c.ref,
      name: c.name,
      version: ref?.version ?? c.version,
      purl: c.purl,
      cpe: c.cpe,
      ecosystem: ref?.ecosystem ?? null,
      package_name: ref?.name ?? null,
      package_key: ref === null ? null : storedPackageKey(packageKey(ref.ecosystem, ref.name)),
      unmatched_reason: ref === null ? (c.unmatchedReason ?? CPE_ONLY) : null,
    };
  });
}

/** A component row as the matcher sees it, or null when it cannot be matched. */
export function refOfRow(row: ComponentRow): ComponentRef | null {
  return row.package_key === null ? null : toComponentRef(row);
}

export function toMatchRow(
  component: ComponentRow,
  owner: { readonly assetId: string; readonly orgId: string },
  verdict: AffectedVerdict,
  at: string,
): MatchRow {
  return {
    sbom_id: component.sbom_id,
    component_idx: component.idx,
    advisory_id: verdict.advisoryId,
    asset_id: owner.assetId,
    owner_org_id: owner.orgId,
    purl: component.purl,
    version: component.version,
    status: verdict.status,
    confidence: verdict.confidence,
    fixed: JSON.stringify(verdict.fixed),
    reasons: JSON.stringify(verdict.reasons),
    evidence: JSON.stringify(verdict.evidence),
    matched_at: at,
  };
}

/** Each matchable component's verdicts (affected and undecidable), by position, as the indexes stood at `seq`. */
export interface ForwardVerdicts {
  readonly seq: number;
  readonly verdicts: ReadonlyMap<number, readonly AffectedVerdict[]>;
}

/**
 * Forward match: every component against the advisory index. Synchronous, so it sees the indexes at one
 * `seq` even outside the inventory lock: an upload computes it before taking the lock, where every other
 * upload and import waits (issue 20), and {@link forwardMatchRows} checks under the lock that it still holds.
 */
export function forwardVerdicts(
  components: readonly ComponentRow[],
  indexes: Pick<InventoryIndexes, 'seq' | 'advisories'>,
): ForwardVerdicts {
  const verdicts = new Map<number, AffectedVerdict[]>();
  components.forEach((component, i) => {
    const ref = refOfRow(component);
    if (ref !== null) verdicts.set(i, indexes.advisories.match(ref));
  });
  return { seq: indexes.seq, verdicts };
}

/**
 * The forward match rows, under the inventory lock with the indexes refreshed: from the verdicts computed
 * `early` when the indexes have not moved since, else computed again now — the same rows either way.
 */
export function forwardMatchRows(
  components: readonly ComponentRow[],
  early: ForwardVerdicts,
  indexes: Pick<InventoryIndexes, 'seq' | 'advisories'>,
  owner: { readonly assetId: string; readonly orgId: string },
  at: string,
): MatchRow[] {
  const { verdicts } = early.seq === indexes.seq ? early : forwardVerdicts(components, indexes);
  return components.flatMap((component, i) => (verdicts.get(i) ?? []).map((verdict) => toMatchRow(component, owner, verdict, at)));
}

/** A JSON column's value in one spelling: PostgreSQL's jsonb reads back reformatted, SQLite's text as written. */
export const canonicalColumn = (json: string): string => canonicalJson(JSON.parse(json));

/** What tells two match rows apart beyond their key: a changed verdict is a changed match. */
export function sameVerdict(a: MatchRow, b: MatchRow): boolean {
  return (
    a.status === b.status &&
    a.confidence === b.confidence &&
    a.purl === b.purl &&
    (['fixed', 'reasons', 'evidence'] as const).every((column) => canonicalColumn(a[column]) === canonicalColumn(b[column]))
  );
}
