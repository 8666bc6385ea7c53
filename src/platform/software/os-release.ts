import { readCpe } from './cpe.js';
import { releaseSuffixOf } from './purl-release.js';

/**
 * The OSV ecosystem of an operating system as an SBOM names it — an os-release ID or pretty name with a
 * version ("ubuntu" 22.04, "Debian GNU/Linux" 12, "alpine" 3.19.1, "Red Hat Enterprise Linux" 9.4), or
 * an operating-system CPE (cpe:2.3:o:canonical:ubuntu_linux:22.04) — with its release suffix:
 * "Ubuntu:22.04:LTS", "Debian:12", "Alpine:v3.19", "Red Hat:enterprise_linux:9". So that packages the
 * document lists without a `distro` qualifier are compared with their own release's advisories only.
 */

// os-release IDs, the names SBOM tools print, and CPE products, lower-cased → the OSV ecosystem base.
const BASES: Readonly<Record<string, string>> = {
  ubuntu: 'Ubuntu',
  ubuntu_linux: 'Ubuntu',
  debian: 'Debian',
  'debian gnu/linux': 'Debian',
  debian_linux: 'Debian',
  alpine: 'Alpine',
  'alpine linux': 'Alpine',
  alpine_linux: 'Alpine',
  rhel: 'Red Hat',
  redhat: 'Red Hat',
  'red hat enterprise linux': 'Red Hat',
  'red hat enterprise linux server': 'Red Hat',
  enterprise_linux: 'Red Hat',
  rocky: 'Rocky Linux',
  'rocky linux': 'Rocky Linux',
  rocky_linux: 'Rocky Linux',
  almalinux: 'AlmaLinux',
  alma: 'AlmaLinux',
  mageia: 'Mageia',
  photon: 'Photon OS',
  'photon os': 'Photon OS',
  'vmware photon os': 'Photon OS',
};

/** The OSV ecosystem base an operating-system name denotes ("Debian GNU/Linux" → "Debian"), or null. */
export function distroBaseOf(name: string): string | null {
  return BASES[name.toLowerCase().trim().replace(/\s+/g, ' ')] ?? null;
}

/**
 * "Ubuntu:22.04:LTS" for ("ubuntu", "22.04"), and so on; the CPE, when given, stands in for a name or
 * version the entry lacks. Null when the system is not a distribution OSV versions by release, or the
 * version names no release.
 */
export function distroEcosystemOf(name: string | null, version: string | null, cpe?: string | null): string | null {
  const read = cpe ? readCpe(cpe) : null;
  const fromCpe = read !== null && read.part === 'o' ? read : null;
  const base = (name === null ? null : distroBaseOf(name)) ?? (fromCpe ? distroBaseOf(fromCpe.product) : null);
  const release = version ?? fromCpe?.version ?? null;
  if (base === null || release === null) return null;
  const suffix = releaseSuffixOf(base, release);
  return suffix === null ? null : `${base}:${suffix}`;
}
