import { describe, expect, it } from 'vitest';
import { parsePurl, purlForPackage } from './purl-osv.js';
import { canonicalPackageUrl } from './purl.js';

function parsed(text: string) {
  const r = parsePurl(text);
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

describe('parsePurl', () => {
  it.each([
    ['pkg:pypi/Django_REST@1.0', 'PyPI', 'django-rest', '1.0'],
    ['pkg:npm/%40angular/core@16.0.0', 'npm', '@angular/core', '16.0.0'],
    ['pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar', 'Maven', 'org.apache.logging.log4j:log4j-core', '2.14.1'],
    ['pkg:golang/github.com/gin-gonic/gin@v1.5.0', 'Go', 'github.com/gin-gonic/gin', 'v1.5.0'],
    ['pkg:cargo/smallvec@1.6.0', 'crates.io', 'smallvec', '1.6.0'],
    ['pkg:gem/rails@6.0.0', 'RubyGems', 'rails', '6.0.0'],
    ['pkg:nuget/Newtonsoft.Json@12.0.1', 'NuGet', 'Newtonsoft.Json', '12.0.1'],
    ['pkg:composer/laravel/framework@7.12.0', 'Packagist', 'laravel/framework', '7.12.0'],
    ['pkg:deb/debian/openssl@1.1.1n-0%2Bdeb11u4?distro=debian-11', 'Debian:11', 'openssl', '1.1.1n-0+deb11u4'],
    ['pkg:deb/debian/openssl@3.0.11-1?distro=bookworm', 'Debian:12', 'openssl', '3.0.11-1'],
    ['pkg:apk/alpine/busybox@1.35.0-r17?distro=alpine-3.16.2', 'Alpine:v3.16', 'busybox', '1.35.0-r17'],
    ['pkg:rpm/redhat/openssl@1:1.1.1k-7.el8?arch=x86_64', 'Red Hat', 'openssl', '1:1.1.1k-7.el8'],
  ])('%s → %s %s %s', (text, ecosystem, name, version) => {
    const p = parsed(text);
    expect([p.ecosystem, p.name, p.version]).toEqual([ecosystem, name, version]);
  });

  it.each([
    ['pkg:deb/ubuntu/nginx@1.18.0-6ubuntu14?distro=jammy', 'Ubuntu:22.04:LTS'],
    ['pkg:deb/ubuntu/nginx@1.18.0?distro=ubuntu-20.04', 'Ubuntu:20.04:LTS'],
    ['pkg:deb/ubuntu/nginx@1.24.0?distro=mantic', 'Ubuntu:23.10'],
    ['pkg:deb/debian/nginx@1.22.1-9?distro=debian-12.4', 'Debian:12'],
    ['pkg:apk/alpine/musl@1.2.4-r2?distro=3.19.1', 'Alpine:v3.19'],
    ['pkg:rpm/rocky/openssl@3.0.7-24.el9?distro=rocky-9.3', 'Rocky Linux:9'],
    ['pkg:rpm/almalinux/openssl@3.0.7?distro=el9', 'AlmaLinux:9'],
    ['pkg:rpm/photon/openssl@3.0.9?distro=photon-5.0', 'Photon OS:5.0'],
    // The product and major release of the CPE that OSV's Red Hat streams ("…:9::appstream") start with.
    ['pkg:rpm/redhat/openssl@3.0.7?distro=rhel-9.3', 'Red Hat:enterprise_linux:9'],
    ['pkg:rpm/redhat/openssl@1.1.1k?distro=el8', 'Red Hat:enterprise_linux:8'],
  ])('reads the release from %s as %s', (text, ecosystem) => {
    expect(parsed(text).ecosystem).toBe(ecosystem);
  });

  it('maps types without an OSV ecosystem to null instead of guessing', () => {
    expect(parsed('pkg:generic/openssl@1.1.1').ecosystem).toBeNull();
    expect(parsed('pkg:deb/somedistro/curl@1').ecosystem).toBeNull();
  });

  it('returns a reason for invalid purls', () => {
    const r = parsePurl('not-a-purl');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('not-a-purl');
  });
});

describe('canonicalPackageUrl', () => {
  it('lower-cases the type, sorts qualifiers and applies type rules', () => {
    expect(canonicalPackageUrl('PKG:PyPI/Django_REST@1.0')).toBe('pkg:pypi/django-rest@1.0');
    expect(canonicalPackageUrl('pkg:deb/debian/curl@7.0?distro=debian-11&arch=amd64')).toBe(
      'pkg:deb/debian/curl@7.0?arch=amd64&distro=debian-11',
    );
    expect(canonicalPackageUrl('nonsense')).toBeNull();
  });
});

describe('purlForPackage', () => {
  it.each([
    ['Maven', 'org.apache.logging.log4j:log4j-core', '2.14.1', 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'],
    ['npm', '@angular/core', '16.0.0', 'pkg:npm/%40angular/core@16.0.0'],
    ['Go', 'github.com/gin-gonic/gin', 'v1.5.0', 'pkg:golang/github.com/gin-gonic/gin@v1.5.0'],
    ['PyPI', 'django', '3.2.0', 'pkg:pypi/django@3.2.0'],
    ['crates.io', 'smallvec', '1.6.0', 'pkg:cargo/smallvec@1.6.0'],
    ['Debian:11', 'openssl', '1.1.1n-0', 'pkg:deb/debian/openssl@1.1.1n-0'],
  ])('%s %s %s → %s', (ecosystem, name, version, purl) => {
    expect(purlForPackage(ecosystem, name, version)).toBe(purl);
  });

  it('round-trips through parsePurl', () => {
    const p = parsed(purlForPackage('Maven', 'org.x:lib', '1.0') as string);
    expect([p.ecosystem, p.name, p.version]).toEqual(['Maven', 'org.x:lib', '1.0']);
  });

  it('returns null where no purl type exists', () => {
    expect(purlForPackage('OSS-Fuzz', 'x')).toBeNull();
    expect(purlForPackage('Maven', 'no-group')).toBeNull();
  });
});
