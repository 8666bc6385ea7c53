import { readCpe, readRepositoryUrl } from '../../../platform/software/index.js';
import { cidrsOverlap, readCidr, type CidrBlock } from './cidr.js';
import { hostsOverlap, readHostname, type HostPattern } from './hostname.js';
import type { TargetClass } from './techniques.js';
import { readVers, versionSetOfVers } from './vers.js';
import {
  allVersions,
  describeInterval,
  describeSet,
  intersectSets,
  singleVersion,
  type VersionScheme,
  type VersionSet,
} from './version-set.js';

/**
 * What a campaign scans or a lease claims: software (a package by purl, optionally narrowed to versions, a
 * source repository, a CPE or a vendor/product pair) or a network target (a CIDR block or a host name).
 * `key` is the version-free identity — the same string intake uses for a finding's target, so coverage and
 * cluster counts join on it — and the unit a lease is held on.
 */
export type ScanTarget =
  | {
      readonly kind: 'package';
      readonly key: string;
      readonly text: string;
      readonly ecosystem: string | null;
      /** The versions in scope; null when the purl's type has no known version order (every version). */
      readonly versions: VersionSet | null;
      /** True when versions were given but cannot be compared exactly (guessed or unknown order). */
      readonly approximate: boolean;
    }
  | { readonly kind: 'repository'; readonly key: string; readonly text: string }
  | { readonly kind: 'cpe'; readonly key: string; readonly text: string; readonly version: string | null }
  | { readonly kind: 'product'; readonly key: string; readonly text: string }
  | { readonly kind: 'cidr'; readonly key: string; readonly text: string; readonly block: CidrBlock }
  | { readonly kind: 'hostname'; readonly key: string; readonly text: string; readonly host: HostPattern };

export type TargetKind = ScanTarget['kind'];

/** A purl as the product's one purl reader gives it. */
export interface PurlFacts {
  /** Canonical form, with version and qualifiers. */
  readonly purl: string;
  readonly type: string;
  /** `pkg:<type>/<namespace>/<name>`: no version, qualifiers or subpath. */
  readonly identity: string;
  /** OSV ecosystem, or null when the type maps to none. */
  readonly ecosystem: string | null;
  readonly version: string | null;
}

/** What target reading needs from the rest of the product: purls and per-ecosystem version orders. */
export interface SoftwareVocabulary {
  readPurl(text: string): { readonly ok: true; readonly value: PurlFacts } | { readonly ok: false; readonly reason: string };
  /** The version order for an OSV ecosystem (a guessed one, `exact: false`, for unknown ecosystems). */
  versionOrderFor(ecosystem: string): VersionScheme;
}

export type TargetReadResult = { readonly ok: true; readonly target: ScanTarget } | { readonly ok: false; readonly reason: string };

const REPOSITORY_PURL_HOSTS: Readonly<Record<string, string>> = { github: 'github.com', gitlab: 'gitlab.com', bitbucket: 'bitbucket.org' };

export function targetClass(target: ScanTarget): TargetClass {
  return target.kind === 'cidr' || target.kind === 'hostname' ? 'network' : 'software';
}

function readPackage(text: string, versions: string | undefined, vocabulary: SoftwareVocabulary): TargetReadResult {
  const read = vocabulary.readPurl(text);
  if (!read.ok) return read;
  const purl = read.value;
  const host = REPOSITORY_PURL_HOSTS[purl.type];
  if (host !== undefined) {
    // pkg:github/owner/repo names a source repository: one target with its https URL.
    const repository = readRepositoryUrl(`https://${host}/${purl.identity.slice(`pkg:${purl.type}/`.length)}`);
    if (repository !== null)
      return { ok: true, target: { kind: 'repository', key: repository.identity, text: `https://${host}/${repository.path}` } };
  }
  if (purl.version !== null && versions !== undefined) {
    return { ok: false, reason: `${purl.purl} names a version; give either a version in the purl or a "versions" range, not both` };
  }
  const scheme = purl.ecosystem === null ? null : vocabulary.versionOrderFor(purl.ecosystem);
  let set: VersionSet | null = null;
  if (scheme !== null) {
    if (purl.version !== null) {
      const parsed = scheme.parse(purl.version);
      if (parsed === null) return { ok: false, reason: `${JSON.stringify(purl.version)} is not a valid ${scheme.scheme} version` };
      set = singleVersion(scheme, purl.version, parsed);
    } else if (versions !== undefined) {
      const vers = readVers(versions);
      if (!vers.ok) return vers;
      if (vers.value.type !== purl.type) {
        return { ok: false, reason: `the range's type "${vers.value.type}" must be the purl's type "${purl.type}"` };
      }
      const result = versionSetOfVers(vers.value, scheme);
      if (!result.ok) return result;
      set = result.value;
    } else {
      set = allVersions(scheme);
    }
  } else if (versions !== undefined) {
    const vers = readVers(versions);
    if (!vers.ok) return vers;
  }
  const narrowed = purl.version !== null || versions !== undefined;
  const approximate = narrowed && (scheme === null || !scheme.exact);
  const suffix = purl.version !== null ? `@${purl.version}` : versions !== undefined && set !== null ? ` ${describeSet(set)}` : '';
  return {
    ok: true,
    target: {
      kind: 'package',
      key: purl.identity,
      text: `${purl.identity}${suffix}`,
      ecosystem: purl.ecosystem,
      versions: set,
      approximate,
    },
  };
}

