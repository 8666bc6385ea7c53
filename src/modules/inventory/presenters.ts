import type { Static } from '@sinclair/typebox';
import type { Sector } from '../identity/index.js';
import type { Tlp } from '../../platform/tlp.js';
import type { AssetCriticality } from './domain/asset.js';
import type { AffectedEvidence } from './domain/osv-evaluate.js';
import type { AdvisoryRow, AssetRow, ComponentRow, MatchRow, SbomRow } from './store/tables.js';
import type {
  AdvisoryExposureSchema,
  AdvisoryImportSchema,
  AdvisorySchema,
  AffectedOperatorsSchema,
  AssetMatchesSchema,
  AssetSchema,
  ComponentSchema,
  MatchSchema,
  OperatorExposureSchema,
  SbomSchema,
  UploadResultSchema,
  UpsertResultSchema,
} from './routes/schemas.js';

/**
 * What the API and CLI show: the response schemas' types (routes/schemas.ts), where the fields are listed
 * one by one, once, so that nothing else leaks and nothing listed vanishes.
 */

export type Asset = Static<typeof AssetSchema>;

export type Sbom = Static<typeof SbomSchema>;

export type SbomComponent = Static<typeof ComponentSchema>;

/** An OSV `affected` entry as the API shows it (the parts matching reads). */
export interface AdvisoryAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: { type: string; repo?: string; events: { introduced?: string; fixed?: string; last_affected?: string; limit?: string }[] }[];
  versions?: string[];
}

export type Advisory = Static<typeof AdvisorySchema>;

export type ComponentMatch = Static<typeof MatchSchema>;

/**
 * What an SBOM upload answers: `created` false when the bytes are those of the asset's current SBOM (nothing
 * new recorded); the match counts over the advisories the uploader may see; the background work it queued.
 */
export type UploadResult = Static<typeof UploadResultSchema>;

/** What an import of a batch of advisories did, and the background work (the reverse match) it queued. */
export type AdvisoryImport = Static<typeof AdvisoryImportSchema>;

/** One advisory created or updated through the API, and what its upsert did. */
export type UpsertResult = Static<typeof UpsertResultSchema>;

/** An asset of the operator's and the components of it an advisory matches. */
export type AssetMatches = Static<typeof AssetMatchesSchema>;

/** One operator's exposure, per advisory (a page at a time): its assets and components the advisory matches. */
export type OperatorExposure = Static<typeof OperatorExposureSchema>;

/** The operators an advisory matches (a page at a time), with their affected assets and components. */
export type AffectedOperators = Static<typeof AffectedOperatorsSchema>;

/**
 * How many operators, assets and sectors run a version an advisory affects. `known` false: the inventory knows
 * none of the advisories asked about, so exposure is unknown (not none); `undecidedAssets` are matched only
 * undecidably (no version, …), not counted in the others.
 */
export type AdvisoryExposure = Static<typeof AdvisoryExposureSchema>;

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
