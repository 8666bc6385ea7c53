import { describe, expect, it } from 'vitest';
import { ruleFamily } from './rule-family.js';

describe('ruleFamily', () => {
  it('is the vulnerability id when the rule id names one, whatever package and version surround it', () => {
    expect(ruleFamily('CVE-1999-0001-package-1')).toBe('CVE-1999-0001');
    expect(ruleFamily('docker.io/fluxcd/flux:1.24.1 (alpine 3.14.2): libcurl-7.78.0-r0 CVE-2021-22945')).toBe('CVE-2021-22945');
    expect(ruleFamily('GHSA-jfh8-c2jp-5v3q and CVE-2021-44228')).toBe('CVE-2021-44228,GHSA-jfh8-c2jp-5v3q');
  });

  it('is the lower-cased rule id with dotted versions replaced, and leaves other digits alone', () => {
    expect(ruleFamily('JS/SQL-Injection')).toBe('js/sql-injection');
    expect(ruleFamily('memory/overflow-v2.3.1')).toBe('memory/overflow-#');
    expect(ruleFamily('checker 1.2.3-rc1 B101')).toBe('checker # b101');
    expect(ruleFamily('CA1001')).toBe('ca1001');
  });
});
