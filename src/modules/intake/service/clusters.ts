import { sql, type Expression, type SqlBool } from 'kysely';
import type { ServiceContext } from '../../../platform/context.js';
import { paginate, type Page, type PageRequest } from '../../../platform/db/index.js';
import { InputError, NotFoundError } from '../../../platform/errors.js';
import type { Tlp } from '../../../platform/tlp.js';
import { normalizeCwe, normalizeVulnerabilityId } from '../domain/index.js';
import { restoreFinding } from '../finding-json.js';
import * as store from '../store.js';
import { clusterVisible, findingVisible } from './access.js';
import { mergedSummary, seesEveryReport, summariesFor, type ClusterSummary } from './cluster-summaries.js';

export { presentCluster, summariesFor, type ClusterSummary } from './cluster-summaries.js';

export interface FindingView {
  readonly id: string;
  readonly submissionId: string;
  readonly ref: string;
  readonly productId: string | null;
  readonly format: string;
  readonly title: string | null;
  readonly tool: string | null;
  readonly model: string | null;
  readonly aiGenerated: boolean | null;
  readonly reporterOrgId: string;
  readonly tlp: Tlp;
  readonly outcome: 'new' | 'duplicate';
  readonly createdAt: string;
}

export interface ClusterDetail extends ClusterSummary {
  /** The earliest report, credited — shown only when the caller may see that report. */
  readonly firstReport: { readonly findingId: string; readonly reporterOrgId: string; readonly at: string } | null;
  /** The reports the caller may see, oldest first (at most 500). */
  readonly findings: FindingView[];
}

export function presentFinding(row: store.FindingRow): FindingView {
  return {
    id: row.id,
    submissionId: row.submission_id,
    ref: row.ref,
    productId: row.product_id,
    format: row.format,
    title: row.title,
    tool: row.tool,
    model: row.model,
    aiGenerated: row.ai_generated === null ? null : row.ai_generated === 1,
    reporterOrgId: row.owner_org_id,
    tlp: row.tlp as Tlp,
    outcome: row.outcome,
    createdAt: row.created_at,
  };
}

export interface ClusterQuery extends PageRequest {
  /** Exact target identity (`pkg:pypi/django`), or a prefix ending in `/` or `:`. */
  readonly target?: string | undefined;
  readonly cwe?: string | undefined;
  readonly state?: string | undefined;
  /** Clusters with a (visible) report from this organisation. */
  readonly reporter?: string | undefined;
  /** First seen at or after this instant. */
  readonly since?: string | undefined;
  /** A vulnerability id (CVE, GHSA, …) the cluster is known by. */
  readonly alias?: string | undefined;
}

/** Clusters the actor may see, newest first, filtered in SQL through the access policy. */
export async function listClusters(ctx: ServiceContext, query: ClusterQuery): Promise<Page<ClusterSummary>> {
  const cwe = query.cwe === undefined ? undefined : normalizeCwe(query.cwe);
  if (query.cwe !== undefined && cwe === null)
    throw new InputError(`cwe must look like CWE-79, got "${query.cwe}"`, [{ pointer: '/cwe', detail: 'must be a CWE id' }]);
  const actor = ctx.actor;
  const q = store
    .t(ctx.db.kysely)
    .selectFrom('intake_cluster as c')
    .selectAll('c')
    .where('c.merged_into', 'is', null)
    .where(clusterVisible(actor, 'c'))
    // Filters read what the caller may see: a report it may see on the target, with the CWE or the alias, and
    // the earliest report it may see — never a hidden report's label (DESIGN §5, derived data).
    .$if(query.target !== undefined, (b) => {
      const target = query.target ?? '';
      return b.where(
        reportsHold(
          actor,
          /[/:]$/.test(target)
            ? sql<SqlBool>`substr(rf.target_identity, 1, ${target.length}) = ${target}`
            : sql<SqlBool>`rf.target_identity = ${target}`,
        ),
      );
    })
    .$if(typeof cwe === 'string', (b) => b.where(reportsHold(actor, sql<SqlBool>`cast(rf.cwes as text) like ${`%"${cwe}"%`}`)))
    .$if(query.alias !== undefined, (b) => {
      const alias = normalizeVulnerabilityId(query.alias ?? '') ?? '';
      return b
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('intake_cluster_key as k')
              .select('k.key')
              .where('k.key', '=', `alias:${alias}`)
              .whereRef('k.cluster_id', '=', 'c.id'),
          ),
        )
        .$if(!seesEveryReport(actor), (bb) => bb.where(reportsHold(actor, sql<SqlBool>`cast(rf.data as text) like ${`%"${alias}"%`}`)));
    })
    .$if(query.state !== undefined, (b) => b.where('c.state', '=', query.state ?? ''))
    .$if(query.since !== undefined, (b) =>
      seesEveryReport(actor)
        ? b.where('c.first_seen_at', '>=', query.since ?? '')
        : b.where(sql<SqlBool>`not ${reportsHold(actor, sql<SqlBool>`rf.created_at < ${query.since ?? ''}`)}`),
    )
    .$if(query.reporter !== undefined, (b) => b.where(reportsHold(actor, sql<SqlBool>`rf.owner_org_id = ${query.reporter ?? ''}`)));
  const page = await paginate(q, query, { sort: 'c.id', id: 'c.id', sortOf: (r) => r.id, idOf: (r) => r.id, direction: 'desc' });
  const summaries = await summariesFor(ctx.db.kysely, actor, page.items);
  return { items: page.items.flatMap((r) => summaries.get(r.id) ?? []), nextCursor: page.nextCursor };
}

