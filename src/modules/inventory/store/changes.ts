import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/index.js';
import { t, type ChangeRow } from './tables.js';

/** The newest change's sequence number, 0 when there is none. */
export async function lastChangeSeq(executor: Executor): Promise<number> {
  const row = await t(executor)
    .selectFrom('inventory_change')
    .select(sql<number | string | null>`max(seq)`.as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/**
 * Appends a change with the next sequence number. The caller holds the inventory lock (see
 * service/match-lock.ts), so numbers are assigned one at a time and commit in order; the primary key
 * refuses a duplicate if that rule is ever broken.
 */
export async function appendChange(executor: Executor, kind: ChangeRow['kind'], subjectId: string, at: string): Promise<number> {
  const seq = (await lastChangeSeq(executor)) + 1;
  await t(executor).insertInto('inventory_change').values({ seq, kind, subject_id: subjectId, at }).execute();
  return seq;
}

/**
 * {@link appendChange} for several subjects at once, in order, in two statements whatever their number;
 * returns the first and last sequence numbers given (none for none).
 */
export async function appendChanges(
  executor: Executor,
  changes: readonly Pick<ChangeRow, 'kind' | 'subject_id' | 'at'>[],
): Promise<{ first: number; last: number } | undefined> {
  if (changes.length === 0) return undefined;
  const first = (await lastChangeSeq(executor)) + 1;
  for (let i = 0; i < changes.length; i += 500)
    await t(executor)
      .insertInto('inventory_change')
      .values(changes.slice(i, i + 500).map((c, j) => ({ ...c, seq: first + i + j })))
      .execute();
  return { first, last: first + changes.length - 1 };
}

/** Changes after `seq`, oldest first, at most `limit`. */
export async function changesAfter(executor: Executor, seq: number, limit: number): Promise<ChangeRow[]> {
  const rows = await t(executor).selectFrom('inventory_change').selectAll().where('seq', '>', seq).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}
