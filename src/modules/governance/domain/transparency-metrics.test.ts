import { describe, expect, it } from 'vitest';
import { median } from '../../../platform/stats.js';
import { monthsBetween, transparencyMetrics, type ClusterFact } from './transparency-metrics.js';

const none = { vendorNotification: false, fix: false, operatorPatch: false, scanCoverage: false };
const all = { vendorNotification: true, fix: true, operatorPatch: true, scanCoverage: true };

function cluster(firstSeenAt: string, extra: Partial<ClusterFact> = {}): ClusterFact {
  return { firstSeenAt, verdict: null, verdictAt: null, vendorNotifiedAt: null, fixedAt: null, ...extra };
}

describe('transparency metrics', () => {
  it('lists every month of the range, across a year end', () => {
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('counts reports, duplicate and invalid shares and days to validation per month of arrival', () => {
    const reports = [
      { receivedAt: '2026-06-01T00:00:00Z', duplicate: false },
      { receivedAt: '2026-06-02T00:00:00Z', duplicate: true },
      { receivedAt: '2026-06-03T00:00:00Z', duplicate: true },
      { receivedAt: '2026-06-30T23:59:59Z', duplicate: false },
      { receivedAt: '2026-07-01T00:00:00Z', duplicate: false },
    ];
    const clusters = [
      cluster('2026-06-01T00:00:00Z', { verdict: 'valid', verdictAt: '2026-06-03T00:00:00Z' }),
      cluster('2026-06-02T00:00:00Z', { verdict: 'invalid', verdictAt: '2026-06-03T12:00:00Z' }),
      cluster('2026-06-05T00:00:00Z', { verdict: 'invalid', verdictAt: '2026-06-15T00:00:00Z' }),
      cluster('2026-06-06T00:00:00Z'),
    ];
    const m = transparencyMetrics({
      from: '2026-06',
      to: '2026-07',
      reports,
      clusters,
      remediations: [],
      reviews: [],
      coverage: [],
      sources: none,
    });
    const june = m.months[0];
    // 4 reports in June, 2 duplicates → 0.5; 3 decided clusters, 2 invalid → 0.67; days 2, 1.5, 10 → median 2.
    expect(june).toMatchObject({
      month: '2026-06',
      reportsReceived: 4,
      duplicateShare: 0.5,
      invalidShare: 0.67,
      medianDaysToValidation: 2,
    });
    expect(june?.medianDaysToVendorNotification).toBeNull();
    // July has one report: the count and its share are withheld.
    expect(m.months[1]).toMatchObject({
      month: '2026-07',
      reportsReceived: null,
      duplicateShare: null,
      suppressed: ['reportsReceived', 'duplicateShare'],
    });
  });

  it('shows zero as zero, and withholds medians of fewer than three', () => {
    const clusters = [
      cluster('2026-06-01T00:00:00Z', { vendorNotifiedAt: '2026-06-04T00:00:00Z' }),
      cluster('2026-06-01T00:00:00Z', { vendorNotifiedAt: '2026-06-02T00:00:00Z' }),
    ];
    const m = transparencyMetrics({
      from: '2026-06',
      to: '2026-06',
      reports: [],
      clusters,
      remediations: [],
      reviews: [],
      coverage: [],
      sources: all,
    });
    expect(m.months[0]).toMatchObject({ reportsReceived: 0, medianDaysToVendorNotification: null, modelReviewsOpened: 0 });
    expect(m.months[0]?.suppressed).toContain('medianDaysToVendorNotification');
  });

  it('reports the later milestones only where their source exists', () => {
    const clusters = ['01', '02', '03'].map((d) =>
      cluster(`2026-06-${d}T00:00:00Z`, { vendorNotifiedAt: '2026-06-10T00:00:00Z', fixedAt: '2026-06-20T00:00:00Z' }),
    );
    const remediations = [1, 2, 4].map((d) => ({ notifiedAt: '2026-06-01T00:00:00Z', patchedAt: `2026-06-0${1 + d}T00:00:00Z` }));
    const coverage = [{ month: '2026-06', assets: 40, covered: 10 }];
    const reviews = [5, 10, 30].map((daysUsed) => ({ openedAt: '2026-06-01T00:00:00Z', daysUsed }));
    const input = { from: '2026-06', to: '2026-06', reports: [], clusters, remediations, reviews, coverage };
    const on = transparencyMetrics({ ...input, sources: all }).months[0];
    expect(on).toMatchObject({
      medianDaysToVendorNotification: 8,
      medianDaysToFix: 18,
      medianDaysToOperatorPatch: 2,
      scanCoverage: 0.25,
      modelReviewsOpened: 3,
      medianReviewDaysUsed: 10,
    });
    const off = transparencyMetrics({ ...input, sources: none }).months[0];
    expect(off).toMatchObject({
      medianDaysToVendorNotification: null,
      medianDaysToFix: null,
      medianDaysToOperatorPatch: null,
      scanCoverage: null,
    });
  });
});
