import { paginate, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { governance, type PendingBlobRow, type PurgeRunRow, type TombstoneRow } from './tables.js';

export async function insertRun(executor: Executor, row: PurgeRunRow): Promise<void> {
  await governance(executor).insertInto('governance_purge_run').values(row).execute();
}

export async function finishRun(
  executor: Executor,
  id: string,
  totals: { purged: number; held: number; blobsDeleted: number; finishedAt: string },
): Promise<void> {
  await governance(executor)
    .updateTable('governance_purge_run')
    .set({ purged: totals.purged, held: totals.held, blobs_deleted: totals.blobsDeleted, finished_at: totals.finishedAt })
    .where('id', '=', id)
    .execute();
}

export async function findRun(executor: Executor, id: string): Promise<PurgeRunRow | undefined> {
  return governance(executor).selectFrom('governance_purge_run').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listRunRows(executor: Executor, request: PageRequest): Promise<Page<PurgeRunRow>> {
  return paginate(governance(executor).selectFrom('governance_purge_run').selectAll(), request, {
    sort: 'governance_purge_run.started_at',
    id: 'governance_purge_run.id',
    sortOf: (r) => r.started_at,
    idOf: (r) => r.id,
    direction: 'desc',
  });
}

/**
 * Writes tombstones for records just deleted and answers the ids it wrote: a record another purge
 * tombstoned already (two runs racing) is not written twice, and gets no second audit event.
 */
export async function insertTombstones(executor: Executor, rows: readonly TombstoneRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const written = await governance(executor)
    .insertInto('governance_tombstone')
    .values([...rows])
    .onConflict((oc) => oc.column('record_id').doNothing())
    .returning('record_id')
    .execute();
  return new Set(written.map((r) => r.record_id));
}

export async function findTombstone(executor: Executor, recordId: string): Promise<TombstoneRow | undefined> {
  return governance(executor).selectFrom('governance_tombstone').selectAll().where('record_id', '=', recordId).executeTakeFirst();
}

export async function listTombstoneRows(
  executor: Executor,
  request: PageRequest & { orgId?: string | undefined; dataClass?: string | undefined },
): Promise<Page<TombstoneRow>> {
  let query = governance(executor).selectFrom('governance_tombstone').selectAll();
  if (request.orgId !== undefined) query = query.where('owner_org_id', '=', request.orgId);
  if (request.dataClass !== undefined) query = query.where('data_class', '=', request.dataClass);
  return paginate(query, request, {
    sort: 'governance_tombstone.purged_at',
    id: 'governance_tombstone.record_id',
    sortOf: (r) => r.purged_at,
    idOf: (r) => r.record_id,
    direction: 'desc',
  });
}

export async function addPendingBlobs(executor: Executor, rows: readonly PendingBlobRow[]): Promise<void> {
  if (rows.length === 0) return;
  await governance(executor)
    .insertInto('governance_pending_blob')
    .values([...rows])
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
}

export async function pendingBlobs(executor: Executor, limit: number): Promise<PendingBlobRow[]> {
  return governance(executor).selectFrom('governance_pending_blob').selectAll().orderBy('sha256').limit(limit).execute();
}

export async function removePendingBlobs(executor: Executor, sha256s: readonly string[]): Promise<void> {
  if (sha256s.length === 0) return;
  await governance(executor)
    .deleteFrom('governance_pending_blob')
    .where('sha256', 'in', [...sha256s])
    .execute();
}
