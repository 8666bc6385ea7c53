import { sha256Hex } from '../../../platform/hash.js';
import type { CodeLocation, Finding } from './finding.js';
import { isCveId } from './vulnerability-ids.js';

/**
 * The stable fingerprint (identity layer 2): a versioned SHA-256 over the fields of a finding that do not
 * drift between runs or tools. FINGERPRINTS.md lists the fields per format and why each one is, or is not,
 * in; change it and this file together, and bump the version when the fields change — old fingerprints then
 * simply stop matching new ones instead of matching the wrong ones.
 */

export const FINGERPRINT_VERSION = 2;
export const FINGERPRINT_PREFIX = `fp${FINGERPRINT_VERSION}:`;

export type LocationAnchor = { readonly kind: 'line-hash' | 'function' | 'symbol' | 'snippet'; readonly value: string };

/** Exactly what is hashed, returned with the value so that a match can be explained. */
export interface FingerprintFields {
  readonly version: typeof FINGERPRINT_VERSION;
  /** Version-free target identities, sorted. */
  readonly targets: readonly string[];
  readonly cwes: readonly string[];
  /** Path plus a content anchor; never line or column numbers. Null for advisories. */
  readonly location: { readonly path: string | null; readonly anchor: LocationAnchor | null } | null;
  /** Rule family (scanners, when no CWE says what was found) or the vulnerability id (advisories). */
  readonly rule: string | null;
}

export interface Fingerprint {
  /** `fp2:` (the version) followed by 64 hex digits. */
  readonly value: string;
  readonly fields: FingerprintFields;
}

const ADVISORY_FORMATS = new Set<Finding['format']>(['osv', 'cve5', 'csaf']);

/** The levels a location can be anchored at, finest first: the order in which the fingerprint takes the first. */
export const ANCHOR_LEVELS = ['line-hash', 'function', 'symbol', 'snippet'] as const;
export type AnchorLevel = (typeof ANCHOR_LEVELS)[number];

/** Every content anchor a location supports, finest first. */
function anchorsOf(location: CodeLocation): LocationAnchor[] {
  const anchors: LocationAnchor[] = [];
  if (location.lineHash !== null) anchors.push({ kind: 'line-hash', value: location.lineHash });
  if (location.function !== null) anchors.push({ kind: 'function', value: location.function });
  if (location.symbol !== null) anchors.push({ kind: 'symbol', value: location.symbol });
  const snippet = location.snippet?.replace(/\s+/g, ' ').trim();
  // The snippet is content, like the line hash; hashed so that fingerprints do not carry source code.
  if (snippet) anchors.push({ kind: 'snippet', value: sha256Hex(snippet).slice(0, 32) });
  return anchors;
}

/** The id an advisory is known by everywhere: its lowest CVE id when it has one, else its own id. */
function vulnerabilityKey(finding: Finding): string | null {
  const cves = finding.aliases
    .map((a) => a.id)
    .filter(isCveId)
    .sort();
  return cves[0] ?? finding.aliases.find((a) => a.source === 'record')?.id ?? finding.aliases[0]?.id ?? null;
}

/** The fields {@link fingerprintFinding} hashes, or null when there is too little to tell findings apart. */
export function fingerprintFields(finding: Finding): FingerprintFields | null {
  const targets = [...new Set(finding.targets.map((t) => t.identity))].sort();
  if (ADVISORY_FORMATS.has(finding.format)) {
    const rule = vulnerabilityKey(finding);
    // CWEs stay out: ADPs add them to a record later, and the vulnerability id already says what it is.
    return targets.length === 0 || rule === null ? null : { version: FINGERPRINT_VERSION, targets, cwes: [], location: null, rule };
  }
  const cwes = [...finding.cwes];
  const primary = finding.locations[0];
  const location = primary === undefined ? null : { path: primary.path, anchor: anchorsOf(primary)[0] ?? null };
  // A CWE already says what kind of problem it is, and lets two tools with different rule ids agree.
  const rule = cwes.length > 0 ? null : (finding.rule?.family ?? null);
  const where = targets.length > 0 || (location !== null && location.path !== null);
  const what = rule !== null || cwes.length > 0 || (location !== null && location.anchor !== null);
  return where && what ? { version: FINGERPRINT_VERSION, targets, cwes, location, rule } : null;
}

/**
 * The stable fingerprint of a finding, or null when it has neither a target nor a path, or nothing that
 * says what was found (no rule, CWE or content anchor): such a fingerprint would equate unrelated findings.
 */
export function fingerprintFinding(finding: Finding): Fingerprint | null {
  const fields = fingerprintFields(finding);
  return fields === null ? null : { value: fingerprintOf(fields), fields };
}

/**
 * `canonicalJson(fields)` — what a fingerprint hashes, as defined — written for the one shape fields have: no key
 * sorting, no recursion and no intermediate strings per member (the generic form was a tenth of the upload
 * threads' time in bench intake, issue 14). fingerprint.test.ts holds the two equal.
 */
export function fingerprintJson(fields: FingerprintFields): string {
  let cwes = '';
  for (let i = 0; i < fields.cwes.length; i++) cwes += (i === 0 ? '' : ',') + JSON.stringify(fields.cwes[i]);
  let targets = '';
  for (let i = 0; i < fields.targets.length; i++) targets += (i === 0 ? '' : ',') + JSON.stringify(fields.targets[i]);
  const at = fields.location;
  const anchor = at?.anchor ?? null;
  const location =
    at === null
      ? 'null'
      : `{"anchor":${anchor === null ? 'null' : `{"kind":${JSON.stringify(anchor.kind)},"value":${JSON.stringify(anchor.value)}}`},"path":${JSON.stringify(at.path)}}`;
  return `{"cwes":[${cwes}],"location":${location},"rule":${JSON.stringify(fields.rule)},"targets":[${targets}],"version":${fields.version}}`;
}

const fingerprintOf = (fields: FingerprintFields): string => FINGERPRINT_PREFIX + sha256Hex(fingerprintJson(fields));

/** The identity of a finding at one anchor level: the fingerprint it would have if that were its finest anchor. */
export interface AnchorKey {
  readonly level: AnchorLevel;
  readonly key: string;
}

export interface FindingIdentity {
  readonly fingerprint: Fingerprint | null;
  /**
   * The finding's identity at every anchor level its primary location supports (path plus line hash,
   * function, symbol or snippet), finest first; the first is the fingerprint itself. Empty when the location
   * has no path or no anchor, or the finding has no fingerprint.
   */
  readonly anchors: readonly AnchorKey[];
}

/**
 * The fingerprint and the identity at each coarser anchor level. A finding that lacks its finer anchor (a
 * scanner run without `partialFingerprints`) can then be matched to one that had it, at the level both have.
 */
export function findingIdentity(finding: Finding): FindingIdentity {
  const fingerprint = fingerprintFinding(finding);
  const location = fingerprint?.fields.location;
  const primary = finding.locations[0];
  if (fingerprint === null || !location?.path || location.anchor === null || primary === undefined) return { fingerprint, anchors: [] };
  const anchors = anchorsOf(primary).map((anchor, i) => ({
    level: anchor.kind,
    key: i === 0 ? fingerprint.value : fingerprintOf({ ...fingerprint.fields, location: { path: location.path, anchor } }),
  }));
  return { fingerprint, anchors };
}
