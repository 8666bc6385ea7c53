import { describe, expect, it } from 'vitest';
import { compareDebian, parseDebianVersion, verrevcmp } from './version-order-debian.js';
import { expectEqualVersions, expectStrictlyAscending } from './test-support/order-assertions.js';

describe('compareDebian (dpkg)', () => {
  // Debian Policy §5.6.12: "~~, ~~a, ~, the empty part, a" are in sorted order.
  it('sorts tilde before everything, even the end of the string', () => {
    expectStrictlyAscending(compareDebian, ['1.0~~', '1.0~~a', '1.0~', '1.0', '1.0a']);
    expectStrictlyAscending(compareDebian, ['1.0~rc1', '1.0']);
  });

  it('compares epochs first', () => {
    expectStrictlyAscending(compareDebian, ['2.0-1', '1:0.1-1']);
  });

  // dpkg lib/dpkg/t/t-version.c test_version_compare and test_version_parse.
  it('follows dpkg t-version.c', () => {
    expect(verrevcmp('00', '0')).toBe(0);
    expectEqualVersions(compareDebian, '0:0-00', '0:00-0');
    expectStrictlyAscending(compareDebian, ['0:0-0', '1:0-0']);
    expect(verrevcmp('a', 'b')).toBeLessThan(0);
    expectStrictlyAscending(compareDebian, ['0:0-a', '0:0-b']);
    expectEqualVersions(compareDebian, '0', '0:0');
    expectEqualVersions(compareDebian, '0:0-', '0');
    expectEqualVersions(compareDebian, '0:0-0-0', '0:0-0-0');
    expect(parseDebianVersion('0:0-0-0')).toEqual({ epoch: 0, upstream: '0-0', revision: '0' });
    expect(parseDebianVersion('0:0:0-0')).toEqual({ epoch: 0, upstream: '0:0', revision: '0' });
    expect(parseDebianVersion('0:09azAZ.-+~:-0')).toEqual({ epoch: 0, upstream: '09azAZ.-+~:', revision: '0' });
    expect(parseDebianVersion('0:0-azAZ09.+~')).toEqual({ epoch: 0, upstream: '0', revision: 'azAZ09.+~' });
    expect(parseDebianVersion('  \t0:0-1\t  ')).toEqual({ epoch: 0, upstream: '0', revision: '1' });
  });

  it.each([
    '',
    '  ',
    '0:',
    '0:0 0-1',
    '-1:0-1',
    '999999999999999999999999:0-1',
    'a:0-0',
    'A:0-0',
    '-0',
    '0:-0',
    '0:abc3-0',
    '0:0-0:0',
    '0:0!-0',
    '0:0-0_',
  ])('rejects %j (dpkg error or warning)', (v) => expect(parseDebianVersion(v)).toBeNull());

  it('orders real Debian and Ubuntu version strings', () => {
    expectStrictlyAscending(compareDebian, ['2.30-0ubuntu1', '2.30-0ubuntu1.1', '2.30-1', '2.31~rc1-1', '2.31-1', '1:2.0-1']);
    expectStrictlyAscending(compareDebian, ['1.1.1n-0+deb11u3', '1.1.1n-0+deb11u4', '1.1.1w-0+deb11u1']);
  });
});
