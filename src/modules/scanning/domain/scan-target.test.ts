import { describe, expect, it } from 'vitest';
import { softwareVocabulary } from '../service/vocabulary.js';
import { readScanTarget, targetsOverlap, type ScanTarget } from './scan-target.js';

function target(text: string, versions?: string): ScanTarget {
  const r = readScanTarget(text, softwareVocabulary, versions);
  if (!r.ok) throw new Error(r.reason);
  return r.target;
}

const overlaps = (a: ScanTarget, b: ScanTarget): boolean => targetsOverlap(a, b) !== null;

describe('readScanTarget', () => {
  it('keys packages on the version-free purl, as intake keys findings', () => {
    expect(target('pkg:NPM/%40angular/core@17.0.0?foo=bar#sub').key).toBe('pkg:npm/%40angular/core');
    expect(target('pkg:pypi/Django_REST@1.0').key).toBe('pkg:pypi/django-rest');
    expect(target('pkg:maven/org.apache.logging.log4j/log4j-core', 'vers:maven/>=2.0|<2.17.1').text).toBe(
      'pkg:maven/org.apache.logging.log4j/log4j-core [2.0, 2.17.1)',
    );
  });

  it('gives one repository one key, whichever URL names it', () => {
    const keys = [
      'https://github.com/curl/curl',
      'git@github.com:curl/curl.git',
      'https://GitHub.com/curl/curl/',
      'pkg:github/curl/curl@8.0.0',
    ].map((t) => target(t).key);
    expect(new Set(keys)).toEqual(new Set(['repo:github.com/curl/curl']));
  });

  it('tells networks, host names, CPEs and products apart', () => {
    expect(target('10.20.0.0/16')).toMatchObject({ kind: 'cidr', key: 'cidr:10.20.0.0/16' });
    expect(target('2001:db8::/32')).toMatchObject({ kind: 'cidr', key: 'cidr:2001:db8::/32' });
    expect(target('*.Grid.Example')).toMatchObject({ kind: 'hostname', key: 'host:*.grid.example' });
    expect(target('cpe:2.3:h:siemens:simatic_s7-1500:2.9:*:*:*:*:*:*:*')).toMatchObject({
      kind: 'cpe',
      key: 'cpe:h:siemens:simatic_s7-1500',
      version: '2.9',
    });
    expect(target('product:Schneider Electric/Modicon  M580')).toMatchObject({
      kind: 'product',
      key: 'product:schneider electric/modicon m580',
    });
  });

  it('refuses what it cannot read, saying what is wrong', () => {
    const reason = (text: string, versions?: string): string => {
      const r = readScanTarget(text, softwareVocabulary, versions);
      return r.ok ? 'accepted' : r.reason;
    };
    expect(reason('pkg:npm/lodash@4.17.21', 'vers:npm/<5.0.0')).toMatch(/either a version in the purl or a "versions" range/);
    expect(reason('pkg:npm/lodash', 'vers:pypi/<5.0.0')).toMatch(/must be the purl's type "npm"/);
    expect(reason('pkg:pypi/django@not.a.version!')).toMatch(/not a valid PEP 440 version/);
    expect(reason('10.0.0.1/24')).toMatch(/network is 10.0.0.0\/24/);
    expect(reason('https://portal.grid.example/')).toMatch(/not a repository URL/);
    expect(reason('cpe:2.3:a:*:*:1.0')).toMatch(/vendor and a product/);
    expect(reason('10.0.0.0/8', 'vers:npm/1.0.0')).toMatch(/package \(pkg:…\) target only/);
    expect(reason('   ')).toMatch(/empty/);
  });
});

describe('targetsOverlap', () => {
  it('packages overlap only on a common version, in the ecosystem’s own order', () => {
    const lodashRange = target('pkg:npm/lodash', 'vers:npm/>=4.0.0|<4.17.21');
    expect(overlaps(lodashRange, target('pkg:npm/lodash@4.17.20'))).toBe(true);
    expect(overlaps(lodashRange, target('pkg:npm/lodash@4.17.21'))).toBe(false);
    expect(overlaps(lodashRange, target('pkg:npm/lodash'))).toBe(true);
    expect(overlaps(lodashRange, target('pkg:npm/underscore@4.17.20'))).toBe(false);
    // PEP 440: 4.2rc1 is before 4.2, though it sorts after it as text.
    expect(overlaps(target('pkg:pypi/django', 'vers:pypi/>=4.2|<4.2.10'), target('pkg:pypi/Django@4.2rc1'))).toBe(false);
    // Maven: 1.0-SNAPSHOT is before 1.0.
    expect(overlaps(target('pkg:maven/org.x/lib', 'vers:maven/>=1.0|<2.0'), target('pkg:maven/org.x/lib@1.0-SNAPSHOT'))).toBe(false);
    expect(overlaps(target('pkg:pypi/flask', 'vers:pypi/<2.0|>=3.0'), target('pkg:pypi/flask', 'vers:pypi/>=2.0|<3.0'))).toBe(false);
  });

  it('packages without an exact version order overlap approximately', () => {
    const overlap = targetsOverlap(target('pkg:generic/openssl@3.0.1'), target('pkg:generic/openssl@1.1.1'));
    expect(overlap).toMatchObject({ approximate: true });
  });

  it('CPEs overlap when a version is unspecified on either side or equal', () => {
    const any = target('cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*');
    expect(overlaps(any, target('cpe:/a:openbsd:openssh:9.6'))).toBe(true);
    expect(overlaps(target('cpe:/a:openbsd:openssh:9.6'), target('cpe:/a:openbsd:openssh:9.7'))).toBe(false);
  });

  it('networks overlap by address, host names by name, never with each other', () => {
    expect(overlaps(target('10.0.0.0/24'), target('10.0.0.128/25'))).toBe(true);
    expect(overlaps(target('10.0.0.0/25'), target('10.0.0.128/25'))).toBe(false);
    expect(overlaps(target('2001:db8::/48'), target('2001:db8:0:1::/64'))).toBe(true);
    expect(overlaps(target('*.grid.example'), target('scada.grid.example'))).toBe(true);
    expect(overlaps(target('scada.grid.example'), target('10.0.0.1'))).toBe(false);
    expect(overlaps(target('https://github.com/curl/curl'), target('pkg:github/curl/curl'))).toBe(true);
  });
});
