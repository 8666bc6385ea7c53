import { describe, expect, it } from 'vitest';
import { OSV_ECOSYSTEMS } from './ecosystem.js';
import { compareVersions, hasExactVersionOrder, versionOrderFor } from './version-order-registry.js';

describe('versionOrderFor', () => {
  it.each([
    ['npm', 'SemVer 2.0 (npm)'],
    ['crates.io', 'SemVer 2.0 (crates.io)'],
    ['Go', 'Go module SemVer'],
    ['PyPI', 'PEP 440'],
    ['pypi', 'PEP 440'],
    ['Maven', 'Maven ComparableVersion'],
    ['Maven:https://maven.google.com', 'Maven ComparableVersion'],
    ['RubyGems', 'Gem::Version'],
    ['NuGet', 'NuGetVersion'],
    ['Debian:11', 'dpkg'],
    ['Ubuntu:22.04:LTS', 'dpkg'],
    ['Alpine:v3.16', 'apk'],
    ['Wolfi', 'apk'],
    ['Red Hat:rhel_aus:8.4::appstream', 'rpmvercmp'],
    ['openSUSE:Tumbleweed', 'rpmvercmp'],
    ['Packagist', 'Composer'],
    ['Pub', 'pub_semver'],
    ['Hackage', 'PVP (Data.Version)'],
    ['CRAN', 'R package_version'],
    ['Bioconductor', 'R package_version'],
    ['SwiftURL', 'SemVer-like'],
    ['GitHub Actions', 'SemVer-like'],
    ['Rocky Linux:9', 'rpmvercmp'],
    ['Photon OS:5.0', 'rpmvercmp'],
    ['Chainguard', 'apk'],
    ['opam', 'opam (OpamVersionCompare)'],
    ['FreeBSD:ports', 'pkg_version_cmp (FreeBSD pkg)'],
    ['Linux', 'unknown'],
    ['NoSuchEcosystem', 'unknown'],
  ])('%s uses %s', (ecosystem, scheme) => {
    expect(versionOrderFor(ecosystem).scheme).toBe(scheme);
  });

  it('has an exact order for every ecosystem of the OSV schema, or says "unknown" explicitly', () => {
    const unknown = OSV_ECOSYSTEMS.filter((e) => !hasExactVersionOrder(e));
    expect(unknown).toEqual(['Android', 'CleanStart', 'Echo', 'Linux', 'OSS-Fuzz', 'Root', 'TuxCare']);
    for (const e of unknown) expect(versionOrderFor(e).scheme).toBe('unknown');
    expect(versionOrderFor('Linux').parse('5.10')).toBeNull();
  });

  it('compares by the ecosystem rule: the same strings order differently per ecosystem', () => {
    expect(compareVersions('PyPI', '1.0rc1', '1.0')).toBe(-1);
    expect(compareVersions('Debian', '1.0rc1', '1.0')).toBe(1);
    expect(compareVersions('Maven', '1.0-SNAPSHOT', '1.0')).toBe(-1);
  });
});
