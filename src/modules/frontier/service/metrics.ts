import type { ServiceContext } from '../../../platform/context.js';
import { programMetrics } from '../domain/program-metrics.js';
import { reviewState, type ReviewOutcome } from '../domain/review-window.js';
import type { Transparency } from '../presenters.js';
import { metricRows } from '../store/program.js';
import { currentPolicy } from './records.js';

/**
 * The transparency view: aggregated program metrics (reviews, window lengths, the share ended early,
 * partners per model, grants by scope) and the criteria in force — counts and rules only, no names and
 * no identifiers, so it is served to anyone, signed in or not.
 */
export async function programTransparency(ctx: ServiceContext): Promise<Transparency> {
  const now = ctx.clock.now();
  const rows = await metricRows(ctx.db.kysely);
  const policy = await currentPolicy(ctx.db.kysely);
  const perModel = new Map<string, number>();
  for (const r of rows.reviews) perModel.set(r.model_id, 0);
  for (const s of rows.selected) if (perModel.has(s.model_id)) perModel.set(s.model_id, (perModel.get(s.model_id) ?? 0) + 1);
  const metrics = programMetrics({
    modelsEnrolled: rows.modelsEnrolled,
    modelsCovered: rows.modelsCovered,
    reviews: rows.reviews.map((r) => {
      const state = reviewState({ outcome: r.outcome as ReviewOutcome | null, windowStart: r.window_start, windowEnd: r.window_end }, now);
      // A window that ran out before the sweep recorded it was used to its end.
      const closedAt = r.closed_at ?? (state === 'completed' ? r.window_end : null);
      return { state, requestedDays: r.requested_days, windowStart: r.window_start, windowEnd: r.window_end, closedAt };
    }),
    nominations: rows.nominations,
    selectedPerModel: [...perModel.values()],
    grantScopes: rows.grantScopes,
  });
  return {
    generatedAt: now.toISOString(),
    policy: {
      version: policy.version,
      windowMaxDays: policy.windowMaxDays,
      coveredModelRule: policy.coveredModelRule,
      partnerCriteria: policy.partnerCriteria,
      referenceThresholds: policy.referenceThresholds,
    },
    metrics,
  };
}
