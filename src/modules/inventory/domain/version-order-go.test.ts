import { describe, expect, it } from 'vitest';
import { compareGo, isGoPseudoVersion, parseGoVersion } from './version-order-go.js';

// golang.org/x/mod/semver semver_test.go: `tests` is in increasing order; equal canonical forms compare 0.
const GO_TESTS: readonly (readonly [string, string])[] = [
  ['bad', ''],
  ['v1-alpha.beta.gamma', ''],
  ['v1-pre', ''],
  ['v1+meta', ''],
  ['v1-pre+meta', ''],
  ['v1.2-pre', ''],
  ['v1.2+meta', ''],
  ['v1.2-pre+meta', ''],
  ['v1.0.0-alpha', 'v1.0.0-alpha'],
  ['v1.0.0-alpha.1', 'v1.0.0-alpha.1'],
  ['v1.0.0-alpha.beta', 'v1.0.0-alpha.beta'],
  ['v1.0.0-beta', 'v1.0.0-beta'],
  ['v1.0.0-beta.2', 'v1.0.0-beta.2'],
  ['v1.0.0-beta.11', 'v1.0.0-beta.11'],
  ['v1.0.0-rc.1', 'v1.0.0-rc.1'],
  ['v1', 'v1.0.0'],
  ['v1.0', 'v1.0.0'],
  ['v1.0.0', 'v1.0.0'],
  ['v1.2', 'v1.2.0'],
  ['v1.2.0', 'v1.2.0'],
  ['v1.2.3-456', 'v1.2.3-456'],
  ['v1.2.3-456.789', 'v1.2.3-456.789'],
  ['v1.2.3-456-789', 'v1.2.3-456-789'],
  ['v1.2.3-456a', 'v1.2.3-456a'],
  ['v1.2.3-pre', 'v1.2.3-pre'],
  ['v1.2.3-pre+meta', 'v1.2.3-pre'],
  ['v1.2.3-pre.1', 'v1.2.3-pre.1'],
  ['v1.2.3-zzz', 'v1.2.3-zzz'],
  ['v1.2.3', 'v1.2.3'],
  ['v1.2.3+meta', 'v1.2.3'],
  ['v1.2.3+meta-pre', 'v1.2.3'],
  ['v1.2.3+meta-pre.sha.256a', 'v1.2.3'],
];

describe('compareGo (x/mod/semver TestCompare)', () => {
  it('matches every pair of the published table', () => {
    GO_TESTS.forEach(([vi, ci], i) => {
      GO_TESTS.forEach(([vj, cj], j) => {
        // Go calls all invalid strings equal; here they sort among themselves by text (VersionOrder).
        if (ci === '' && cj === '') return;
        const want = ci === cj ? 0 : i < j ? -1 : 1;
        expect(compareGo(vi, vj), `Compare(${vi}, ${vj})`).toBe(want);
      });
    });
  });

  it('validates as IsValid does', () => {
    for (const [v, canonical] of GO_TESTS) expect(parseGoVersion(v) !== null, v).toBe(canonical !== '');
  });

  it.each([
    // The numeric case is SemVer §11.2 (numerically), as Go's compareInt compares by length first.
    ['v1', 'v1', 0],
    ['v2', 'v1', 1],
    ['v1', 'v2', -1],
    ['v1.19', 'v1.2', 1],
  ] as const)('Compare(%s, %s) = %i', (a, b, want) => expect(compareGo(a, b)).toBe(want));
});

describe('Go versions as OSV and SBOMs write them', () => {
  it('accepts the OSV form without "v" as the same version', () => {
    expect(compareGo('1.6.0', 'v1.6.0')).toBe(0);
  });

  it('ignores +incompatible', () => {
    expect(compareGo('v2.0.0+incompatible', 'v2.0.0')).toBe(0);
  });

  it('orders pseudo-versions between the tags around them', () => {
    // Go modules reference: vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdef is after vX.Y.Z and before vX.Y.(Z+1).
    const pseudo = 'v1.2.4-0.20191109021931-daa7c04131f5';
    expect(isGoPseudoVersion(pseudo)).toBe(true);
    expect(isGoPseudoVersion('v1.2.4')).toBe(false);
    expect(compareGo('v1.2.3', pseudo)).toBe(-1);
    expect(compareGo(pseudo, 'v1.2.4')).toBe(-1);
    expect(compareGo('v0.0.0-20191109021931-daa7c04131f5', 'v0.0.0-20200101000000-000000000000')).toBe(-1);
  });
});
