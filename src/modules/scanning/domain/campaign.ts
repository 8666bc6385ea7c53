import type { FieldIssue } from '../../../platform/errors.js';
import type { CampaignFootprint } from './campaign-conflicts.js';
import { targetClass, type ScanTarget } from './scan-target.js';
import { techniqueActivity, type Intensity, type Technique } from './techniques.js';
import type { Interval } from './time-window.js';

/**
 * A scan campaign's life: `planned` until its window opens, `active` while it runs, then `completed` when
 * the window closes or `stopped` when its owner (or the clearinghouse) stops it early. Stopped and
 * completed are final.
 */
export const CAMPAIGN_STATES = ['planned', 'active', 'completed', 'stopped'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** Who asked a campaign to stop: the coordinator, an operator whose asset it touches, or a new blackout on such an asset. */
export const STOP_SOURCES = ['coordinator', 'operator', 'blackout'] as const;
export type StopSource = (typeof STOP_SOURCES)[number];

export function isFinal(state: CampaignState): boolean {
  return state === 'completed' || state === 'stopped';
}

/** The state the clock implies for a campaign that nobody stopped. */
export function stateByTime(window: Interval, nowMs: number): Exclude<CampaignState, 'stopped'> {
  if (nowMs < window.startMs) return 'planned';
  return nowMs < window.endMs ? 'active' : 'completed';
}

/**
 * The part of its window a campaign ran: all of it, unless it was stopped early — then until it stopped, and
 * nothing when it was withdrawn (stopped before its window opened). Null when it scanned nothing.
 */
export function scannedInterval(window: Interval, stoppedAtMs: number | null): Interval | null {
  const endMs = stoppedAtMs === null ? window.endMs : Math.min(window.endMs, stoppedAtMs);
  return endMs > window.startMs ? { startMs: window.startMs, endMs } : null;
}

/** The longest window a campaign may register: a year and a day, long enough for annual programmes. */
export const MAX_CAMPAIGN_DAYS = 366;
/** The most scope entries one campaign may list. */
export const MAX_SCOPE_ENTRIES = 1000;

const DAY_MS = 86_400_000;

/** What registration checks beyond the schema: the window, the techniques against the targets, intensity. */
export interface CampaignShape {
  readonly technique: Technique;
  readonly window: Interval;
  readonly targets: readonly ScanTarget[];
  readonly intensity: Intensity | null;
}

/** Whether the campaign scans live systems: its technique is live and at least one target is a network one. */
export function isActiveCampaign(shape: Pick<CampaignShape, 'technique' | 'targets'>): boolean {
  return shape.targets.some((t) => {
    const activity = techniqueActivity(shape.technique, targetClass(t));
    return 'active' in activity && activity.active;
  });
}

/** The field issues of a campaign's shape at registration time (`nowMs`); empty when it is sound. */
export function checkCampaignShape(shape: CampaignShape, nowMs: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { window } = shape;
  if (window.endMs <= window.startMs) issues.push({ pointer: '/window/end', detail: 'must be after window.start' });
  else if (window.endMs - window.startMs > MAX_CAMPAIGN_DAYS * DAY_MS)
    issues.push({ pointer: '/window/end', detail: `must be at most ${MAX_CAMPAIGN_DAYS} days after window.start` });
  if (window.endMs <= nowMs) issues.push({ pointer: '/window/end', detail: 'must be in the future' });
  shape.targets.forEach((t, i) => {
    const activity = techniqueActivity(shape.technique, targetClass(t));
    if ('invalid' in activity) issues.push({ pointer: `/scope/${i}/target`, detail: activity.invalid });
  });
  if (shape.intensity === null && isActiveCampaign(shape)) {
    issues.push({ pointer: '/intensity', detail: `is required for active scanning (${shape.technique} against a network target)` });
  }
  return issues;
}

/** The campaign as deconfliction sees it. */
export function footprintOf(campaign: { readonly id: string; readonly orgId: string } & CampaignShape): CampaignFootprint {
  return {
    id: campaign.id,
    orgId: campaign.orgId,
    technique: campaign.technique,
    active: isActiveCampaign(campaign),
    window: campaign.window,
    targets: campaign.targets,
  };
}
