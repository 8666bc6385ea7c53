import type { Kysely } from 'kysely';
import { tables, type Executor } from '../../../platform/db/index.js';

/** Row shapes of the scanning tables (migrations/0001-init.ts). JSON columns are text. */

export interface CampaignRow {
  id: string;
  owner_org_id: string;
  created_by: string | null;
  tlp: string;
  name: string;
  tool_name: string;
  tool_version: string;
  ai_assisted: number;
  model_name: string | null;
  model_version: string | null;
  technique: string;
  active: number;
  window_start: string;
  window_end: string;
  requests_per_second: number | null;
  concurrency: number | null;
  stop_contact: string;
  state: string;
  state_changed_at: string;
  stop_reason: string | null;
  seq: number;
  created_at: string;
}

/** A stored target: its key, how it reads, and what network indexes need. */
export interface TargetColumns {
  kind: string;
  target_key: string;
  text: string;
  net_low: string | null;
  net_high: string | null;
  host_name: string | null;
}

export interface CampaignTargetRow extends TargetColumns {
  campaign_id: string;
  position: number;
  /** The target as registered (re-read with `versions` to rebuild the scan target). */
  input: string;
  versions: string | null;
}

export interface CampaignAssetRow {
  campaign_id: string;
  asset_id: string;
  operator_org_id: string;
}

export interface StopRequestRow {
  id: string;
  campaign_id: string;
  source: string;
  requester_org_id: string;
  requester_user_id: string | null;
  asset_id: string | null;
  blackout_id: string | null;
  reason: string;
  created_at: string;
}

export interface AssetRow {
  id: string;
  owner_org_id: string;
  created_by: string | null;
  name: string;
  time_zone: string;
  active_scanning: string;
  created_at: string;
  updated_at: string;
}

export interface AssetTargetRow extends TargetColumns {
  asset_id: string;
  position: number;
}

export interface ConsentRow {
  id: string;
  asset_id: string;
  scanner_org_id: string;
  techniques: string;
  window: string | null;
  max_requests_per_second: number;
  max_concurrency: number;
  created_by: string | null;
  created_at: string;
}

export interface BlackoutRow {
  id: string;
  asset_id: string;
  reason: string;
  window: string;
  created_by: string | null;
  created_at: string;
}

export interface LeaseRow extends TargetColumns {
  id: string;
  technique: string;
  owner_org_id: string;
  created_by: string | null;
  campaign_id: string | null;
  claimed_at: string;
  expires_at: string;
  released_at: string | null;
}

export interface CampaignFindingRow {
  finding_id: string;
  campaign_id: string;
  submission_id: string;
  cluster_id: string;
  target_key: string | null;
  reported_at: string;
}

export interface ScanningTables {
  scanning_campaign: CampaignRow;
  scanning_campaign_target: CampaignTargetRow;
  scanning_campaign_asset: CampaignAssetRow;
  scanning_stop_request: StopRequestRow;
  scanning_asset: AssetRow;
  scanning_asset_target: AssetTargetRow;
  scanning_consent: ConsentRow;
  scanning_blackout: BlackoutRow;
  scanning_lease: LeaseRow;
  scanning_finding: CampaignFindingRow;
}

export const t = (executor: Executor): Kysely<ScanningTables> => tables<ScanningTables>(executor);
