import { defineDecisionTable } from './decision-table.js';
import {
  AUTOMATABLE,
  CISA_LEVELS,
  EXPLOITATION,
  MISSION_WELLBEING,
  SSVC_SOURCE_COMMIT,
  TECHNICAL_IMPACT,
  type Automatable,
  type CisaLevel,
  type Exploitation,
  type MissionWellbeing,
  type TechnicalImpact,
} from './ssvc-decision-points.js';

export type CisaCoordinatorInputs = {
  readonly exploitation: Exploitation;
  readonly automatable: Automatable;
  readonly technicalImpact: TechnicalImpact;
  readonly missionWellbeing: MissionWellbeing;
};

/**
 * CISA's coordinator tree (Track, Track*, Attend, Act), version 2.0.3, row for row as SSVC publishes it.
 * CISA's guide: Track — remediate within standard timelines; Track* — watch for changes; Attend — supervisory
 * attention, possibly publish; Act — leadership attention, publish, remediate as soon as possible.
 */
export const CISA_COORDINATOR_TABLE = defineDecisionTable<CisaCoordinatorInputs, CisaLevel>({
  namespace: 'cisa',
  key: 'DT_CO',
  version: '2.0.3',
  name: 'CISA Coordinator',
  source: `${SSVC_SOURCE_COMMIT} data/json/decision_tables/cisa/cisa_coordinator_2_0_3.json`,
  points: { exploitation: EXPLOITATION, automatable: AUTOMATABLE, technicalImpact: TECHNICAL_IMPACT, missionWellbeing: MISSION_WELLBEING },
  outcome: CISA_LEVELS,
  // exploitation, automatable, technical impact, mission & well-being → CISA level
  rows: [
    ['none', 'no', 'partial', 'low', 'track'],
    ['none', 'no', 'partial', 'medium', 'track'],
    ['none', 'no', 'partial', 'high', 'track'],
    ['none', 'no', 'total', 'low', 'track'],
    ['none', 'no', 'total', 'medium', 'track'],
    ['none', 'no', 'total', 'high', 'track*'],
    ['none', 'yes', 'partial', 'low', 'track'],
    ['none', 'yes', 'partial', 'medium', 'track'],
    ['none', 'yes', 'partial', 'high', 'attend'],
    ['none', 'yes', 'total', 'low', 'track'],
    ['none', 'yes', 'total', 'medium', 'track'],
    ['none', 'yes', 'total', 'high', 'attend'],
    ['poc', 'no', 'partial', 'low', 'track'],
    ['poc', 'no', 'partial', 'medium', 'track'],
    ['poc', 'no', 'partial', 'high', 'track*'],
    ['poc', 'no', 'total', 'low', 'track'],
    ['poc', 'no', 'total', 'medium', 'track*'],
    ['poc', 'no', 'total', 'high', 'attend'],
    ['poc', 'yes', 'partial', 'low', 'track'],
    ['poc', 'yes', 'partial', 'medium', 'track'],
    ['poc', 'yes', 'partial', 'high', 'attend'],
    ['poc', 'yes', 'total', 'low', 'track'],
    ['poc', 'yes', 'total', 'medium', 'track*'],
    ['poc', 'yes', 'total', 'high', 'attend'],
    ['active', 'no', 'partial', 'low', 'track'],
    ['active', 'no', 'partial', 'medium', 'track'],
    ['active', 'no', 'partial', 'high', 'attend'],
    ['active', 'no', 'total', 'low', 'track'],
    ['active', 'no', 'total', 'medium', 'attend'],
    ['active', 'no', 'total', 'high', 'act'],
    ['active', 'yes', 'partial', 'low', 'attend'],
    ['active', 'yes', 'partial', 'medium', 'attend'],
    ['active', 'yes', 'partial', 'high', 'act'],
    ['active', 'yes', 'total', 'low', 'attend'],
    ['active', 'yes', 'total', 'medium', 'act'],
    ['active', 'yes', 'total', 'high', 'act'],
  ],
});
