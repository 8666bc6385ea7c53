import { targetClass, targetsOverlap, type ScanTarget, type TargetOverlap } from './scan-target.js';
import type { Technique } from './techniques.js';
import type { Interval } from './time-window.js';

/**
 * When two campaigns conflict: their windows overlap, they share a target (a common package version, the
 * same repository or product, nested CIDR blocks, matching host names), and either they use the same
 * technique (two parties spending effort on the same thing) or both scan a shared network target actively
 * (two loads on one live system at once).
 */

/** What conflict detection reads of a campaign. */
export interface CampaignFootprint {
  readonly id: string;
  readonly orgId: string;
  readonly technique: Technique;
  /** Whether the campaign scans live systems (see `techniqueActivity`). */
  readonly active: boolean;
  readonly window: Interval;
  readonly targets: readonly ScanTarget[];
}

export type ConflictReason = 'same-technique' | 'concurrent-active';

export interface TargetPair {
  readonly ours: ScanTarget;
  readonly theirs: ScanTarget;
  readonly overlap: TargetOverlap;
}

export interface CampaignConflict {
  readonly other: CampaignFootprint;
  readonly reason: ConflictReason;
  /** The time both campaigns run. */
  readonly during: Interval;
  readonly pairs: readonly TargetPair[];
}

export function windowsOverlap(a: Interval, b: Interval): boolean {
  return a.startMs < b.endMs && b.startMs < a.endMs;
}

/** Why a pair of targets of two time-overlapping campaigns conflicts, or null. */
export function pairReason(ours: CampaignFootprint, theirs: CampaignFootprint, target: ScanTarget): ConflictReason | null {
  if (ours.technique === theirs.technique) return 'same-technique';
  if (ours.active && theirs.active && targetClass(target) === 'network') return 'concurrent-active';
  return null;
}

/** The conflict between two campaigns, or null — the definition the index must agree with. */
export function conflictBetween(ours: CampaignFootprint, theirs: CampaignFootprint): CampaignConflict | null {
  if (ours.id === theirs.id || !windowsOverlap(ours.window, theirs.window)) return null;
  if (ours.technique !== theirs.technique && !(ours.active && theirs.active)) return null;
  const pairs: TargetPair[] = [];
  let reason: ConflictReason | null = null;
  for (const a of ours.targets) {
    for (const b of theirs.targets) {
      const r = pairReason(ours, theirs, a);
      if (r === null) continue;
      const overlap = targetsOverlap(a, b);
      if (overlap === null) continue;
      pairs.push({ ours: a, theirs: b, overlap });
      reason = reason ?? r;
    }
  }
  if (reason === null) return null;
  const during = { startMs: Math.max(ours.window.startMs, theirs.window.startMs), endMs: Math.min(ours.window.endMs, theirs.window.endMs) };
  return { other: theirs, reason, during, pairs };
}

/** The reference implementation: every registered campaign checked in turn. The index's baseline and oracle. */
export function conflictsByScan(campaign: CampaignFootprint, registered: Iterable<CampaignFootprint>): CampaignConflict[] {
  const out: CampaignConflict[] = [];
  for (const other of registered) {
    const conflict = conflictBetween(campaign, other);
    if (conflict !== null) out.push(conflict);
  }
  return out;
}
