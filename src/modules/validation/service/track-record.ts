import type { ServiceContext } from '../../../platform/context.js';
import type { Executor, Page, PageRequest } from '../../../platform/db/index.js';
import { NotFoundError } from '../../../platform/errors.js';
import { getOrg, isCoordinator, orgNames } from '../../identity/index.js';
import { smoothedPrecision, type BetaPrior, type Precision } from '../domain/beta-precision.js';
import { presentVerdict, type MyReport } from '../presenters.js';
import type { ReportState } from '../domain/report-states.js';
import { reportsOfOrg } from '../store/my-reports.js';
import {
  invalidReasons,
  pageOfRecordCounts,
  recordCountsOf,
  splitSourceKey,
  type RecordCounts,
  type RecordGroup,
} from '../store/reports.js';
import { asSystem, requireUser } from './access.js';
import { currentPolicy } from './policy.js';
import { quotaStatus, type QuotaStatus } from './quota.js';

/** Counts of one reporter or one tool/model; a cluster counts once however many of its reports it holds. */
export interface TrackRecord {
  readonly reports: number;
  readonly clusters: number;
  readonly valid: number;
  readonly invalid: number;
  readonly invalidByReason: Readonly<Record<string, number>>;
  /** Clusters another organisation had reported first. */
  readonly duplicates: number;
  /** Clusters still awaiting a verdict. */
  readonly pending: number;
  /** valid ÷ (valid + invalid), smoothed by the policy's Beta prior, with its uncertainty. */
  readonly precision: Precision;
}

export interface ReporterRecord extends TrackRecord {
  readonly orgId: string;
  /** The organisation's name, where the reader may see the organisation. */
  readonly orgName: string | null;
}

export interface ToolRecord extends TrackRecord {
  readonly tool: string | null;
  readonly model: string | null;
}

function recordOf(counts: RecordCounts | undefined, reasons: Readonly<Record<string, number>> | undefined, prior: BetaPrior): TrackRecord {
  const c = counts ?? { key: '', reports: 0, clusters: 0, valid: 0, invalid: 0, pending: 0, duplicates: 0 };
  return {
    reports: c.reports,
    clusters: c.clusters,
    valid: c.valid,
    invalid: c.invalid,
    invalidByReason: reasons ?? {},
    duplicates: c.duplicates,
    pending: c.pending,
    precision: smoothedPrecision(c.valid, c.invalid, prior),
  };
}

async function pageOfRecords(
  executor: Executor,
  group: RecordGroup,
  request: PageRequest,
  filter: { keys?: readonly string[]; reporterOrgId?: string },
  prior: BetaPrior,
) {
  const page = await pageOfRecordCounts(executor, group, request, filter);
  const rows = page.items;
  const reasons = await invalidReasons(
    executor,
    group,
    rows.map((r) => r.key),
    filter.reporterOrgId,
  );
  return { rows: rows.map((row) => ({ key: row.key, record: recordOf(row, reasons.get(row.key), prior) })), nextCursor: page.nextCursor };
}

/** Every reporting organisation's track record for coordinators; the caller's own otherwise. */
export async function listReporterRecords(ctx: ServiceContext, request: PageRequest): Promise<Page<ReporterRecord>> {
  const filter = isCoordinator(ctx.actor) ? {} : { keys: [requireUser(ctx.actor).orgId] };
  const { policy } = await currentPolicy(ctx.db.kysely);
  const page = await pageOfRecords(ctx.db.kysely, 'reporter_org_id', request, filter, policy.prior);
  const names = await orgNames(
    ctx,
    page.rows.map((r) => r.key),
  );
  return { items: page.rows.map((r) => ({ orgId: r.key, orgName: names.get(r.key) ?? null, ...r.record })), nextCursor: page.nextCursor };
}

/**
 * One organisation's track record and quota: for coordinators and the organisation's own members.
 * @throws NotFoundError for anyone else, or an unknown organisation.
 */
export async function getReporterRecord(ctx: ServiceContext, orgId: string): Promise<ReporterRecord & { readonly quota: QuotaStatus }> {
  if (!isCoordinator(ctx.actor) && requireUser(ctx.actor).orgId !== orgId) throw new NotFoundError(`no organisation ${orgId}`);
  const org = await getOrg(asSystem(ctx), orgId);
  const { policy } = await currentPolicy(ctx.db.kysely);
  const counts = await recordCountsOf(ctx.db.kysely, 'reporter_org_id', orgId);
  const reasons = await invalidReasons(ctx.db.kysely, 'reporter_org_id', [orgId]);
  return { orgId, orgName: org.name, ...recordOf(counts, reasons.get(orgId), policy.prior), quota: await quotaStatus(ctx, orgId) };
}

/**
 * Track records per tool and model: across every reporter for coordinators; over the caller's own
 * organisation's reports otherwise (which tools others use is theirs to tell).
 */
export async function listToolRecords(ctx: ServiceContext, request: PageRequest): Promise<Page<ToolRecord>> {
  const filter = isCoordinator(ctx.actor) ? {} : { reporterOrgId: requireUser(ctx.actor).orgId };
  const { policy } = await currentPolicy(ctx.db.kysely);
  const page = await pageOfRecords(ctx.db.kysely, 'source_key', request, filter, policy.prior);
  return {
    items: page.rows.map((r) => ({ ...splitSourceKey(r.key), ...r.record })),
    nextCursor: page.nextCursor,
  };
}

/**
 * The verdicts on the clusters the caller's organisation reported, newest cluster first: only its reports
 * the caller may see (a colleague's TLP:RED report is the colleague's and its named recipients').
 */
export async function listMyReports(ctx: ServiceContext, request: PageRequest): Promise<Page<MyReport>> {
  const orgId = requireUser(ctx.actor).orgId;
  const { page, mine } = await reportsOfOrg(ctx.db.kysely, ctx.actor, orgId, request);
  const byCluster = new Map(mine.map((m) => [m.cluster_id, m]));
  return {
    items: page.items.map((row) => ({
      clusterId: row.cluster_id,
      state: row.state as ReportState,
      verdict: presentVerdict(row),
      reports: Number(byCluster.get(row.cluster_id)?.n ?? 0),
      firstReportedAt: String(byCluster.get(row.cluster_id)?.first ?? row.first_seen_at),
      mergedInto: row.merged_into,
    })),
    nextCursor: page.nextCursor,
  };
}
