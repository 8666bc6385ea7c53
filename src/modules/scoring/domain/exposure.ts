import type { Sector } from '../../identity/index.js';
import type { ExposedAsset as InventoryAsset } from '../../inventory/pure.js';
import { evaluateDecisionTable, type DecisionResult } from './decision-table.js';
import { ASSET_CRITICALITIES, type AssetCriticality, type PrioritizationPolicy } from './prioritization-policy.js';
import {
  MISSION_PREVALENCE,
  PUBLIC_WELLBEING,
  type MissionImpact,
  type MissionPrevalence,
  type MissionWellbeing,
  type PublicWellbeing,
  type SafetyImpact,
} from './ssvc-decision-points.js';
import { MISSION_WELLBEING_TABLE, type MissionWellbeingInputs } from './ssvc-mission-wellbeing.js';

/**
 * Exposure: the registered operators' assets whose inventories run the affected versions (inventory
 * module), and what they make of SSVC's Mission & Well-being, the input no public feed can supply.
 */

/** Inventory's exposed asset, with the impacts its operator may state for it. */
export interface ExposedAsset extends InventoryAsset {
  /** Stated by the operator for this asset; when absent the policy derives it (deployer tree). */
  readonly safetyImpact?: SafetyImpact | null;
  readonly missionImpact?: MissionImpact | null;
}

export interface ExposureSummary {
  /** Distinct operators: the exposure count that breaks ties between equal decisions. */
  readonly operatorCount: number;
  readonly assetCount: number;
  /** Distinct sectors, sorted. */
  readonly sectors: readonly Sector[];
  /** Null when nothing is exposed. */
  readonly highestCriticality: AssetCriticality | null;
}

/** How many assets an explanation names as the ones that set the level; the count says how many there are. */
export const MAX_DECISIVE_ASSETS = 10;

export type MissionWellbeingSource =
  | {
      readonly kind: 'exposure';
      readonly policyVersion: string;
      readonly exposure: ExposureSummary;
      readonly missionPrevalence: MissionPrevalence;
      readonly publicWellbeing: PublicWellbeing;
      /** The assets that set the prevalence or the well-being level, at most {@link MAX_DECISIVE_ASSETS}. */
      readonly decisiveAssets: readonly { readonly operatorId: string; readonly assetId: string }[];
      readonly decision: DecisionResult<MissionWellbeingInputs, MissionWellbeing>;
    }
  | { readonly kind: 'policy-default'; readonly policyVersion: string; readonly reason: 'exposure unknown' };

export interface MissionWellbeingAssessment {
  readonly value: MissionWellbeing;
  readonly source: MissionWellbeingSource;
}

const rank = <V extends string>(values: readonly { readonly value: V }[], value: V) => values.findIndex((v) => v.value === value);

export function summarizeExposure(assets: readonly ExposedAsset[]): ExposureSummary {
  const criticalities = new Set(assets.map((a) => a.criticality));
  return {
    operatorCount: new Set(assets.map((a) => a.operatorId)).size,
    assetCount: assets.length,
    sectors: [...new Set(assets.flatMap((a) => (a.sector === null ? [] : [a.sector])))].sort(),
    highestCriticality: [...ASSET_CRITICALITIES].reverse().find((c) => criticalities.has(c)) ?? null,
  };
}

/**
 * The Public Well-Being Impact one asset carries: its sector's level (policy `sectorWellbeing`, else
 * `otherSectorWellbeing`), capped by the asset's criticality (policy `wellbeingCap`).
 */
export function assetPublicWellbeing(asset: ExposedAsset, policy: PrioritizationPolicy): PublicWellbeing {
  const { sectorWellbeing, otherSectorWellbeing, wellbeingCap } = policy.missionWellbeing;
  const sector = (asset.sector === null ? undefined : sectorWellbeing[asset.sector]) ?? otherSectorWellbeing;
  const cap = wellbeingCap[asset.criticality];
  return rank(PUBLIC_WELLBEING.values, sector) <= rank(PUBLIC_WELLBEING.values, cap) ? sector : cap;
}

/**
 * Mission & Well-being from exposure: each exposed asset's Mission Prevalence (policy, by criticality) and
 * Public Well-Being Impact ({@link assetPublicWellbeing}); the highest of each goes through the Mission &
 * Well-being table. No exposed asset gives Minimal × Minimal, hence Low; unknown exposure (null: no match has
 * run) gives the policy's `unknownExposure`.
 */
export function missionWellbeingFromExposure(
  assets: readonly ExposedAsset[] | null,
  policy: PrioritizationPolicy,
): MissionWellbeingAssessment {
  if (assets === null) {
    return {
      value: policy.missionWellbeing.unknownExposure,
      source: { kind: 'policy-default', policyVersion: policy.version, reason: 'exposure unknown' },
    };
  }
  const levels = assets.map((asset) => ({
    asset,
    prevalence: policy.missionWellbeing.missionPrevalence[asset.criticality],
    wellbeing: assetPublicWellbeing(asset, policy),
  }));
  const highest = <V extends string>(values: readonly { readonly value: V }[], pick: (l: (typeof levels)[number]) => V): V =>
    levels.reduce((top, l) => (rank(values, pick(l)) > rank(values, top) ? pick(l) : top), values[0]?.value as V);
  const missionPrevalence = highest(MISSION_PREVALENCE.values, (l) => l.prevalence);
  const publicWellbeing = highest(PUBLIC_WELLBEING.values, (l) => l.wellbeing);
  const decisive = assets.length === 0 ? [] : levels.filter((l) => l.prevalence === missionPrevalence || l.wellbeing === publicWellbeing);
  const decision = evaluateDecisionTable(MISSION_WELLBEING_TABLE, { missionPrevalence, publicWellbeing });
  return {
    value: decision.outcome,
    source: {
      kind: 'exposure',
      policyVersion: policy.version,
      exposure: summarizeExposure(assets),
      missionPrevalence,
      publicWellbeing,
      decisiveAssets: decisive.slice(0, MAX_DECISIVE_ASSETS).map(({ asset }) => ({ operatorId: asset.operatorId, assetId: asset.assetId })),
      decision,
    },
  };
}
