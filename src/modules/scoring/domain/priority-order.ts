import { CISA_LEVELS, type CisaLevel } from './ssvc-decision-points.js';

/** The part of a decision that orders it among others. */
export interface Rankable {
  readonly outcome: CisaLevel;
  readonly tieBreak: { readonly epss: number | null; readonly exposureCount: number };
}

const URGENCY = new Map(CISA_LEVELS.values.map((v, i) => [v.value, i]));

/**
 * Array.sort comparator, most urgent first: by CISA level (Act, Attend, Track*, Track), then by EPSS
 * probability (higher first; unscored after every scored one), then by exposure count (more operators first).
 * Returns 0 for decisions equal on all three; callers that need a total order add their own last key
 * (the cluster id, or the oldest first).
 */
export function comparePriority(a: Rankable, b: Rankable): number {
  const byLevel = (URGENCY.get(b.outcome) ?? 0) - (URGENCY.get(a.outcome) ?? 0);
  if (byLevel !== 0) return byLevel;
  const epssA = a.tieBreak.epss ?? -1;
  const epssB = b.tieBreak.epss ?? -1;
  if (epssA !== epssB) return epssB - epssA;
  return b.tieBreak.exposureCount - a.tieBreak.exposureCount;
}
