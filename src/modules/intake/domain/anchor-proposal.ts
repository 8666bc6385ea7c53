import type { AnchorProposal } from './assign-clusters.js';
import type { AnchorLevel } from './fingerprint.js';
import type { Finding } from './finding.js';

/** The score of a proposal made on a shared anchor: below an exact match, above most text-only proposals. */
export const ANCHOR_PROPOSAL_SIMILARITY = 0.9;

const LEVEL_WORDS: Record<AnchorLevel, string> = {
  'line-hash': 'line hash',
  function: 'function',
  symbol: 'symbol',
  snippet: 'code snippet',
};

/**
 * The cluster pairs a finding that met several clusters on a coarser anchor is proposed in (its own cluster
 * with each it matched), with the reason a coordinator reads: the server stores them as near-duplicate
 * candidates, the offline `dedup` prints them.
 */
export function anchorProposalPairs(
  proposal: AnchorProposal,
  finding: Pick<Finding, 'targets' | 'locations'> | undefined,
): { readonly pair: readonly [string, string]; readonly similarity: number; readonly reason: string }[] {
  const location = finding?.locations[0];
  const reason = [
    `same target ${finding?.targets[0]?.identity ?? 'unknown'}`,
    `same file ${location?.path ?? 'unknown'} and ${LEVEL_WORDS[proposal.level]}`,
    `${proposal.others.length} clusters share that anchor and the report has no finer one to tell them apart`,
  ].join('; ');
  return proposal.others.map((other) => ({ pair: [proposal.clusterId, other] as const, similarity: ANCHOR_PROPOSAL_SIMILARITY, reason }));
}
