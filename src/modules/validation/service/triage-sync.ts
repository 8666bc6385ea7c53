import type { ServiceContext } from '../../../platform/context.js';
import { keepStatisticsFresh, withTransaction } from '../../../platform/db/index.js';
import { NotFoundError } from '../../../platform/errors.js';
import { clusterReportsMany, findingsData, type ClusterReport } from '../../intake/index.js';
import { scoreCvss } from '../../../platform/cvss/index.js';
import { appendTo } from '../../../platform/collections.js';
import { requiredQuorum } from '../domain/independence.js';
import { severityOfReport } from '../domain/severity-signal.js';
import { keepingReporterRecords } from '../store/reporter-record.js';
import { insertReports, moveReports, reportsByFinding, sourceKeyOf } from '../store/reports.js';
import type { ReportRow, TriageRow } from '../store/tables.js';
import { findTriage, findTriages, insertTriages, updateTriages } from '../store/triage.js';
import { lockClusters } from './access.js';
import { confirmationsOf } from './confirmations.js';
import { placementsOf } from './placement.js';
import { currentPolicy } from './policy.js';
import { openFirstWork, reconcileWorks } from './work-slots.js';
import { clustersWithAttempts } from '../store/work.js';

export interface SyncResult {
  readonly created: string[];
  readonly updated: string[];
  /** Merged away or emptied: out of the queue. */
  readonly inactive: string[];
}

interface ClusterRead {
  readonly id: string;
  readonly reports: readonly ClusterReport[];
  readonly mergedInto: string | null;
}

/** What a sync may change in an existing triage entry: whether it is in the queue, and its place there. */
const SYNCED_COLUMNS = [
  'active',
  'merged_into',
  'updated_at',
  'score',
  'queue_key',
  'why',
  'cvss_base',
  'first_seen_at',
  'report_count',
  'reporter_count',
  'confirmations',
] as const satisfies readonly (keyof TriageRow)[];

/**
 * The tables whose statistics a sync keeps fresh (PostgreSQL): the mirrored reports, looked up by cluster
 * through a non-unique index, which without statistics is planned as a scan of every report. Not
 * validation_triage: a sync reads and writes it only by its primary key (and by verdict, through its
 * index), which the planner uses without statistics; analyzing its wide rows (the queue's reasons) took
 * about 2 s each, 15 times in a 100k-finding intake's background work. The server's periodic analysis
 * (keepAllStatisticsFresh) still covers it for the lists.
 */
const MIRROR_TABLES = ['validation_report'];

/** A sync runs once per submission, dozens of times a second under load: the table's size is asked at most once a second. */
const STATISTICS_CHECK_MS = 1000;

/** The verdicts the reporters' track record counts (see keepingReporterRecords). */
const DECIDED: ReadonlySet<string> = new Set(['valid', 'invalid']);

const cvssBaseScore = (vector: string): number => scoreCvss(vector).base.score;

async function readClusters(ctx: ServiceContext, ids: readonly string[]): Promise<ClusterRead[]> {
  const found = await clusterReportsMany(ctx.db, ids);
  return ids.flatMap((id) => {
    const read = found.get(id);
    return read === undefined ? [] : [{ id, reports: read.reports, mergedInto: read.reports.length > 0 ? null : read.mergedInto }];
  });
}

/** Mirror rows for reports not mirrored yet (severity read from the finding once), and reports intake moved. */
async function mirrorChanges(
  ctx: ServiceContext,
  reads: readonly ClusterRead[],
): Promise<{ fresh: ReportRow[]; moved: Map<string, string[]>; movedFrom: Set<string> }> {
  const known = await reportsByFinding(
    ctx.db.kysely,
    reads.flatMap((r) => r.reports.map((x) => x.findingId)),
  );
  const unknown = reads.flatMap((r) => r.reports.filter((x) => !known.has(x.findingId)).map((x) => x.findingId));
  const data = await findingsData(ctx.db.kysely, unknown);
  const fresh: ReportRow[] = [];
  const moved = new Map<string, string[]>();
  const movedFrom = new Set<string>();
  for (const read of reads) {
    const firstOrg = read.reports[0]?.reporterOrgId;
    for (const report of read.reports) {
      const mirrored = known.get(report.findingId);
      if (mirrored !== undefined) {
        if (mirrored.cluster_id !== read.id) {
          appendTo(moved, read.id, report.findingId);
          movedFrom.add(mirrored.cluster_id);
        }
        continue;
      }
      const finding = data.get(report.findingId);
      if (finding === undefined) continue;
      const severity = severityOfReport(finding.severities, (finding.enrichment?.kev ?? null) !== null, cvssBaseScore);
      fresh.push({
        finding_id: report.findingId,
        cluster_id: read.id,
        submission_id: report.submissionId,
        reporter_org_id: report.reporterOrgId,
        reporter_user_id: report.reporterUserId,
        tool: report.tool,
        model: report.model,
        source_key: sourceKeyOf(report.tool, report.model),
        ai_generated: report.aiGenerated === null ? null : report.aiGenerated ? 1 : 0,
        not_first: report.reporterOrgId === firstOrg ? 0 : 1,
        severity: severity.value,
        severity_source: severity.source,
        cvss_base: severity.cvssBase,
        reported_at: report.reportedAt,
      });
    }
  }
  return { fresh, moved, movedFrom };
}

