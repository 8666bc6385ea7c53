import { describe, expect, it } from 'vitest';
import { cpeTarget, productTarget, repositoryTarget } from './targets.js';

describe('cpeTarget', () => {
  it('reads CPE 2.3 strings and 2.2 URIs to the same identity', () => {
    expect(cpeTarget('cpe:2.3:o:microsoft:windows_10:1607:*:*:*:*:*:*:*')?.identity).toBe('cpe:o:microsoft:windows_10');
    expect(cpeTarget('cpe:/a:redhat:rhel_aus:8.6::appstream')?.identity).toBe('cpe:a:redhat:rhel_aus');
  });

  it('honours escaped colons in CPE 2.3', () => {
    expect(cpeTarget('cpe:2.3:a:vendor\\:x:product:1:*:*:*:*:*:*:*')?.identity).toBe('cpe:a:vendor\\:x:product');
  });

  it('refuses what is not a CPE', () => {
    expect(cpeTarget('cpe:2.3:z:v:p')).toBeNull();
    expect(cpeTarget('pkg:npm/x')).toBeNull();
    expect(cpeTarget('cpe:/a:vendor')).toBeNull();
  });
});

describe('repositoryTarget', () => {
  it('gives clone and web URLs of one repository one identity and keeps the commit apart', () => {
    const web = repositoryTarget('https://github.com/Microsoft/sarif-sdk/', 'ABC1234');
    const clone = repositoryTarget('git@github.com:microsoft/sarif-sdk.git');
    expect(web?.identity).toBe('repo:github.com/microsoft/sarif-sdk');
    expect(clone?.identity).toBe(web?.identity);
    expect(web?.commit).toBe('abc1234');
    expect(clone?.commit).toBeNull();
  });

  it('refuses non-repository URLs', () => {
    expect(repositoryTarget('file:///etc/passwd')).toBeNull();
    expect(repositoryTarget('https://github.com/')).toBeNull();
    expect(repositoryTarget('not a url')).toBeNull();
  });
});

describe('productTarget', () => {
  it('lower-cases vendor and product and refuses placeholders', () => {
    expect(productTarget('Microsoft', 'Windows  Server')?.identity).toBe('product:microsoft/windows server');
    expect(productTarget('n/a', 'n/a')).toBeNull();
  });
});
