import type { ServiceContext } from '../../../platform/context.js';
import type { Page, PageRequest } from '../../../platform/db/index.js';
import { InputError, NotFoundError } from '../../../platform/errors.js';
import { normalizeCwe, normalizeVulnerabilityId } from '../domain/index.js';
import { restoreFinding } from '../domain/finding-json.js';
import * as store from '../store/index.js';
import { clusterVisibility, findingVisibility } from './access.js';
import { mergedSummary, seesEveryReport, summariesFor } from './cluster-summaries.js';
import { presentFinding, type ClusterDetail, type ClusterSummary, type FindingDetail } from '../presenters.js';

export { summariesFor } from './cluster-summaries.js';

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
  const reader = {
    clusterVisible: clusterVisibility(actor),
    findingVisible: findingVisibility(actor),
    seesEveryReport: seesEveryReport(actor),
  };
  const filters: store.ClusterFilters = {
    target: query.target,
    cwe: typeof cwe === 'string' ? cwe : undefined,
    alias: query.alias === undefined ? undefined : (normalizeVulnerabilityId(query.alias) ?? ''),
    state: query.state,
    since: query.since,
    reporter: query.reporter,
  };
  const page = await store.clusterPage(ctx.db.kysely, reader, filters, query);
  const summaries = await summariesFor(ctx.db.kysely, actor, page.items);
  return { items: page.items.flatMap((r) => summaries.get(r.id) ?? []), nextCursor: page.nextCursor };
}

/**
 * The clusters {@link listClusters} lists for each of these vulnerability ids (its first page of `limit`,
 * newest first), by id as given: one query finds the ids some cluster is known by, and only those are
 * listed. Scoring asks this for every id of the few dozen advisories whose exposure one SBOM upload
 * changes, which seldom name a cluster. Ids that name none answer an empty list.
 */
export async function clustersByAlias(
  ctx: ServiceContext,
  aliases: readonly string[],
  limit: number,
): Promise<Map<string, ClusterSummary[]>> {
  const normalized = new Map(aliases.map((a) => [a, normalizeVulnerabilityId(a)] as const));
  const held = await store.aliasesHeld(ctx.db.kysely, ctx.db.caps, [
    ...new Set([...normalized.values()].filter((a): a is string => a !== null)),
  ]);
  const out = new Map<string, ClusterSummary[]>();
  for (const [alias, key] of normalized)
    out.set(alias, key !== null && held.has(key) ? (await listClusters(ctx, { alias, limit })).items : []);
  return out;
}

/**
 * How many clusters on one target (exact identity) the actor may see, by report-management state — merged
 * clusters not counted; a cluster counts when a report the actor may see names the target. A fact for scanning's "known issues" answer: computed through the same access
 * policy as lists, so a count never reveals a cluster the actor may not see.
 */
export async function clusterCountsForTarget(ctx: ServiceContext, targetIdentity: string): Promise<Record<string, number>> {
  const rows = await store.clusterCountsByState(ctx.db.kysely, findingVisibility(ctx.actor), targetIdentity);
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

/** Of these cluster ids, the ones the actor may see (a fact: what a scan campaign found, per viewer). */
export async function visibleClusterIds(ctx: ServiceContext, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  return new Set(await store.visibleClusterIdsOf(ctx.db.kysely, clusterVisibility(ctx.actor), ids));
}

/**
 * The summaries of these clusters as the actor sees them, by id (a fact lent to other modules' lists: a
 * queue's titles, a case's vulnerabilities). Clusters the actor may not see, and clusters merged away, are
 * absent. Three queries for any number of ids.
 */
export async function clusterSummaries(ctx: ServiceContext, ids: readonly string[]): Promise<Map<string, ClusterSummary>> {
  if (ids.length === 0) return new Map();
  const rows = await store.findClusters(ctx.db.kysely, [...new Set(ids)]);
  return summariesFor(ctx.db.kysely, ctx.actor, rows);
}

async function visibleFindings(ctx: ServiceContext, clusterId: string, limit = 500): Promise<store.FindingRow[]> {
  return store.visibleFindingsOfCluster(ctx.db.kysely, findingVisibility(ctx.actor), clusterId, limit);
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
export async function getFinding(ctx: ServiceContext, id: string): Promise<FindingDetail> {
  const row = await store.findVisibleFinding(ctx.db.kysely, findingVisibility(ctx.actor), id);
  if (row === undefined) throw new NotFoundError(`no finding ${id}`);
  return { ...presentFinding(row), clusterId: row.cluster_id, data: restoreFinding(row.data) };
}
