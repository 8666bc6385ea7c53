import { CompiledQuery, type Kysely } from 'kysely';
import { insertMany, tables, type DialectCapabilities, type Executor } from '../../platform/db/index.js';

export interface SubmissionRow {
  id: string;
  owner_org_id: string;
  created_by: string | null;
  tlp: string;
  sha256: string;
  size: number;
  filename: string | null;
  format: string;
  format_version: string | null;
  document_id: string | null;
  campaign_id: string | null;
  /** JSON: the recipients named at submission (`RecipientInput`). */
  recipients: string;
  status: 'received' | 'processed' | 'failed' | 'statements';
  finding_count: number;
  /** JSON array of FieldIssue. */
  warnings: string;
  error: string | null;
  created_at: string;
  processed_at: string | null;
}

export interface ClusterRow {
  id: string;
  title: string | null;
  target_identity: string | null;
  /** JSON array of CWE ids. */
  cwes: string;
  /** JSON array of vulnerability ids. */
  aliases: string;
  first_finding_id: string;
  first_reporter_org_id: string;
  first_seen_at: string;
  finding_count: number;
  reporter_count: number;
  state: string;
  merged_into: string | null;
  created_at: string;
  updated_at: string;
}

export interface FindingRow {
  id: string;
  submission_id: string;
  position: number;
  ref: string;
  product_id: string | null;
  owner_org_id: string;
  created_by: string | null;
  tlp: string;
  cluster_id: string;
  outcome: 'new' | 'duplicate';
  fingerprint: string;
  format: string;
  title: string | null;
  target_identity: string | null;
  cwes: string;
  tool: string | null;
  model: string | null;
  ai_generated: number | null;
  near_dup_indexed: number;
  /** JSON: the normalized Finding. */
  data: string;
  created_at: string;
}

export interface ClusterKeyRow {
  key: string;
  cluster_id: string;
  kind: string;
  finding_id: string;
  created_at: string;
}

export interface LshRow {
  bucket: string;
  finding_id: string;
  cluster_id: string;
}

export interface CandidateRow {
  id: string;
  cluster_id: string;
  other_cluster_id: string;
  similarity: number;
  reason: string;
  status: 'proposed' | 'merged' | 'dismissed';
  created_at: string;
  decided_at: string | null;
  decided_by: string | null;
}

export interface RegroupRow {
  id: string;
  kind: 'merge' | 'split' | 'auto-merge';
  from_cluster_id: string;
  into_cluster_id: string;
  finding_ids: string;
  key_names: string;
  reason: string;
  actor: string;
  created_at: string;
  undone_at: string | null;
}

export interface IntakeTables {
  intake_submission: SubmissionRow;
  intake_cluster: ClusterRow;
  intake_finding: FindingRow;
  intake_cluster_key: ClusterKeyRow;
  intake_lsh: LshRow;
  intake_candidate: CandidateRow;
  intake_regroup: RegroupRow;
}

export const t = (executor: Executor): Kysely<IntakeTables> => tables<IntakeTables>(executor);

/** Ids per `IN (…)` list: well under every database's bound-parameter limit. */
const CHUNK = 500;

/** Inserts rows of a table in bulk, columns in the order of the row type's first row. */
async function insertRows<T extends keyof IntakeTables>(
  executor: Executor,
  caps: DialectCapabilities,
  table: T,
  rows: readonly IntakeTables[T][],
): Promise<void> {
  const first = rows[0];
  if (first === undefined) return;
  const columns = Object.keys(first) as (keyof IntakeTables[T] & string)[];
  await insertMany(
    executor,
    caps,
    table,
    columns,
    rows.map((row) => columns.map((c) => row[c])),
  );
}

export async function findSubmissionBySha(executor: Executor, ownerOrgId: string, sha256: string): Promise<SubmissionRow | undefined> {
  return t(executor)
    .selectFrom('intake_submission')
    .selectAll()
    .where('owner_org_id', '=', ownerOrgId)
    .where('sha256', '=', sha256)
    .executeTakeFirst();
}

