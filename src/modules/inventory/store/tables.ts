import type { Kysely } from 'kysely';
import { tables, type Executor } from '../../../platform/db/index.js';

export interface AssetRow {
  id: string;
  owner_org_id: string;
  name: string;
  name_key: string;
  sector: string | null;
  criticality: string;
  /** 0 or 1: the same integer on every dialect. */
  internet_facing: number;
  current_sbom_id: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface SbomRow {
  id: string;
  asset_id: string;
  owner_org_id: string;
  version: number;
  blob_sha256: string;
  size: number;
  format: string;
  spec_version: string;
  serialization: string;
  document_name: string | null;
  component_count: number;
  unmatched_count: number;
  /** JSON array of strings. */
  warnings: string;
  created_by: string | null;
  created_at: string;
  superseded_at: string | null;
}

export interface ComponentRow {
  sbom_id: string;
  idx: number;
  ref: string;
  name: string;
  version: string | null;
  /** As written in the SBOM. */
  purl: string | null;
  cpe: string | null;
  /** OSV ecosystem and name, null when the component cannot be matched against OSV advisories. */
  ecosystem: string | null;
  package_name: string | null;
  package_key: string | null;
  unmatched_reason: string | null;
}

export interface AdvisoryRow {
  id: string;
  owner_org_id: string;
  tlp: string;
  created_by: string | null;
  source: string;
  source_ref: string | null;
  modified: string | null;
  withdrawn: string | null;
  summary: string | null;
  /** JSON array of strings. */
  aliases: string;
  /** The OSV record as read by `readOsvRecord`, JSON. */
  record: string;
  content_hash: string;
  revision: number;
  created_at: string;
  updated_at: string;
}

export interface AdvisoryAliasRow {
  alias: string;
  advisory_id: string;
}

export interface MatchRow {
  sbom_id: string;
  component_idx: number;
  advisory_id: string;
  asset_id: string;
  owner_org_id: string;
  purl: string | null;
  version: string | null;
  /** 'affected' or 'unknown'. */
  status: string;
  confidence: string;
  /** JSON array of versions. */
  fixed: string;
  /** JSON array of strings. */
  reasons: string;
  /** JSON array of the domain's AffectedEvidence: the `versions[]` entry or the range interval that matched. */
  evidence: string;
  matched_at: string;
}

export interface ChangeRow {
  seq: number;
  /** 'advisory' (subject: advisory id) or 'asset' (subject: asset id; its current SBOM changed). */
  kind: string;
  subject_id: string;
  at: string;
}

export interface InventoryTables {
  inventory_asset: AssetRow;
  inventory_sbom: SbomRow;
  inventory_component: ComponentRow;
  inventory_advisory: AdvisoryRow;
  inventory_advisory_alias: AdvisoryAliasRow;
  inventory_match: MatchRow;
  inventory_change: ChangeRow;
}

export const t = (executor: Executor): Kysely<InventoryTables> => tables<InventoryTables>(executor);

/**
 * Rows per multi-row INSERT or IN list: well under SQLite's 32,766 and PostgreSQL's 65,535 bound
 * parameters for the widest table here (13 columns).
 */
export const BATCH_ROWS = 1000;

/** Splits a list into batches of {@link BATCH_ROWS}. */
export function batches<T>(items: readonly T[], size = BATCH_ROWS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
