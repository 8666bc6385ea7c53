import { median } from '../../../platform/stats.js';
import { tables, type Executor } from '../../../platform/db/index.js';
import { daysBetween, figuresByMonth, monthBounds, type TransparencyFact } from '../../../platform/transparency-facts.js';

interface TriageColumns {
  validation_triage: { first_seen_at: string; verdict: string | null; decided_at: string | null; active: number };
}

/** The clusters first seen in the range that received a verdict, with no id: first seen, verdict, when decided. */
async function decided(executor: Executor, range: { from: string; to: string }) {
  const { start, end } = monthBounds(range);
  const rows = await tables<TriageColumns>(executor)
    .selectFrom('validation_triage')
    .select(['first_seen_at', 'verdict', 'decided_at'])
    .where('first_seen_at', '>=', start)
    .where('first_seen_at', '<', end)
    .where('active', '=', 1)
    .where('verdict', 'in', ['valid', 'invalid'])
    .where('decided_at', 'is not', null)
    .execute();
  return rows.map((r) => ({ firstSeenAt: r.first_seen_at, verdict: r.verdict, decidedAt: r.decided_at as string }));
}

const shareOf = (verdict: string) => async (executor: Executor, range: { from: string; to: string }) =>
  figuresByMonth(
    await decided(executor, range),
    (c) => c.firstSeenAt,
    (g) => ({ value: g.filter((c) => c.verdict === verdict).length / g.length, n: g.length }),
  );

/**
 * What validation lends the transparency report, from its triage records (the cluster a verdict is about is
 * counted in the month it was first seen): the shares of decided clusters found valid and invalid, and the
 * median days from first report to the verdict.
 */
export const validationTransparencyFacts: readonly TransparencyFact[] = [
  {
    key: 'validShare',
    title: 'Share of decided vulnerabilities found valid',
    unit: 'share',
    note: 'of the clusters first reported this month that received a verdict, those reproduced and found valid',
    monthly: shareOf('valid'),
  },
  {
    key: 'invalidShare',
    title: 'Share of decided vulnerabilities found invalid',
    unit: 'share',
    note: 'of the clusters first reported this month that received a verdict, those found invalid',
    monthly: shareOf('invalid'),
  },
  {
    key: 'medianDaysToValidation',
    title: 'Median days from first report to validation verdict',
    unit: 'days',
    note: 'from the first report of a cluster to its valid or invalid verdict',
    monthly: async (executor, range) =>
      figuresByMonth(
        await decided(executor, range),
        (c) => c.firstSeenAt,
        (g) => ({ value: median(g.map((c) => daysBetween(c.firstSeenAt, c.decidedAt))), n: g.length }),
      ),
  },
];
