import type { Expression, SqlBool } from 'kysely';
import { insertMany, type DialectCapabilities, type Executor } from '../../../platform/db/index.js';
import { appendTo } from '../../../platform/collections.js';
import { chunks, t, type AttemptRow, type EvidenceRow, type WorkRow } from './tables.js';

export async function openWork(executor: Executor, clusterId: string): Promise<WorkRow[]> {
  return t(executor)
    .selectFrom('validation_work')
    .selectAll()
    .where('cluster_id', '=', clusterId)
    .where('closed_at', 'is', null)
    .orderBy('seq')
    .execute();
}

/** {@link openWork} of many clusters in a few statements, by cluster. */
export async function openWorks(executor: Executor, clusterIds: readonly string[]): Promise<Map<string, WorkRow[]>> {
  const out = new Map<string, WorkRow[]>();
  for (const ids of chunks(clusterIds)) {
    const rows = await t(executor)
      .selectFrom('validation_work')
      .selectAll()
      .where('cluster_id', 'in', ids)
      .where('closed_at', 'is', null)
      .orderBy('cluster_id')
      .orderBy('seq')
      .execute();
    for (const row of rows) appendTo(out, row.cluster_id, row);
  }
  return out;
}

/** The highest slot number of each of these clusters that ever had one. */
export async function lastWorkSeqs(executor: Executor, clusterIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const ids of chunks(clusterIds)) {
    const rows = await t(executor)
      .selectFrom('validation_work')
      .select(['cluster_id', (eb) => eb.fn.max('seq').as('seq')])
      .where('cluster_id', 'in', ids)
      .groupBy('cluster_id')
      .execute();
    for (const row of rows) out.set(row.cluster_id, Number(row.seq));
  }
  return out;
}

export async function findWork(executor: Executor, jobId: string): Promise<WorkRow | undefined> {
  return t(executor).selectFrom('validation_work').selectAll().where('job_id', '=', jobId).executeTakeFirst();
}

export async function updateWork(executor: Executor, jobId: string, patch: Partial<Omit<WorkRow, 'job_id'>>): Promise<void> {
  await t(executor).updateTable('validation_work').set(patch).where('job_id', '=', jobId).execute();
}

/** Work an organisation holds a live lease on, soonest expiry first. */
export async function workClaimedBy(executor: Executor, orgId: string, now: string): Promise<WorkRow[]> {
  return t(executor)
    .selectFrom('validation_work')
    .selectAll()
    .where('claimed_org_id', '=', orgId)
    .where('closed_at', 'is', null)
    .where('lease_expires_at', '>', now)
    .orderBy('lease_expires_at')
    .orderBy('job_id')
    .execute();
}

export async function insertAttempt(executor: Executor, row: AttemptRow): Promise<void> {
  await t(executor).insertInto('validation_attempt').values(row).execute();
}

export async function attemptsOf(executor: Executor, clusterId: string): Promise<AttemptRow[]> {
  return t(executor)
    .selectFrom('validation_attempt')
    .selectAll()
    .where('cluster_id', '=', clusterId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function findAttempt(executor: Executor, id: string): Promise<AttemptRow | undefined> {
  return t(executor).selectFrom('validation_attempt').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertEvidence(executor: Executor, row: EvidenceRow): Promise<void> {
  await t(executor).insertInto('validation_evidence').values(row).execute();
}

/** A cluster's evidence that `readable` admits (the reader's labels), at most 500, in id order. */
export async function evidenceOfCluster(executor: Executor, clusterId: string, readable: Expression<SqlBool>): Promise<EvidenceRow[]> {
  return t(executor)
    .selectFrom('validation_evidence as e')
    .selectAll('e')
    .where('e.cluster_id', '=', clusterId)
    .where(readable)
    .orderBy('e.id')
    .limit(500)
    .execute();
}

export async function findEvidence(executor: Executor, id: string): Promise<EvidenceRow | undefined> {
  return t(executor).selectFrom('validation_evidence').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Of these clusters, those with any validation attempt recorded (all others have no confirmation). */
export async function clustersWithAttempts(executor: Executor, clusterIds: readonly string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < clusterIds.length; i += 500) {
    const rows = await t(executor)
      .selectFrom('validation_attempt')
      .select('cluster_id')
      .distinct()
      .where('cluster_id', 'in', clusterIds.slice(i, i + 500))
      .execute();
    for (const row of rows) out.add(row.cluster_id);
  }
  return out;
}

const WORK_COLUMNS = [
  'job_id',
  'cluster_id',
  'seq',
  'opened_at',
  'closed_at',
  'claimed_org_id',
  'claimed_user_id',
  'claimed_at',
  'lease_expires_at',
  'attempt_id',
] as const;

export async function insertWorks(executor: Executor, caps: DialectCapabilities, rows: readonly WorkRow[]): Promise<void> {
  await insertMany(
    executor,
    caps,
    'validation_work',
    WORK_COLUMNS,
    rows.map((r) => WORK_COLUMNS.map((c) => r[c])),
  );
}
