import type { DialectCapabilities, Executor } from '../../../platform/db/index.js';
import { CHUNK, insertRows, t, type LshRow } from './tables.js';

export const insertLsh = (executor: Executor, caps: DialectCapabilities, rows: readonly LshRow[]) =>
  insertRows(executor, caps, 'intake_lsh', rows);

/** A submission's findings that opened new clusters and are not indexed for near duplicates yet. */
export async function findingsToIndex(
  executor: Executor,
  submissionId: string,
): Promise<{ id: string; cluster_id: string; data: string }[]> {
  return t(executor)
    .selectFrom('intake_finding')
    .select(['id', 'cluster_id', 'data'])
    .where('submission_id', '=', submissionId)
    .where('outcome', '=', 'new')
    .where('near_dup_indexed', '=', 0)
    .execute();
}

/** The indexed findings in these buckets, looked up in chunks. */
export async function lshMembers(executor: Executor, buckets: readonly string[]): Promise<LshRow[]> {
  const out: LshRow[] = [];
  for (let i = 0; i < buckets.length; i += CHUNK)
    out.push(
      ...(await t(executor)
        .selectFrom('intake_lsh')
        .selectAll()
        .where('bucket', 'in', buckets.slice(i, i + CHUNK))
        .execute()),
    );
  return out;
}

/** These findings' clusters and normalized data, looked up in chunks. */
export async function findingSubjects(
  executor: Executor,
  ids: readonly string[],
): Promise<{ id: string; cluster_id: string; data: string }[]> {
  const out: { id: string; cluster_id: string; data: string }[] = [];
  for (let i = 0; i < ids.length; i += CHUNK)
    out.push(
      ...(await t(executor)
        .selectFrom('intake_finding')
        .select(['id', 'cluster_id', 'data'])
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .execute()),
    );
  return out;
}

/** Marks findings indexed for near duplicates, in chunks. */
export async function markNearDuplicateIndexed(executor: Executor, ids: readonly string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK)
    await t(executor)
      .updateTable('intake_finding')
      .set({ near_dup_indexed: 1 })
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .execute();
}
