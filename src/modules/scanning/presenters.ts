import type { Tlp } from '../../platform/tlp.js';
import { stateByTime, type CampaignState } from './domain/campaign.js';
import type { CampaignAssetRow, CampaignRow, CampaignTargetRow, LeaseRow, StopRequestRow } from './store/tables.js';

/** The fields a caller reads of a campaign; listed one by one so nothing else leaks. */
export interface Campaign {
  readonly id: string;
  readonly orgId: string;
  readonly name: string;
  readonly tool: { readonly name: string; readonly version: string };
  readonly model: { readonly name: string; readonly version: string } | null;
  readonly aiAssisted: boolean;
  readonly technique: string;
  /** Whether it scans live systems (an operator's policy applies). */
  readonly active: boolean;
  readonly scope: readonly { readonly target: string; readonly kind: string; readonly key: string }[];
  readonly window: { readonly start: string; readonly end: string };
  readonly intensity: { readonly requestsPerSecond: number; readonly concurrency: number } | null;
  readonly stopContact: Readonly<Record<string, string>>;
  /** As the clock has it: a planned campaign whose window opened is active even before the sweep records it. */
  readonly state: CampaignState;
  readonly stopReason: string | null;
  readonly tlp: Tlp;
  /** The operators whose declared assets it touches. */
  readonly operatorOrgIds: readonly string[];
  readonly stopRequests: readonly StopRequest[];
  readonly createdAt: string;
}

export interface StopRequest {
  readonly id: string;
  readonly source: string;
  readonly requesterOrgId: string;
  readonly assetId: string | null;
  readonly blackoutId: string | null;
  readonly reason: string;
  readonly createdAt: string;
}

/** The state a stored campaign is in at `now`: stopped and completed stand; the others follow the clock. */
export function effectiveState(row: Pick<CampaignRow, 'state' | 'window_start' | 'window_end'>, now: Date): CampaignState {
  if (row.state === 'stopped' || row.state === 'completed') return row.state;
  return stateByTime({ startMs: Date.parse(row.window_start), endMs: Date.parse(row.window_end) }, now.getTime());
}

export function presentStopRequest(row: StopRequestRow): StopRequest {
  return {
    id: row.id,
    source: row.source,
    requesterOrgId: row.requester_org_id,
    assetId: row.asset_id,
    blackoutId: row.blackout_id,
    reason: row.reason,
    createdAt: row.created_at,
  };
}

export function presentCampaign(
  row: CampaignRow,
  parts: { targets: readonly CampaignTargetRow[]; assets: readonly CampaignAssetRow[]; stopRequests: readonly StopRequestRow[] },
  now: Date,
): Campaign {
  return {
    id: row.id,
    orgId: row.owner_org_id,
    name: row.name,
    tool: { name: row.tool_name, version: row.tool_version },
    model: row.model_name === null ? null : { name: row.model_name, version: row.model_version ?? '' },
    aiAssisted: row.ai_assisted === 1,
    technique: row.technique,
    active: row.active === 1,
    scope: parts.targets.map((t) => ({ target: t.text, kind: t.kind, key: t.target_key })),
    window: { start: row.window_start, end: row.window_end },
    intensity:
      row.requests_per_second === null || row.concurrency === null
        ? null
        : { requestsPerSecond: Number(row.requests_per_second), concurrency: row.concurrency },
    stopContact: JSON.parse(row.stop_contact) as Record<string, string>,
    state: effectiveState(row, now),
    stopReason: row.stop_reason,
    tlp: row.tlp as Tlp,
    operatorOrgIds: [...new Set(parts.assets.map((a) => a.operator_org_id))].sort(),
    stopRequests: parts.stopRequests.map(presentStopRequest),
    createdAt: row.created_at,
  };
}

export interface Lease {
  readonly id: string;
  readonly target: string;
  readonly key: string;
  readonly technique: string;
  readonly orgId: string;
  readonly campaignId: string | null;
  readonly claimedAt: string;
  readonly expiresAt: string;
  readonly releasedAt: string | null;
}

export function presentLease(row: LeaseRow): Lease {
  return {
    id: row.id,
    target: row.text,
    key: row.target_key,
    technique: row.technique,
    orgId: row.owner_org_id,
    campaignId: row.campaign_id,
    claimedAt: row.claimed_at,
    expiresAt: row.expires_at,
    releasedAt: row.released_at,
  };
}
