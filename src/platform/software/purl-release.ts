import type { PackageUrl } from './purl.js';

/**
 * The OSV release suffix a distribution purl implies ("Debian" + `distro=debian-11` → "11", "Alpine" +
 * `distro=alpine-3.16.2` → "v3.16"), or null when its qualifiers name none.
 */

const DEBIAN_CODENAMES: Readonly<Record<string, string>> = {
  jessie: '8',
  stretch: '9',
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  sid: 'sid',
};

export function releaseSuffix(ecosystem: string, p: PackageUrl): string | null {
  const distro = p.qualifiers['distro']?.toLowerCase();
  if (distro === undefined) return null;
  if (ecosystem === 'Debian') {
    const m = /^(?:debian-)?(\d+)/.exec(distro);
    return m ? (m[1] as string) : (DEBIAN_CODENAMES[distro.replace(/^debian-/, '')] ?? null);
  }
  if (ecosystem === 'Alpine') {
    const m = /^(?:alpine-)?v?(\d+\.\d+)/.exec(distro);
    return m ? `v${m[1] as string}` : null;
  }
  return null;
}
