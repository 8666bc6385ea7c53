import { median } from '../../../platform/stats.js';
import { tables, type Executor } from '../../../platform/db/index.js';
import { figuresByMonth, monthBounds, type TransparencyFact } from '../../../platform/transparency-facts.js';
import { windowDaysUsed } from '../domain/program-metrics.js';

interface ReviewColumns {
  frontier_review: { created_at: string; window_start: string; window_end: string; closed_at: string | null };
}

async function reviewsOpened(executor: Executor, range: { from: string; to: string }) {
  const { start, end } = monthBounds(range);
  return tables<ReviewColumns>(executor)
    .selectFrom('frontier_review')
    .select(['created_at', 'window_start', 'window_end', 'closed_at'])
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
    note: 'from the start of a review window to its close, for the reviews opened in the month that closed after their window opened',
    monthly: async (executor, range) => {
      const iso = (at: string) => new Date(at).toISOString();
      const closed = (await reviewsOpened(executor, range)).flatMap((r) => {
        const days = windowDaysUsed({
          windowStart: iso(r.window_start),
          windowEnd: iso(r.window_end),
          closedAt: r.closed_at === null ? null : iso(r.closed_at),
        });
        return days === null ? [] : [{ createdAt: r.created_at, days }];
      });
      return figuresByMonth(
        closed,
        (r) => r.createdAt,
        (g) => ({ value: median(g.map((r) => r.days)), n: g.length }),
      );
    },
  },
];
