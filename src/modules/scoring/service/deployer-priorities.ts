import type { ServiceContext } from '../../../platform/context.js';
import { authorize } from '../../identity/index.js';
import type { ExposedAsset } from '../domain/exposure.js';
import { decideOperatorPriority, type OperatorPriorityDecision } from '../domain/operator-priority.js';
import type { PriorityExplanation } from '../domain/priority-decision.js';
import { EXPLOITATION, type Automatable, type Exploitation } from '../domain/ssvc-decision-points.js';
import { resolveAssessed, resolveExploitation, type SourcedValue } from '../domain/ssvc-input-sources.js';
import { findDecision, subjectIdsOfCves } from '../store/decisions.js';
import { findKevEntries } from '../store/kev.js';
import { decisionUsableBy } from './access.js';
import { pickKev } from './decision-compute.js';
import { kevEntryOf } from './kev-import.js';
import { policyInForce } from './policy.js';

export interface DeployerPriorityRequest {
  /** The vulnerability's CVE ids (an advisory's aliases; other ids are ignored). */
  readonly cveIds: readonly string[];
  /** The operators' exposed assets to decide for. */
  readonly assets: readonly ExposedAsset[];
}

export interface DeployerPriorities {
  readonly policyVersion: string;
  /** Where Exploitation and Automatable came from: a coordinator decision of a subject naming the CVEs, or the feeds alone. */
  readonly basis: { readonly kind: 'decision'; readonly subjectId: string } | { readonly kind: 'feeds' };
  /** One per asset, in the order given. */
  readonly decisions: OperatorPriorityDecision[];
}

const rank = (e: Exploitation) => EXPLOITATION.values.findIndex((v) => v.value === e);

/**
 * A fact lent to other modules (notify's targeting, an operator's own priorities): SSVC's deployer tree for
 * each exposed asset of a vulnerability — the patch-application priority and the due date from the policy's
 * `deployerDays`, decided now. Exploitation and Automatable are those of the coordinator decision of a
 * subject naming one of the CVEs (the most exploited, when several do), so that both trees stand on the same
 * evidence — only of subjects whose every report the caller may see ({@link decisionUsableBy}): a decision of
 * a hidden cluster must not move an operator's answer; without one, Exploitation comes from KEV and Automatable from the policy default. Each decision
 * is computed from and shows only its own asset. Reads only.
 *
 * For the system and the coordinator, and for an operator about its own assets only (NotAllowedError else).
 */
export async function deployerPriorities(ctx: ServiceContext, request: DeployerPriorityRequest): Promise<DeployerPriorities> {
  const { actor } = ctx;
  for (const operatorId of new Set(request.assets.map((a) => a.operatorId)))
    authorize(actor, 'scoring.priority.read', { ownerOrgId: operatorId });
  const executor = ctx.db.kysely;
  const { policy, version } = await policyInForce(executor);
  const cveIds = [...new Set(request.cveIds.filter((id) => /^CVE-\d{4}-\d{4,}$/.test(id)))];
  let best: { subjectId: string; exploitation: SourcedValue<Exploitation>; automatable: SourcedValue<Automatable> } | null = null;
  const usable = decisionUsableBy(actor, 'scoring_subject_cve.subject_id');
  for (const subjectId of await subjectIdsOfCves(executor, cveIds, usable)) {
    const row = await findDecision(executor, subjectId);
    if (row === undefined) continue;
    const { inputs } = JSON.parse(row.explanation) as PriorityExplanation;
    if (best === null || rank(inputs.exploitation.value) > rank(best.exploitation.value)) {
      best = { subjectId, exploitation: inputs.exploitation, automatable: inputs.automatable };
    }
  }
  const cluster =
    best ??
    ({
      exploitation: resolveExploitation({
        kev: pickKev((await findKevEntries(executor, cveIds)).map(kevEntryOf)),
        validation: null,
        publicExploitReferences: [],
        cisaAdp: null,
      }),
      automatable: resolveAssessed('automatable', null, null, policy),
    } as const);
  const decidedAt = ctx.clock.now();
  return {
    policyVersion: version,
    basis: best === null ? { kind: 'feeds' } : { kind: 'decision', subjectId: best.subjectId },
    decisions: request.assets.map((asset) => decideOperatorPriority(cluster, asset, decidedAt, policy)),
  };
}
