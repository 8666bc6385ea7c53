import type { CisaAdpSsvc } from './cisa-adp-ssvc.js';
import { type CvssScores } from '../../../platform/cvss/index.js';
import { evaluateDecisionTable, type DecisionResult } from './decision-table.js';
import type { EpssScore } from './epss-score.js';
import { missionWellbeingFromExposure, type ExposedAsset, type MissionWellbeingAssessment } from './exposure.js';
import type { KevEntry } from './kev-catalog.js';
import { DEFAULT_PRIORITIZATION_POLICY, type PrioritizationPolicy } from './prioritization-policy.js';
import { vendorFixDeadline } from './sla.js';
import { CISA_COORDINATOR_TABLE, type CisaCoordinatorInputs } from './ssvc-cisa-coordinator.js';
import type { Automatable, CisaLevel, Exploitation, TechnicalImpact } from './ssvc-decision-points.js';
import { resolveAssessed, resolveExploitation, type SourcedValue, type ValidatorAssessment } from './ssvc-input-sources.js';

/** Everything known about a cluster that bears on its priority; the service gathers it from the other modules. */
export interface PriorityInputs {
  /** The KEV entry of the cluster's CVE or of one of its CVE aliases, when listed. */
  readonly kev: KevEntry | null;
  readonly validation: ValidatorAssessment | null;
  /** URLs of public exploit code or proofs of concept that the cluster's reports or advisories reference. */
  readonly publicExploitReferences: readonly string[];
  /** CISA's SSVC enrichment of the CVE record, when it has one. */
  readonly cisaAdp: CisaAdpSsvc | null;
  /** The operators' exposed assets; an empty list when none matches, null when matching has not run. */
  readonly exposure: readonly ExposedAsset[] | null;
  /** The latest EPSS score of the CVE, when scored. Breaks ties; not an SSVC input. */
  readonly epss: EpssScore | null;
  /** The recomputed CVSS scores, shown beside the decision; not an SSVC input. */
  readonly cvss: CvssScores | null;
}

/** Why a cluster has its priority: every input with its source, the table row, the policy and the deadline. */
export interface PriorityExplanation {
  readonly policyVersion: string;
  readonly decidedAt: string;
  readonly inputs: {
    readonly exploitation: SourcedValue<Exploitation>;
    readonly automatable: SourcedValue<Automatable>;
    readonly technicalImpact: SourcedValue<TechnicalImpact>;
    readonly missionWellbeing: MissionWellbeingAssessment;
  };
  /** The CISA coordinator table and the row that gave the outcome. */
  readonly decision: DecisionResult<CisaCoordinatorInputs, CisaLevel>;
  readonly vendorFix: { readonly days: number; readonly dueAt: string };
  readonly epss: EpssScore | null;
  readonly cvss: {
    readonly version: string;
    readonly vector: string;
    readonly base: number;
    readonly overall: number;
    readonly severity: string;
  } | null;
}

export interface PriorityDecision {
  readonly outcome: CisaLevel;
  /** ISO 8601 instant the vendor's fix is due, from the policy's `vendorFixDays`. */
  readonly vendorFixDueAt: string;
  /** What orders clusters that share an outcome (see `comparePriority`). */
  readonly tieBreak: { readonly epss: number | null; readonly exposureCount: number };
  readonly explanation: PriorityExplanation;
}

/**
 * The priority of a cluster: SSVC's CISA coordinator tree over inputs resolved from their sources (see
 * ./ssvc-input-sources.ts and ./exposure.ts), the vendor-fix deadline from the policy, the tie-breakers, and
 * the explanation of it all. Pure: the same inputs, policy and instant give the same decision, so a
 * recomputation after any input changes is safe to run at any time.
 *
 * @param decidedAt the injected clock's now; deadlines count from it.
 * @param policy default {@link DEFAULT_PRIORITIZATION_POLICY}.
 */
export function decidePriority(
  inputs: PriorityInputs,
  decidedAt: Date,
  policy: PrioritizationPolicy = DEFAULT_PRIORITIZATION_POLICY,
): PriorityDecision {
  const exploitation = resolveExploitation(inputs);
  const automatable = resolveAssessed('automatable', inputs.validation, inputs.cisaAdp, policy);
  const technicalImpact = resolveAssessed('technicalImpact', inputs.validation, inputs.cisaAdp, policy);
  const missionWellbeing = missionWellbeingFromExposure(inputs.exposure, policy);
  const decision = evaluateDecisionTable(CISA_COORDINATOR_TABLE, {
    exploitation: exploitation.value,
    automatable: automatable.value,
    technicalImpact: technicalImpact.value,
    missionWellbeing: missionWellbeing.value,
  });
  const vendorFix = vendorFixDeadline(decision.outcome, policy, decidedAt);
  const { cvss } = inputs;
  return {
    outcome: decision.outcome,
    vendorFixDueAt: vendorFix.dueAt,
    tieBreak: {
      epss: inputs.epss?.epss ?? null,
      exposureCount: missionWellbeing.source.kind === 'exposure' ? missionWellbeing.source.exposure.operatorCount : 0,
    },
    explanation: {
      policyVersion: policy.version,
      decidedAt: decidedAt.toISOString(),
      inputs: { exploitation, automatable, technicalImpact, missionWellbeing },
      decision,
      vendorFix,
      epss: inputs.epss,
      cvss:
        cvss === null
          ? null
          : {
              version: cvss.version,
              vector: cvss.vector,
              base: cvss.base.score,
              overall: cvss.overall.score,
              severity: cvss.overall.severity,
            },
    },
  };
}

export type PriorityInputName = 'exploitation' | 'automatable' | 'technicalImpact' | 'missionWellbeing' | 'epss' | 'exposureCount';

/**
 * What changed between a cluster's stored decision and a recomputed one: the service audits the change and
 * emits an event when `outcomeChanged`. Deadlines are not compared: they move with every recomputation.
 */
export function comparePriorityDecisions(
  previous: PriorityDecision | null,
  next: PriorityDecision,
): {
  readonly outcomeChanged: boolean;
  readonly changedInputs: readonly PriorityInputName[];
} {
  if (previous === null)
    return {
      outcomeChanged: true,
      changedInputs: ['exploitation', 'automatable', 'technicalImpact', 'missionWellbeing', 'epss', 'exposureCount'],
    };
  const a = previous.explanation.inputs;
  const b = next.explanation.inputs;
  const changed: PriorityInputName[] = [];
  if (a.exploitation.value !== b.exploitation.value) changed.push('exploitation');
  if (a.automatable.value !== b.automatable.value) changed.push('automatable');
  if (a.technicalImpact.value !== b.technicalImpact.value) changed.push('technicalImpact');
  if (a.missionWellbeing.value !== b.missionWellbeing.value) changed.push('missionWellbeing');
  if (previous.tieBreak.epss !== next.tieBreak.epss) changed.push('epss');
  if (previous.tieBreak.exposureCount !== next.tieBreak.exposureCount) changed.push('exposureCount');
  return { outcomeChanged: previous.outcome !== next.outcome, changedInputs: changed };
}
