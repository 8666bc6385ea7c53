import { describe, expect, it } from 'vitest';
import { compareAlpine, isValidAlpineVersion, parseAlpineVersion } from './version-order-alpine.js';
import { expectRelations } from './test-support/order-assertions.js';

// A selection of apk-tools test/version.data lines (alpinelinux/apk-tools), covering each token kind.
const APK_VERSION_DATA = [
  '2.34 > 0.1.0_alpha',
  '23_foo > 4_beta',
  '1.0 < 1.0bc',
  '0.1.0_alpha = 0.1.0_alpha',
  '0.1.0_alpha < 0.1.3_alpha',
  '0.1.0_alpha2 > 0.1.0_alpha',
  '0.1.0_alpha < 2.2.39-r1',
  '1.0.4-r3 < 1.0.4-r4',
  '1.1 > 1.1_alpha1',
  '1.2.1 > 1.2',
  '1.3_alpha < 1.3_alpha2',
  '0.8_beta1 < 0.8_beta2',
  '3.10.18-r1 > 2.3.0b-r1',
  '2.3.0b-r1 < 2.3.0b-r2',
  '0.12.3 > 0.12',
  '0.13_beta5 > 0.9.12',
  '1.2.12.1 < 1.2.13',
  '3.1_p16 < 3.1_p17',
  '1.06-r6 < 006',
  '006 > 1.0.0',
  '1.2.2-r1 > 1.2.2',
  '20050718-r1 < 20050718-r2',
  '3.9.8-r5 > 2.01.01_alpha10',
  '2.01.01_alpha10 > 0.94',
  '1.0 > 0.99.3.20040818',
  '1.39 > 1.00_beta2',
  '4.2.52_p2-r1 < 4.2.52_p4-r2',
  '1.02.07 < 1.02.10-r1',
  '20060720 > 3.0.20060720',
  '2.5.1-r8 < 2.5.1a-r1',
  '1.3.5-r10 > 1.3.5-r8',
  '20040401 > 2.0.0_rc3-r1',
  '3.0.0-r2 < 021109-r3',
  '0.9.16-r1 < 3.9_pre20060124',
  '0.10.0 < 0.10.1_rc1',
  '2.0.2 > 1.1a',
  '0.15.1b-r2 > 0.15.1b',
  '22.7 > 2.1_pre20',
  '2.10.1 > 02.08.01b',
  '1.6d > 1.2.07.8',
  '0.1_pre20060810 < 0.1_pre20060817',
  '0.59s-r11 < 0.65',
  '0.20070118 < 0.20070207_rc1',
  '4.5_p1-r1 > 4.5_p1',
  '0.9.8c-r1 < 0.9.8d',
  '1.7 < 1.7b',
  '1.8.5 < 1.8.5_p2',
  '2.9.11_pre20051101-r3 > 2.9.11_pre20051101',
  '1.6.8_p12-r1 > 1.6.8_p9-r2',
  '0.9.28-r2 < 0.9.28.1',
  '087-r1 < 103',
  '104-r11 > 104-r9',
  '2.12r-r4 < 2.12r-r5',
  '7.0.17 < 7.0.174',
  '1.3-r0 < 1.3.1-r0',
  '1.3_pre1-r1 < 1.3.2',
  '1.0_p10-r0 > 1.0_p9-r0',
  '0.1.0_alpha_pre2 < 0.1.0_alpha',
  '1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0',
];

describe('compareAlpine (apk-tools version.data)', () => {
  it('agrees with the apk test suite', () => {
    expectRelations(compareAlpine, APK_VERSION_DATA);
  });

  it('orders suffixes: pre-releases before the bare version, post-releases after', () => {
    const order = ['1.1_alpha', '1.1_beta', '1.1_pre', '1.1_rc', '1.1', '1.1_cvs', '1.1_svn', '1.1_git', '1.1_hg', '1.1_p'];
    expectRelations(
      compareAlpine,
      order.slice(1).map((v, i) => `${order[i] as string} < ${v}`),
    );
    expectRelations(compareAlpine, ['3.0_rc1-r0 < 3.0-r0', '3.0-r0 < 3.0_p1-r0']);
  });

  it('compares numbers of any length by value, in place, with no precision lost', () => {
    expectRelations(compareAlpine, [
      '20240101000000000000000001-r0 > 20240101000000000000000000-r0',
      '1.123456789012345678901234567890 < 1.123456789012345678901234567891',
      '1.0_p99999999999999999999-r0 < 1.0_p100000000000000000000-r0',
      '1.0-r18446744073709551617 > 1.0-r18446744073709551616',
      // After a dot, leading zeros read as a fraction would (1.02 < 1.1), however many.
      '1.0000000000000000000001 < 1.1',
    ]);
  });

  it('validates as apk_version_validate does', () => {
    expect(isValidAlpineVersion('1.2.3_rc1-r0')).toBe(true);
    expect(isValidAlpineVersion('1.0bc')).toBe(false);
    expect(isValidAlpineVersion('1.0_foo')).toBe(false);
    expect(isValidAlpineVersion('1.0-r')).toBe(true);
    expect(parseAlpineVersion('latest')).toBeNull();
  });
});
