import { describe, expect, it } from 'vitest';
import { normalizePackageName, packageKey } from './package-name.js';

describe('normalizePackageName', () => {
  // PEP 503's own examples of names that normalize alike.
  it.each(['friendly-bard', 'Friendly-Bard', 'FRIENDLY-BARD', 'friendly.bard', 'friendly_bard', 'friendly--bard', 'FrIeNdLy-._.-bArD'])(
    'PyPI %s → friendly-bard',
    (name) => expect(normalizePackageName('PyPI', name)).toBe('friendly-bard'),
  );

  it('treats crates.io names case-insensitively with "-" as "_"', () => {
    expect(normalizePackageName('crates.io', 'Serde-JSON')).toBe(normalizePackageName('crates.io', 'serde_json'));
  });

  it('keeps Go module paths case-sensitive', () => {
    expect(normalizePackageName('Go', 'github.com/Sirupsen/logrus')).not.toBe(normalizePackageName('Go', 'github.com/sirupsen/logrus'));
    expect(normalizePackageName('Go', 'golang.org/x/net/')).toBe('golang.org/x/net');
  });

  it('keeps Maven group:artifact case and trims around the colon', () => {
    expect(normalizePackageName('Maven', ' org.apache.logging.log4j : log4j-core ')).toBe('org.apache.logging.log4j:log4j-core');
    expect(normalizePackageName('Maven', 'org.Foo:Bar')).toBe('org.Foo:Bar');
  });

  it('lower-cases NuGet ids and keeps npm scoped names', () => {
    expect(normalizePackageName('NuGet', 'Newtonsoft.Json')).toBe('newtonsoft.json');
    expect(normalizePackageName('npm', '@angular/core')).toBe('@angular/core');
  });

  it('keys by ecosystem base, so a release suffix does not split a package', () => {
    expect(packageKey('Debian:11', 'OpenSSL')).toBe(packageKey('Debian', 'openssl'));
    expect(packageKey('pypi', 'Django')).toBe(packageKey('PyPI', 'django'));
    expect(packageKey('npm', 'x')).not.toBe(packageKey('PyPI', 'x'));
  });
});
