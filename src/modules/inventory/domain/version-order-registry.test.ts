import { describe, expect, it } from 'vitest';
import { compareGeneric, genericOrder } from './version-order-generic.js';
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
    ['Packagist', 'generic (guessed)'],
    ['NoSuchEcosystem', 'generic (guessed)'],
  ])('%s uses %s', (ecosystem, scheme) => {
    expect(versionOrderFor(ecosystem).scheme).toBe(scheme);
  });

  it('marks only the fallback as inexact', () => {
    expect(hasExactVersionOrder('PyPI')).toBe(true);
    expect(hasExactVersionOrder('Packagist')).toBe(false);
    expect(versionOrderFor('Packagist').exact).toBe(false);
  });

  it('compares by the ecosystem rule: the same strings order differently per ecosystem', () => {
    expect(compareVersions('PyPI', '1.0rc1', '1.0')).toBe(-1);
    expect(compareVersions('Debian', '1.0rc1', '1.0')).toBe(1);
    expect(compareVersions('Maven', '1.0-SNAPSHOT', '1.0')).toBe(-1);
  });
});

describe('compareGeneric (fallback)', () => {
  it('orders ordinary release numbers numerically', () => {
    expect(compareGeneric('1.10.0', '1.9.0')).toBe(1);
    expect(compareGeneric('v2.0', '2.0')).toBe(0);
    expect(compareGeneric('1.0~beta', '1.0')).toBe(-1);
  });

  it('does not treat a string without digits as a version', () => {
    expect(genericOrder.parse('latest')).toBeNull();
  });
});
