import { decisionPoint } from './decision-table.js';

/**
 * The SSVC decision points our tables use, as CERT/CC's SSVC repository defines them
 * (CERTCC/SSVC @ e3b00a25615845960cec9caa1388064739f17728, `data/json/decision_points/…`). Values are listed
 * in SSVC's order. The tests compare keys and names with those files.
 */

export const SSVC_SOURCE_COMMIT = 'CERTCC/SSVC@e3b00a25615845960cec9caa1388064739f17728';

export const EXPLOITATION = decisionPoint('ssvc', 'E', '1.1.0', 'Exploitation', [
  ['none', 'N', 'None'],
  ['poc', 'P', 'Public PoC'],
  ['active', 'A', 'Active'],
]);
export type Exploitation = (typeof EXPLOITATION.values)[number]['value'];

export const AUTOMATABLE = decisionPoint('ssvc', 'A', '2.0.0', 'Automatable', [
  ['no', 'N', 'No'],
  ['yes', 'Y', 'Yes'],
]);
export type Automatable = (typeof AUTOMATABLE.values)[number]['value'];

export const TECHNICAL_IMPACT = decisionPoint('ssvc', 'TI', '1.0.0', 'Technical Impact', [
  ['partial', 'P', 'Partial'],
  ['total', 'T', 'Total'],
]);
export type TechnicalImpact = (typeof TECHNICAL_IMPACT.values)[number]['value'];

export const MISSION_WELLBEING = decisionPoint('ssvc', 'MWI', '1.0.0', 'Mission and Well-Being Impact', [
  ['low', 'L', 'Low'],
  ['medium', 'M', 'Medium'],
  ['high', 'H', 'High'],
]);
export type MissionWellbeing = (typeof MISSION_WELLBEING.values)[number]['value'];

export const MISSION_PREVALENCE = decisionPoint('cisa', 'MP', '1.0.0', 'Mission Prevalence', [
  ['minimal', 'M', 'Minimal'],
  ['support', 'S', 'Support'],
  ['essential', 'E', 'Essential'],
]);
export type MissionPrevalence = (typeof MISSION_PREVALENCE.values)[number]['value'];

export const PUBLIC_WELLBEING = decisionPoint('ssvc', 'PWI', '1.1.0', 'Public Well-Being Impact', [
  ['minimal', 'M', 'Minimal'],
  ['material', 'MA', 'Material'],
  ['irreversible', 'I', 'Irreversible'],
]);
export type PublicWellbeing = (typeof PUBLIC_WELLBEING.values)[number]['value'];

/** The outcome of the CISA coordinator table. */
export const CISA_LEVELS = decisionPoint('cisa', 'CISA', '1.1.0', 'CISA Levels', [
  ['track', 'T', 'Track'],
  ['track*', 'T*', 'Track*'],
  ['attend', 'AT', 'Attend'],
  ['act', 'AC', 'Act'],
]);
export type CisaLevel = (typeof CISA_LEVELS.values)[number]['value'];

export const SYSTEM_EXPOSURE = decisionPoint('ssvc', 'EXP', '1.0.1', 'System Exposure', [
  ['small', 'S', 'Small'],
  ['controlled', 'C', 'Controlled'],
  ['open', 'O', 'Open'],
]);
export type SystemExposure = (typeof SYSTEM_EXPOSURE.values)[number]['value'];

export const SAFETY_IMPACT = decisionPoint('ssvc', 'SI', '2.0.1', 'Safety Impact', [
  ['negligible', 'N', 'Negligible'],
  ['marginal', 'M', 'Marginal'],
  ['critical', 'R', 'Critical'],
  ['catastrophic', 'C', 'Catastrophic'],
]);
export type SafetyImpact = (typeof SAFETY_IMPACT.values)[number]['value'];

export const MISSION_IMPACT = decisionPoint('ssvc', 'MI', '2.0.0', 'Mission Impact', [
  ['degraded', 'D', 'Degraded'],
  ['mef_support_crippled', 'MSC', 'MEF Support Crippled'],
  ['mef_failure', 'MEF', 'MEF Failure'],
  ['mission_failure', 'MF', 'Mission Failure'],
]);
export type MissionImpact = (typeof MISSION_IMPACT.values)[number]['value'];

export const HUMAN_IMPACT = decisionPoint('ssvc', 'HI', '2.0.2', 'Human Impact', [
  ['low', 'L', 'Low'],
  ['medium', 'M', 'Medium'],
  ['high', 'H', 'High'],
  ['very_high', 'VH', 'Very High'],
]);
export type HumanImpact = (typeof HUMAN_IMPACT.values)[number]['value'];

export const VALUE_DENSITY = decisionPoint('ssvc', 'VD', '1.0.0', 'Value Density', [
  ['diffuse', 'D', 'Diffuse'],
  ['concentrated', 'C', 'Concentrated'],
]);
export type ValueDensity = (typeof VALUE_DENSITY.values)[number]['value'];

export const UTILITY = decisionPoint('ssvc', 'U', '1.0.1', 'Utility', [
  ['laborious', 'L', 'Laborious'],
  ['efficient', 'E', 'Efficient'],
  ['super_effective', 'S', 'Super Effective'],
]);
export type Utility = (typeof UTILITY.values)[number]['value'];

export const PUBLIC_SAFETY_IMPACT = decisionPoint('ssvc', 'PSI', '2.0.1', 'Public Safety Impact', [
  ['minimal', 'M', 'Minimal'],
  ['significant', 'S', 'Significant'],
]);
export type PublicSafetyImpact = (typeof PUBLIC_SAFETY_IMPACT.values)[number]['value'];

/** The outcome of the deployer and supplier tables. */
export const PATCH_PRIORITY = decisionPoint('ssvc', 'DSOI', '1.0.0', 'Defer, Scheduled, Out-of-Cycle, Immediate', [
  ['defer', 'D', 'Defer'],
  ['scheduled', 'S', 'Scheduled'],
  ['out_of_cycle', 'O', 'Out-of-Cycle'],
  ['immediate', 'I', 'Immediate'],
]);
export type PatchPriority = (typeof PATCH_PRIORITY.values)[number]['value'];
