import { sql, type RawBuilder } from 'kysely';
import { oneOf, oneOfChunks, type DialectCapabilities, type Executor } from '../../../platform/db/index.js';
import { t, type ClusterRow, type FindingRow, type Visibility } from './tables.js';

/**
 * 1 when the first report of the cluster aliased `c` is visible (`visible`), else 0: a probe of that one report
 * per cluster. As an `exists`, PostgreSQL hashed every report the actor may see to answer it (20,000 rows for
 * each submission's answer after 100,000 findings, growing with them: 16.5 ms of server CPU for 350 clusters,
 * 5.2 ms probed; issue 14); a scalar subquery with a limit is not turned into a hash. SQLite runs both alike.
 */
function firstReportVisible(visible: Visibility): RawBuilder<number> {
  return sql<number>`case when (select 1 from intake_finding ff where ff.id = c.first_finding_id and ${visible('ff')} limit 1) is not null then 1 else 0 end`;
}

/** A submission's findings in submission order, each with its cluster's first-seen time and whether its first report is visible. */
export async function outcomeRowsOfSubmission(
  executor: Executor,
  visible: Visibility,
  submissionId: string,
): Promise<(Pick<FindingRow, 'ref' | 'product_id' | 'outcome' | 'cluster_id'> & { first_seen_at: string; first_visible: number })[]> {
  return t(executor)
    .selectFrom('intake_finding as f')
    .innerJoin('intake_cluster as c', 'c.id', 'f.cluster_id')
    .select(['f.ref', 'f.product_id', 'f.outcome', 'f.cluster_id', 'c.first_seen_at'])
    .select(firstReportVisible(visible).as('first_visible'))
    .where('f.submission_id', '=', submissionId)
    .orderBy('f.position')
    .execute();
}

/** These clusters' first-seen times and whether their first report is visible, in chunks. */
export async function firstReportsOf(
  executor: Executor,
  caps: DialectCapabilities,
  visible: Visibility,
  clusterIds: readonly string[],
): Promise<{ id: string; first_seen_at: string; first_visible: number }[]> {
  const out: { id: string; first_seen_at: string; first_visible: number }[] = [];
  for (const ids of oneOfChunks(caps, clusterIds)) {
    out.push(
      ...(await t(executor)
        .selectFrom('intake_cluster as c')
        .select(['c.id', 'c.first_seen_at'])
        .select(firstReportVisible(visible).as('first_visible'))
        .where('c.id', 'in', oneOf(caps, ids))
        .execute()),
    );
  }
  return out;
}

/** What a submission's batch needs of an existing cluster it grew ({@link grownClusterFacts}). */
export interface GrownClusterFacts extends Pick<ClusterRow, 'id' | 'cwes' | 'aliases' | 'first_seen_at'> {
  /** 1 when the actor may see the cluster's first report. */
  first_visible: number;
  /** 1 when the organisation had reported into the cluster before this submission. */
  reported_before: number;
}

/**
 * The existing clusters a submission grew, each with what storing and answering the batch reads of it: its
 * labels (CWEs and aliases, which the batch may extend), its first report (when, and whether `visible`) and
 * whether `orgId` had reported into it before `exceptSubmission` (a new reporter counts once). One statement
 * per chunk, where these were three (issue 14).
 */
export async function grownClusterFacts(
  executor: Executor,
  caps: DialectCapabilities,
  visible: Visibility,
  clusterIds: readonly string[],
  orgId: string,
  exceptSubmission: string,
): Promise<GrownClusterFacts[]> {
  const out: GrownClusterFacts[] = [];
  // A probe of the cluster's reports by (cluster_id, owner_org_id) that stops at the first earlier one.
  const reportedBefore = sql<number>`case when (select 1 from intake_finding rf where rf.cluster_id = c.id and rf.owner_org_id = ${orgId} and rf.submission_id <> ${exceptSubmission} limit 1) is not null then 1 else 0 end`;
  for (const ids of oneOfChunks(caps, clusterIds)) {
    out.push(
      ...(await t(executor)
        .selectFrom('intake_cluster as c')
        .select(['c.id', 'c.cwes', 'c.aliases', 'c.first_seen_at'])
        .select(firstReportVisible(visible).as('first_visible'))
        .select(reportedBefore.as('reported_before'))
        .where('c.id', 'in', oneOf(caps, ids))
        .execute()),
    );
  }
  return out;
}
