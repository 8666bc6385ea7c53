import { describe, expect, it } from 'vitest';
import { median } from '../../../platform/stats.js';
import { composeTransparency, monthsBetween, type FigureSeries } from './transparency-metrics.js';

const series = (key: string, unit: FigureSeries['unit']): FigureSeries => ({ key, title: key, unit, note: key });

describe('transparency metrics', () => {
  it('lists every month of the range, across a year end', () => {
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('publishes each lent figure by month, rounded, and a count of none as zero', () => {
    const m = composeTransparency({
      from: '2026-06',
      to: '2026-07',
      lent: [
        { series: series('reportsReceived', 'count'), figures: [{ month: '2026-06', value: 4, n: 4 }] },
        { series: series('invalidShare', 'share'), figures: [{ month: '2026-06', value: 2 / 3, n: 3 }] },
        { series: series('medianDaysToFix', 'days'), figures: [] },
      ],
    });
    expect(m.series.map((s) => s.key)).toEqual(['reportsReceived', 'invalidShare', 'medianDaysToFix']);
    expect(m.months).toEqual([
      { month: '2026-06', figures: { reportsReceived: 4, invalidShare: 0.67, medianDaysToFix: null }, suppressed: [] },
      { month: '2026-07', figures: { reportsReceived: 0, invalidShare: null, medianDaysToFix: null }, suppressed: [] },
    ]);
  });

  it('withholds whatever fewer than three records stand behind, whatever value the module gave', () => {
    const m = composeTransparency({
      from: '2026-06',
      to: '2026-06',
      lent: [
        // One RED report this month: its count must not show, nor a share or median drawn from it.
        { series: series('reportsReceived', 'count'), figures: [{ month: '2026-06', value: 1, n: 1 }] },
        { series: series('medianDaysToVendorNotification', 'days'), figures: [{ month: '2026-06', value: 3, n: 2 }] },
        // A module that answers a count unlike its n is published as n.
        { series: series('modelReviewsOpened', 'count'), figures: [{ month: '2026-06', value: 99, n: 5 }] },
      ],
    });
    expect(m.months[0]).toEqual({
      month: '2026-06',
      figures: { reportsReceived: null, medianDaysToVendorNotification: null, modelReviewsOpened: 5 },
      suppressed: ['reportsReceived', 'medianDaysToVendorNotification'],
    });
  });
});
