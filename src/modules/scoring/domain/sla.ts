import { DAY } from '../../../platform/clock.js';
import type { PrioritizationPolicy } from './prioritization-policy.js';
import type { CisaLevel, PatchPriority } from './ssvc-decision-points.js';

/** A deadline as a decision records it: the policy's number of days and the instant it falls on. */
export interface Deadline {
  /** Null when the policy sets no deadline for the outcome (a deferred patch). */
  readonly days: number | null;
  /** ISO 8601 instant, `decidedAt` plus `days` whole days; null with `days`. */
  readonly dueAt: string | null;
}

// Whole 24-hour days from the decision, not calendar days in some time zone: a deadline is the same instant
// for every party, wherever it sits.
const addDays = (at: Date, days: number) => new Date(at.getTime() + days * DAY).toISOString();

/** When the vendor's fix is due for a coordinator decision, per the policy's `vendorFixDays`. */
export function vendorFixDeadline(
  outcome: CisaLevel,
  policy: PrioritizationPolicy,
  decidedAt: Date,
): { readonly days: number; readonly dueAt: string } {
  const days = policy.vendorFixDays[outcome];
  return { days, dueAt: addDays(decidedAt, days) };
}

/** When an operator should have applied the fix, per the policy's `deployerDays`. */
export function deployerDeadline(outcome: PatchPriority, policy: PrioritizationPolicy, decidedAt: Date): Deadline {
  const days = policy.deployerDays[outcome];
  return { days, dueAt: days === null ? null : addDays(decidedAt, days) };
}