export async function findSubmission(executor: Executor, id: string): Promise<SubmissionRow | undefined> {
  return t(executor).selectFrom('intake_submission').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertSubmission(executor: Executor, row: SubmissionRow): Promise<void> {
  await t(executor).insertInto('intake_submission').values(row).execute();
}

export async function markSubmissionProcessed(executor: Executor, id: string, at: string, findingCount: number): Promise<void> {
  await t(executor)
    .updateTable('intake_submission')
    .set({ status: 'processed', processed_at: at, finding_count: findingCount })
    .where('id', '=', id)
    .execute();
}

/** The clusters holding these identity keys, looked up in chunks. */
export async function clustersOfKeys(executor: Executor, keys: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let i = 0; i < keys.length; i += CHUNK) {
    const rows = await t(executor)
      .selectFrom('intake_cluster_key')
      .select(['key', 'cluster_id'])
      .where('key', 'in', keys.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) out.set(row.key, row.cluster_id);
  }
  return out;
}

export const insertClusters = (executor: Executor, caps: DialectCapabilities, rows: readonly ClusterRow[]) =>
  insertRows(executor, caps, 'intake_cluster', rows);
export const insertFindings = (executor: Executor, caps: DialectCapabilities, rows: readonly FindingRow[]) =>
  insertRows(executor, caps, 'intake_finding', rows);
export const insertClusterKeys = (executor: Executor, caps: DialectCapabilities, rows: readonly ClusterKeyRow[]) =>
  insertRows(executor, caps, 'intake_cluster_key', rows);
export const insertLsh = (executor: Executor, caps: DialectCapabilities, rows: readonly LshRow[]) =>
  insertRows(executor, caps, 'intake_lsh', rows);

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

export async function moveKeys(executor: Executor, keys: readonly string[], into: string): Promise<void> {
  for (let i = 0; i < keys.length; i += CHUNK) {
    await t(executor)
      .updateTable('intake_cluster_key')
      .set({ cluster_id: into })
      .where('key', 'in', keys.slice(i, i + CHUNK))
      .execute();
  }
}

export async function findingIdsOfCluster(executor: Executor, clusterId: string): Promise<string[]> {
  return (await t(executor).selectFrom('intake_finding').select('id').where('cluster_id', '=', clusterId).orderBy('id').execute()).map(
    (r) => r.id,
  );
}

export async function keysOfCluster(executor: Executor, clusterId: string): Promise<ClusterKeyRow[]> {
  return t(executor).selectFrom('intake_cluster_key').selectAll().where('cluster_id', '=', clusterId).orderBy('key').execute();
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
    .filter((k) => k.kind === 'alias')
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

/** Of these clusters, the ones this organisation had reported into before this submission. */
export async function clustersReportedBy(
  executor: Executor,
  clusterIds: readonly string[],
  orgId: string,
  exceptSubmission: string,
): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < clusterIds.length; i += CHUNK) {
    const rows = await t(executor)
      .selectFrom('intake_finding')
      .select('cluster_id')
      .distinct()
      .where('cluster_id', 'in', clusterIds.slice(i, i + CHUNK))
      .where('owner_org_id', '=', orgId)
      .where('submission_id', '<>', exceptSubmission)
      .execute();
    for (const row of rows) out.add(row.cluster_id);
  }
  return out;
}

/**
 * Grows existing clusters by a batch in one statement per chunk: `finding_count += n` and, for clusters
 * the batch's organisation had not reported into, `reporter_count += 1`. Built directly (CASE per id)
 * because thousands of single-row updates cost more than the work they do.
 */
export async function growClusterCounts(
  executor: Executor,
  caps: DialectCapabilities,
  growth: ReadonlyMap<string, { findings: number; newReporter: boolean }>,
  at: string,
): Promise<void> {
  const ids = [...growth.keys()];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const parameters: unknown[] = [];
    const bind = (value: unknown) => {
      parameters.push(value);
      return caps.placeholder(parameters.length);
    };
    const findings = chunk.map((id) => `when ${bind(id)} then ${bind(growth.get(id)?.findings ?? 0)}`).join(' ');
    const reporters = chunk
      .filter((id) => growth.get(id)?.newReporter)
      .map((id) => `when ${bind(id)} then 1`)
      .join(' ');
    const text =
      `update intake_cluster set finding_count = finding_count + cast(case id ${findings} else 0 end as integer), ` +
      `reporter_count = reporter_count + ${reporters === '' ? '0' : `(case id ${reporters} else 0 end)`}, updated_at = ${bind(at)} ` +
      `where id in (${chunk.map((id) => bind(id)).join(', ')})`;
    await executor.executeQuery(CompiledQuery.raw(text, parameters));
  }
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
