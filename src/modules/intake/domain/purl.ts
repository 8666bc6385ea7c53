import { PackageURL } from 'packageurl-js';
import type { Target } from './finding.js';

/**
 * Package URLs, canonicalized by `packageurl-js` (type and qualifier keys lower-cased, qualifiers sorted,
 * per-type name rules such as PyPI's `_` → `-`), and the version-free identity the fingerprint keys on.
 */

export type PackageTarget = Extract<Target, { kind: 'package' }>;

function toTarget(purl: PackageURL): PackageTarget {
  const identity = new PackageURL(purl.type, purl.namespace, purl.name, undefined, undefined, undefined).toString();
  return { kind: 'package', purl: purl.toString(), identity };
}

/** The canonical form of a purl string, or null when it is not a valid purl. */
export function packageTargetFromPurl(raw: string): PackageTarget | null {
  try {
    return toTarget(PackageURL.fromString(raw.trim()));
  } catch {
    return null;
  }
}

/** The version a purl names, or null when it names none or is not a valid purl. */
export function purlVersion(raw: string): string | null {
  try {
    return PackageURL.fromString(raw.trim()).version ?? null;
  } catch {
    return null;
  }
}

/** A purl built from parts, or null when the parts do not make a valid one. */
export function packageTargetFromParts(type: string, namespace: string | undefined, name: string, version?: string): PackageTarget | null {
  try {
    return toTarget(new PackageURL(type, namespace || undefined, name, version || undefined, undefined, undefined));
  } catch {
    return null;
  }
}

/** `a/b/c` → namespace `a/b`, name `c` (Go modules, Swift URLs, Composer and npm scoped names). */
function splitLast(name: string): [string | undefined, string] {
  const at = name.lastIndexOf('/');
  return at < 0 ? [undefined, name] : [name.slice(0, at), name.slice(at + 1)];
}

// OSV ecosystem (without its `:suffix`) → purl type and, for distributions, the purl namespace.
const ECOSYSTEM_PURL: Readonly<Record<string, { type: string; namespace?: string; split?: 'slash' | 'colon' | 'owner' }>> = {
  PyPI: { type: 'pypi' },
  npm: { type: 'npm', split: 'slash' },
  Go: { type: 'golang', split: 'slash' },
  'crates.io': { type: 'cargo' },
  Maven: { type: 'maven', split: 'colon' },
  NuGet: { type: 'nuget' },
  RubyGems: { type: 'gem' },
  Packagist: { type: 'composer', split: 'slash' },
  Hex: { type: 'hex' },
  Pub: { type: 'pub' },
  Hackage: { type: 'hackage' },
  CRAN: { type: 'cran' },
  ConanCenter: { type: 'conan' },
  Bitnami: { type: 'bitnami' },
  SwiftURL: { type: 'swift', split: 'slash' },
  'GitHub Actions': { type: 'github', split: 'owner' },
  Debian: { type: 'deb', namespace: 'debian' },
  Ubuntu: { type: 'deb', namespace: 'ubuntu' },
  Alpine: { type: 'apk', namespace: 'alpine' },
  Wolfi: { type: 'apk', namespace: 'wolfi' },
  Chainguard: { type: 'apk', namespace: 'chainguard' },
  'Red Hat': { type: 'rpm', namespace: 'redhat' },
  AlmaLinux: { type: 'rpm', namespace: 'almalinux' },
  'Rocky Linux': { type: 'rpm', namespace: 'rocky-linux' },
  SUSE: { type: 'rpm', namespace: 'suse' },
  openSUSE: { type: 'rpm', namespace: 'opensuse' },
  Mageia: { type: 'rpm', namespace: 'mageia' },
  openEuler: { type: 'rpm', namespace: 'openeuler' },
  'Photon OS': { type: 'rpm', namespace: 'photon' },
  'Azure Linux': { type: 'rpm', namespace: 'azurelinux' },
};

/**
 * The package an OSV `affected[].package` names, as a purl target; null for ecosystems with no purl type
 * (Linux, Android, OSS-Fuzz, GIT) or names the type rejects.
 */
export function packageTargetFromEcosystem(ecosystem: string, name: string): PackageTarget | null {
  const rule = ECOSYSTEM_PURL[ecosystem.split(':')[0] ?? ''];
  if (!rule) return null;
  if (rule.split === 'colon') {
    const [group, artifact] = name.split(':');
    return artifact === undefined ? null : packageTargetFromParts(rule.type, group, artifact);
  }
  if (rule.split === 'owner') {
    // A sub-action (`owner/repo/path`) lives in the repository: the package is the repository.
    const [owner, repo] = name.split('/');
    return owner && repo ? packageTargetFromParts(rule.type, owner, repo) : null;
  }
  if (rule.split === 'slash') {
    const [namespace, last] = splitLast(name);
    return packageTargetFromParts(rule.type, rule.namespace ?? namespace, last);
  }
  return packageTargetFromParts(rule.type, rule.namespace, name);
}

// CVE 5 `collectionURL` host → purl type (the package registries the CVE schema lists as examples).
const COLLECTION_HOSTS: Readonly<Record<string, string>> = {
  'pkg.go.dev': 'golang',
  'pypi.org': 'pypi',
  'pypi.python.org': 'pypi',
  'www.npmjs.com': 'npm',
  'registry.npmjs.org': 'npm',
  'crates.io': 'cargo',
  'repo.maven.apache.org': 'maven',
  'rubygems.org': 'gem',
  'packagist.org': 'composer',
  'www.nuget.org': 'nuget',
  'api.nuget.org': 'nuget',
  'repo.hex.pm': 'hex',
  'hex.pm': 'hex',
  'pub.dev': 'pub',
};

/** The package a CVE 5 `affected` entry names through `collectionURL` + `packageName`, when the registry is known. */
export function packageTargetFromCollection(collectionUrl: string, packageName: string): PackageTarget | null {
  let host: string;
  try {
    host = new URL(collectionUrl).hostname.toLowerCase();
  } catch {
    return null;
  }
  const type = COLLECTION_HOSTS[host];
  if (type === undefined) return null;
  if (type === 'maven') {
    const [group, artifact] = packageName.split(':');
    return artifact === undefined ? null : packageTargetFromParts(type, group, artifact);
  }
  if (type === 'golang' || type === 'npm' || type === 'composer') {
    const [namespace, name] = splitLast(packageName);
    return packageTargetFromParts(type, namespace, name);
  }
  return packageTargetFromParts(type, undefined, packageName);
}
