import type { Actor } from '../../../platform/actor.js';
import type { DialectCapabilities, Executor } from '../../../platform/db/index.js';
import type { FindingOutcome } from '../presenters.js';
import * as store from '../store/index.js';
import { findingVisibility } from './access.js';

function outcome(
  row: Pick<store.FindingRow, 'ref' | 'product_id' | 'outcome' | 'cluster_id'>,
  first: { firstSeenAt: string; visible: boolean } | undefined,
): FindingOutcome {
  const hidden = first?.visible !== true;
  return {
    ref: row.ref,
    productId: row.product_id,
    outcome: row.outcome,
    clusterId: row.cluster_id,
    firstSeenAt: hidden ? null : (first?.firstSeenAt ?? null),
    firstReportHidden: hidden,
  };
}

/** A stored submission's outcomes as `actor` is told them, in submission order, read back from the database. */
export async function storedOutcomes(executor: Executor, actor: Actor, submissionId: string): Promise<FindingOutcome[]> {
  const rows = await store.outcomeRowsOfSubmission(executor, findingVisibility(actor), submissionId);
  return rows.map((r) => outcome(r, { firstSeenAt: r.first_seen_at, visible: Number(r.first_visible) === 1 }));
}

/**
 * The outcomes of findings just stored, as `actor` (their submitter) is told them, in submission order,
 * without reading them back: a new cluster's first report is the finding itself; the first reports of the
 * clusters that grew came with the batch's other reads of them (`known`, applyPlan's); those of clusters merged
 * into, recomputed by the batch, are read once per cluster. Run in the transaction that stored them.
 */
export async function outcomesOf(
  trx: Executor,
  caps: DialectCapabilities,
  actor: Actor,
  rows: readonly store.FindingRow[],
  known: ReadonlyMap<string, { firstSeenAt: string; visible: boolean }>,
): Promise<FindingOutcome[]> {
  const unknown = [...new Set(rows.filter((r) => r.outcome !== 'new' && !known.has(r.cluster_id)).map((r) => r.cluster_id))];
  const firsts = new Map(known);
  if (unknown.length > 0)
    for (const c of await store.firstReportsOf(trx, caps, findingVisibility(actor), unknown))
      firsts.set(c.id, { firstSeenAt: c.first_seen_at, visible: Number(c.first_visible) === 1 });
  return [...rows]
    .sort((a, b) => a.position - b.position)
    .map((r) => outcome(r, r.outcome === 'new' ? { firstSeenAt: r.created_at, visible: true } : firsts.get(r.cluster_id)));
}