function newTriageRow(clusterId: string, at: string): TriageRow {
  return {
    cluster_id: clusterId,
    state: 'received',
    verdict: null,
    invalid_reason: null,
    verdict_note: null,
    duplicate_of: null,
    decided_by: null,
    decided_at: null,
    active: 1,
    merged_into: null,
    first_seen_at: at,
    report_count: 0,
    reporter_count: 0,
    cvss_base: null,
    confirmations: 0,
    score: 0,
    queue_key: '',
    why: '{}',
    created_at: at,
    updated_at: at,
  };
}

/** One sync asked for: the clusters an intake event names, and the subject its audit record is about. */
export interface SyncRequest {
  readonly clusterIds: readonly string[];
  /** Default the first cluster. */
  readonly subject?: { readonly type: string; readonly id: string };
}

/** What one sync changed in a cluster, for its result and audit record. */
interface ClusterOutcome {
  readonly change: keyof SyncResult;
  readonly mirrored: number;
  readonly moved: boolean;
}

/**
 * Brings the triage entries of these clusters up to date with intake: new clusters enter the queue as
 * received, grown ones are re-placed, merged or emptied ones leave it; reports are mirrored for the track
 * record, and work slots opened or closed to match each cluster's quorum. Idempotent, so event deliveries
 * may repeat. Audited as `validation.triage.sync` when reports arrived, moved or left.
 */
export async function syncClusters(
  ctx: ServiceContext,
  clusterIds: readonly string[],
  subject?: { type: string; id: string },
): Promise<SyncResult> {
  const [result] = await syncClusterRequests(ctx, [{ clusterIds, ...(subject === undefined ? {} : { subject }) }]);
  return result ?? { created: [], updated: [], inactive: [] };
}

/**
 * {@link syncClusters} for several requests (the events of several jobs) in one transaction: the clusters all
 * name are synced once, and each request gets the result and the audit record it would have had synced
 * alone after the ones before it — a cluster an earlier request named is no longer new to it, and its
 * reports are mirrored or moved already.
 */
