import { describe, expect, it } from 'vitest';
import { compareCrates, compareNpm, parseCrates, parseNpm } from './version-order-semver.js';
import { expectEqualVersions, expectStrictlyAscending } from './test-support/order-assertions.js';

describe.each([
  ['npm', compareNpm],
  ['crates.io', compareCrates],
])('%s: SemVer 2.0 precedence', (_name, compare) => {
  // semver.org §11.4, the spec's own example chain, and §11.2.
  it('orders the spec example', () => {
    expectStrictlyAscending(compare, [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '2.0.0',
      '2.1.0',
      '2.1.1',
    ]);
  });

  it('ignores build metadata (§10)', () => {
    expectEqualVersions(compare, '1.0.0+20130313144700', '1.0.0');
    expectEqualVersions(compare, '1.0.0-beta+exp.sha.5114f85', '1.0.0-beta');
  });

  it('compares numeric identifiers numerically, not as text', () => {
    expectStrictlyAscending(compare, ['1.9.0', '1.10.0', '1.11.0']);
  });
});

describe('validity', () => {
  it('npm tolerates a leading "v", crates.io does not', () => {
    expect(parseNpm('v1.2.3')).not.toBeNull();
    expect(parseCrates('v1.2.3')).toBeNull();
    expect(parseCrates('1.2.3')).not.toBeNull();
  });

  it.each(['1.2', '01.2.3', '1.2.3-01', '1.2.3-', 'latest', ''])('rejects %j', (v) => {
    expect(parseNpm(v)).toBeNull();
    expect(parseCrates(v)).toBeNull();
  });

  it('sorts invalid strings before valid ones instead of throwing', () => {
    expect(['2.0.0', 'latest', '1.0.0'].sort(compareNpm)).toEqual(['latest', '1.0.0', '2.0.0']);
  });
});
