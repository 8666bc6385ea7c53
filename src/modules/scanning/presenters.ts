import type { Static } from '@sinclair/typebox';
import { storedEnum } from '../../platform/db/index.js';
import { TLP_LABELS } from '../../platform/tlp.js';
import { STOP_SOURCES, stateByTime, type CampaignState } from './domain/campaign.js';
import type { CampaignConflict } from './domain/campaign-conflicts.js';
import { TECHNIQUES } from './domain/techniques.js';
import { describeWindow } from './domain/time-window.js';
import type { CampaignAssetRow, CampaignRow, CampaignTargetRow, LeaseRow, StopRequestRow } from './store/tables.js';
import type {
  AssetSchema,
  BlackoutAddedSchema,
  CampaignSchema,
  ConflictSchema,
  LeaseHolderSchema,
  LeaseOnTargetSchema,
  LeaseSchema,
  ScanOnTargetSchema,
  StopRequestSchema,
  TargetCoverageSchema,
  TargetStatusSchema,
} from './route-schemas.js';
import type { LoadedAsset } from './service/asset-policies.js';

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
    source: storedEnum(STOP_SOURCES, row.source, 'scanning_stop_request.source'),
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
    technique: storedEnum(TECHNIQUES, row.technique, 'scanning_campaign.technique'),
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
    tlp: storedEnum(TLP_LABELS, row.tlp, 'scanning_campaign.tlp'),
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
    technique: storedEnum(TECHNIQUES, row.technique, 'scanning_lease.technique'),
    orgId: row.owner_org_id,
    campaignId: row.campaign_id,
    claimedAt: row.claimed_at,
    expiresAt: row.expires_at,
    releasedAt: row.released_at,
  };
}

export type LeaseHolder = Static<typeof LeaseHolderSchema>;

/** A live lease on or near a target, as the caller may see it (`own`: its holder's organisation, or the coordinator). */
export type LeaseOnTarget = Static<typeof LeaseOnTargetSchema>;

export function presentLeaseOnTarget(row: LeaseRow, holder: LeaseHolder, own: boolean): LeaseOnTarget {
  return {
    target: row.text,
    technique: storedEnum(TECHNIQUES, row.technique, 'scanning_lease.technique'),
    expiresAt: row.expires_at,
    holder,
    leaseId: own ? row.id : null,
  };
}

/** An operator's asset as scan policy knows it: targets, standing consents, blackouts (each described in the asset's zone). */
export type ScanAsset = Static<typeof AssetSchema>;

export function presentAsset(asset: LoadedAsset): ScanAsset {
  const p = asset.policy;
  return {
    id: asset.row.id,
    orgId: asset.row.owner_org_id,
    name: asset.row.name,
    timeZone: asset.row.time_zone,
    activeScanning: p.activeScanning,
    targets: [
      ...asset.declaration.hostnames.map((h) => ({ target: h.text, kind: 'hostname' })),
      ...asset.declaration.cidrs.map((c) => ({ target: c.text, kind: 'cidr' })),
      ...asset.declaration.products.map((t) => ({ target: t.text, kind: t.kind })),
    ],
    consents: p.consents.map((c) => ({
      id: c.id,
      scannerOrgId: c.scannerOrgId,
      techniques: c.techniques,
      window: c.window,
      maxIntensity: c.maxIntensity,
    })),
    blackouts: p.blackouts.map((b) => ({
      id: b.id,
      reason: b.reason,
      window: b.window,
      description: describeWindow(b.window, p.timeZone),
    })),
    createdAt: asset.row.created_at,
    updatedAt: asset.row.updated_at,
  };
}

/**
 * A conflict as one caller may see it. Whoever is told always learns that another party scans their target
 * with a technique until a time; the other campaign's identity, organisation and own targets only when the
 * access policy lets the caller see that campaign (`visible`).
 */
export type ConflictView = Static<typeof ConflictSchema>;

const iso = (ms: number): string => new Date(ms).toISOString();

export function presentConflict(conflict: CampaignConflict, other: CampaignRow | undefined, visible: boolean, now: Date): ConflictView {
  return {
    reason: conflict.reason,
    technique: conflict.other.technique,
    during: { start: iso(conflict.during.startMs), end: iso(conflict.during.endMs) },
    until: iso(conflict.other.window.endMs),
    targets: conflict.pairs.map((p) => ({
      ours: p.ours.text,
      theirs: visible ? p.theirs.text : null,
      overlap: p.overlap.detail,
      approximate: p.overlap.approximate,
    })),
    campaign:
      visible && other !== undefined
        ? {
            id: other.id,
            orgId: other.owner_org_id,
            name: other.name,
            state: effectiveState(other, now),
            stopContact: JSON.parse(other.stop_contact) as Record<string, string>,
          }
        : null,
  };
}

export type ScanOnTarget = Static<typeof ScanOnTargetSchema>;

/** A campaign on a target: always when and how; who, only when the caller may see the campaign (`visible`). */
export function presentScanOnTarget(row: CampaignRow, visible: boolean, now: Date): ScanOnTarget {
  return {
    technique: storedEnum(TECHNIQUES, row.technique, 'scanning_campaign.technique'),
    state: effectiveState(row, now),
    window: { start: row.window_start, end: row.window_end },
    campaign: visible
      ? {
          id: row.id,
          orgId: row.owner_org_id,
          name: row.name,
          tool: `${row.tool_name} ${row.tool_version}`,
          aiAssisted: row.ai_assisted === 1,
        }
      : null,
  };
}

/**
 * What a scanner should know before it starts on a target (live leases, planned and active campaigns, the
 * clusters intake holds for it), and who scanned it and what they found: each as far as the caller may see.
 */
export type TargetStatus = Static<typeof TargetStatusSchema>;
export type TargetCoverage = Static<typeof TargetCoverageSchema>;

/** An asset after a blackout was added, and the stop requests sent to the campaigns it collides with. */
export type BlackoutAdded = Static<typeof BlackoutAddedSchema>;