/**
 * Reads a target from its text: `pkg:…` (with `versions`, a `vers:` range, optionally), `cpe:…`,
 * `product:<vendor>/<product>`, a repository URL (`https://host/owner/repo`, `git@host:owner/repo`), a CIDR
 * block or IP address, or a host name (`*.example.com` for every name below it). Never throws.
 */
export function readScanTarget(input: string, vocabulary: SoftwareVocabulary, versions?: string): TargetReadResult {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'a target must not be empty' };
  if (versions !== undefined && !/^pkg:/i.test(text))
    return { ok: false, reason: 'a "versions" range applies to a package (pkg:…) target only' };
  if (/^pkg:/i.test(text)) return readPackage(text, versions, vocabulary);
  if (/^cpe:/i.test(text)) {
    const cpe = readCpe(text);
    if (cpe === null || cpe.vendor === '*' || cpe.product === '*')
      return { ok: false, reason: `${JSON.stringify(text)} is not a CPE naming a vendor and a product` };
    return { ok: true, target: { kind: 'cpe', key: cpe.identity, text: cpe.cpe, version: cpe.version } };
  }
  if (/^product:/i.test(text)) {
    const body = text.slice('product:'.length);
    const slash = body.indexOf('/');
    const identity = slash > 0 ? `product:${body}`.toLowerCase().replace(/\s+/g, ' ') : null;
    if (identity === null || slash === body.length - 1)
      return { ok: false, reason: `${JSON.stringify(text)} must be product:<vendor>/<product>` };
    return { ok: true, target: { kind: 'product', key: identity, text: identity } };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^[\w.-]+@[\w.-]+:/.test(text)) {
    const repository = readRepositoryUrl(text);
    if (repository === null)
      return {
        ok: false,
        reason: `${JSON.stringify(text)} is not a repository URL (https://host/owner/repo); for a live host give its name`,
      };
    return { ok: true, target: { kind: 'repository', key: repository.identity, text: `https://${repository.host}/${repository.path}` } };
  }
  if (/^[0-9.]+(\/\d+)?$/.test(text) || text.includes(':')) {
    const cidr = readCidr(text);
    if (!cidr.ok) return cidr;
    return { ok: true, target: { kind: 'cidr', key: `cidr:${cidr.block.text}`, text: cidr.block.text, block: cidr.block } };
  }
  const host = readHostname(text);
  if (!host.ok) return host;
  return { ok: true, target: { kind: 'hostname', key: `host:${host.host.text}`, text: host.host.text, host: host.host } };
}

/** How two targets overlap: what they have in common, and whether that is certain. */
export interface TargetOverlap {
  /** E.g. "versions [4.0.0, 4.17.21)" or "10.0.0.0/25 ⊂ 10.0.0.0/24". */
  readonly detail: string;
  /** True when the overlap rests on a guessed version order or unknown versions. */
  readonly approximate: boolean;
}

/** Whether two targets name something in common: same package with common versions, nested blocks, matching names. */
export function targetsOverlap(a: ScanTarget, b: ScanTarget): TargetOverlap | null {
  switch (a.kind) {
    case 'package': {
      if (b.kind !== 'package' || a.key !== b.key) return null;
      return packageOverlap(a, b);
    }
    case 'repository':
    case 'product':
      return b.kind === a.kind && a.key === b.key ? { detail: a.key, approximate: false } : null;
    case 'cpe': {
      if (b.kind !== 'cpe' || a.key !== b.key) return null;
      if (a.version !== null && b.version !== null && a.version !== b.version) return null;
      return { detail: a.version ?? b.version ?? 'all versions', approximate: false };
    }
    case 'cidr':
      return b.kind === 'cidr' && cidrsOverlap(a.block, b.block)
        ? { detail: a.block.prefix >= b.block.prefix ? a.text : b.text, approximate: false }
        : null;
    case 'hostname':
      return b.kind === 'hostname' && hostsOverlap(a.host, b.host)
        ? { detail: a.host.wildcard ? b.text : a.text, approximate: false }
        : null;
  }
}

type PackageTarget = Extract<ScanTarget, { kind: 'package' }>;

export function packageOverlap(a: PackageTarget, b: PackageTarget): TargetOverlap | null {
  if (a.approximate || b.approximate)
    return { detail: `${a.key} (versions not comparable exactly; treated as overlapping)`, approximate: true };
  // Without a version order nothing was narrowed (else it would be approximate): every version.
  if (a.versions === null || b.versions === null) return { detail: `${a.key} all versions`, approximate: false };
  const common = intersectSets(a.versions, b.versions);
  return common === null ? null : { detail: `${a.key} versions ${describeInterval(common)}`, approximate: false };
}
