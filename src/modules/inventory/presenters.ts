import type { Sector } from '../identity/index.js';
import type { Tlp } from '../../platform/tlp.js';
import type { AssetCriticality } from './domain/asset.js';
import type { AffectedEvidence } from './domain/osv-evaluate.js';
import type { AdvisoryRow, AssetRow, ComponentRow, MatchRow, SbomRow } from './store/tables.js';

/** What the API and CLI show. Fields are listed one by one, so that nothing else leaks. */

export interface Asset {
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  readonly sector: Sector | null;
  readonly criticality: AssetCriticality;
  readonly internetFacing: boolean;
  /** The SBOM version that is the asset's inventory now, or null before the first upload. */
  readonly currentSbomId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface Sbom {
  readonly id: string;
  readonly assetId: string;
  readonly orgId: string;
  readonly version: number;
  /** SHA-256 of the bytes as uploaded (the raw document is kept under this hash). */
  readonly sha256: string;
  readonly size: number;
  readonly format: string;
  readonly specVersion: string;
  readonly serialization: string;
  readonly documentName: string | null;
  readonly components: number;
  /** Components advisories cannot be matched to (no purl with an advisory ecosystem), each with its reason. */
  readonly unmatched: number;
  readonly warnings: string[];
  readonly createdAt: string;
  /** When a newer version replaced it; null while it is the current one. */
  readonly supersededAt: string | null;
}

export interface SbomComponent {
  readonly index: number;
  readonly ref: string;
  readonly name: string;
  readonly version: string | null;
  readonly purl: string | null;
  readonly cpe: string | null;
  readonly ecosystem: string | null;
  readonly unmatchedReason: string | null;
}

/** An OSV `affected` entry as the API shows it (the parts matching reads). */
export interface AdvisoryAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: { type: string; repo?: string; events: { introduced?: string; fixed?: string; last_affected?: string; limit?: string }[] }[];
  versions?: string[];
}

export interface Advisory {
  readonly id: string;
  readonly aliases: string[];
  readonly summary: string | null;
  readonly modified: string | null;
  readonly withdrawn: string | null;
  readonly tlp: Tlp;
  readonly source: string;
  readonly sourceRef: string | null;
  /** Increases by one with every change of content, TLP or withdrawal. */
  readonly revision: number;
  readonly affected: AdvisoryAffected[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One component × one advisory. */
export interface ComponentMatch {
  readonly sbomId: string;
  readonly componentIndex: number;
  readonly advisoryId: string;
  /** The purl as written in the SBOM. */
  readonly purl: string | null;
  readonly version: string | null;
  /** `unknown`: the advisory names the package but the version cannot be decided (see `reasons`). */
  readonly status: 'affected' | 'unknown';
  readonly confidence: 'exact' | 'low';
  /** Versions to upgrade to, ascending. */
  readonly fixed: string[];
  /** The `versions[]` entry or range interval that matched. */
  readonly evidence: AffectedEvidence[];
  readonly reasons: string[];
  readonly matchedAt: string;
}

export function presentAsset(row: AssetRow): Asset {
  return {
    id: row.id,
    orgId: row.owner_org_id,
    name: row.name,
    sector: row.sector as Sector | null,
    criticality: row.criticality as AssetCriticality,
    internetFacing: row.internet_facing === 1,
    currentSbomId: row.current_sbom_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function presentSbom(row: SbomRow): Sbom {
  return {
    id: row.id,
    assetId: row.asset_id,
    orgId: row.owner_org_id,
    version: row.version,
    sha256: row.blob_sha256,
    size: Number(row.size),
    format: row.format,
    specVersion: row.spec_version,
    serialization: row.serialization,
    documentName: row.document_name,
    components: row.component_count,
    unmatched: row.unmatched_count,
    warnings: JSON.parse(row.warnings) as string[],
    createdAt: row.created_at,
    supersededAt: row.superseded_at,
  };
}

export function presentComponent(row: ComponentRow): SbomComponent {
  return {
    index: row.idx,
    ref: row.ref,
    name: row.name,
    version: row.version,
    purl: row.purl,
    cpe: row.cpe,
    ecosystem: row.ecosystem,
    unmatchedReason: row.unmatched_reason,
  };
}

export function presentAdvisory(row: AdvisoryRow): Advisory {
  const record = JSON.parse(row.record) as { affected?: AdvisoryAffected[] };
  return {
    id: row.id,
    aliases: JSON.parse(row.aliases) as string[],
    summary: row.summary,
    modified: row.modified,
    withdrawn: row.withdrawn,
    tlp: row.tlp as Tlp,
    source: row.source,
    sourceRef: row.source_ref,
    revision: row.revision,
    affected: record.affected ?? [],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function presentMatch(row: MatchRow): ComponentMatch {
  return {
    sbomId: row.sbom_id,
    componentIndex: row.component_idx,
    advisoryId: row.advisory_id,
    purl: row.purl,
    version: row.version,
    status: row.status as ComponentMatch['status'],
    confidence: row.confidence as ComponentMatch['confidence'],
    fixed: JSON.parse(row.fixed) as string[],
    evidence: JSON.parse(row.evidence) as AffectedEvidence[],
    reasons: JSON.parse(row.reasons) as string[],
    matchedAt: row.matched_at,
  };
}
