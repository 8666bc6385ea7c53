import type { AdvisoryIndex } from './match-index.js';
import type { AffectedVerdict, ComponentRef, Confidence, MatchStatus } from './osv-evaluate.js';
import { packageKey } from './package-name.js';
import type { ParsedSbom, SbomComponent } from './sbom-model.js';

/**
 * Forward matching: an SBOM against the advisory index, one entry per component × advisory, shaped as
 * `clearinghouse match --json` prints it (issue 6): the purl as written in the SBOM, the advisory id and
 * aliases, the fixed versions and the confidence.
 */

/** The matchable form of an SBOM component, or null when it has no purl with an advisory ecosystem. */
export function componentRefOf(component: SbomComponent): ComponentRef | null {
  const id = component.identity;
  if (id === null || id.kind !== 'purl' || id.ecosystem === null) return null;
  return { ecosystem: id.ecosystem, name: id.name, version: id.version ?? component.version };
}

export interface SbomMatch {
  /** The purl exactly as the SBOM wrote it. */
  readonly purl: string;
  readonly componentRef: string;
  readonly advisory: string;
  readonly aliases: readonly string[];
  readonly status: Exclude<MatchStatus, 'not-affected'>;
  readonly fixed: readonly string[];
  readonly confidence: Confidence;
  readonly reasons: readonly string[];
}

export interface SbomMatchReport {
  /** How many components the SBOM lists. */
  readonly components: number;
  /** Components that could not be matched (no purl with an advisory ecosystem), with the reason. */
  readonly unmatched: readonly { readonly ref: string; readonly name: string; readonly reason: string }[];
  readonly matches: readonly SbomMatch[];
}

/** The package keys matching the SBOM looks up: an index holding only these answers it alike (`onlyKeys`). */
export function sbomPackageKeys(sbom: ParsedSbom): Set<string> {
  const keys = new Set<string>();
  for (const component of sbom.components) {
    const ref = componentRefOf(component);
    if (ref !== null) keys.add(packageKey(ref.ecosystem, ref.name));
  }
  return keys;
}

/**
 * Matches every component of a parsed SBOM against the index. `unknown` verdicts (a component without a
 * version, a version the ecosystem rejects) are included with their reasons; pass
 * `{ includeUnknown: false }` to keep only `affected`. Default: included.
 */
export function matchSbomAgainstAdvisories(
  sbom: ParsedSbom,
  index: AdvisoryIndex,
  options: { readonly includeUnknown?: boolean } = {},
): SbomMatchReport {
  const includeUnknown = options.includeUnknown ?? true;
  const matches: SbomMatch[] = [];
  const unmatched: { ref: string; name: string; reason: string }[] = [];
  for (const component of sbom.components) {
    const ref = componentRefOf(component);
    if (ref === null) {
      // A CPE identity is matched against CPE-based records elsewhere, not against OSV packages.
      unmatched.push({
        ref: component.ref,
        name: component.name,
        reason: component.unmatchedReason ?? 'identified by CPE only; OSV advisories name packages',
      });
      continue;
    }
    for (const verdict of index.match(ref)) {
      if (verdict.status === 'unknown' && !includeUnknown) continue;
      matches.push(toMatch(component, verdict, index.get(verdict.advisoryId)?.aliases ?? []));
    }
  }
  return { components: sbom.components.length, unmatched, matches };
}

function toMatch(component: SbomComponent, verdict: AffectedVerdict, aliases: readonly string[]): SbomMatch {
  return {
    purl: component.purl ?? '',
    componentRef: component.ref,
    advisory: verdict.advisoryId,
    aliases,
    status: verdict.status === 'affected' ? 'affected' : 'unknown',
    fixed: verdict.fixed,
    confidence: verdict.confidence,
    reasons: verdict.reasons,
  };
}
