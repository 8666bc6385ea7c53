/**
 * OSV ecosystem names (ossf/osv-schema ecosystems.json). An ecosystem string may carry a suffix after the
 * first ":" — a release for distributions ("Debian:11", "Alpine:v3.16", "Ubuntu:22.04:LTS", "Red
 * Hat:rhel_aus:8.4::appstream") or a repository URL for registries ("Maven:https://maven.google.com").
 */

export interface Ecosystem {
  /** The OSV name, canonical spelling ("PyPI", "crates.io"), or the input's base when unknown. */
  readonly base: string;
  /** What follows the first ":", or null. */
  readonly suffix: string | null;
  /** Whether `base` is an ecosystem listed by the OSV schema. */
  readonly known: boolean;
}

/** Every ecosystem the OSV schema lists (ecosystems.json, 2026-07). */
export const OSV_ECOSYSTEMS = [
  'AlmaLinux',
  'Alpaquita',
  'Alpine',
  'Android',
  'Azure Linux',
  'BellSoft Hardened Containers',
  'Bioconductor',
  'Bitnami',
  'Chainguard',
  'CleanStart',
  'ConanCenter',
  'CRAN',
  'crates.io',
  'Debian',
  'Docker Hardened Images',
  'Echo',
  'FreeBSD',
  'GHC',
  'GitHub Actions',
  'Go',
  'Hackage',
  'Hex',
  'Julia',
  'Kubernetes',
  'Linux',
  'Mageia',
  'Maven',
  'MinimOS',
  'npm',
  'NuGet',
  'opam',
  'openEuler',
  'openSUSE',
  'OSS-Fuzz',
  'Packagist',
  'Photon OS',
  'Pub',
  'PyPI',
  'Red Hat',
  'Rocky Linux',
  'Root',
  'RubyGems',
  'SUSE',
  'SwiftURL',
  'TuxCare',
  'Ubuntu',
  'VSCode',
  'Wolfi',
] as const;

export type OsvEcosystemName = (typeof OSV_ECOSYSTEMS)[number];

const BY_LOWER = new Map<string, string>(OSV_ECOSYSTEMS.map((e) => [e.toLowerCase(), e]));

/** Ecosystems whose suffix names a package repository, not a release: it does not narrow a match. */
const REPOSITORY_SUFFIX = new Set<string>(['Maven', 'Packagist', 'VSCode']);

/** Splits an ecosystem string at its first ":" and canonicalizes the base's spelling. Never throws. */
export function parseEcosystem(ecosystem: string): Ecosystem {
  const trimmed = ecosystem.trim();
  const colon = trimmed.indexOf(':');
  const rawBase = colon === -1 ? trimmed : trimmed.slice(0, colon);
  const suffix = colon === -1 ? null : trimmed.slice(colon + 1);
  const canonical = BY_LOWER.get(rawBase.toLowerCase());
  return { base: canonical ?? rawBase, suffix: suffix === '' ? null : suffix, known: canonical !== undefined };
}

/**
 * Ecosystems whose suffix is a CPE narrowed field by field: a component in "Red Hat:enterprise_linux:9"
 * (what an SBOM or a purl can say) is in each of that release's repository streams
 * ("…:9::appstream", "…:9::baseos"), never in "…:8::appstream" or "rhel_eus:9.2::baseos".
 */
const CPE_SUFFIX = new Set<string>(['Red Hat']);

const sameRelease = (base: string, advisory: string, component: string): boolean =>
  advisory === component || (CPE_SUFFIX.has(base) && advisory.startsWith(`${component}:`));

/**
 * Whether a component's ecosystem falls under an advisory's. Bases must be equal. A release suffix on
 * both sides must be equal too (for Red Hat, the component's CPE a prefix of the advisory's); when only
 * one side names a release the answer is "maybe" — the caller reports such a match with low confidence.
 * Repository suffixes (Maven, Packagist, VSCode) are ignored.
 */
export function ecosystemCovers(advisory: Ecosystem, component: Ecosystem): 'yes' | 'maybe' | 'no' {
  if (advisory.base.toLowerCase() !== component.base.toLowerCase()) return 'no';
  if (REPOSITORY_SUFFIX.has(advisory.base)) return 'yes';
  if (advisory.suffix === null && component.suffix === null) return 'yes';
  if (advisory.suffix !== null && component.suffix !== null)
    return sameRelease(advisory.base, advisory.suffix, component.suffix) ? 'yes' : 'no';
  // An advisory for "Debian" (every release) covers a "Debian:11" component; the reverse is uncertain.
  return advisory.suffix === null ? 'yes' : 'maybe';
}
