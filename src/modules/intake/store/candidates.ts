import { sql, type Expression, type SqlBool } from 'kysely';
import { insertMany, paginate, type DialectCapabilities, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { t, type CandidateRow, type ClusterRow } from './tables.js';

/** Of the pairs these first and second clusters make, the ones proposed before (a pair's lower id first). */
export async function knownCandidatePairs(
  executor: Executor,
  firsts: readonly string[],
  seconds: readonly string[],
): Promise<{ cluster_id: string; other_cluster_id: string }[]> {
  return t(executor)
    .selectFrom('intake_candidate')
    .select(['cluster_id', 'other_cluster_id'])
    .where('cluster_id', 'in', [...firsts])
    .where('other_cluster_id', 'in', [...seconds])
    .execute();
}

/** Stores proposals in one multi-row insert; a pair a concurrent writer proposed first is left as it is. */
export async function insertCandidates(executor: Executor, caps: DialectCapabilities, rows: readonly CandidateRow[]): Promise<void> {
  await insertMany(
    executor,
    caps,
    'intake_candidate',
    ['id', 'cluster_id', 'other_cluster_id', 'similarity', 'reason', 'status', 'created_at', 'decided_at', 'decided_by'],
    rows.map((r) => [r.id, r.cluster_id, r.other_cluster_id, r.similarity, r.reason, r.status, r.created_at, r.decided_at, r.decided_by]),
    { onConflictDoNothing: ['cluster_id', 'other_cluster_id'] },
  );
}

export async function findCandidate(executor: Executor, id: string): Promise<CandidateRow | undefined> {
  return t(executor).selectFrom('intake_candidate').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Dismisses a proposal still proposed; false when it was decided already. */
export async function dismissCandidate(executor: Executor, id: string, at: string, by: string): Promise<boolean> {
  const dismissed = await t(executor)
    .updateTable('intake_candidate')
    .set({ status: 'dismissed', decided_at: at, decided_by: by })
    .where('id', '=', id)
    .where('status', '=', 'proposed')
    .executeTakeFirst();
  return dismissed.numUpdatedRows !== 0n;
}

/** Marks the proposals of this pair of clusters (in either order) merged. */
export async function markCandidatesMerged(executor: Executor, from: string, into: string, at: string, by: string): Promise<void> {
  await t(executor)
    .updateTable('intake_candidate')
    .set({ status: 'merged', decided_at: at, decided_by: by })
    .where((eb) =>
      eb.or([
        eb.and([eb('cluster_id', '=', from), eb('other_cluster_id', '=', into)]),
        eb.and([eb('cluster_id', '=', into), eb('other_cluster_id', '=', from)]),
      ]),
    )
    .execute();
}

/** A proposal with the other cluster of its pair. */
export type CandidateWithOther = ClusterRow & {
  candidate_id: string;
  similarity: number;
  reason: string;
  candidate_status: CandidateRow['status'];
  proposed_at: string;
  decided_at: string | null;
};

/**
 * A page of the proposals involving a cluster, most alike first, each with the other cluster of its pair;
 * only those whose clusters both meet `everyReportVisible` (given a cluster id column).
 */
export async function candidatePage(
  executor: Executor,
  clusterId: string,
  everyReportVisible: (clusterIdColumn: string) => Expression<SqlBool>,
  request: PageRequest,
): Promise<Page<CandidateWithOther>> {
  const query = t(executor)
    .selectFrom('intake_candidate as p')
    .innerJoin('intake_cluster as c', (j) =>
      j.on(sql<SqlBool>`c.id = case when p.cluster_id = ${clusterId} then p.other_cluster_id else p.cluster_id end`),
    )
    .selectAll('c')
    .select([
      'p.id as candidate_id',
      'p.similarity',
      'p.reason',
      'p.status as candidate_status',
      'p.created_at as proposed_at',
      'p.decided_at',
    ])
    .where((eb) => eb.or([eb('p.cluster_id', '=', clusterId), eb('p.other_cluster_id', '=', clusterId)]))
    .where(everyReportVisible('p.cluster_id'))
    .where(everyReportVisible('p.other_cluster_id'));
  return paginate(query, request, {
    sort: 'p.similarity',
    id: 'p.id',
    direction: 'desc',
    sortOf: (r) => r.similarity,
    idOf: (r) => r.candidate_id,
  });
}
