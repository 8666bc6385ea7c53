import { sql, type CompiledQuery } from 'kysely';
import type { DialectCapabilities, Executor } from '../../../platform/db/index.js';
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
export async function appendChange(
  executor: Executor,
  caps: DialectCapabilities,
  kind: ChangeRow['kind'],
  subjectId: string,
  at: string,
): Promise<number> {
  const seqs = await appendChanges(executor, caps, [{ kind, subject_id: subjectId, at }]);
  return seqs?.first ?? 0;
}

/**
 * {@link appendChange} for several subjects at once, in order, in one statement per 500 that numbers them
 * after the newest itself: under the inventory lock every process's uploads and imports wait for, a
 * separate read of the newest number cost a round trip (issue 20). Returns the first and last sequence
 * numbers given (none for none).
 */
export async function appendChanges(
  executor: Executor,
  caps: DialectCapabilities,
  changes: readonly Pick<ChangeRow, 'kind' | 'subject_id' | 'at'>[],
): Promise<{ first: number; last: number } | undefined> {
  if (changes.length === 0) return undefined;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (let i = 0; i < changes.length; i += 500) {
    const { rows } = await executor.executeQuery(appendChangesStatement(executor, caps, changes.slice(i, i + 500)));
    const range = seqRange(rows);
    first = Math.min(first, range.first);
    last = Math.max(last, range.last);
  }
  return { first, last };
}

/**
 * {@link appendChanges} of at most 500 as one statement, for `writeTogether` with the writes they log: its
 * rows are the sequence numbers given (read them with {@link seqRange}).
 */
export function appendChangesStatement(
  executor: Executor,
  caps: DialectCapabilities,
  changes: readonly Pick<ChangeRow, 'kind' | 'subject_id' | 'at'>[],
): CompiledQuery<{ seq: number | string }> {
  if (changes.length === 0 || changes.length > 500) throw new RangeError(`one statement appends 1 to 500 changes, not ${changes.length}`);
  // The first row's casts type the VALUES columns on PostgreSQL, where parameters are otherwise text.
  const bigint = sql.raw(caps.types.bigint);
  const timestamp = sql.raw(caps.types.timestamp);
  const rows = changes.map((c, j) => sql`(cast(${j + 1} as ${bigint}), ${c.kind}, ${c.subject_id}, cast(${c.at} as ${timestamp}))`);
  return sql<{ seq: number | string }>`
    insert into inventory_change (seq, kind, subject_id, at)
    select newest.seq + v.column1, v.column2, v.column3, v.column4
    from (select coalesce(max(seq), 0) as seq from inventory_change) as newest, (values ${sql.join(rows)}) as v
    returning seq`.compile(executor);
}

/** The first and last sequence numbers of the rows an append returned. */
export function seqRange(rows: readonly { seq: number | string }[]): { first: number; last: number } {
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const row of rows) {
    first = Math.min(first, Number(row.seq));
    last = Math.max(last, Number(row.seq));
  }
  return { first, last };
}

/** Changes after `seq`, oldest first, at most `limit`. */
export async function changesAfter(executor: Executor, seq: number, limit: number): Promise<ChangeRow[]> {
  const rows = await t(executor).selectFrom('inventory_change').selectAll().where('seq', '>', seq).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}
