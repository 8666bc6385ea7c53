import { describe, expect, it } from 'vitest';
import { distroEcosystemOf } from './os-release.js';

// Operating systems as SBOM tools name them (os-release ID or PRETTY_NAME, VERSION_ID, the NVD CPE),
// against the ecosystem strings OSV's distribution advisories use (ossf/osv-schema ecosystems.json).
describe('distroEcosystemOf', () => {
  it.each([
    ['ubuntu', '22.04', null, 'Ubuntu:22.04:LTS'],
    ['Ubuntu', '23.10', null, 'Ubuntu:23.10'],
    ['ubuntu', 'jammy', null, 'Ubuntu:22.04:LTS'],
    ['debian', '12', null, 'Debian:12'],
    ['Debian GNU/Linux', '11.9', null, 'Debian:11'],
    ['alpine', '3.19.1', null, 'Alpine:v3.19'],
    ['Alpine Linux', 'v3.20', null, 'Alpine:v3.20'],
    ['rhel', '9.4', null, 'Red Hat:enterprise_linux:9'],
    ['Red Hat Enterprise Linux', '8.0', null, 'Red Hat:enterprise_linux:8'],
    ['rocky', '9.3', null, 'Rocky Linux:9'],
    ['almalinux', '8.10', null, 'AlmaLinux:8'],
    ['photon', '5.0', null, 'Photon OS:5.0'],
    ['host-17', null, 'cpe:2.3:o:canonical:ubuntu_linux:24.04:*:*:*:lts:*:*:*', 'Ubuntu:24.04:LTS'],
    [null, null, 'cpe:/o:debian:debian_linux:12', 'Debian:12'],
    [null, null, 'cpe:2.3:o:redhat:enterprise_linux:9.4:*:*:*:*:*:*:*', 'Red Hat:enterprise_linux:9'],
  ] as const)('%s %s %s → %s', (name, version, cpe, ecosystem) => {
    expect(distroEcosystemOf(name, version, cpe)).toBe(ecosystem);
  });

  it.each([
    ['windows', '11', null],
    ['ubuntu', null, null],
    ['ubuntu', 'latest', null],
    // An application CPE names no operating system.
    [null, null, 'cpe:2.3:a:debian:debian_linux:12:*:*:*:*:*:*:*'],
    ['wolfi', '20230201', null],
  ] as const)('%s %s %s → null', (name, version, cpe) => {
    expect(distroEcosystemOf(name, version, cpe)).toBeNull();
  });
});
