import { median } from '../../../platform/stats.js';
import { tables, type Executor } from '../../../platform/db/index.js';
import { daysBetween, figuresByMonth, monthBounds, type TransparencyFact } from '../../../platform/transparency-facts.js';

interface RemediationColumns {
  notify_remediation: { id: string; notified_at: string };
  notify_remediation_event: { item_id: string; status: string; at: string };
}

/** What notify lends the transparency report: days from an operator's notification to its first `patched` report. */
export const notifyTransparencyFacts: readonly TransparencyFact[] = [
  {
    key: 'medianDaysToOperatorPatch',
    title: 'Median days from operator notification to patch',
    unit: 'days',
    note: 'from an operator being told an asset runs an affected version to its report that it patched, by month told',
    monthly: async (executor: Executor, range) => {
      const { start, end } = monthBounds(range);
      const rows = await tables<RemediationColumns>(executor)
        .selectFrom('notify_remediation as r')
        .innerJoin('notify_remediation_event as e', 'e.item_id', 'r.id')
        .select((eb) => ['r.notified_at', eb.fn.min<string>('e.at').as('patched_at')])
        .where('r.notified_at', '>=', start)
        .where('r.notified_at', '<', end)
        .where('e.status', '=', 'patched')
        .groupBy(['r.id', 'r.notified_at'])
        .execute();
      return figuresByMonth(
        rows,
        (r) => r.notified_at,
        (g) => ({ value: median(g.map((r) => daysBetween(r.notified_at, new Date(r.patched_at).toISOString()))), n: g.length }),
      );
    },
  },
];
