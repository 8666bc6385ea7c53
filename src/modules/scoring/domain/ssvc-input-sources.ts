import type { CisaAdpSsvc } from './cisa-adp-ssvc.js';
import type { KevEntry } from './kev-catalog.js';
import type { PrioritizationPolicy } from './prioritization-policy.js';
import type { Automatable, Exploitation, TechnicalImpact, ValueDensity } from './ssvc-decision-points.js';

/**
 * Where each SSVC input of a decision comes from. Each resolver returns the value together with its source,
 * so that the explanation can say, for instance, "Exploitation: active — KEV, added 2025-08-25, catalog
 * 2025.08.25" or "Automatable: yes — policy default-1, nobody assessed it".
 */

/** The points a validator may assess, with their values. */
type Assessed = { readonly automatable: Automatable; readonly technicalImpact: TechnicalImpact; readonly valueDensity: ValueDensity };
type MaybeAssessed = { readonly [K in keyof Assessed]?: Assessed[K] | null };

/** What a validator recorded about a cluster (validation module), as far as prioritization reads it. */
export interface ValidatorAssessment extends MaybeAssessed {
  /** Who validated: the validating organisation (or user) id. */
  readonly validator: string;
  /** ISO 8601 instant of the assessment. */
  readonly assessedAt: string;
  /** True when the validation found credible evidence of exploitation in the wild. */
  readonly activeExploitation?: boolean;
}

export type InputSource =
  | {
      readonly kind: 'kev';
      readonly cveId: string;
      readonly dateAdded: string;
      readonly knownRansomwareCampaignUse: 'known' | 'unknown';
      readonly catalogVersion: string;
      readonly dateReleased: string;
    }
  | { readonly kind: 'validation'; readonly validator: string; readonly assessedAt: string }
  | { readonly kind: 'cisa-adp'; readonly cveId: string; readonly version: string; readonly timestamp: string }
  | { readonly kind: 'public-exploit'; readonly references: readonly string[] }
  | { readonly kind: 'no-evidence' }
  | { readonly kind: 'policy-default'; readonly policyVersion: string };

/** A decision input: its value and where that came from. */
export interface SourcedValue<V extends string> {
  readonly value: V;
  readonly source: InputSource;
}

/** Everything that bears on Exploitation. */
export interface ExploitationEvidence {
  /** The KEV entry of the cluster's CVE (or of any CVE alias of it), when listed. */
  readonly kev: KevEntry | null;
  readonly validation: ValidatorAssessment | null;
  /** URLs of public exploit code or proofs of concept referenced by the cluster's reports or advisories. */
  readonly publicExploitReferences: readonly string[];
  readonly cisaAdp: CisaAdpSsvc | null;
}

const fromAdp = (adp: CisaAdpSsvc): InputSource => ({ kind: 'cisa-adp', cveId: adp.cveId, version: adp.version, timestamp: adp.timestamp });
const fromValidation = (v: ValidatorAssessment): InputSource => ({ kind: 'validation', validator: v.validator, assessedAt: v.assessedAt });

/**
 * Exploitation, the strongest evidence first: `active` when the CVE is in KEV, a validation found exploitation
 * in the wild, or CISA's enrichment says active; `poc` when a public exploit is referenced or CISA says poc;
 * otherwise `none` (from CISA when it assessed none, else for want of evidence). Evidence only ever raises
 * the value: a stale "none" from CISA does not override a KEV listing.
 */
export function resolveExploitation(evidence: ExploitationEvidence): SourcedValue<Exploitation> {
  const { kev, validation, publicExploitReferences, cisaAdp } = evidence;
  if (kev !== null) {
    const { cveId, dateAdded, knownRansomwareCampaignUse, catalogVersion, dateReleased } = kev;
    return { value: 'active', source: { kind: 'kev', cveId, dateAdded, knownRansomwareCampaignUse, catalogVersion, dateReleased } };
  }
  if (validation?.activeExploitation === true) return { value: 'active', source: fromValidation(validation) };
  if (cisaAdp?.exploitation === 'active') return { value: 'active', source: fromAdp(cisaAdp) };
  if (publicExploitReferences.length > 0)
    return { value: 'poc', source: { kind: 'public-exploit', references: [...publicExploitReferences] } };
  if (cisaAdp !== null) return { value: cisaAdp.exploitation, source: fromAdp(cisaAdp) };
  return { value: 'none', source: { kind: 'no-evidence' } };
}

/**
 * Automatable, Technical Impact or Value Density: the validator's assessment, else CISA's enrichment (which
 * has no Value Density), else the policy's default. The validator comes first because it reproduced this
 * very issue; CISA assessed the CVE as published.
 */
export function resolveAssessed<P extends keyof Assessed>(
  point: P,
  validation: ValidatorAssessment | null,
  cisaAdp: CisaAdpSsvc | null,
  policy: PrioritizationPolicy,
): SourcedValue<Assessed[P]> {
  const byValidator: MaybeAssessed = validation ?? {};
  const assessed = byValidator[point];
  if (assessed !== undefined && assessed !== null && validation !== null) return { value: assessed, source: fromValidation(validation) };
  const enriched: Partial<Assessed> =
    cisaAdp === null ? {} : { automatable: cisaAdp.automatable, technicalImpact: cisaAdp.technicalImpact };
  const fromCisa = enriched[point];
  if (fromCisa !== undefined && cisaAdp !== null) return { value: fromCisa, source: fromAdp(cisaAdp) };
  const defaults: Assessed = policy.assessmentDefaults;
  return { value: defaults[point], source: { kind: 'policy-default', policyVersion: policy.version } };
}
