import type { DialectCapabilities, Executor } from '../../../platform/db/index.js';
import { newId } from '../../../platform/ids.js';
import type { AnchorLevel, DedupPlan } from '../domain/index.js';
import * as store from '../store.js';
import { insertAnchors } from '../store/anchors.js';
import type { PendingFinding } from './apply-plan.js';

/** The score of a proposal made on a shared anchor: below an exact match, above most text-only proposals. */
export const ANCHOR_PROPOSAL_SIMILARITY = 0.9;

const LEVEL_WORDS: Record<AnchorLevel, string> = {
  'line-hash': 'line hash',
  function: 'function',
  symbol: 'symbol',
  snippet: 'code snippet',
};

/**
 * Stores what a dedup plan learnt about anchors: the anchor keys of the findings that opened or joined a
 * cluster on them, and a near-duplicate proposal for each finding that met several clusters on a coarser
 * anchor with nothing finer to choose between them. Runs in the caller's transaction; a pair proposed
 * before is left as it is.
 */
export async function recordAnchors(
  trx: Executor,
  caps: DialectCapabilities,
  plan: DedupPlan,
  pending: readonly PendingFinding[],
  at: string,
): Promise<number> {
  await insertAnchors(
    trx,
    caps,
    plan.newAnchors.map((a) => ({ key: a.key, level: a.level, finding_id: a.findingKey, created_at: at })),
  );
  const byKey = new Map(pending.map((p) => [p.row.id, p]));
  let proposed = 0;
  for (const proposal of plan.proposals) {
    const finding = byKey.get(proposal.findingKey)?.finding;
    const location = finding?.locations[0];
    const reason = [
      `same target ${finding?.targets[0]?.identity ?? 'unknown'}`,
      `same file ${location?.path ?? 'unknown'} and ${LEVEL_WORDS[proposal.level]}`,
      `${proposal.others.length} clusters share that anchor and the report has no finer one to tell them apart`,
    ].join('; ');
    for (const other of proposal.others)
      if (await proposeCandidate(trx, [proposal.clusterId, other], ANCHOR_PROPOSAL_SIMILARITY, reason, at)) proposed += 1;
  }
  return proposed;
}

/** Proposes two clusters as near duplicates (the older first), unless the pair was proposed before. True when new. */
export async function proposeCandidate(
  trx: Executor,
  pair: readonly [string, string],
  similarity: number,
  reason: string,
  at: string,
): Promise<boolean> {
  const [one, two] = [...pair].sort() as [string, string];
  const inserted = await store
    .t(trx)
    .insertInto('intake_candidate')
    .values({
      id: newId('cnd'),
      cluster_id: one,
      other_cluster_id: two,
      similarity,
      reason,
      status: 'proposed',
      created_at: at,
      decided_at: null,
      decided_by: null,
    })
    .onConflict((oc) => oc.columns(['cluster_id', 'other_cluster_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}
