import { defineDecisionTable, evaluateDecisionTable, type DecisionResult } from './decision-table.js';
import {
  AUTOMATABLE,
  EXPLOITATION,
  PATCH_PRIORITY,
  PUBLIC_SAFETY_IMPACT,
  SAFETY_IMPACT,
  SSVC_SOURCE_COMMIT,
  TECHNICAL_IMPACT,
  UTILITY,
  VALUE_DENSITY,
  type Automatable,
  type Exploitation,
  type PatchPriority,
  type PublicSafetyImpact,
  type SafetyImpact,
  type TechnicalImpact,
  type Utility,
  type ValueDensity,
} from './ssvc-decision-points.js';

export type SupplierInputs = {
  readonly exploitation: Exploitation;
  readonly utility: Utility;
  readonly technicalImpact: TechnicalImpact;
  readonly publicSafetyImpact: PublicSafetyImpact;
};

/** SSVC's supplier tree (patch development priority), version 1.0.0, row for row: shown to vendors. */
export const SUPPLIER_TABLE = defineDecisionTable<SupplierInputs, PatchPriority>({
  namespace: 'ssvc',
  key: 'DT_SP',
  version: '1.0.0',
  name: 'Supplier Patch Development Priority',
  source: `${SSVC_SOURCE_COMMIT} data/json/decision_tables/ssvc/supplier_patch_development_priority_1_0_0.json`,
  points: { exploitation: EXPLOITATION, utility: UTILITY, technicalImpact: TECHNICAL_IMPACT, publicSafetyImpact: PUBLIC_SAFETY_IMPACT },
  outcome: PATCH_PRIORITY,
  // exploitation, utility, technical impact, public safety impact → patch development priority
  rows: [
    ['none', 'laborious', 'partial', 'minimal', 'defer'],
    ['none', 'laborious', 'partial', 'significant', 'scheduled'],
    ['none', 'laborious', 'total', 'minimal', 'scheduled'],
    ['none', 'laborious', 'total', 'significant', 'out_of_cycle'],
    ['none', 'efficient', 'partial', 'minimal', 'scheduled'],
    ['none', 'efficient', 'partial', 'significant', 'out_of_cycle'],
    ['none', 'efficient', 'total', 'minimal', 'scheduled'],
    ['none', 'efficient', 'total', 'significant', 'out_of_cycle'],
    ['none', 'super_effective', 'partial', 'minimal', 'scheduled'],
    ['none', 'super_effective', 'partial', 'significant', 'out_of_cycle'],
    ['none', 'super_effective', 'total', 'minimal', 'out_of_cycle'],
    ['none', 'super_effective', 'total', 'significant', 'out_of_cycle'],
    ['poc', 'laborious', 'partial', 'minimal', 'scheduled'],
    ['poc', 'laborious', 'partial', 'significant', 'out_of_cycle'],
    ['poc', 'laborious', 'total', 'minimal', 'scheduled'],
    ['poc', 'laborious', 'total', 'significant', 'immediate'],
    ['poc', 'efficient', 'partial', 'minimal', 'scheduled'],
    ['poc', 'efficient', 'partial', 'significant', 'immediate'],
    ['poc', 'efficient', 'total', 'minimal', 'out_of_cycle'],
    ['poc', 'efficient', 'total', 'significant', 'immediate'],
    ['poc', 'super_effective', 'partial', 'minimal', 'out_of_cycle'],
    ['poc', 'super_effective', 'partial', 'significant', 'immediate'],
    ['poc', 'super_effective', 'total', 'minimal', 'out_of_cycle'],
    ['poc', 'super_effective', 'total', 'significant', 'immediate'],
    ['active', 'laborious', 'partial', 'minimal', 'out_of_cycle'],
    ['active', 'laborious', 'partial', 'significant', 'immediate'],
    ['active', 'laborious', 'total', 'minimal', 'out_of_cycle'],
    ['active', 'laborious', 'total', 'significant', 'immediate'],
    ['active', 'efficient', 'partial', 'minimal', 'out_of_cycle'],
    ['active', 'efficient', 'partial', 'significant', 'immediate'],
    ['active', 'efficient', 'total', 'minimal', 'out_of_cycle'],
    ['active', 'efficient', 'total', 'significant', 'immediate'],
    ['active', 'super_effective', 'partial', 'minimal', 'immediate'],
    ['active', 'super_effective', 'partial', 'significant', 'immediate'],
    ['active', 'super_effective', 'total', 'minimal', 'immediate'],
    ['active', 'super_effective', 'total', 'significant', 'immediate'],
  ],
});

