import type { Static } from '@sinclair/typebox';
import type { Sector } from '../identity/index.js';
import type { Tlp } from '../../platform/tlp.js';
import type { AssetCriticality } from './domain/asset.js';
import type { AffectedEvidence } from './domain/osv-evaluate.js';
import type { AdvisoryRow, AssetRow, ComponentRow, MatchRow, SbomRow } from './store/tables.js';
import type { AdvisorySchema, AssetSchema, ComponentSchema, MatchSchema, SbomSchema } from './routes/schemas.js';

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
