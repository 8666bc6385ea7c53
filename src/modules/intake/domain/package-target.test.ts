import { describe, expect, it } from 'vitest';
import { packageTargetFromCollection, packageTargetFromEcosystem, packageTargetFromPurl, purlVersion } from './package-target.js';

describe('packageTargetFromPurl', () => {
  it('canonicalizes with the platform purl reader and keys the identity without version, qualifiers or subpath', () => {
    expect(packageTargetFromPurl('pkg:pypi/Apache_SkyWalking@1.0')).toEqual({
      kind: 'package',
      purl: 'pkg:pypi/apache-skywalking@1.0',
      identity: 'pkg:pypi/apache-skywalking',
    });
    expect(packageTargetFromPurl('pkg:MAVEN/org.apache/Foo@1?b=2&a=1')).toEqual({
      kind: 'package',
      purl: 'pkg:maven/org.apache/Foo@1?a=1&b=2',
      identity: 'pkg:maven/org.apache/Foo',
    });
  });

  it('reads the purls packageurl-js refused: version-less swift and cran, namespaced conan without a channel', () => {
    expect(packageTargetFromPurl('pkg:swift/github.com/Alamofire/Alamofire@5.4.3')?.identity).toBe(
      'pkg:swift/github.com/Alamofire/Alamofire',
    );
    expect(packageTargetFromPurl('pkg:cran/A3@0.9.1')?.identity).toBe('pkg:cran/A3');
    expect(packageTargetFromPurl('pkg:conan/bincrafters/cctz@2.3?channel=stable')?.identity).toBe('pkg:conan/bincrafters/cctz');
    expect(packageTargetFromEcosystem('SwiftURL', 'github.com/Alamofire/Alamofire')?.identity).toBe(
      'pkg:swift/github.com/Alamofire/Alamofire',
    );
    expect(packageTargetFromEcosystem('CRAN', 'A3')?.identity).toBe('pkg:cran/A3');
  });

  it('returns null for strings that are not purls', () => {
    expect(packageTargetFromPurl('notapurl')).toBeNull();
    expect(packageTargetFromPurl('pkg:npm/')).toBeNull();
  });

  it('reads the version a purl names', () => {
    expect(purlVersion('pkg:rpm/redhat/git-lfs@2.13.3-3.el8_6.1?arch=src')).toBe('2.13.3-3.el8_6.1');
    expect(purlVersion('pkg:cargo/openssl')).toBeNull();
  });
});

describe('packageTargetFromEcosystem', () => {
  it.each([
    ['PyPI', 'Django_Rest', 'pkg:pypi/django-rest'],
    ['Go', 'github.com/gin-gonic/gin', 'pkg:golang/github.com/gin-gonic/gin'],
    ['Go', 'stdlib', 'pkg:golang/stdlib'],
    ['crates.io', 'openssl', 'pkg:cargo/openssl'],
    ['Maven', 'org.apache.logging.log4j:log4j-core', 'pkg:maven/org.apache.logging.log4j/log4j-core'],
    ['npm', '@babel/core', 'pkg:npm/%40babel/core'],
    ['Debian:11', 'openssl', 'pkg:deb/debian/openssl'],
    ['Alpine:v3.16', 'openssl', 'pkg:apk/alpine/openssl'],
    ['GitHub Actions', 'actions/checkout/sub', 'pkg:github/actions/checkout'],
  ])('%s %s → %s', (ecosystem, name, identity) => {
    expect(packageTargetFromEcosystem(ecosystem, name)?.identity).toBe(identity);
  });

  it('has no purl for ecosystems without a purl type or malformed Maven names', () => {
    expect(packageTargetFromEcosystem('Linux', 'kernel')).toBeNull();
    expect(packageTargetFromEcosystem('Maven', 'no-colon')).toBeNull();
  });
});

describe('packageTargetFromCollection', () => {
  it('maps the package registries CVE records name to purl types', () => {
    expect(packageTargetFromCollection('https://pkg.go.dev', 'github.com/gin-gonic/gin')?.identity).toBe(
      'pkg:golang/github.com/gin-gonic/gin',
    );
    expect(packageTargetFromCollection('https://pypi.org', 'urllib3')?.identity).toBe('pkg:pypi/urllib3');
    expect(packageTargetFromCollection('https://repo.maven.apache.org/maven2', 'org.apache.logging.log4j:log4j-core')?.identity).toBe(
      'pkg:maven/org.apache.logging.log4j/log4j-core',
    );
  });

  it('returns null for unknown registries and non-URLs', () => {
    expect(packageTargetFromCollection('https://example.com', 'x')).toBeNull();
    expect(packageTargetFromCollection('not a url', 'x')).toBeNull();
  });
});
