import type { DialectCapabilities, Executor } from '../../../platform/db/index.js';
import { CHUNK, insertRows, insertRowsStatements, t, type FindingRow } from './tables.js';

export const insertFindings = (executor: Executor, caps: DialectCapabilities, rows: readonly FindingRow[]) =>
  insertRows(executor, caps, 'intake_finding', rows);

/** {@link insertFindings}'s statements, for `writeTogether`. */
export const insertFindingsStatements = (executor: Executor, caps: DialectCapabilities, rows: readonly FindingRow[]) =>
  insertRowsStatements(executor, caps, 'intake_finding', rows);

/** Moves findings and identity keys from one cluster to another. */
export async function moveFindings(executor: Executor, findingIds: readonly string[], into: string): Promise<void> {
  for (let i = 0; i < findingIds.length; i += CHUNK) {
    await t(executor)
      .updateTable('intake_finding')
      .set({ cluster_id: into })
      .where('id', 'in', findingIds.slice(i, i + CHUNK))
      .execute();
    await t(executor)
      .updateTable('intake_lsh')
      .set({ cluster_id: into })
      .where('finding_id', 'in', findingIds.slice(i, i + CHUNK))
      .execute();
  }
}

export async function findingIdsOfCluster(executor: Executor, clusterId: string): Promise<string[]> {
  return (await t(executor).selectFrom('intake_finding').select('id').where('cluster_id', '=', clusterId).orderBy('id').execute()).map(
    (r) => r.id,
  );
}

/** Every report of a cluster, oldest first, with who sent it and what produced it (no content). */
export async function reportsOfCluster(
  executor: Executor,
  clusterId: string,
): Promise<
  Pick<
    FindingRow,
    'id' | 'submission_id' | 'owner_org_id' | 'created_by' | 'tool' | 'model' | 'ai_generated' | 'created_at' | 'outcome' | 'tlp'
  >[]
> {
  return t(executor)
    .selectFrom('intake_finding')
    .select(['id', 'submission_id', 'owner_org_id', 'created_by', 'tool', 'model', 'ai_generated', 'created_at', 'outcome', 'tlp'])
    .where('cluster_id', '=', clusterId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Reports of many clusters, oldest first within each. */
export async function reportsOfClusters(executor: Executor, clusterIds: readonly string[]) {
  const out = [];
  for (let i = 0; i < clusterIds.length; i += CHUNK) {
    out.push(
      ...(await t(executor)
        .selectFrom('intake_finding')
        .select([
          'id',
          'cluster_id',
          'submission_id',
          'owner_org_id',
          'created_by',
          'tool',
          'model',
          'ai_generated',
          'created_at',
          'outcome',
          'tlp',
        ])
        .where('cluster_id', 'in', clusterIds.slice(i, i + CHUNK))
        .orderBy('created_at')
        .orderBy('id')
        .execute()),
    );
  }
  return out;
}

export async function findingData(executor: Executor, ids: readonly string[]): Promise<{ id: string; data: string }[]> {
  const out: { id: string; data: string }[] = [];
  for (let i = 0; i < ids.length; i += CHUNK)
    out.push(
      ...(await t(executor)
        .selectFrom('intake_finding')
        .select(['id', 'data'])
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .execute()),
    );
  return out;
}

/** A cluster's findings with what their identity keys are derived from (a split recomputes them). */
export async function identitiesOfCluster(
  executor: Executor,
  clusterId: string,
): Promise<{ id: string; data: string; fingerprint: string }[]> {
  return t(executor).selectFrom('intake_finding').select(['id', 'data', 'fingerprint']).where('cluster_id', '=', clusterId).execute();
}
