import { describe, expect, it } from 'vitest';
import { compareRpm, parseRpmVersion, rpmvercmp } from './version-order-rpm.js';

// Every active case of rpm's tests/rpmvercmp.at (rpm-software-management/rpm), as (a, b, expected).
const RPMVERCMP_AT: readonly (readonly [string, string, number])[] = [
  ['1.0', '1.0', 0],
  ['1.0', '2.0', -1],
  ['2.0', '1.0', 1],
  ['2.0.1', '2.0.1', 0],
  ['2.0', '2.0.1', -1],
  ['2.0.1', '2.0', 1],
  ['2.0.1a', '2.0.1a', 0],
  ['2.0.1a', '2.0.1', 1],
  ['2.0.1', '2.0.1a', -1],
  ['5.5p1', '5.5p1', 0],
  ['5.5p1', '5.5p2', -1],
  ['5.5p2', '5.5p1', 1],
  ['5.5p10', '5.5p10', 0],
  ['5.5p1', '5.5p10', -1],
  ['5.5p10', '5.5p1', 1],
  ['10xyz', '10.1xyz', -1],
  ['10.1xyz', '10xyz', 1],
  ['xyz10', 'xyz10', 0],
  ['xyz10', 'xyz10.1', -1],
  ['xyz10.1', 'xyz10', 1],
  ['xyz.4', 'xyz.4', 0],
  ['xyz.4', '8', -1],
  ['8', 'xyz.4', 1],
  ['xyz.4', '2', -1],
  ['2', 'xyz.4', 1],
  ['5.5p2', '5.6p1', -1],
  ['5.6p1', '5.5p2', 1],
  ['5.6p1', '6.5p1', -1],
  ['6.5p1', '5.6p1', 1],
  ['6.0.rc1', '6.0', 1],
  ['6.0', '6.0.rc1', -1],
  ['10b2', '10a1', 1],
  ['10a2', '10b2', -1],
  ['1.0aa', '1.0aa', 0],
  ['1.0a', '1.0aa', -1],
  ['1.0aa', '1.0a', 1],
  ['10.0001', '10.0001', 0],
  ['10.0001', '10.1', 0],
  ['10.1', '10.0001', 0],
  ['10.0001', '10.0039', -1],
  ['10.0039', '10.0001', 1],
  ['4.999.9', '5.0', -1],
  ['5.0', '4.999.9', 1],
  ['20101121', '20101121', 0],
  ['20101121', '20101122', -1],
  ['20101122', '20101121', 1],
  ['2_0', '2_0', 0],
  ['2.0', '2_0', 0],
  ['2_0', '2.0', 0],
  ['a', 'a', 0],
  ['a+', 'a+', 0],
  ['a+', 'a_', 0],
  ['a_', 'a+', 0],
  ['+a', '+a', 0],
  ['+a', '_a', 0],
  ['_a', '+a', 0],
  ['+_', '+_', 0],
  ['_+', '+_', 0],
  ['_+', '_+', 0],
  ['+', '_', 0],
  ['_', '+', 0],
  ['1.0~rc1', '1.0~rc1', 0],
  ['1.0~rc1', '1.0', -1],
  ['1.0', '1.0~rc1', 1],
  ['1.0~rc1', '1.0~rc2', -1],
  ['1.0~rc2', '1.0~rc1', 1],
  ['1.0~rc1~git123', '1.0~rc1~git123', 0],
  ['1.0~rc1~git123', '1.0~rc1', -1],
  ['1.0~rc1', '1.0~rc1~git123', 1],
];

describe('rpmvercmp (rpm tests/rpmvercmp.at)', () => {
  it.each(RPMVERCMP_AT)('rpmvercmp(%s, %s) = %i', (a, b, want) => {
    expect(rpmvercmp(a, b)).toBe(want);
  });

  // Caret cases from rpm's documentation of "^" (rpm 4.15): after the base version, before the next one.
  it('sorts a caret snapshot after its base and before the next release', () => {
    expect(rpmvercmp('1.0^git1', '1.0')).toBe(1);
    expect(rpmvercmp('1.0^git1', '1.0.1')).toBe(-1);
    expect(rpmvercmp('1.0^git1', '1.0^git2')).toBe(-1);
    expect(rpmvercmp('1.0~rc1^git1', '1.0~rc1')).toBe(1);
  });
});

describe('compareRpm (epoch:version-release)', () => {
  it('compares epochs first, missing epoch = 0', () => {
    expect(compareRpm('1:1.0-1', '2.0-1')).toBe(1);
    expect(compareRpm('0:1.0-1', '1.0-1')).toBe(0);
  });

  it('compares releases after versions', () => {
    expect(compareRpm('1.0-1.el8', '1.0-2.el8')).toBe(-1);
    expect(compareRpm('1.0-10.el8', '1.0-9.el8')).toBe(1);
  });

  it('sorts a version without release before the same version with one (a total order)', () => {
    expect(compareRpm('1.0', '1.0-1')).toBe(-1);
  });

  it('rejects malformed EVRs without throwing', () => {
    expect(parseRpmVersion('x:1.0')).toBeNull();
    expect(parseRpmVersion('1.0-')).toBeNull();
    expect(parseRpmVersion('')).toBeNull();
    expect(compareRpm('x:1.0', '0.1')).toBe(-1);
  });
});
