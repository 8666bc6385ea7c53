import { tables, type Executor } from '../../../platform/db/index.js';
import { type MonthlyFigure, type TransparencyFact } from '../../../platform/transparency-facts.js';
import { scannedInterval } from '../domain/campaign.js';

interface CoverageColumns {
  scanning_asset: { id: string; created_at: string };
  scanning_campaign: { id: string; window_start: string; window_end: string; state: string; state_changed_at: string };
  scanning_campaign_asset: { campaign_id: string; asset_id: string };
}

const monthStart = (month: string) => `${month}-01T00:00:00.000Z`;
const nextMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
};

/**
 * What scanning lends the transparency report: of the operators' assets registered by the end of a month,
 * the share a registered scan campaign's window touched during that month — as far as the campaign ran: one
 * stopped early covers nothing after it stopped, one withdrawn before its window opened nothing at all.
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
        .select(['ca.asset_id', 'c.window_start', 'c.window_end', 'c.state', 'c.state_changed_at'])
        .where('c.window_end', '>', monthStart(range.from))
        .execute();
      const ms = (at: string) => new Date(at).getTime();
      const scanned = windows.flatMap((w) => {
        const ran = scannedInterval(
          { startMs: ms(w.window_start), endMs: ms(w.window_end) },
          w.state === 'stopped' ? ms(w.state_changed_at) : null,
        );
        return ran === null ? [] : [{ assetId: w.asset_id, ...ran }];
      });
      const figures: MonthlyFigure[] = [];
      for (let month = range.from; month <= range.to; month = nextMonth(month)) {
        const start = ms(monthStart(month));
        const end = ms(monthStart(nextMonth(month)));
        const registered = new Set(assets.filter((a) => ms(a.created_at) < end).map((a) => a.id));
        if (registered.size === 0) continue;
        const covered = new Set(
          scanned.filter((s) => registered.has(s.assetId) && s.startMs < end && s.endMs > start).map((s) => s.assetId),
        );
        figures.push({ month, value: covered.size / registered.size, n: registered.size });
      }
      return figures;
    },
  },
];
