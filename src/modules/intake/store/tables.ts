import type { CompiledQuery, Expression, Kysely, SqlBool } from 'kysely';
import { insertManyStatements, tables, type DialectCapabilities, type Executor } from '../../../platform/db/index.js';

/** Intake's tables as Kysely sees them (the migrations in ../migrations create them). */

export interface SubmissionRow {
  id: string;
  owner_org_id: string;
  created_by: string | null;
  tlp: string;
  sha256: string;
  size: number;
  filename: string | null;
  format: string;
  format_version: string | null;
  document_id: string | null;
  campaign_id: string | null;
  /** JSON: the recipients named at submission (`RecipientInput`). */
  recipients: string;
  status: 'received' | 'processed' | 'failed' | 'statements';
  finding_count: number;
  /** JSON array of FieldIssue. */
  warnings: string;
  error: string | null;
  created_at: string;
  processed_at: string | null;
}

export interface ClusterRow {
  id: string;
  title: string | null;
  target_identity: string | null;
  /** JSON array of CWE ids. */
  cwes: string;
  /** JSON array of vulnerability ids. */
  aliases: string;
  first_finding_id: string;
  first_reporter_org_id: string;
  first_seen_at: string;
  finding_count: number;
  reporter_count: number;
  state: string;
  merged_into: string | null;
  created_at: string;
  updated_at: string;
}

export interface FindingRow {
  id: string;
  submission_id: string;
  position: number;
  ref: string;
  product_id: string | null;
  owner_org_id: string;
  created_by: string | null;
  tlp: string;
  cluster_id: string;
  outcome: 'new' | 'duplicate';
  fingerprint: string;
  format: string;
  title: string | null;
  target_identity: string | null;
  cwes: string;
  tool: string | null;
  model: string | null;
  ai_generated: number | null;
  near_dup_indexed: number;
  /** JSON: the normalized Finding. */
  data: string;
  created_at: string;
}

/** An identity key and the cluster holding it, as the store's callers see it. */
export interface ClusterKeyRow {
  /** `alias:<id>`, `fp:<fingerprint>` or `finding:<id>` (assign-clusters.ts). */
  key: string;
  cluster_id: string;
  finding_id: string;
  created_at: string;
}

/** A row of `intake_cluster_key`: the key as bytes (cluster-key-bytes.ts). */
export interface StoredClusterKeyRow extends Omit<ClusterKeyRow, 'key'> {
  key: Uint8Array;
}

export interface LshRow {
  bucket: string;
  finding_id: string;
  cluster_id: string;
}

export interface CandidateRow {
  id: string;
  cluster_id: string;
  other_cluster_id: string;
  similarity: number;
  reason: string;
  status: 'proposed' | 'merged' | 'dismissed';
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

export interface RegroupRow {
  id: string;
  kind: 'merge' | 'split' | 'auto-merge';
  from_cluster_id: string;
  into_cluster_id: string;
  finding_ids: string;
  key_names: string;
  reason: string;
  actor: string;
  created_at: string;
  undone_at: string | null;
}

/** A finding's identity at one anchor level (see FINGERPRINTS.md, "Partial information"). */
export interface AnchorRow {
  key: string;
  level: string;
  finding_id: string;
  created_at: string;
}

export interface IntakeTables {
  intake_submission: SubmissionRow;
  intake_cluster: ClusterRow;
  intake_finding: FindingRow;
  intake_cluster_key: StoredClusterKeyRow;
  intake_lsh: LshRow;
  intake_candidate: CandidateRow;
  intake_regroup: RegroupRow;
  intake_anchor: AnchorRow;
}

export const t = (executor: Executor): Kysely<IntakeTables> => tables<IntakeTables>(executor);

/**
 * An access condition the service lends a query (service/access.ts): true when the actor may see the row the
 * alias names — a finding (`findingVisible`) or a cluster (`clusterVisible`). The store picks the alias.
 */
export type Visibility = (alias: string) => Expression<SqlBool>;

/** Ids per `IN (…)` list: well under every database's bound-parameter limit. */
export const CHUNK = 500;

/** Inserts rows of a table in bulk, columns in the order of the row type's first row. */
export async function insertRows<T extends keyof IntakeTables>(
  executor: Executor,
  caps: DialectCapabilities,
  table: T,
  rows: readonly IntakeTables[T][],
): Promise<void> {
  for (const statement of await insertRowsStatements(executor, caps, table, rows)) await executor.executeQuery(statement);
}

/** {@link insertRows}'s statements, built but not run: for `writeTogether`. None for no rows. */
export async function insertRowsStatements<T extends keyof IntakeTables>(
  executor: Executor,
  caps: DialectCapabilities,
  table: T,
  rows: readonly IntakeTables[T][],
): Promise<CompiledQuery[]> {
  const first = rows[0];
  if (first === undefined) return [];
  const columns = Object.keys(first) as (keyof IntakeTables[T] & string)[];
  const values: unknown[][] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    const value: unknown[] = new Array(columns.length);
    for (let c = 0; c < columns.length; c++) value[c] = row[columns[c]!];
    values[r] = value;
  }
  return insertManyStatements(executor, caps, table, columns, values);
}
