import { CompiledQuery } from 'kysely';
import {
  bytesColumn,
  bytesParam,
  chunkSizes,
  insertManyStatements,
  oneOfBytes,
  oneOfChunks,
  type DialectCapabilities,
  type Executor,
} from '../../../platform/db/index.js';
import { clusterKeyBytes, clusterKeyHex, clusterKeyOf } from './cluster-key-bytes.js';
import { CHUNK, insertRows, insertRowsStatements, t, type ClusterKeyRow, type ClusterRow } from './tables.js';

/** The clusters holding these identity keys, looked up in chunks. */
export async function clustersOfKeys(executor: Executor, caps: DialectCapabilities, keys: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const chunk of oneOfChunks(caps, keys)) {
    const rows = await t(executor)
      .selectFrom('intake_cluster_key')
      .select([bytesColumn(caps, 'key').as('key'), 'cluster_id'])
      .where('key', 'in', oneOfBytes(caps, chunk.map(clusterKeyHex)))
      .execute();
    for (const row of rows) out.set(clusterKeyOf(row.key), row.cluster_id);
  }
  return out;
}

export const insertClusters = (executor: Executor, caps: DialectCapabilities, rows: readonly ClusterRow[]) =>
  insertRows(executor, caps, 'intake_cluster', rows);

/** {@link insertClusters}'s statements, for `writeTogether`. */
export const insertClustersStatements = (executor: Executor, caps: DialectCapabilities, rows: readonly ClusterRow[]) =>
  insertRowsStatements(executor, caps, 'intake_cluster', rows);

export async function insertClusterKeys(executor: Executor, caps: DialectCapabilities, rows: readonly ClusterKeyRow[]): Promise<void> {
  for (const statement of await insertClusterKeysStatements(executor, caps, rows)) await executor.executeQuery(statement);
}

/** {@link insertClusterKeys}'s statements, for `writeTogether`. */
export async function insertClusterKeysStatements(
  executor: Executor,
  caps: DialectCapabilities,
  rows: readonly ClusterKeyRow[],
): Promise<CompiledQuery[]> {
  return insertManyStatements(
    executor,
    caps,
    'intake_cluster_key',
    ['key', 'cluster_id', 'finding_id', 'created_at'],
    rows.map((r) => [bytesParam(caps, clusterKeyHex(r.key)), r.cluster_id, r.finding_id, r.created_at]),
  );
}

export async function findClusters(executor: Executor, ids: readonly string[]): Promise<ClusterRow[]> {
  const out: ClusterRow[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    out.push(
      ...(await t(executor)
        .selectFrom('intake_cluster')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .execute()),
    );
  }
  return out;
}

