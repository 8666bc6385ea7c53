import type { Static } from '@sinclair/typebox';
import type { Tlp } from '../../platform/tlp.js';
import { stateByTime, type CampaignState } from './domain/campaign.js';
import type { CampaignAssetRow, CampaignRow, CampaignTargetRow, LeaseRow, StopRequestRow } from './store/tables.js';
import type { CampaignSchema, LeaseSchema, StopRequestSchema } from './route-schemas.js';

/**
 * The fields a caller reads of a campaign, its stop requests and a lease: the response schemas' types, so
 * each is listed once (route-schemas.ts) and nothing else leaks.
 */
export type Campaign = Static<typeof CampaignSchema>;

export type StopRequest = Static<typeof StopRequestSchema>;

/** The state a stored campaign is in at `now`: stopped and completed stand; the others follow the clock. */
export function effectiveState(row: Pick<CampaignRow, 'state' | 'window_start' | 'window_end'>, now: Date): CampaignState {
  if (row.state === 'stopped' || row.state === 'completed') return row.state;
  return stateByTime({ startMs: Date.parse(row.window_start), endMs: Date.parse(row.window_end) }, now.getTime());
}

export function presentStopRequest(row: StopRequestRow): StopRequest {
  return {
    id: row.id,
    source: row.source as StopRequest['source'],
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
    technique: row.technique as Campaign['technique'],
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

export type Lease = Static<typeof LeaseSchema>;

export function presentLease(row: LeaseRow): Lease {
  return {
    id: row.id,
    target: row.text,
    key: row.target_key,
    technique: row.technique as Campaign['technique'],
    orgId: row.owner_org_id,
    campaignId: row.campaign_id,
    claimedAt: row.claimed_at,
    expiresAt: row.expires_at,
    releasedAt: row.released_at,
  };
}
