import { tables, type Executor } from '../../../platform/db/index.js';
import { type MonthlyFigure, type TransparencyFact } from '../../../platform/transparency-facts.js';

interface CoverageColumns {
  scanning_asset: { id: string; created_at: string };
  scanning_campaign: { id: string; window_start: string; window_end: string };
  scanning_campaign_asset: { campaign_id: string; asset_id: string };
}

const monthStart = (month: string) => `${month}-01T00:00:00.000Z`;
const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
};

/**
 * What scanning lends the transparency report: of the operators' assets registered by the end of a month,
 * the share a registered scan campaign's window touched during that month.
 */
export const scanningTransparencyFacts: readonly TransparencyFact[] = [
  {
    key: 'scanCoverage',
    title: 'Share of registered assets covered by scan campaigns',
    unit: 'share',
    note: "operators' registered assets a scan campaign's window touched during the month, of all registered by its end",
    monthly: async (executor: Executor, range) => {
      const db = tables<CoverageColumns>(executor);
      const assets = await db.selectFrom('scanning_asset').select(['id', 'created_at']).execute();
      const windows = await db
        .selectFrom('scanning_campaign_asset as ca')
        .innerJoin('scanning_campaign as c', 'c.id', 'ca.campaign_id')
        .select(['ca.asset_id', 'c.window_start', 'c.window_end'])
        .where('c.window_end', '>=', monthStart(range.from))
        .execute();
      const figures: MonthlyFigure[] = [];
      for (let month = range.from; month <= range.to; month = nextMonth(month)) {
        const start = monthStart(month);
        const end = monthStart(nextMonth(month));
        const registered = new Set(assets.filter((a) => new Date(a.created_at).toISOString() < end).map((a) => a.id));
        if (registered.size === 0) continue;
        const covered = new Set(
          windows
            .filter((w) => registered.has(w.asset_id))
            .filter((w) => new Date(w.window_start).toISOString() < end && new Date(w.window_end).toISOString() >= start)
            .map((w) => w.asset_id),
        );
        figures.push({ month, value: covered.size / registered.size, n: registered.size });
      }
      return figures;
    },
  },
];
