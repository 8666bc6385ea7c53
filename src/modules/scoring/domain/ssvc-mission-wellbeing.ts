import { defineDecisionTable } from './decision-table.js';
import {
  MISSION_PREVALENCE,
  MISSION_WELLBEING,
  PUBLIC_WELLBEING,
  SSVC_SOURCE_COMMIT,
  type MissionPrevalence,
  type MissionWellbeing,
  type PublicWellbeing,
} from './ssvc-decision-points.js';

export type MissionWellbeingInputs = {
  readonly missionPrevalence: MissionPrevalence;
  readonly publicWellbeing: PublicWellbeing;
};

/**
 * CISA's Mission & Well-being Impact from Mission Prevalence and Public Well-Being Impact. SSVC publishes no
 * table for it, only the value definitions of `ssvc:MWI:1.0.0` (Low: Minimal and Minimal; Medium: Support and
 * Minimal or Material; High: Essential, or Irreversible), which leave Minimal × Material open; the SSVC
 * calculator's CISA Coordinator v2 grid ("Determining Mission & Well-being impact value",
 * https://certcc.github.io/SSVC/ssvc-calc/) fills it with Medium, as here.
 */
export const MISSION_WELLBEING_TABLE = defineDecisionTable<MissionWellbeingInputs, MissionWellbeing>({
  namespace: 'clearinghouse',
  key: 'DT_MWI',
  version: '1.0.0',
  name: 'Mission and Well-Being Impact',
  source: `${SSVC_SOURCE_COMMIT} data/json/decision_points/ssvc/mission_and_well_being_impact_1_0_0.json (definitions) and the SSVC calculator's CISA Coordinator v2 grid`,
  points: { missionPrevalence: MISSION_PREVALENCE, publicWellbeing: PUBLIC_WELLBEING },
  outcome: MISSION_WELLBEING,
  // mission prevalence, public well-being impact → mission & well-being impact
  rows: [
    ['minimal', 'minimal', 'low'],
    ['minimal', 'material', 'medium'],
    ['minimal', 'irreversible', 'high'],
    ['support', 'minimal', 'medium'],
    ['support', 'material', 'medium'],
    ['support', 'irreversible', 'high'],
    ['essential', 'minimal', 'high'],
    ['essential', 'material', 'high'],
    ['essential', 'irreversible', 'high'],
  ],
});
