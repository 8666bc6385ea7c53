import type { ServiceContext } from '../../../platform/context.js';
import { appendTo } from '../../../platform/collections.js';
import { authorize } from '../../identity/index.js';
import type { ExposedAsset } from '../domain/exposure.js';
import { decideOperatorPriority, type OperatorPriorityDecision } from '../domain/operator-priority.js';
import type { PriorityExplanation } from '../domain/priority-decision.js';
import { EXPLOITATION, type Automatable, type Exploitation } from '../domain/ssvc-decision-points.js';
import { resolveAssessed, resolveExploitation, type SourcedValue } from '../domain/ssvc-input-sources.js';
import { decisionsOfCves } from '../store/decisions.js';
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

type ClusterInputs = { readonly exploitation: SourcedValue<Exploitation>; readonly automatable: SourcedValue<Automatable> };

const rank = (e: Exploitation) => EXPLOITATION.values.findIndex((v) => v.value === e);
const CVE_ID = /^CVE-\d{4}-\d{4,}$/;

/**
 * A fact lent to other modules (notify's targeting, an operator's own priorities): SSVC's deployer tree for
 * each exposed asset of a vulnerability — the patch-application priority and the due date from the policy's
 * `deployerDays`, decided now. Exploitation and Automatable are those of the coordinator decision of a
 * subject naming one of the CVEs (the most exploited, when several do), so that both trees stand on the same
 * evidence — only of subjects whose every report the caller may see ({@link decisionUsableBy}): a decision of
 * a hidden cluster must not move an operator's answer; without one, Exploitation comes from KEV and Automatable from the policy default. Each decision
 * is computed from and shows only its own asset. Reads only.
 *
 * For holders of `scoring.priority.read` for every asset's operator: the system and the coordinator, and an
 * operator about its own assets (NotAllowedError else).
 */
export async function deployerPriorities(ctx: ServiceContext, request: DeployerPriorityRequest): Promise<DeployerPriorities> {
  const [one] = await deployerPrioritiesMany(ctx, [request]);
  if (one === undefined) throw new Error('deployerPrioritiesMany answered nothing for one request');
  return one;
}

/**
 * {@link deployerPriorities} for many vulnerabilities at once (a page of an operator's advisories), answering
 * each as it would alone, in the order given, with a fixed number of queries however many there are.
 */
export async function deployerPrioritiesMany(
  ctx: ServiceContext,
  requests: readonly DeployerPriorityRequest[],
): Promise<DeployerPriorities[]> {
  const { actor } = ctx;
  for (const operatorId of new Set(requests.flatMap((r) => r.assets.map((a) => a.operatorId))))
    authorize(actor, 'scoring.priority.read', { ownerOrgId: operatorId });
  if (requests.length === 0) return [];
  const executor = ctx.db.kysely;
  const { policy, version } = await policyInForce(executor);
  const cveIdsOf = requests.map((r) => [...new Set(r.cveIds.filter((id) => CVE_ID.test(id)))]);
  const allCveIds = [...new Set(cveIdsOf.flat())];

  const inputsOf = new Map<string, ClusterInputs>();
  const subjectsOf = new Map<string, string[]>();
  for (const row of await decisionsOfCves(executor, allCveIds, decisionUsableBy(actor, 'c.subject_id'))) {
    if (!inputsOf.has(row.subject_id)) {
      const { inputs } = JSON.parse(row.explanation) as PriorityExplanation;
      inputsOf.set(row.subject_id, { exploitation: inputs.exploitation, automatable: inputs.automatable });
    }
    appendTo(subjectsOf, row.cve_id, row.subject_id);
  }
  const kev = new Map((await findKevEntries(executor, allCveIds)).map((r) => [r.cve_id, kevEntryOf(r)] as const));

  const decidedAt = ctx.clock.now();
  return requests.map((request, i) => {
    const cveIds = cveIdsOf[i] ?? [];
    // The most exploited decision; among equals, the first subject by id.
    let best: (ClusterInputs & { subjectId: string }) | null = null;
    for (const subjectId of [...new Set(cveIds.flatMap((id) => subjectsOf.get(id) ?? []))].sort()) {
      const inputs = inputsOf.get(subjectId);
      if (inputs !== undefined && (best === null || rank(inputs.exploitation.value) > rank(best.exploitation.value)))
        best = { subjectId, ...inputs };
    }
    const cluster: ClusterInputs = best ?? {
      exploitation: resolveExploitation({
        kev: pickKev(cveIds.flatMap((id) => kev.get(id) ?? [])),
        validation: null,
        publicExploitReferences: [],
        cisaAdp: null,
      }),
      automatable: resolveAssessed('automatable', null, null, policy),
    };
    return {
      policyVersion: version,
      basis: best === null ? { kind: 'feeds' } : { kind: 'decision', subjectId: best.subjectId },
      decisions: request.assets.map((asset) => decideOperatorPriority(cluster, asset, decidedAt, policy)),
    };
  });
}
