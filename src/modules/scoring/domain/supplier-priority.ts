import type { PrioritizationPolicy } from './prioritization-policy.js';
import type { PriorityDecision } from './priority-decision.js';
import type { SafetyImpact, ValueDensity } from './ssvc-decision-points.js';
import { resolveAssessed, type SourcedValue, type ValidatorAssessment } from './ssvc-input-sources.js';
import { evaluateSupplier, type SupplierDecision } from './ssvc-supplier.js';

export interface SupplierPriorityDecision {
  readonly outcome: SupplierDecision['outcome'];
  readonly explanation: {
    readonly policyVersion: string;
    readonly inputs: {
      readonly exploitation: PriorityDecision['explanation']['inputs']['exploitation'];
      readonly automatable: PriorityDecision['explanation']['inputs']['automatable'];
      readonly technicalImpact: PriorityDecision['explanation']['inputs']['technicalImpact'];
      readonly valueDensity: SourcedValue<ValueDensity>;
      readonly safetyImpact: { readonly value: SafetyImpact; readonly rule: string };
    };
    /** The supplier table's row, and the Utility and Public Safety Impact rows that fed it. */
    readonly decision: SupplierDecision;
  };
}

/**
 * SSVC's supplier tree (patch development priority), shown to the vendor beside the coordinator's decision
 * and built on the same explained inputs. Value Density is the validator's, else the policy default; Safety
 * Impact follows the exposure's highest Public Well-Being Impact through the policy's `deployer.safetyImpact`,
 * or the policy default while exposure is unknown.
 */
export function decideSupplierPriority(
  decision: PriorityDecision,
  validation: ValidatorAssessment | null,
  policy: PrioritizationPolicy,
): SupplierPriorityDecision {
  const { exploitation, automatable, technicalImpact, missionWellbeing } = decision.explanation.inputs;
  const valueDensity = resolveAssessed('valueDensity', validation, null, policy);
  const source = missionWellbeing.source;
  const safetyImpact =
    source.kind === 'exposure'
      ? { value: policy.deployer.safetyImpact[source.publicWellbeing], rule: `deployer.safetyImpact.${source.publicWellbeing}` }
      : { value: policy.assessmentDefaults.safetyImpact, rule: 'assessmentDefaults.safetyImpact' };
  const result = evaluateSupplier({
    exploitation: exploitation.value,
    automatable: automatable.value,
    valueDensity: valueDensity.value,
    technicalImpact: technicalImpact.value,
    safetyImpact: safetyImpact.value,
  });
  return {
    outcome: result.outcome,
    explanation: {
      policyVersion: policy.version,
      inputs: { exploitation, automatable, technicalImpact, valueDensity, safetyImpact },
      decision: result,
    },
  };
}
