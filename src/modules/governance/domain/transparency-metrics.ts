import { DAY } from '../../../platform/clock.js';
import { median } from '../../../platform/stats.js';

/**
 * Program metrics by month, for the public: counts, shares and medians only — never an id, a name or a
 * date of one record. A month's share or median drawn from fewer than {@link MIN_GROUP} records is
 * withheld (null, listed in `suppressed`), and so is a count from 1 to MIN_GROUP − 1, so that no figure
 * can be traced back to one report, one case or one review.
 */

export const MIN_GROUP = 3;

/** One report (a finding) as received. */
export interface ReportFact {
  readonly receivedAt: string;
  /** It joined a cluster that existed already. */
  readonly duplicate: boolean;
}

/** One vulnerability cluster and the milestones it reached. */
export interface ClusterFact {
  readonly firstSeenAt: string;
  readonly verdict: 'valid' | 'invalid' | null;
  readonly verdictAt: string | null;
  readonly vendorNotifiedAt: string | null;
  readonly fixedAt: string | null;
}

/** One operator's remediation of one advisory: notified, then patched (or not yet). */
export interface RemediationFact {
  readonly notifiedAt: string;
  readonly patchedAt: string | null;
}

export interface ReviewFact {
  readonly openedAt: string;
  /** Days of the window actually used, once closed; null while it runs. */
  readonly daysUsed: number | null;
}

/** A month's scan coverage: assets registered, and those a registered campaign covered. */
export interface CoverageFact {
  readonly month: string;
  readonly assets: number;
  readonly covered: number;
}

/** Which sources exist in this installation; a metric whose source is absent is null and says so. */
export interface MetricSources {
  readonly vendorNotification: boolean;
  readonly fix: boolean;
  readonly operatorPatch: boolean;
  readonly scanCoverage: boolean;
}

export interface MonthMetrics {
  readonly month: string;
  readonly reportsReceived: number | null;
  readonly duplicateShare: number | null;
  /** Of the clusters first seen this month that received a verdict, the share found invalid. */
  readonly invalidShare: number | null;
  readonly medianDaysToValidation: number | null;
  readonly medianDaysToVendorNotification: number | null;
  readonly medianDaysToFix: number | null;
  readonly medianDaysToOperatorPatch: number | null;
  readonly scanCoverage: number | null;
  readonly modelReviewsOpened: number | null;
  readonly medianReviewDaysUsed: number | null;
  /** The figures withheld because too few records stand behind them. */
  readonly suppressed: readonly string[];
}

export interface TransparencyMetrics {
  readonly months: readonly MonthMetrics[];
  readonly sources: MetricSources;
  readonly minGroup: number;
}

export const METRIC_NOTES: Readonly<Record<keyof MetricSources, string>> = {
  vendorNotification: 'time from first report to vendor notification, from the cases module',
  fix: "time from first report to the vendor's fixed statement, from the cases module",
  operatorPatch: "time from an operator's notification to its patched status, from the notify module",
  scanCoverage: 'share of registered assets covered by a scan campaign, from the scanning module',
};

/** `YYYY-MM` of an instant, in UTC. */
export function monthOf(iso: string): string {
  return new Date(iso).toISOString().slice(0, 7);
}

