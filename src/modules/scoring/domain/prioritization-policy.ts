import type { Sector } from '../../identity/index.js';
import { deepFreeze } from './deep-freeze.js';
import type {
  Automatable,
  CisaLevel,
  MissionImpact,
  MissionPrevalence,
  MissionWellbeing,
  PatchPriority,
  PublicWellbeing,
  SafetyImpact,
  SystemExposure,
  TechnicalImpact,
  ValueDensity,
} from './ssvc-decision-points.js';
import { ASSET_CRITICALITIES, type AssetCriticality } from '../../inventory/pure.js';

// How critical an operator rates an asset (FIPS 199's three impact levels) is inventory's word.
export { ASSET_CRITICALITIES, type AssetCriticality };

/**
 * The prioritization policy: every number and mapping a decision uses that is a matter of judgement rather
 * than of SSVC's published tables. It is versioned data (DESIGN §5, "Configuration"): a coordinator admin
 * replaces it through the API, the change is audited, and every decision records the version it was made under.
 */
export interface PrioritizationPolicy {
  /** A label for this version of the policy, recorded in every decision. */
  readonly version: string;
  /** Days from the decision to the vendor-fix due date, per CISA level. */
  readonly vendorFixDays: Readonly<Record<CisaLevel, number>>;
  /** Days from the decision to an operator's deadline, per deployer-tree outcome; null sets no deadline. */
  readonly deployerDays: Readonly<Record<PatchPriority, number | null>>;
  /** How exposure (the operators' assets that run the affected versions) becomes Mission & Well-being. */
  readonly missionWellbeing: {
    /** Used when exposure has not been computed yet (no inventory match has run). */
    readonly unknownExposure: MissionWellbeing;
    /** CISA's Mission Prevalence of an exposed asset, by its criticality. */
    readonly missionPrevalence: Readonly<Record<AssetCriticality, MissionPrevalence>>;
    /** The worst Public Well-Being Impact a failure in a sector can have. */
    readonly sectorWellbeing: Readonly<Partial<Record<Sector, PublicWellbeing>>>;
    /** For an asset without a sector, or in a sector the map leaves out. */
    readonly otherSectorWellbeing: PublicWellbeing;
    /** The most Public Well-Being Impact an asset of each criticality can carry, whatever its sector. */
    readonly wellbeingCap: Readonly<Record<AssetCriticality, PublicWellbeing>>;
  };
  /** How an operator's asset becomes the deployer tree's inputs, unless the operator stated them. */
  readonly deployer: {
    readonly systemExposure: { readonly internetFacing: SystemExposure; readonly internal: SystemExposure };
    /**
     * Safety Impact from Public Well-Being Impact: an asset's (sector, capped by criticality) for the deployer
     * tree, the exposure's highest for the supplier tree.
     */
    readonly safetyImpact: Readonly<Record<PublicWellbeing, SafetyImpact>>;
    readonly missionImpact: Readonly<Record<AssetCriticality, MissionImpact>>;
  };
  /** Used when neither a validator nor CISA's enrichment has assessed the point. */
  readonly assessmentDefaults: {
    readonly automatable: Automatable;
    readonly technicalImpact: TechnicalImpact;
    readonly valueDensity: ValueDensity;
    /** The supplier tree's Safety Impact while exposure is unknown. */
    readonly safetyImpact: SafetyImpact;
  };
}

/**
 * The policy in force until a coordinator admin sets another.
 * - Vendor fix: Act 2 days, Attend 14, Track* 30, Track 90 (issue 5).
 * - Operators: Immediate 1 day, Out-of-Cycle 7, Scheduled 30, Defer none. SSVC defines these outcomes as "as
 *   fast as possible", "the next available opportunity", "regular maintenance" and "do not act at present".
 * - Sectors: those where a failure can kill or cause lasting physical or environmental harm are
 *   Irreversible, the rest Material; an asset the operator rates low carries no well-being impact and one it
 *   rates moderate at most Material.
 * - Unknown exposure counts as Medium; an unassessed point counts as its more urgent value, so that missing
 *   data never ranks a cluster below an assessed one.
 */
export const DEFAULT_PRIORITIZATION_POLICY: PrioritizationPolicy = deepFreeze({
  version: 'default-1',
  vendorFixDays: { act: 2, attend: 14, 'track*': 30, track: 90 },
  deployerDays: { immediate: 1, out_of_cycle: 7, scheduled: 30, defer: null },
  missionWellbeing: {
    unknownExposure: 'medium',
    missionPrevalence: { low: 'minimal', moderate: 'support', high: 'essential' },
    sectorWellbeing: {
      chemical: 'irreversible',
      commercial_facilities: 'material',
      communications: 'material',
      critical_manufacturing: 'material',
      dams: 'irreversible',
      defense_industrial_base: 'material',
      emergency_services: 'irreversible',
      energy: 'irreversible',
      financial_services: 'material',
      food_and_agriculture: 'material',
      government_facilities: 'material',
      healthcare_public_health: 'irreversible',
      information_technology: 'material',
      nuclear: 'irreversible',
      transportation: 'irreversible',
      water: 'irreversible',
    },
    otherSectorWellbeing: 'material',
    wellbeingCap: { low: 'minimal', moderate: 'material', high: 'irreversible' },
  },
  deployer: {
    systemExposure: { internetFacing: 'open', internal: 'controlled' },
    safetyImpact: { minimal: 'negligible', material: 'marginal', irreversible: 'critical' },
    missionImpact: { low: 'degraded', moderate: 'mef_support_crippled', high: 'mef_failure' },
  },
  assessmentDefaults: { automatable: 'yes', technicalImpact: 'total', valueDensity: 'concentrated', safetyImpact: 'marginal' },
});
