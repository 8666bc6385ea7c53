import {
  buildPackageUrl,
  formatPackageUrlAndIdentity,
  parsePackageUrl,
  purlPartsForPackage,
  type PackageUrl,
} from '../../../platform/software/index.js';
import type { Target } from './finding.js';

/**
 * Finding targets for packages, read by the platform's one purl reader: the canonical purl and the
 * version-free identity the fingerprint keys on.
 */

export type PackageTarget = Extract<Target, { kind: 'package' }>;

function toTarget(p: PackageUrl): PackageTarget {
  const { purl, identity } = formatPackageUrlAndIdentity(p);
  return { kind: 'package', purl, identity };
}

/** The canonical form of a purl string, or null when it is not a valid purl. */
export function packageTargetFromPurl(raw: string): PackageTarget | null {
  const r = parsePackageUrl(raw);
  return r.ok ? toTarget(r.value) : null;
}

/** The version a purl names, or null when it names none or is not a valid purl. */
export function purlVersion(raw: string): string | null {
  const r = parsePackageUrl(raw);
  return r.ok ? r.value.version : null;
}

/** A purl built from parts, or null when the parts do not make a valid one. */
export function packageTargetFromParts(type: string, namespace: string | undefined, name: string, version?: string): PackageTarget | null {
  const r = buildPackageUrl({ type, namespace: namespace ?? null, name, version: version ?? null });
  return r.ok ? toTarget(r.value) : null;
}

/**
 * The package an OSV `affected[].package` names, as a purl target; null for ecosystems with no purl type
 * (Linux, Android, OSS-Fuzz, GIT) or names the type rejects.
 */
export function packageTargetFromEcosystem(ecosystem: string, name: string): PackageTarget | null {
  const p = purlPartsForPackage(ecosystem, name);
  return p === null ? null : toTarget(p);
}

// CVE 5 `collectionURL` host → OSV ecosystem (the package registries the CVE schema lists as examples).
const COLLECTION_HOSTS: Readonly<Record<string, string>> = {
  'pkg.go.dev': 'Go',
  'pypi.org': 'PyPI',
  'pypi.python.org': 'PyPI',
  'www.npmjs.com': 'npm',
  'registry.npmjs.org': 'npm',
  'crates.io': 'crates.io',
  'repo.maven.apache.org': 'Maven',
  'rubygems.org': 'RubyGems',
  'packagist.org': 'Packagist',
  'www.nuget.org': 'NuGet',
  'api.nuget.org': 'NuGet',
  'repo.hex.pm': 'Hex',
  'hex.pm': 'Hex',
  'pub.dev': 'Pub',
};

/** The package a CVE 5 `affected` entry names through `collectionURL` + `packageName`, when the registry is known. */
export function packageTargetFromCollection(collectionUrl: string, packageName: string): PackageTarget | null {
  let host: string;
  try {
    host = new URL(collectionUrl).hostname.toLowerCase();
  } catch {
    return null;
  }
  const ecosystem = COLLECTION_HOSTS[host];
  return ecosystem === undefined ? null : packageTargetFromEcosystem(ecosystem, packageName);
}
