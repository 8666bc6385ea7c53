import type { PackageUrl } from './purl.js';

/**
 * The OSV release suffix a distribution purl's `distro` qualifier implies, so that a component is compared
 * only with advisories for its own release ("Ubuntu:22.04:LTS" never matches an "Ubuntu:20.04:LTS" one):
 * Debian `debian-11`/`bookworm` → "11"/"12"; Ubuntu `ubuntu-22.04`/`jammy` → "22.04:LTS"; Alpine
 * `alpine-3.16.2` → "v3.16"; Rocky, Alma `rocky-9.3`/`el9` → "9"; Photon `photon-5.0` → "5.0"; Mageia
 * `mageia-9` → "9"; Red Hat `rhel-9.4`/`el9` → "enterprise_linux:9", the product and major release of the
 * CPE that OSV's "Red Hat:enterprise_linux:9::appstream" streams start with (which repository stream a
 * package came from no purl or SBOM says; the matcher reads the component's suffix as a prefix there).
 * Null when the qualifier is absent or names no release we know.
 */

const DEBIAN_CODENAMES: Readonly<Record<string, string>> = {
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
  sid: 'sid',
};

const UBUNTU_CODENAMES: Readonly<Record<string, string>> = {
  trusty: '14.04',
  xenial: '16.04',
  bionic: '18.04',
  focal: '20.04',
  groovy: '20.10',
  hirsute: '21.04',
  impish: '21.10',
  jammy: '22.04',
  kinetic: '22.10',
  lunar: '23.04',
  mantic: '23.10',
  noble: '24.04',
  oracular: '24.10',
  plucky: '25.04',
  questing: '25.10',
};

/** Ubuntu's long-term releases are the April ones of even years; OSV writes them "YY.04:LTS". */
function ubuntuSuffix(release: string): string {
  const [yy = '', mm = ''] = release.split('.');
  return mm === '04' && Number(yy) % 2 === 0 ? `${release}:LTS` : release;
}

/** "rocky-9", "el9", "9.3" → "9" for the distribution's names (compiled once: it runs per purl). */
function majorReleaseOf(names: readonly string[]): (distro: string) => string | null {
  const pattern = new RegExp(`^(?:(?:${names.join('|')})-?)?(?:el)?(\\d+)(?:[.\\d]*)$`);
  return (distro) => pattern.exec(distro)?.[1] ?? null;
}

const ROCKY_MAJOR = majorReleaseOf(['rocky', 'rocky-linux', 'rockylinux']);
const ALMA_MAJOR = majorReleaseOf(['almalinux', 'alma']);
const MAGEIA_MAJOR = majorReleaseOf(['mageia', 'mga']);
const RHEL_MAJOR = majorReleaseOf(['rhel', 'redhat', 'red-hat']);

export function releaseSuffix(ecosystem: string, p: PackageUrl): string | null {
  const distro = p.qualifiers['distro'];
  return distro === undefined ? null : releaseSuffixOf(ecosystem, distro);
}

/**
 * The release suffix of an OSV distribution ecosystem for a release named as a purl `distro` qualifier
 * writes it ("jammy", "ubuntu-22.04", "debian-12.4", "3.19.1", "el9"), or as an SBOM's operating-system
 * entry gives its version ("22.04", "12", "3.19.1", "9.4"). Null when it names no release we know.
 */
export function releaseSuffixOf(ecosystem: string, release: string): string | null {
  const distro = release.toLowerCase().trim();
  if (distro === '') return null;
  switch (ecosystem) {
    case 'Debian': {
      const m = /^(?:debian-)?(\d+)/.exec(distro);
      return m ? (m[1] as string) : (DEBIAN_CODENAMES[distro.replace(/^debian-/, '')] ?? null);
    }
    case 'Ubuntu': {
      const m = /^(?:ubuntu-)?(\d{2}\.\d{2})/.exec(distro);
      const release = m ? (m[1] as string) : UBUNTU_CODENAMES[distro.replace(/^ubuntu-/, '')];
      return release === undefined ? null : ubuntuSuffix(release);
    }
    case 'Alpine': {
      const m = /^(?:alpine-)?v?(\d+\.\d+)/.exec(distro);
      return m ? `v${m[1] as string}` : null;
    }
    case 'Rocky Linux':
      return ROCKY_MAJOR(distro);
    case 'AlmaLinux':
      return ALMA_MAJOR(distro);
    case 'Mageia':
      return MAGEIA_MAJOR(distro);
    case 'Red Hat': {
      const major = RHEL_MAJOR(distro);
      return major === null ? null : `enterprise_linux:${major}`;
    }
    case 'Photon OS': {
      const m = /^(?:photon-?)?(\d+\.\d+)$/.exec(distro);
      return m ? (m[1] as string) : null;
    }
    default:
      return null;
  }
}
