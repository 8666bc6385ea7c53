import type { PrioritizationPolicy } from './prioritization-policy.js';
import type { PriorityDecision } from './priority-decision.js';
import { vendorFixDeadline } from './sla.js';
import type { CisaLevel } from './ssvc-decision-points.js';

/** What a stored decision says about when its outcome was reached. */
export interface OutcomeSince {
  readonly outcome: CisaLevel;
  /** ISO 8601 instant the subject first got this outcome. */
  readonly since: string;
}

/**
 * Keeps the vendor-fix deadline running from when the subject first got its current outcome. A decision
 * is recomputed whenever an input moves (a new EPSS day, a KEV release, new exposure); without this every
 * recomputation would push the due date back by the time elapsed, and a deadline would never arrive. A
 * changed outcome starts its own deadline from `decision`'s own instant; an unchanged one keeps its start,
 * with the days the policy now sets.
 */
export function anchorDeadline(previous: OutcomeSince | null, decision: PriorityDecision, policy: PrioritizationPolicy): PriorityDecision {
  if (previous === null || previous.outcome !== decision.outcome || previous.since === decision.explanation.decidedAt) return decision;
  const vendorFix = vendorFixDeadline(decision.outcome, policy, new Date(previous.since));
  return {
    ...decision,
    vendorFixDueAt: vendorFix.dueAt,
    explanation: { ...decision.explanation, decidedAt: previous.since, vendorFix },
  };
}
