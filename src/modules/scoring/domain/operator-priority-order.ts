import { PATCH_PRIORITY, type PatchPriority } from './ssvc-decision-points.js';

/** The part of an operator's priority row that orders it among the operator's others. */
export interface RankableOperatorRow {
  readonly priority: PatchPriority;
  /** Whether CISA lists the vulnerability as exploited (KEV). */
  readonly kev: boolean;
  /** EPSS probability, null when unscored. */
  readonly epss: number | null;
  /** When the fix is due (ISO instant), null when the policy sets no deadline. */
  readonly dueAt: string | null;
  /** The last keys, for a total order: advisory id, then asset id. */
  readonly advisoryId: string;
  readonly assetId: string;
}

const URGENCY = new Map(PATCH_PRIORITY.values.map((v, i) => [v.value, i]));

/**
 * Array.sort comparator, most urgent first: by the deployer decision (Immediate, Out-of-Cycle, Scheduled,
 * Defer), then listed in KEV before not, then EPSS (higher first; unscored last), then the earlier due date
 * (none last), then advisory and asset id, so that pages never shuffle.
 */
export function compareOperatorRows(a: RankableOperatorRow, b: RankableOperatorRow): number {
  const byPriority = (URGENCY.get(b.priority) ?? 0) - (URGENCY.get(a.priority) ?? 0);
  if (byPriority !== 0) return byPriority;
  if (a.kev !== b.kev) return a.kev ? -1 : 1;
  const epss = (b.epss ?? -1) - (a.epss ?? -1);
  if (epss !== 0) return epss;
  if (a.dueAt !== b.dueAt) {
    if (a.dueAt === null) return 1;
    if (b.dueAt === null) return -1;
    return a.dueAt < b.dueAt ? -1 : 1;
  }
  if (a.advisoryId !== b.advisoryId) return a.advisoryId < b.advisoryId ? -1 : 1;
  return a.assetId < b.assetId ? -1 : a.assetId > b.assetId ? 1 : 0;
}
