import { sql } from 'kysely';
import { chunks, type Executor } from '../../../platform/db/index.js';
import { t } from './tables.js';

/** A finding whose fingerprint is of an older version, with what re-deriving it reads. */
export interface StaleRow {
  id: string;
  cluster_id: string;
  fingerprint: string;
  data: string;
  ref: string;
  /** Its submission's warnings (JSON). */
  warnings: string;
}

/** Up to `limit` findings after `afterId` (in id order) whose fingerprint is not of the current version (`currentPrefix`). */
export function staleFindings(executor: Executor, currentPrefix: string, afterId: string, limit: number): Promise<StaleRow[]> {
  return t(executor)
    .selectFrom('intake_finding as f')
    .innerJoin('intake_submission as s', 's.id', 'f.submission_id')
    .select(['f.id', 'f.cluster_id', 'f.fingerprint', 'f.data', 'f.ref', 's.warnings'])
    .where('f.id', '>', afterId)
    .where('f.fingerprint', 'like', 'fp%:%')
    .where('f.fingerprint', 'not like', `${currentPrefix}%`)
    .orderBy('f.id')
    .limit(limit)
    .execute();
}

/** `when <id> then <value>` for each row: the arms of a CASE on the id. */
const arms = <R extends { id: string }>(rows: readonly R[], value: (row: R) => string) =>
  sql.join(
    rows.map((r) => sql`when ${r.id} then ${value(r)}`),
    sql` `,
  );

/** Each finding's new fingerprint (and path-corrected data, where it changed), in one statement per 250 findings. */
export async function setFingerprints(
  executor: Executor,
  updates: readonly { id: string; fingerprint: string; data: string | null }[],
): Promise<void> {
  for (const chunk of chunks(updates, 250)) {
    const moved = chunk.flatMap((u) => (u.data === null ? [] : [{ id: u.id, data: u.data }]));
    const fingerprint = sql<string>`case id ${arms(chunk, (u) => u.fingerprint)} end`;
    const data = sql<string>`case id ${arms(moved, (u) => u.data)} else data end`;
    await t(executor)
      .updateTable('intake_finding')
      .set(moved.length === 0 ? { fingerprint } : { fingerprint, data })
      .where(
        'id',
        'in',
        chunk.map((u) => u.id),
      )
      .execute();
  }
}