export async function syncClusterRequests(ctx: ServiceContext, requests: readonly SyncRequest[]): Promise<SyncResult[]> {
  const ids = [...new Set(requests.flatMap((r) => r.clusterIds))].sort();
  const outcomes = new Map<string, ClusterOutcome>();
  if (ids.length === 0) return requests.map(() => ({ created: [], updated: [], inactive: [] }));
  // Reports are looked up by finding and by cluster, and this is what adds them: index lookups only while
  // the planner knows how many there are (without autovacuum, PostgreSQL scans the whole table — issue 14).
  await keepStatisticsFresh(ctx.db.kysely, ctx.db.caps, MIRROR_TABLES, { atMostEveryMs: STATISTICS_CHECK_MS });
  const reads = await readClusters(ctx, ids);
  const { fresh, moved, movedFrom } = await mirrorChanges(ctx, reads);
  const mirroredInto = countBy(fresh.map((report) => report.cluster_id));
  // Derived from intake and idempotent: an event whose sync a power cut lost is delivered again.
  return withTransaction(
    ctx.db,
    async (trx) => {
      // In id order, so that two syncs over overlapping clusters never wait on each other crosswise.
      // The clusters reports leave are locked too: their verdicts count in the reporters' track record.
      const touched = [...new Set([...reads.map((r) => r.id), ...movedFrom])].sort();
      await lockClusters(trx, ctx, touched);
      const { policy } = await currentPolicy(trx);
      const now = ctx.clock.now().toISOString();
      const existing = await findTriages(trx, touched);
      // Only decided clusters count in the track record, and mirroring reports decides none: the counters are
      // looked at (two grouped joins) around the change only for the touched clusters that hold a verdict
      // already, which a new cluster, the most of a submission's, never does.
      const decided = touched.filter((id) => DECIDED.has(existing.get(id)?.verdict ?? ''));
      if (fresh.length > 0 || moved.size > 0)
        await keepingReporterRecords(trx, decided, async () => {
          await insertReports(trx, ctx.db.caps, fresh);
          for (const [clusterId, findingIds] of moved) await moveReports(trx, findingIds, clusterId);
        });
      const active = reads.filter((r) => r.reports.length > 0).map((r) => r.id);
      const placements = await placementsOf(trx, active, policy, now);
      const attempted = await clustersWithAttempts(trx, active);
      // Each entry as it will be, computed here and written in a few statements for the whole batch.
      const entering: TriageRow[] = [];
      const changed: TriageRow[] = [];
      const work: { row: TriageRow; needed: number }[] = [];
      const firstWork: { clusterId: string; needed: number }[] = [];
      for (const read of reads) {
        const row = existing.get(read.id);
        const outcome = (change: keyof SyncResult) =>
          outcomes.set(read.id, { change, mirrored: mirroredInto.get(read.id) ?? 0, moved: moved.has(read.id) });
        if (read.reports.length === 0) {
          if (row === undefined) continue;
          const inactive = { ...row, active: 0, merged_into: read.mergedInto, updated_at: now };
          changed.push(inactive);
          work.push({ row: inactive, needed: 0 });
          outcome('inactive');
          continue;
        }
        const placement = placements.get(read.id);
        const base = row ?? newTriageRow(read.id, now);
        let next: TriageRow = { ...base, active: 1, merged_into: null, updated_at: now, ...placement?.patch };
        // Without attempts there is no confirmation; with them, they count against the current reporters.
        if (placement !== undefined) {
          const { reporterOrgIds } = placement.summary;
          const confirmations = attempted.has(read.id) ? (await confirmationsOf(trx, read.id, reporterOrgIds)).orgIds.length : 0;
          next = { ...next, confirmations };
        }
        if (row === undefined) {
          entering.push(next);
          outcome('created');
        } else {
          changed.push(next);
          outcome('updated');
        }
        const needed = requiredQuorum(policy.quorum, placement?.summary.cvssBase ?? null).needed;
        // New clusters have no attempts and no slots: their first slots open in bulk.
        if (row === undefined && !attempted.has(read.id)) firstWork.push({ clusterId: read.id, needed });
        else if (placement !== undefined) work.push({ row: next, needed });
      }
      await insertTriages(trx, ctx.db.caps, entering);
      await updateTriages(trx, ctx.db.caps, changed, SYNCED_COLUMNS);
      await openFirstWork(trx, ctx, firstWork);
      await reconcileWorks(trx, ctx, work);
      const seen = new Set<string>();
      const results: SyncResult[] = [];
      for (const request of requests) {
        const mine = [...new Set(request.clusterIds)].sort();
        const result: SyncResult = { created: [], updated: [], inactive: [] };
        let mirrored = 0;
        let movedInto = 0;
        for (const id of mine) {
          const outcome = outcomes.get(id);
          if (outcome === undefined) continue;
          if (seen.has(id)) {
            // Synced for an earlier request: this one finds it entered already, its reports mirrored and moved.
            result[outcome.change === 'inactive' ? 'inactive' : 'updated'].push(id);
            continue;
          }
          seen.add(id);
          result[outcome.change].push(id);
          mirrored += outcome.mirrored;
          if (outcome.moved) movedInto++;
        }
        results.push(result);
        // A repeated delivery re-places the same clusters identically: only new or moved reports are worth a record.
        if (result.created.length + result.inactive.length + mirrored + movedInto === 0) continue;
        await ctx.audit.record(trx, ctx.actor, {
          action: 'validation.triage.sync',
          subject: request.subject ?? { type: 'cluster', id: mine[0] ?? '' },
          diff: { ...result, mirroredReports: mirrored },
        });
      }
      return results;
    },
    { durability: 'deferred' },
  );
}

function countBy(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** The cluster's triage entry, synced from intake first when its event has not been delivered yet. */
export async function ensureTriage(ctx: ServiceContext, clusterId: string): Promise<TriageRow> {
  const found = await findTriage(ctx.db.kysely, clusterId);
  if (found !== undefined) return found;
  await syncClusters(ctx, [clusterId]);
  const synced = await findTriage(ctx.db.kysely, clusterId);
  if (synced === undefined) throw new NotFoundError(`no cluster ${clusterId}`);
  return synced;
}