export async function findCluster(executor: Executor, id: string): Promise<ClusterRow | undefined> {
  return t(executor).selectFrom('intake_cluster').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function moveKeys(executor: Executor, keys: readonly string[], into: string): Promise<void> {
  for (let i = 0; i < keys.length; i += CHUNK) {
    await t(executor)
      .updateTable('intake_cluster_key')
      .set({ cluster_id: into })
      .where('key', 'in', keys.slice(i, i + CHUNK).map(clusterKeyBytes))
      .execute();
  }
}

/** A cluster's identity keys, in the order of their text. */
export async function keysOfCluster(executor: Executor, clusterId: string): Promise<ClusterKeyRow[]> {
  const rows = await t(executor).selectFrom('intake_cluster_key').selectAll().where('cluster_id', '=', clusterId).execute();
  return rows.map((r) => ({ ...r, key: clusterKeyOf(r.key) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Recomputes a cluster's summary from its findings: count, distinct reporters, first finding and reporter,
 * union of CWEs and aliases. Keeps the stored values honest after merges, splits and undos.
 */
export async function refreshClusterSummary(executor: Executor, clusterId: string, at: string): Promise<void> {
  const findings = await t(executor)
    .selectFrom('intake_finding')
    .select(['id', 'owner_org_id', 'created_at', 'title', 'target_identity', 'cwes'])
    .where('cluster_id', '=', clusterId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const keys = await keysOfCluster(executor, clusterId);
  const first = findings[0];
  if (first === undefined) {
    await t(executor)
      .updateTable('intake_cluster')
      .set({ finding_count: 0, reporter_count: 0, updated_at: at })
      .where('id', '=', clusterId)
      .execute();
    return;
  }
  const cwes = [...new Set(findings.flatMap((f) => JSON.parse(f.cwes) as string[]))].sort();
  const aliases = keys
    .filter((k) => k.key.startsWith('alias:'))
    .map((k) => k.key.slice('alias:'.length))
    .sort();
  await t(executor)
    .updateTable('intake_cluster')
    .set({
      finding_count: findings.length,
      reporter_count: new Set(findings.map((f) => f.owner_org_id)).size,
      first_finding_id: first.id,
      first_reporter_org_id: first.owner_org_id,
      first_seen_at: first.created_at,
      title: findings.find((f) => f.title !== null)?.title ?? null,
      target_identity: findings.find((f) => f.target_identity !== null)?.target_identity ?? null,
      cwes: JSON.stringify(cwes),
      aliases: JSON.stringify(aliases),
      updated_at: at,
    })
    .where('id', '=', clusterId)
    .execute();
}

/**
 * Grows existing clusters by a batch, a few statements for all of them: `finding_count += n` and, for clusters
 * the batch's organisation had not reported into, `reporter_count += 1`, joined to a VALUES list (a CASE arm per
 * cluster made each row's update walk every arm: 10 ms per 1,000-finding submission, issue 14).
 */
export async function growClusterCounts(
  executor: Executor,
  caps: DialectCapabilities,
  growth: ReadonlyMap<string, { findings: number; newReporter: boolean }>,
  at: string,
): Promise<void> {
  for (const statement of growClusterCountsStatements(caps, growth, at)) await executor.executeQuery(statement);
}

/** {@link growClusterCounts}'s statements, for `writeTogether`. None for no clusters. */
export function growClusterCountsStatements(
  caps: DialectCapabilities,
  growth: ReadonlyMap<string, { findings: number; newReporter: boolean }>,
  at: string,
): CompiledQuery[] {
  const entries = [...growth];
  if (entries.length === 0) return [];
  const set = `finding_count = finding_count + v.column2, reporter_count = reporter_count + v.column3, updated_at = ${caps.placeholder(1)}`;
  if (caps.listsAsArrays) {
    // One array per column: a join PostgreSQL plans as index probes, where a VALUES list of 500 rows was planned
    // from statistics (issue 14).
    const text = `update intake_cluster set ${set} from unnest($2::text[], $3::integer[], $4::integer[]) as v(column1, column2, column3) where intake_cluster.id = v.column1`;
    const columns = [entries.map(([id]) => id), entries.map(([, g]) => g.findings), entries.map(([, g]) => (g.newReporter ? 1 : 0))];
    return [CompiledQuery.raw(text, [at, ...columns])];
  }
  const out: CompiledQuery[] = [];
  for (const [start, size] of chunkSizes(entries.length, CHUNK, caps.reusesPreparedStatements)) {
    const parameters: unknown[] = [at];
    const tuples: string[] = [];
    for (const [id, { findings, newReporter }] of entries.slice(start, start + size)) {
      parameters.push(id, findings, newReporter ? 1 : 0);
      const n = parameters.length;
      tuples.push(`(${caps.placeholder(n - 2)}, cast(${caps.placeholder(n - 1)} as integer), cast(${caps.placeholder(n)} as integer))`);
    }
    const text = `update intake_cluster set ${set} from (values ${tuples.join(', ')}) as v where intake_cluster.id = v.column1`;
    out.push(CompiledQuery.raw(text, parameters));
  }
  return out;
}

/** Replaces the CWE and alias labels of clusters whose labels a batch extended (a rare, per-row update). */
export async function relabelClusters(
  executor: Executor,
  labels: ReadonlyMap<string, { cwes: readonly string[]; aliases: readonly string[] }>,
): Promise<void> {
  for (const [id, label] of labels) {
    await t(executor)
      .updateTable('intake_cluster')
      .set({ cwes: JSON.stringify(label.cwes), aliases: JSON.stringify(label.aliases) })
      .where('id', '=', id)
      .execute();
  }
}

export async function setClusterState(executor: Executor, clusterId: string, state: string, at: string): Promise<void> {
  await t(executor).updateTable('intake_cluster').set({ state, updated_at: at }).where('id', '=', clusterId).execute();
}

/** Points a cluster at the one it was merged into (or, with null, at none again). */
export async function setMergedInto(executor: Executor, clusterId: string, mergedInto: string | null, at: string): Promise<void> {
  await t(executor).updateTable('intake_cluster').set({ merged_into: mergedInto, updated_at: at }).where('id', '=', clusterId).execute();
}

/** A cluster folded into another by a submission's findings: it points at its survivor and holds no reports. */
export async function markMergedAway(executor: Executor, clusterId: string, into: string, at: string): Promise<void> {
  await t(executor)
    .updateTable('intake_cluster')
    .set({ merged_into: into, finding_count: 0, updated_at: at })
    .where('id', '=', clusterId)
    .execute();
}

/** Forgets these identity keys, in chunks. */
export async function deleteClusterKeys(executor: Executor, keys: readonly string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += CHUNK)
    await t(executor)
      .deleteFrom('intake_cluster_key')
      .where('key', 'in', keys.slice(i, i + CHUNK).map(clusterKeyBytes))
      .execute();
}