export type UtilityInputs = { readonly automatable: Automatable; readonly valueDensity: ValueDensity };

/** SSVC's Utility table, version 1.0.0. */
export const UTILITY_TABLE = defineDecisionTable<UtilityInputs, Utility>({
  namespace: 'ssvc',
  key: 'DT_U',
  version: '1.0.0',
  name: 'Utility',
  source: `${SSVC_SOURCE_COMMIT} data/json/decision_tables/ssvc/utility_1_0_0.json`,
  points: { automatable: AUTOMATABLE, valueDensity: VALUE_DENSITY },
  outcome: UTILITY,
  rows: [
    ['no', 'diffuse', 'laborious'],
    ['no', 'concentrated', 'efficient'],
    ['yes', 'diffuse', 'efficient'],
    ['yes', 'concentrated', 'super_effective'],
  ],
});

export type PublicSafetyImpactInputs = { readonly safetyImpact: SafetyImpact };

/** SSVC's Public Safety Impact table, version 1.0.0. */
export const PUBLIC_SAFETY_IMPACT_TABLE = defineDecisionTable<PublicSafetyImpactInputs, PublicSafetyImpact>({
  namespace: 'ssvc',
  key: 'DT_PSI',
  version: '1.0.0',
  name: 'Public Safety Impact',
  source: `${SSVC_SOURCE_COMMIT} data/json/decision_tables/ssvc/public_safety_impact_1_0_0.json`,
  points: { safetyImpact: SAFETY_IMPACT },
  outcome: PUBLIC_SAFETY_IMPACT,
  rows: [
    ['negligible', 'minimal'],
    ['marginal', 'significant'],
    ['critical', 'significant'],
    ['catastrophic', 'significant'],
  ],
});

/** What a supplier decision starts from: Utility and Public Safety Impact are derived through their tables. */
export type SupplierAssessment = {
  readonly exploitation: Exploitation;
  readonly automatable: Automatable;
  readonly valueDensity: ValueDensity;
  readonly technicalImpact: TechnicalImpact;
  readonly safetyImpact: SafetyImpact;
};

export interface SupplierDecision extends DecisionResult<SupplierInputs, PatchPriority> {
  /** The rows that derived the supplier table's Utility and Public Safety Impact inputs. */
  readonly derived: {
    readonly utility: DecisionResult<UtilityInputs, Utility>;
    readonly publicSafetyImpact: DecisionResult<PublicSafetyImpactInputs, PublicSafetyImpact>;
  };
}

/**
 * The supplier's patch development priority: Utility from Automatable and Value Density, Public Safety Impact
 * from Safety Impact, then the supplier table; every row used is returned.
 *
 * @throws InputError naming each input that is not one of its decision point's values.
 */
export function evaluateSupplier(assessment: SupplierAssessment, pointer = ''): SupplierDecision {
  const { exploitation, automatable, valueDensity, technicalImpact, safetyImpact } = assessment;
  const utility = evaluateDecisionTable(UTILITY_TABLE, { automatable, valueDensity }, pointer);
  const publicSafetyImpact = evaluateDecisionTable(PUBLIC_SAFETY_IMPACT_TABLE, { safetyImpact }, pointer);
  const inputs = { exploitation, utility: utility.outcome, technicalImpact, publicSafetyImpact: publicSafetyImpact.outcome };
  return { ...evaluateDecisionTable(SUPPLIER_TABLE, inputs, pointer), derived: { utility, publicSafetyImpact } };
}
