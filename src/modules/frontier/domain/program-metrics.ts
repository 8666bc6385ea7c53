import { DAY } from '../../../platform/clock.js';
import { median } from '../../../platform/stats.js';
import { REVIEW_STATES, type ReviewState } from './review-window.js';

/**
 * Aggregated program metrics for the transparency view: counts and distributions only, never names, ids
 * or anything else that identifies a developer, a model or a partner.
 */

export interface ReviewFacts {
  readonly state: ReviewState;
  readonly requestedDays: number;
  readonly windowStart: string;
  readonly windowEnd: string;
  /** When it closed (ended, withdrawn or completed); null while it runs. */
  readonly closedAt: string | null;
}

export interface Distribution {
  readonly count: number;
  readonly mean: number | null;
  readonly median: number | null;
  readonly max: number | null;
}

export interface ProgramMetrics {
  readonly models: { readonly enrolled: number; readonly determinedCovered: number };
  readonly reviews: {
    readonly total: number;
    readonly byState: Readonly<Record<ReviewState, number>>;
    /** Of the reviews that closed by ending or running out, the share the developer ended early. */
    readonly shareEndedEarly: number | null;
    readonly shareWithdrawn: number | null;
  };
  /** Requested window lengths, and the days actually used by reviews that closed after opening. */
  readonly windowDays: { readonly requested: Distribution; readonly used: Distribution };
  readonly partners: { readonly nominated: number; readonly selected: number; readonly selectedPerModel: Distribution };
  readonly grants: { readonly total: number; readonly byScope: Readonly<Record<string, number>> };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function distribution(values: readonly number[]): Distribution {
  if (values.length === 0) return { count: 0, mean: null, median: null, max: null };
  return {
    count: values.length,
    mean: round2(values.reduce((a, b) => a + b, 0) / values.length),
    median: round2(median(values) ?? 0),
    max: round2(Math.max(...values)),
  };
}

const share = (part: number, whole: number) => (whole === 0 ? null : round2(part / whole));

/**
 * The days of its window a closed review used: from the window's start to its close, at most to the window's
 * end. Null while it runs, and for one closed before its window opened (withdrawn early): it used none.
 */
export function windowDaysUsed(r: Pick<ReviewFacts, 'windowStart' | 'windowEnd' | 'closedAt'>): number | null {
  if (r.closedAt === null) return null;
  const start = Date.parse(r.windowStart);
  const closed = Date.parse(r.closedAt);
  if (closed <= start) return null;
  return (Math.min(closed, Date.parse(r.windowEnd)) - start) / DAY;
}

export function programMetrics(input: {
  readonly modelsEnrolled: number;
  readonly modelsCovered: number;
  readonly reviews: readonly ReviewFacts[];
  readonly nominations: number;
  /** Selected partners per model, for every model with at least one review. */
  readonly selectedPerModel: readonly number[];
  readonly grantScopes: readonly string[];
}): ProgramMetrics {
  const byState = Object.fromEntries(REVIEW_STATES.map((s) => [s, 0])) as Record<ReviewState, number>;
  for (const r of input.reviews) byState[r.state] += 1;
  const used = input.reviews.flatMap((r) => {
    const days = windowDaysUsed(r);
    return days === null ? [] : [days];
  });
  const byScope: Record<string, number> = {};
  for (const scope of input.grantScopes) byScope[scope] = (byScope[scope] ?? 0) + 1;
  return {
    models: { enrolled: input.modelsEnrolled, determinedCovered: input.modelsCovered },
    reviews: {
      total: input.reviews.length,
      byState,
      shareEndedEarly: share(byState.ended, byState.ended + byState.completed),
      shareWithdrawn: share(byState.withdrawn, byState.ended + byState.completed + byState.withdrawn),
    },
    windowDays: { requested: distribution(input.reviews.map((r) => r.requestedDays)), used: distribution(used) },
    partners: {
      nominated: input.nominations,
      selected: input.selectedPerModel.reduce((a, b) => a + b, 0),
      selectedPerModel: distribution(input.selectedPerModel),
    },
    grants: { total: input.grantScopes.length, byScope },
  };
}
