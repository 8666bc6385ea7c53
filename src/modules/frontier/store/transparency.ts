import { median } from '../../../platform/stats.js';
import { tables, type Executor } from '../../../platform/db/index.js';
import { daysBetween, figuresByMonth, monthBounds, type TransparencyFact } from '../../../platform/transparency-facts.js';

interface ReviewColumns {
  frontier_review: { created_at: string; window_start: string; closed_at: string | null };
}

async function reviewsOpened(executor: Executor, range: { from: string; to: string }) {
  const { start, end } = monthBounds(range);
  return tables<ReviewColumns>(executor)
    .selectFrom('frontier_review')
    .select(['created_at', 'window_start', 'closed_at'])
    .where('created_at', '>=', start)
    .where('created_at', '<', end)
    .execute();
}

/** What frontier lends the transparency report: model reviews opened, and the median days of the window they used. */
export const frontierTransparencyFacts: readonly TransparencyFact[] = [
  {
    key: 'modelReviewsOpened',
    title: 'Frontier model reviews opened',
    unit: 'count',
    note: 'voluntary pre-release reviews of covered models opened in the month',
    monthly: async (executor, range) =>
      figuresByMonth(
        await reviewsOpened(executor, range),
        (r) => r.created_at,
        (g) => ({ value: g.length, n: g.length }),
      ),
  },
  {
    key: 'medianReviewDaysUsed',
    title: 'Median review window days used',
    unit: 'days',
    note: 'from the start of a review window to its close, for the reviews opened in the month that closed',
    monthly: async (executor, range) =>
      figuresByMonth(
        (await reviewsOpened(executor, range)).filter((r) => r.closed_at !== null),
        (r) => r.created_at,
        (g) => ({ value: median(g.map((r) => daysBetween(r.window_start, r.closed_at as string))), n: g.length }),
      ),
  },
];
