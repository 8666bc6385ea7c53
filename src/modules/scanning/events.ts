import { defineEvent } from '../../platform/events/event-type.js';
import type { StopSource } from './domain/campaign.js';
/**
 * The events scanning emits, one constant and payload type each. Every payload carries what notify needs to
 * tell the parties (whose organisation is the event's `orgId`), so consumers never read scanning's tables.
 */

/** A campaign as its events describe it. */
export interface CampaignSummary {
  readonly campaignId: string;
  /** The scanning organisation. */
  readonly orgId: string;
  readonly name: string;
  readonly technique: string;
  readonly active: boolean;
  readonly windowStart: string;
  readonly windowEnd: string;
  /** The targets as registered (canonical text). */
  readonly targets: readonly string[];
  /** Operators whose declared assets the campaign touches. */
  readonly operatorOrgIds: readonly string[];
  readonly tlp: string;
}

/** A campaign was registered (planned, or active at once when its window has opened). Org: the scanner. */
export const CAMPAIGN_REGISTERED = defineEvent<CampaignRegisteredPayload>('scanning.campaign.registered');
export type CampaignRegisteredPayload = CampaignSummary & { readonly state: 'planned' | 'active' };

/** A campaign's window opened: it may scan now. Org: the scanner. */
export const CAMPAIGN_STARTED = defineEvent<CampaignStartedPayload>('scanning.campaign.started');
export type CampaignStartedPayload = CampaignSummary;

/** A campaign ended: stopped early by its owner or the clearinghouse, or completed when its window closed. */
export const CAMPAIGN_STOPPED = defineEvent<CampaignStoppedPayload>('scanning.campaign.stopped');
export type CampaignStoppedPayload = CampaignSummary & {
  readonly state: 'stopped' | 'completed';
  readonly reason: string | null;
  /** Leases released with it. */
  readonly releasedLeaseIds: readonly string[];
};

/**
 * A newly registered campaign overlaps another (same target, overlapping window, same technique or two
 * active scans of one live system). One event per party, addressed to its organisation (`orgId`), with what
 * that party may see of the other campaign: `other` is null when the access policy hides it.
 */
export const CAMPAIGN_CONFLICTED = defineEvent<CampaignConflictedPayload>('scanning.campaign.conflicted');
export interface CampaignConflictedPayload {
  /** The campaign of the party told. */
  readonly campaignId: string;
  readonly reason: 'same-technique' | 'concurrent-active';
  readonly technique: string;
  readonly during: { readonly start: string; readonly end: string };
  /** This party's targets that overlap, and what they share. */
  readonly targets: readonly { readonly target: string; readonly overlap: string }[];
  readonly other: { readonly campaignId: string; readonly orgId: string; readonly name: string } | null;
}

/**
 * Someone asked a campaign to stop: the coordinator, an operator whose asset it touches, or a new blackout
 * on such an asset. Org: the scanner, to be told at once through its stop contact.
 */
export const STOP_REQUESTED = defineEvent<StopRequestedPayload>('scanning.stop.requested');
export interface StopRequestedPayload {
  readonly stopRequestId: string;
  readonly campaignId: string;
  readonly campaignName: string;
  readonly source: StopSource;
  readonly requesterOrgId: string;
  readonly assetId: string | null;
  readonly assetName: string | null;
  readonly blackoutId: string | null;
  readonly reason: string;
  readonly stopContact: Readonly<Record<string, string>>;
  readonly requestedAt: string;
}

export const SCANNING_EVENTS = [CAMPAIGN_REGISTERED, CAMPAIGN_STARTED, CAMPAIGN_STOPPED, CAMPAIGN_CONFLICTED, STOP_REQUESTED] as const;
