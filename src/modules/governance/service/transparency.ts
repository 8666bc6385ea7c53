import { programTransparency, type Transparency } from '../../frontier/index.js';
import type { ServiceContext } from '../../../platform/context.js';
import { csvTable } from '../../../platform/csv.js';
import { InputError } from '../../../platform/errors.js';
import {
  monthOf,
  transparencyMetrics,
  type ClusterFact,
  type MonthMetrics,
  type ReportFact,
  type TransparencyMetrics,
} from '../domain/transparency-metrics.js';
import { renderTransparencyPage } from '../domain/transparency-page.js';
import { currentRetentionTable } from '../store/retention-policy.js';
import type { RetentionRegistry } from './retention-registry.js';
import { sourcesByClass, clusterEventsOf } from './retention-registry.js';

/** At most this many months in one answer: eight years by month. */
export const MAX_TRANSPARENCY_MONTHS = 96;

export interface TransparencyReport {
  readonly generatedAt: string;
  readonly metrics: TransparencyMetrics;
  /** The frontier program's own aggregate metrics (reviews, windows used, partners, grants), joined here. */
  readonly frontier: Transparency;
  readonly retention: { readonly version: number };
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function monthRange(ctx: ServiceContext, input: { readonly from?: string | undefined; readonly to?: string | undefined }) {
  const to = input.to ?? monthOf(ctx.clock.now().toISOString());
  const defaultFrom = (() => {
    const [y, m] = to.split('-').map(Number) as [number, number];
    const back = new Date(Date.UTC(y, m - 1 - 11, 1));
    return monthOf(back.toISOString());
  })();
  const from = input.from ?? defaultFrom;
  const issues = [];
  if (!MONTH.test(from)) issues.push({ pointer: '/from', detail: 'must be a month YYYY-MM' });
  if (!MONTH.test(to)) issues.push({ pointer: '/to', detail: 'must be a month YYYY-MM' });
  if (issues.length === 0) {
    const span = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5)) - Number(from.slice(5));
    if (span < 0) issues.push({ pointer: '/from', detail: 'must not be after to' });
    if (span >= MAX_TRANSPARENCY_MONTHS)
      issues.push({ pointer: '/from', detail: `must be within ${MAX_TRANSPARENCY_MONTHS} months of to` });
  }
  if (issues.length > 0) throw new InputError(issues.map((i) => `${i.pointer}: ${i.detail}`).join('; '), issues);
  return { from, to };
}

/**
 * Reports and clusters as the metrics count them, read through the modules' retention sources (the one
 * read-only view governance has of their records): a report is a duplicate when an earlier report of its
 * cluster exists; a cluster's verdict is known here when it was found invalid.
 */
async function reportFacts(ctx: ServiceContext, registry: RetentionRegistry): Promise<{ reports: ReportFact[]; clusters: ClusterFact[] }> {
  const db = ctx.db.kysely;
  const findings: { createdAt: string; clusterId: string | null }[] = [];
  const clusters: ClusterFact[] = [];
  for (const { source, dataClass } of sourcesByClass(registry)) {
    if (dataClass !== 'finding' && dataClass !== 'cluster') continue;
    for (let afterId: string | null = null; ;) {
      const page = await source.records(db, { dataClass, afterId, limit: 500 });
      if (page.length === 0) break;
      if (dataClass === 'finding') for (const r of page) findings.push({ createdAt: r.createdAt, clusterId: r.clusterIds[0] ?? null });
      else {
        const events = await clusterEventsOf(db, registry, page);
        for (const r of page) {
          const invalidated = events.get(r.recordId)?.invalidated ?? null;
          clusters.push({
            firstSeenAt: r.createdAt,
            verdict: invalidated === null ? null : 'invalid',
            verdictAt: invalidated,
            vendorNotifiedAt: null,
            fixedAt: null,
          });
        }
      }
      if (page.length < 500) break;
      afterId = page[page.length - 1]?.recordId ?? null;
    }
  }
  findings.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const seen = new Set<string>();
  const reports = findings.map((f) => {
    const duplicate = f.clusterId !== null && seen.has(f.clusterId);
    if (f.clusterId !== null) seen.add(f.clusterId);
    return { receivedAt: f.createdAt, duplicate };
  });
  return { reports, clusters };
}

/**
 * The program's transparency figures by month (default the last twelve), for anyone: counts, shares and
 * medians only, each withheld when fewer than three records stand behind it, with the frontier program's
 * metrics joined. Figures whose source this installation does not lend yet are null, and the answer says so.
 */
export async function transparencyReport(
  ctx: ServiceContext,
  registry: RetentionRegistry,
  input: { readonly from?: string | undefined; readonly to?: string | undefined } = {},
): Promise<TransparencyReport> {
  const range = monthRange(ctx, input);
  const { reports, clusters } = await reportFacts(ctx, registry);
  const metrics = transparencyMetrics({
    ...range,
    reports,
    clusters,
    remediations: [],
    reviews: [],
    coverage: [],
    sources: { vendorNotification: false, fix: false, operatorPatch: false, scanCoverage: false },
  });
  const retention = await currentRetentionTable(ctx.db.kysely);
  return {
    generatedAt: ctx.clock.now().toISOString(),
    metrics,
    frontier: await programTransparency(ctx),
    retention: { version: retention.version },
  };
}

const CSV_COLUMNS: readonly { header: string; value: (m: MonthMetrics) => string | number | null }[] = [
  { header: 'month', value: (m) => m.month },
  { header: 'reports_received', value: (m) => m.reportsReceived },
  { header: 'duplicate_share', value: (m) => m.duplicateShare },
  { header: 'invalid_share', value: (m) => m.invalidShare },
  { header: 'median_days_to_validation', value: (m) => m.medianDaysToValidation },
  { header: 'median_days_to_vendor_notification', value: (m) => m.medianDaysToVendorNotification },
  { header: 'median_days_to_fix', value: (m) => m.medianDaysToFix },
  { header: 'median_days_to_operator_patch', value: (m) => m.medianDaysToOperatorPatch },
  { header: 'scan_coverage', value: (m) => m.scanCoverage },
  { header: 'model_reviews_opened', value: (m) => m.modelReviewsOpened },
  { header: 'median_review_days_used', value: (m) => m.medianReviewDaysUsed },
  { header: 'withheld', value: (m) => m.suppressed.join(' ') },
];

/** The monthly figures as CSV, one row a month. */
export function transparencyCsv(report: TransparencyReport): string {
  return csvTable(CSV_COLUMNS, report.metrics.months);
}

/** The public page: charts and tables of the monthly figures, and the retention table in force. */
export async function transparencyPage(ctx: ServiceContext, report: TransparencyReport): Promise<string> {
  const retention = await currentRetentionTable(ctx.db.kysely);
  return renderTransparencyPage({
    title: 'Clearinghouse transparency report',
    generatedAt: report.generatedAt,
    metrics: report.metrics,
    retention: { version: retention.version, table: retention.table },
  });
}
