import { intensityWithin, type Intensity, type Technique } from './techniques.js';
import {
  checkWindow,
  describeOccurrence,
  describeWindow,
  firstCollision,
  windowCovers,
  type Interval,
  type WindowSpec,
} from './time-window.js';

/**
 * Operators' scan policies and their evaluation against a campaign. An asset's policy says whether active
 * scanning needs the operator's consent (the default), is allowed, or must never happen (fragile OT);
 * which standing consents it has given (a scanner organisation, techniques, when, how hard); and when
 * active scanning is blacked out. Passive techniques (reading code) are never subject to it.
 */

export const ACTIVE_SCANNING_RULES = ['consent-required', 'allowed', 'never'] as const;
export type ActiveScanningRule = (typeof ACTIVE_SCANNING_RULES)[number];

export interface StandingConsent {
  readonly id: string;
  readonly scannerOrgId: string;
  readonly techniques: readonly Technique[];
  /** When the consent applies; null for any time. */
  readonly window: WindowSpec | null;
  readonly maxIntensity: Intensity;
}

export interface Blackout {
  readonly id: string;
  readonly reason: string;
  readonly window: WindowSpec;
}

export interface AssetPolicy {
  readonly assetId: string;
  readonly name: string;
  readonly operatorOrgId: string;
  readonly timeZone: string;
  readonly activeScanning: ActiveScanningRule;
  readonly consents: readonly StandingConsent[];
  readonly blackouts: readonly Blackout[];
}

/** What policy evaluation reads of a campaign. */
export interface CampaignPlan {
  readonly orgId: string;
  readonly technique: Technique;
  readonly window: Interval;
  /** Null for passive campaigns. */
  readonly intensity: Intensity | null;
}

export const POLICY_RULES = ['never-actively-scan', 'consent-required', 'blackout'] as const;
export type PolicyRule = (typeof POLICY_RULES)[number];

export interface PolicyViolation {
  readonly assetId: string;
  readonly assetName: string;
  readonly operatorOrgId: string;
  readonly rule: PolicyRule;
  /** A sentence naming the asset, the rule and what collides. */
  readonly detail: string;
  readonly blackoutId?: string;
}

/** Why a standing consent does not cover the campaign, or null when it does. Consents of other scanners are not considered. */
function consentGap(consent: StandingConsent, plan: CampaignPlan, timeZone: string): string | null {
  if (!consent.techniques.includes(plan.technique))
    return `consent ${consent.id} covers ${consent.techniques.join(', ')}, not ${plan.technique}`;
  if (consent.window !== null && !windowCovers(consent.window, timeZone, plan.window)) {
    return `consent ${consent.id} applies only ${describeWindow(consent.window, timeZone)}, which does not cover the campaign's window`;
  }
  if (plan.intensity !== null) {
    const over = intensityWithin(plan.intensity, consent.maxIntensity);
    if (over !== null) return `consent ${consent.id}: ${over}`;
  }
  return null;
}

/**
 * Evaluates an active campaign against the policies of the assets it touches. Each violation names the
 * asset and the rule; an empty list means the campaign may be registered. Callers pass only active
 * campaigns (see `techniqueActivity`).
 */
export function evaluateActiveCampaign(plan: CampaignPlan, assets: readonly AssetPolicy[]): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  for (const asset of assets) {
    const base = { assetId: asset.assetId, assetName: asset.name, operatorOrgId: asset.operatorOrgId };
    if (asset.activeScanning === 'never') {
      out.push({
        ...base,
        rule: 'never-actively-scan',
        detail: `asset "${asset.name}" must never be actively scanned (${plan.technique} is active scanning)`,
      });
      continue;
    }
    if (asset.activeScanning === 'consent-required' && asset.operatorOrgId !== plan.orgId) {
      const own = asset.consents.filter((c) => c.scannerOrgId === plan.orgId);
      const gaps = own.map((c) => consentGap(c, plan, asset.timeZone));
      if (!gaps.includes(null)) {
        const why = gaps.length === 0 ? 'no standing consent for your organisation' : (gaps as string[]).join('; ');
        out.push({
          ...base,
          rule: 'consent-required',
          detail: `active scanning of asset "${asset.name}" needs its operator's consent: ${why}`,
        });
      }
    }
    for (const blackout of asset.blackouts) {
      const hit = firstCollision(blackout.window, asset.timeZone, plan.window);
      if (hit === null) continue;
      out.push({
        ...base,
        rule: 'blackout',
        blackoutId: blackout.id,
        detail: `asset "${asset.name}" is blacked out ${describeWindow(blackout.window, asset.timeZone)}${blackout.reason ? ` (${blackout.reason})` : ''}; the campaign's window includes ${describeOccurrence(hit, asset.timeZone)}`,
      });
    }
  }
  return out;
}

/** Why an asset's policy is not usable (naming the field), or null. */
export function checkAssetPolicy(
  asset: Pick<AssetPolicy, 'timeZone' | 'consents' | 'blackouts'>,
): { readonly field: string; readonly rule: string } | null {
  for (const [i, c] of asset.consents.entries()) {
    if (c.techniques.length === 0) return { field: `consents/${i}/techniques`, rule: 'must name at least one technique' };
    if (c.window !== null) {
      const bad = checkWindow(c.window, asset.timeZone);
      if (bad !== null) return { field: `consents/${i}/window/${bad.field}`, rule: bad.rule };
    }
  }
  for (const [i, b] of asset.blackouts.entries()) {
    const bad = checkWindow(b.window, asset.timeZone);
    if (bad !== null) return { field: `blackouts/${i}/window/${bad.field}`, rule: bad.rule };
  }
  return null;
}
