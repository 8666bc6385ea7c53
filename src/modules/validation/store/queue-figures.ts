import { sql, type Expression, type SqlBool } from 'kysely';
import type { Executor } from '../../../platform/db/index.js';
import type { QueueStay } from '../domain/queue-figures.js';
import { t } from './tables.js';

/**
 * The stays in the queue that touch [start, end): clusters first reported before `end` that had not left
 * `received` before `start`. Active clusters only (a merged cluster's reports count in its survivor);
 * `visible` narrows them to the clusters a reader may count.
 */
export async function queueStays(
  executor: Executor,
  range: { readonly start: string; readonly end: string },
  visible: Expression<SqlBool> | null,
): Promise<QueueStay[]> {
  const left = sql<
    string | null
  >`(select min(vt.at) from validation_transition vt where vt.cluster_id = tr.cluster_id and vt.from_state = 'received')`;
  const rows = await t(executor)
    .selectFrom('validation_triage as tr')
    .select(['tr.first_seen_at', 'tr.verdict', 'tr.decided_at', left.as('left_at')])
    .where('tr.active', '=', 1)
    .where('tr.first_seen_at', '<', range.end)
    .where(
      sql<SqlBool>`not exists (select 1 from validation_transition vt where vt.cluster_id = tr.cluster_id and vt.from_state = 'received' and vt.at < ${range.start})`,
    )
    .$if(visible !== null, (q) => q.where(visible as Expression<SqlBool>))
    .execute();
  return rows.map((r) => ({
    firstSeenAt: r.first_seen_at,
    leftAt: r.left_at === null ? null : new Date(r.left_at).toISOString(),
    validatedAt: r.verdict === 'valid' || r.verdict === 'invalid' ? r.decided_at : null,
  }));
}
