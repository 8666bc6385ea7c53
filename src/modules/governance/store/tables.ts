import type { Kysely } from 'kysely';
import { tables, type Executor } from '../../../platform/db/index.js';

/** Row shapes of governance's tables (see migrations/0001-init.ts). JSON columns are text. */

export interface RetentionPolicyRow {
  version: number;
  document: string;
  note: string | null;
  created_by: string;
  created_at: string;
}

export interface HoldRow {
  id: string;
  scope: string;
  target_id: string;
  reason: string;
  placed_by: string;
  placed_at: string;
  released_by: string | null;
  released_at: string | null;
  release_note: string | null;
}

export interface PurgeRunRow {
  id: string;
  cause: string;
  org_id: string | null;
  policy_version: number;
  started_by: string;
  started_at: string;
  finished_at: string | null;
  purged: number;
  held: number;
  blobs_deleted: number;
  /** The organisation removal this run carries out; null for the retention purge. */
  removal_id: string | null;
}

export interface TombstoneRow {
  record_id: string;
  data_class: string;
  module: string;
  owner_org_id: string | null;
  created_at: string | null;
  expired_at: string | null;
  purged_at: string;
  cause: string;
  reason: string;
  policy_version: number | null;
  run_id: string;
}

export interface PendingBlobRow {
  sha256: string;
  run_id: string;
  since: string;
}

export interface RemovalRow {
  id: string;
  org_id: string;
  requested_by: string;
  requested_at: string;
  reason: string | null;
  status: string;
  run_id: string | null;
  completed_at: string | null;
  summary: string | null;
  /** The organisation while the removal is queued or running, null once completed (unique: one at a time). */
  active_org_id: string | null;
  /** The background work that runs it. */
  work_id: string | null;
}

export interface GovernanceTables {
  governance_retention_policy: RetentionPolicyRow;
  governance_hold: HoldRow;
  governance_purge_run: PurgeRunRow;
  governance_tombstone: TombstoneRow;
  governance_pending_blob: PendingBlobRow;
  governance_removal: RemovalRow;
}

export function governance(executor: Executor): Kysely<GovernanceTables> {
  return tables<GovernanceTables>(executor);
}
