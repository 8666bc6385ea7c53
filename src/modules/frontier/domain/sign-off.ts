import { ConflictError, InputError } from '../../../platform/errors.js';
import type { PartnerScore } from './partner-scoring.js';

/**
 * Joint selection of trusted partners: a candidate is selected for a model only when the developer and a
 * government approver (an agency or the coordinator) have both signed off — two sign-offs from two
 * different organisations, one per side.
 */
export type SignOffSide = 'developer' | 'government';

/** A nomination stays `nominated` until both sides have signed off, then it is `selected`. */
export const NOMINATION_STATUSES = ['nominated', 'selected'] as const;
export type NominationStatus = (typeof NOMINATION_STATUSES)[number];

export interface SignOff {
  readonly orgId: string;
  readonly side: SignOffSide;
}

/** The side an organisation signs for: the model's developer, or government; null for anyone else. */
export function sideOf(org: { id: string; kind: string }, developerOrgId: string): SignOffSide | null {
  if (org.id === developerOrgId) return 'developer';
  return org.kind === 'agency' || org.kind === 'coordinator' ? 'government' : null;
}

/**
 * Checks one more sign-off and says whether it completes the selection. Throws ConflictError when the
 * organisation signed already or its side is taken, and a 422 InputError when the candidate does not
 * meet the policy (hard requirements, minimum score) — stating the policy version.
 */
export function addSignOff(existing: readonly SignOff[], next: SignOff, score: PartnerScore): { readonly selected: boolean } {
  if (existing.some((s) => s.orgId === next.orgId)) {
    throw new ConflictError(
      'your organisation has signed off on this candidate already; the second sign-off must come from the other side',
      {
        code: 'same-org-sign-off',
      },
    );
  }
  if (existing.some((s) => s.side === next.side)) {
    throw new ConflictError(`the ${next.side} side has signed off already; the other side's sign-off is still needed`, {
      code: 'side-signed-already',
    });
  }
  const unmet = score.requirements.filter((r) => !r.met);
  if (unmet.length > 0) {
    throw new InputError(
      `the candidate does not meet the hard requirements of frontier policy version ${score.policyVersion}: ${unmet.map((r) => `${r.key} (${r.explanation})`).join('; ')}`,
      unmet.map((r) => ({ pointer: `/requirements/${r.key}`, detail: r.explanation })),
      { code: 'unprocessable' },
    );
  }
  if (!score.meetsMinimum) {
    throw new InputError(
      `the candidate scores ${score.score}, below the minimum of ${score.minimumScore} in frontier policy version ${score.policyVersion}`,
      [{ pointer: '/score', detail: `must be at least ${score.minimumScore} (policy version ${score.policyVersion})` }],
      { code: 'unprocessable' },
    );
  }
  const sides = new Set([...existing.map((s) => s.side), next.side]);
  return { selected: sides.has('developer') && sides.has('government') };
}