/** True when a report of cluster `c` that the actor may see (as `rf`) meets the condition. */
function reportsHold(actor: ServiceContext['actor'], condition: Expression<SqlBool>): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from intake_finding rf where rf.cluster_id = c.id and ${condition} and ${findingVisible(actor, 'rf')})`;
}

/**
 * How many clusters on one target (exact identity) the actor may see, by report-management state — merged
 * clusters not counted; a cluster counts when a report the actor may see names the target. A fact for scanning's "known issues" answer: computed through the same access
 * policy as lists, so a count never reveals a cluster the actor may not see.
 */
export async function clusterCountsForTarget(ctx: ServiceContext, targetIdentity: string): Promise<Record<string, number>> {
  const rows = await store
    .t(ctx.db.kysely)
    .selectFrom('intake_cluster as c')
    .select('c.state')
    .select(sql<number>`count(*)`.as('n'))
    .where('c.merged_into', 'is', null)
    .where(reportsHold(ctx.actor, sql<SqlBool>`rf.target_identity = ${targetIdentity}`))
    .groupBy('c.state')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/** Of these cluster ids, the ones the actor may see (a fact: what a scan campaign found, per viewer). */
export async function visibleClusterIds(ctx: ServiceContext, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await store
    .t(ctx.db.kysely)
    .selectFrom('intake_cluster as c')
    .select('c.id')
    .where('c.id', 'in', [...ids])
    .where(clusterVisible(ctx.actor, 'c'))
    .execute();
  return new Set(rows.map((r) => r.id));
}

/**
 * The summaries of these clusters as the actor sees them, by id (a fact lent to other modules' lists: a
 * queue's titles, a case's vulnerabilities). Clusters the actor may not see, and clusters merged away, are
 * absent. Three queries for any number of ids.
 */
export async function clusterSummaries(ctx: ServiceContext, ids: readonly string[]): Promise<Map<string, ClusterSummary>> {
  if (ids.length === 0) return new Map();
  const rows = await store
    .t(ctx.db.kysely)
    .selectFrom('intake_cluster')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return summariesFor(ctx.db.kysely, ctx.actor, rows);
}

async function visibleFindings(ctx: ServiceContext, clusterId: string, limit = 500): Promise<store.FindingRow[]> {
  return store
    .t(ctx.db.kysely)
    .selectFrom('intake_finding as f')
    .selectAll('f')
    .where('f.cluster_id', '=', clusterId)
    .where(findingVisible(ctx.actor, 'f'))
    .orderBy('f.created_at')
    .orderBy('f.id')
    .limit(limit)
    .execute();
}

/**
 * One cluster with the reports the actor may see, summarised from them. A merged cluster answers with
 * `mergedInto` and no reports.
 */
export async function getCluster(ctx: ServiceContext, id: string): Promise<ClusterDetail> {
  const row = await store.findCluster(ctx.db.kysely, id);
  if (row === undefined) throw new NotFoundError(`no cluster ${id}`);
  if (row.merged_into !== null) {
    // Visible as its survivor is: follow the chain of merges (each at most once).
    let survivor = row;
    const seen = new Set<string>([row.id]);
    while (survivor.merged_into !== null && !seen.has(survivor.merged_into)) {
      seen.add(survivor.merged_into);
      const next = await store.findCluster(ctx.db.kysely, survivor.merged_into);
      if (next === undefined) break;
      survivor = next;
    }
    const summary = (await summariesFor(ctx.db.kysely, ctx.actor, [survivor])).get(survivor.id);
    if (summary === undefined || survivor.merged_into !== null) throw new NotFoundError(`no cluster ${id}`);
    return { ...mergedSummary(row, ctx.actor, summary), firstReport: null, findings: [] };
  }
  const summary = (await summariesFor(ctx.db.kysely, ctx.actor, [row])).get(id);
  if (summary === undefined) throw new NotFoundError(`no cluster ${id}`);
  const findings = await visibleFindings(ctx, id);
  const first = findings.find((f) => f.id === row.first_finding_id);
  return {
    ...summary,
    firstReport: first === undefined ? null : { findingId: first.id, reporterOrgId: first.owner_org_id, at: first.created_at },
    findings: findings.map(presentFinding),
  };
}

/** The normalized finding as stored, if the actor may see it. */
export async function getFinding(
  ctx: ServiceContext,
  id: string,
): Promise<FindingView & { readonly clusterId: string; readonly data: unknown }> {
  const row = await store
    .t(ctx.db.kysely)
    .selectFrom('intake_finding as f')
    .selectAll('f')
    .where('f.id', '=', id)
    .where(findingVisible(ctx.actor, 'f'))
    .executeTakeFirst();
  if (row === undefined) throw new NotFoundError(`no finding ${id}`);
  return { ...presentFinding(row), clusterId: row.cluster_id, data: restoreFinding(row.data) };
}
