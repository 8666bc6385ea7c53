import { evaluateDecisionTable, type DecisionResult } from './decision-table.js';
import { assetPublicWellbeing, type ExposedAsset } from './exposure.js';
import type { PrioritizationPolicy } from './prioritization-policy.js';
import { deployerDeadline, type Deadline } from './sla.js';
import type {
  Automatable,
  Exploitation,
  HumanImpact,
  MissionImpact,
  PatchPriority,
  SafetyImpact,
  SystemExposure,
} from './ssvc-decision-points.js';
import { DEPLOYER_TABLE, HUMAN_IMPACT_TABLE, type DeployerInputs, type HumanImpactInputs } from './ssvc-deployer.js';
import type { SourcedValue } from './ssvc-input-sources.js';

/** Where a deployer input specific to the asset comes from: the operator's own statement, or the policy. */
export type AssetInputSource =
  | { readonly kind: 'operator'; readonly operatorId: string; readonly assetId: string }
  | { readonly kind: 'policy'; readonly policyVersion: string; readonly rule: string };

export interface OperatorPriorityDecision {
  readonly operatorId: string;
  readonly assetId: string;
  readonly outcome: PatchPriority;
  readonly deadline: Deadline;
  readonly explanation: {
    readonly policyVersion: string;
    readonly decidedAt: string;
    readonly inputs: {
      readonly exploitation: SourcedValue<Exploitation>;
      readonly automatable: SourcedValue<Automatable>;
      readonly systemExposure: { readonly value: SystemExposure; readonly source: AssetInputSource };
      readonly safetyImpact: { readonly value: SafetyImpact; readonly source: AssetInputSource };
      readonly missionImpact: { readonly value: MissionImpact; readonly source: AssetInputSource };
    };
    /** Human Impact from Safety and Mission Impact. */
    readonly humanImpact: DecisionResult<HumanImpactInputs, HumanImpact>;
    readonly decision: DecisionResult<DeployerInputs, PatchPriority>;
  };
}

/**
 * SSVC's deployer tree for one operator's exposed asset, for the advisory that operator receives.
 * Exploitation and Automatable are the cluster's (pass the coordinator decision's explained inputs, so both
 * trees stand on the same evidence); System Exposure follows from whether the asset faces the internet, and
 * Safety and Mission Impact are the operator's when it stated them, else derived by the policy from the
 * asset's sector and criticality. The deadline comes from the policy's `deployerDays`.
 */
export function decideOperatorPriority(
  cluster: { readonly exploitation: SourcedValue<Exploitation>; readonly automatable: SourcedValue<Automatable> },
  asset: ExposedAsset,
  decidedAt: Date,
  policy: PrioritizationPolicy,
): OperatorPriorityDecision {
  const { operatorId, assetId } = asset;
  const operator: AssetInputSource = { kind: 'operator', operatorId, assetId };
  const rule = (text: string): AssetInputSource => ({ kind: 'policy', policyVersion: policy.version, rule: text });
  const systemExposure = {
    value: asset.internetFacing ? policy.deployer.systemExposure.internetFacing : policy.deployer.systemExposure.internal,
    source: rule(asset.internetFacing ? 'deployer.systemExposure.internetFacing' : 'deployer.systemExposure.internal'),
  };
  const wellbeing = assetPublicWellbeing(asset, policy);
  const safetyImpact = asset.safetyImpact
    ? { value: asset.safetyImpact, source: operator }
    : { value: policy.deployer.safetyImpact[wellbeing], source: rule(`deployer.safetyImpact.${wellbeing}`) };
  const missionImpact = asset.missionImpact
    ? { value: asset.missionImpact, source: operator }
    : { value: policy.deployer.missionImpact[asset.criticality], source: rule(`deployer.missionImpact.${asset.criticality}`) };
  const humanImpact = evaluateDecisionTable(HUMAN_IMPACT_TABLE, { safetyImpact: safetyImpact.value, missionImpact: missionImpact.value });
  const decision = evaluateDecisionTable(DEPLOYER_TABLE, {
    exploitation: cluster.exploitation.value,
    systemExposure: systemExposure.value,
    automatable: cluster.automatable.value,
    humanImpact: humanImpact.outcome,
  });
  return {
    operatorId,
    assetId,
    outcome: decision.outcome,
    deadline: deployerDeadline(decision.outcome, policy, decidedAt),
    explanation: {
      policyVersion: policy.version,
      decidedAt: decidedAt.toISOString(),
      inputs: { exploitation: cluster.exploitation, automatable: cluster.automatable, systemExposure, safetyImpact, missionImpact },
      humanImpact,
      decision,
    },
  };
}
