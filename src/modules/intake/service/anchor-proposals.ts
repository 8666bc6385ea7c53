import { chunks, type DialectCapabilities, type Executor } from '../../../platform/db/index.js';
import { newId } from '../../../platform/ids.js';
import { anchorProposalPairs, type DedupPlan } from '../domain/index.js';
import * as store from '../store/index.js';
import { restoreFinding } from '../domain/finding-json.js';

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
  rows: readonly store.FindingRow[],
  at: string,
): Promise<number> {
  await store.insertAnchors(
    trx,
    caps,
    plan.newAnchors.map((a) => ({ key: a.key, level: a.level, finding_id: a.findingKey, created_at: at })),
  );
  if (plan.proposals.length === 0) return 0;
  const byKey = new Map(rows.map((row) => [row.id, row]));
  // Only a proposal's reason reads the whole finding: restored from its stored JSON.
  const proposals = plan.proposals.flatMap((proposal) => {
    const row = byKey.get(proposal.findingKey);
    return anchorProposalPairs(proposal, row === undefined ? undefined : restoreFinding(row.data));
  });
  return proposeCandidates(trx, caps, proposals, at);
}

/** A near-duplicate proposal of two clusters, in either order. */
export interface CandidateProposal {
  readonly pair: readonly [string, string];
  readonly similarity: number;
  readonly reason: string;
}

/**
 * Proposes near-duplicate pairs of clusters: each pair (sorted by id) once, the first proposal of it winning,
 * pairs proposed before left as they are. One lookup and one multi-row insert per 500 pairs. Returns how many
 * pairs are new: exact when the caller holds the dedup lock (submissions do); the near-duplicate job does not,
 * and may count a pair that another process proposed at the same moment. Never an error when a concurrent
 * writer got there first.
 */
export async function proposeCandidates(
  trx: Executor,
  caps: DialectCapabilities,
  proposals: readonly CandidateProposal[],
  at: string,
): Promise<number> {
  const wanted = new Map<string, CandidateProposal & { pair: [string, string] }>();
  for (const proposal of proposals) {
    const pair = [...proposal.pair].sort() as [string, string];
    const key = `${pair[0]} ${pair[1]}`;
    if (!wanted.has(key)) wanted.set(key, { ...proposal, pair });
  }
  let proposed = 0;
  for (const chunk of chunks([...wanted.values()])) {
    const known = await store.knownCandidatePairs(
      trx,
      [...new Set(chunk.map((p) => p.pair[0]))],
      [...new Set(chunk.map((p) => p.pair[1]))],
    );
    const before = new Set(known.map((k) => `${k.cluster_id} ${k.other_cluster_id}`));
    const fresh = chunk.filter((p) => !before.has(`${p.pair[0]} ${p.pair[1]}`));
    await store.insertCandidates(
      trx,
      caps,
      fresh.map((p) => ({
        id: newId('cnd'),
        cluster_id: p.pair[0],
        other_cluster_id: p.pair[1],
        similarity: p.similarity,
        reason: p.reason,
        status: 'proposed',
        created_at: at,
        decided_at: null,
        decided_by: null,
      })),
    );
    proposed += fresh.length;
  }
  return proposed;
}
