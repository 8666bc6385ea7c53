import type { Executor } from '../../../platform/db/index.js';
import { smoothedPrecision, type BetaPrior, type Precision } from '../domain/beta-precision.js';
import type { ValidationPolicy } from '../domain/policy.js';
import { placeInQueue } from '../domain/queue-score.js';
import { reporterRecords } from '../store/reporter-record.js';
import { reportsOfClusters } from '../store/reports.js';
import type { ReportRow, TriageRow } from '../store/tables.js';
import { updateTriage } from '../store/triage.js';

/**
 * Each organisation's smoothed precision from its decided reports (the prior alone when it has none). Counts
 * as the track record does (a cluster once however many of its reports an organisation sent), read from the
 * counters kept with the verdicts and reports: run on every sync, it costs one row per organisation.
 */
export async function precisionsOf(executor: Executor, orgIds: readonly string[], prior: BetaPrior): Promise<Map<string, Precision>> {
  const counts = await reporterRecords(executor, orgIds);
  return new Map(orgIds.map((id) => [id, smoothedPrecision(counts.get(id)?.valid ?? 0, counts.get(id)?.invalid ?? 0, prior)]));
}

export interface ClusterSummary {
  readonly reporterOrgIds: ReadonlySet<string>;
  readonly cvssBase: number | null;
}

function highest(rows: readonly ReportRow[]): ReportRow | undefined {
  return rows.reduce<ReportRow | undefined>(
    (best, row) => (row.severity !== null && (best?.severity ?? -1) < row.severity ? row : best),
    undefined,
  );
}

/**
 * Recomputes the queue place of these clusters from their mirrored reports and the reporters' current
 * precision, inside the caller's transaction, and answers what each one's quorum depends on.
 */
export async function placeClusters(
  trx: Executor,
  clusterIds: readonly string[],
  policy: ValidationPolicy,
  at: string,
): Promise<Map<string, ClusterSummary>> {
  const placements = await placementsOf(trx, clusterIds, policy, at);
  for (const [clusterId, { patch }] of placements) await updateTriage(trx, clusterId, patch);
  return new Map([...placements].map(([id, p]) => [id, p.summary]));
}

export type PlacementPatch = Pick<
  TriageRow,
  'score' | 'queue_key' | 'why' | 'cvss_base' | 'first_seen_at' | 'report_count' | 'reporter_count' | 'updated_at'
>;

/** Where each cluster belongs in the queue, from its mirrored reports, without writing it. */
export async function placementsOf(
  trx: Executor,
  clusterIds: readonly string[],
  policy: ValidationPolicy,
  at: string,
): Promise<Map<string, { patch: PlacementPatch; summary: ClusterSummary }>> {
  const byCluster = new Map<string, ReportRow[]>();
  for (const row of await reportsOfClusters(trx, clusterIds)) {
    const list = byCluster.get(row.cluster_id);
    if (list) list.push(row);
    else byCluster.set(row.cluster_id, [row]);
  }
  const orgIds = [...new Set([...byCluster.values()].flat().map((r) => r.reporter_org_id))];
  const precisions = await precisionsOf(trx, orgIds, policy.prior);
  const out = new Map<string, { patch: PlacementPatch; summary: ClusterSummary }>();
  for (const [clusterId, rows] of byCluster) {
    const reporters = [...new Set(rows.map((r) => r.reporter_org_id))].sort();
    const top = highest(rows);
    const cvss = rows.map((r) => r.cvss_base).filter((x): x is number => x !== null);
    const firstSeenAt = rows.map((r) => r.reported_at).sort()[0] ?? at;
    const placement = placeInQueue({
      severity: top?.severity ?? null,
      severitySource: top?.severity_source ?? 'no severity stated',
      unknownSeverity: policy.unknownSeverity,
      reporters: reporters.map((orgId) => ({ orgId, precision: precisions.get(orgId)?.mean ?? 0 })),
      firstSeenAt,
    });
    const cvssBase = cvss.length === 0 ? null : Math.max(...cvss);
    const patch: PlacementPatch = {
      score: Math.round(placement.score * 10_000),
      queue_key: placement.key,
      why: JSON.stringify(placement.why),
      cvss_base: cvssBase,
      first_seen_at: firstSeenAt,
      report_count: rows.length,
      reporter_count: reporters.length,
      updated_at: at,
    };
    out.set(clusterId, { patch, summary: { reporterOrgIds: new Set(reporters), cvssBase } });
  }
  return out;
}
