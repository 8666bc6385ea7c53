import { programTransparency } from '../../frontier/index.js';
import type { ServiceContext } from '../../../platform/context.js';
import { csvTable } from '../../../platform/csv.js';
import { InputError } from '../../../platform/errors.js';
import { figuresByMonth, monthOf, type TransparencyFact } from '../../../platform/transparency-facts.js';
import { composeTransparency, type MonthMetrics } from '../domain/transparency-metrics.js';
import { renderTransparencyPage } from '../domain/transparency-page.js';
import type { TransparencyReport } from '../presenters.js';
import { currentRetentionTable } from '../store/retention-policy.js';
import type { RetentionRegistry } from './retention-registry.js';
import { sourcesByClass } from './retention-registry.js';

/** At most this many months in one answer: eight years by month. */
export const MAX_TRANSPARENCY_MONTHS = 96;

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
 * Reports as the metrics count them, read through the modules' retention sources (the one read-only view
 * governance has of their records): a report is a duplicate when an earlier report of its cluster exists.
 */
async function reportsReceived(ctx: ServiceContext, registry: RetentionRegistry): Promise<{ receivedAt: string; duplicate: boolean }[]> {
  const db = ctx.db.kysely;
  const findings: { createdAt: string; clusterId: string | null }[] = [];
  for (const { source, dataClass } of sourcesByClass(registry)) {
    if (dataClass !== 'finding') continue;
    for (let afterId: string | null = null; ;) {
      const page = await source.records(db, { dataClass, afterId, limit: 500 });
      for (const r of page) findings.push({ createdAt: r.createdAt, clusterId: r.clusterIds[0] ?? null });
      if (page.length < 500) break;
      afterId = page[page.length - 1]?.recordId ?? null;
    }
  }
  findings.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const seen = new Set<string>();
  return findings.map((f) => {
    const duplicate = f.clusterId !== null && seen.has(f.clusterId);
    if (f.clusterId !== null) seen.add(f.clusterId);
    return { receivedAt: f.createdAt, duplicate };
  });
}

/** Governance's own figures: reports received and the share of them that were duplicates, by month of arrival. */
function reportFacts(ctx: ServiceContext, registry: RetentionRegistry): TransparencyFact[] {
  let reports: Promise<{ receivedAt: string; duplicate: boolean }[]> | undefined;
  const once = () => (reports ??= reportsReceived(ctx, registry));
  const inRange = async (range: { from: string; to: string }) =>
    (await once()).filter((r) => monthOf(r.receivedAt) >= range.from && monthOf(r.receivedAt) <= range.to);
  return [
    {
      key: 'reportsReceived',
      title: 'Reports received',
      unit: 'count',
      note: 'findings received by intake, in the month they arrived',
      monthly: async (_db, range) =>
        figuresByMonth(
          await inRange(range),
          (r) => r.receivedAt,
          (g) => ({ value: g.length, n: g.length }),
        ),
    },
    {
      key: 'duplicateShare',
      title: 'Share of reports that were duplicates',
      unit: 'share',
      note: 'reports of a vulnerability an earlier report had already brought',
      monthly: async (_db, range) =>
        figuresByMonth(
          await inRange(range),
          (r) => r.receivedAt,
          (g) => ({ value: g.filter((r) => r.duplicate).length / g.length, n: g.length }),
        ),
    },
  ];
}

/**
 * The program's transparency figures by month (default the last twelve), for anyone: governance's own
 * (reports, duplicates) and every figure the modules lend (`transparencyFacts` in their wiring: validation's
 * verdicts, cases' vendor notification and fixes, notify's operator patches, scanning's coverage, frontier's
 * reviews), each withheld when fewer than three records stand behind it, with the frontier program's metrics
 * joined.
 */
export async function transparencyReport(
  ctx: ServiceContext,
  registry: RetentionRegistry,
  lent: readonly TransparencyFact[],
  input: { readonly from?: string | undefined; readonly to?: string | undefined } = {},
): Promise<TransparencyReport> {
  const range = monthRange(ctx, input);
  const facts = [...reportFacts(ctx, registry), ...lent];
  const figures = [];
  for (const fact of facts) {
    figures.push({
      series: { key: fact.key, title: fact.title, unit: fact.unit, note: fact.note },
      figures: await fact.monthly(ctx.db.kysely, range),
    });
  }
  const metrics = composeTransparency({ ...range, lent: figures });
  const retention = await currentRetentionTable(ctx.db.kysely);
  return {
    generatedAt: ctx.clock.now().toISOString(),
    metrics,
    frontier: await programTransparency(ctx),
    retention: { version: retention.version },
  };
}

/** The monthly figures as CSV, one row a month, one column a figure (its key), and the figures withheld. */
export function transparencyCsv(report: TransparencyReport): string {
  const columns = [
    { header: 'month', value: (m: MonthMetrics) => m.month },
    ...report.metrics.series.map((s) => ({ header: s.key, value: (m: MonthMetrics) => m.figures[s.key] ?? null })),
    { header: 'withheld', value: (m: MonthMetrics) => m.suppressed.join(' ') },
  ];
  return csvTable(columns, report.metrics.months);
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
