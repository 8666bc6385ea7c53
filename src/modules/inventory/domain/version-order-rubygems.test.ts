import { describe, expect, it } from 'vitest';
import { compareRubyGems, parseRubyGemsVersion } from './version-order-rubygems.js';
import { expectEqualVersions, expectStrictlyAscending } from './test-support/order-assertions.js';

// From rubygems test/rubygems/test_gem_version.rb (test_spaceship, test_semver, test_equals2, …).
describe('compareRubyGems (Gem::Version)', () => {
  it.each([
    ['1.0', '1.0.0', 0],
    ['1.0', '1.0.a', 1],
    ['1.8.2', '0.0.0', 1],
    ['1.8.2', '1.8.2.a', 1],
    ['1.8.2.b', '1.8.2.a', 1],
    ['1.8.2.a', '1.8.2', -1],
    ['1.8.2.a10', '1.8.2.a9', 1],
    ['', '0', 0],
    ['0.beta.1', '0.0.beta.1', 0],
    ['0.0.beta', '0.0.beta.1', -1],
    ['0.0.beta', '0.beta.1', -1],
    ['5.a', '5.0.0.rc2', -1],
    ['5.x', '5.0.0.rc2', 1],
    ['1.9.3', '1.9.3', 0],
    ['1.9.3', '1.9.2.99', 1],
    ['1.9.3', '1.9.3.1', -1],
  ] as const)('%j <=> %j = %i', (a, b, want) => {
    expect(compareRubyGems(a, b)).toBe(want);
    expect(compareRubyGems(b, a)).toBe(want === 0 ? 0 : -want);
  });

  it('orders the SemVer-style chain', () => {
    expectStrictlyAscending(compareRubyGems, ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1']);
    expectStrictlyAscending(compareRubyGems, ['1.0.0-rc1', '1.0.0']);
    expectStrictlyAscending(compareRubyGems, ['1.0.0-1', '1']);
  });

  it('splits letters from digits inside a segment', () => {
    expectEqualVersions(compareRubyGems, '1.2.b1', '1.2.b.1');
  });

  it('sorts a prerelease with a trailing word below its release', () => {
    expectStrictlyAscending(compareRubyGems, ['1.freeze.test', '1']);
    expectStrictlyAscending(compareRubyGems, ['0.0.1.20220404083012', '1.0.0']);
    expectStrictlyAscending(compareRubyGems, ['0.6.63000', '0.7.0']);
  });

  it('accepts surrounding white space and rejects malformed strings', () => {
    for (const good of ['1.0', '1.0 ', ' 1.0 ', '1.0\n', '\n1.0\n']) expectEqualVersions(compareRubyGems, '1.0', good);
    for (const bad of ['junk', '1.0\n2.0', '1..2', '1.2 3.4', '2.3422222.222.222222222.22222.ads0as.dasd0.ddd2222.2.qd3e.']) {
      expect(parseRubyGemsVersion(bad), bad).toBeNull();
    }
  });
});

describe('Gem::Version precision', () => {
  it('keeps every digit of a 30-digit segment (Ruby integers are arbitrary-precision)', () => {
    expect(compareRubyGems('999999999999999999999999999991', '999999999999999999999999999999')).toBe(-1);
  });
});