/** Every month from `from` to `to` (both `YYYY-MM`, inclusive). */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  const [endYear, endMonth] = to.split('-').map(Number) as [number, number];
  while (year < endYear || (year === endYear && month <= endMonth)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
    month += 1;
    if (month === 13) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function medianOf(values: readonly number[]): number | null {
  const m = median(values);
  return m === null ? null : round2(m);
}

const days = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY;

/**
 * The metrics of each month from `from` to `to`. A record counts in the month its first event happened
 * (a report when received, a cluster when first seen, a remediation when the operator was notified, a
 * review when opened); milestones reached later count toward that month.
 */
export function transparencyMetrics(input: {
  readonly from: string;
  readonly to: string;
  readonly reports: readonly ReportFact[];
  readonly clusters: readonly ClusterFact[];
  readonly remediations: readonly RemediationFact[];
  readonly reviews: readonly ReviewFact[];
  readonly coverage: readonly CoverageFact[];
  readonly sources: MetricSources;
}): TransparencyMetrics {
  const group = <T>(items: readonly T[], at: (item: T) => string) => {
    const map = new Map<string, T[]>();
    for (const item of items) {
      const key = monthOf(at(item));
      map.set(key, [...(map.get(key) ?? []), item]);
    }
    return map;
  };
  const reports = group(input.reports, (r) => r.receivedAt);
  const clusters = group(input.clusters, (c) => c.firstSeenAt);
  const remediations = group(input.remediations, (r) => r.notifiedAt);
  const reviews = group(input.reviews, (r) => r.openedAt);
  const coverage = new Map(input.coverage.map((c) => [c.month, c]));

  const months = monthsBetween(input.from, input.to).map((month): MonthMetrics => {
    const suppressed: string[] = [];
    const count = (name: string, n: number) => {
      if (n > 0 && n < MIN_GROUP) {
        suppressed.push(name);
        return null;
      }
      return n;
    };
    const withheld = (name: string, n: number, value: number | null, available = true) => {
      if (!available || value === null) return null;
      if (n < MIN_GROUP) {
        suppressed.push(name);
        return null;
      }
      return value;
    };
    const r = reports.get(month) ?? [];
    const c = clusters.get(month) ?? [];
    const decided = c.filter((x) => x.verdict !== null && x.verdictAt !== null);
    const notified = c.filter((x) => x.vendorNotifiedAt !== null);
    const fixed = c.filter((x) => x.fixedAt !== null);
    const patched = (remediations.get(month) ?? []).filter((x) => x.patchedAt !== null);
    const rv = reviews.get(month) ?? [];
    const used = rv.filter((x) => x.daysUsed !== null);
    const cov = coverage.get(month);
    return {
      month,
      reportsReceived: count('reportsReceived', r.length),
      duplicateShare: withheld('duplicateShare', r.length, r.length === 0 ? null : round2(r.filter((x) => x.duplicate).length / r.length)),
      invalidShare: withheld(
        'invalidShare',
        decided.length,
        decided.length === 0 ? null : round2(decided.filter((x) => x.verdict === 'invalid').length / decided.length),
      ),
      medianDaysToValidation: withheld(
        'medianDaysToValidation',
        decided.length,
        medianOf(decided.map((x) => days(x.firstSeenAt, x.verdictAt as string))),
      ),
      medianDaysToVendorNotification: withheld(
        'medianDaysToVendorNotification',
        notified.length,
        medianOf(notified.map((x) => days(x.firstSeenAt, x.vendorNotifiedAt as string))),
        input.sources.vendorNotification,
      ),
      medianDaysToFix: withheld(
        'medianDaysToFix',
        fixed.length,
        medianOf(fixed.map((x) => days(x.firstSeenAt, x.fixedAt as string))),
        input.sources.fix,
      ),
      medianDaysToOperatorPatch: withheld(
        'medianDaysToOperatorPatch',
        patched.length,
        medianOf(patched.map((x) => days(x.notifiedAt, x.patchedAt as string))),
        input.sources.operatorPatch,
      ),
      scanCoverage:
        input.sources.scanCoverage && cov !== undefined && cov.assets > 0
          ? withheld('scanCoverage', cov.assets, round2(cov.covered / cov.assets))
          : null,
      modelReviewsOpened: count('modelReviewsOpened', rv.length),
      medianReviewDaysUsed: withheld('medianReviewDaysUsed', used.length, medianOf(used.map((x) => x.daysUsed as number))),
      suppressed,
    };
  });
  return { months, sources: input.sources, minGroup: MIN_GROUP };
}
