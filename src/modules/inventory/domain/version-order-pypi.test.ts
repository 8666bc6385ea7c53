import { describe, expect, it } from 'vitest';
import { comparePypi, parsePypiVersion } from './version-order-pypi.js';
import { expectEqualVersions, expectStrictlyAscending } from './test-support/order-assertions.js';

describe('comparePypi (PEP 440)', () => {
  // PEP 440, "Summary of permitted suffixes and relative ordering": the example list, in order.
  it('orders the PEP example list', () => {
    expectStrictlyAscending(comparePypi, [
      '1.0.dev456',
      '1.0a1',
      '1.0a2.dev456',
      '1.0a12.dev456',
      '1.0a12',
      '1.0b1.dev456',
      '1.0b2',
      '1.0b2.post345.dev456',
      '1.0b2.post345',
      '1.0rc1.dev456',
      '1.0rc1',
      '1.0',
      '1.0+abc.5',
      '1.0+abc.7',
      '1.0+5',
      '1.0.post456.dev34',
      '1.0.post456',
      '1.0.15',
      '1.1.dev1',
    ]);
  });

  it('compares epochs before everything else', () => {
    expectStrictlyAscending(comparePypi, ['2013.10', '2014.04', '1!1.0', '1!1.1']);
  });

  // PEP 440 "Normalization" and "Release segment": equivalent spellings.
  it.each([
    ['1.0', '1.0.0'],
    ['1.0', '1'],
    ['1.0c1', '1.0rc1'],
    ['1.0-1', '1.0.post1'],
    ['1.0alpha1', '1.0a1'],
    ['1.0-dev', '1.0.dev0'],
    ['v1.0', '1.0'],
    ['1.0+ubuntu-1', '1.0+ubuntu.1'],
    ['1.0RC1', '1.0rc1'],
  ])('%s == %s', (a, b) => expectEqualVersions(comparePypi, a, b));

  it('puts numeric local segments after alphanumeric ones', () => {
    expectStrictlyAscending(comparePypi, ['1.0+abc', '1.0+1']);
  });

  it('returns null for legacy versions found in real advisories, and sorts them first', () => {
    expect(parsePypiVersion('0.7.10p1')).toBeNull();
    expect(parsePypiVersion('1.0')).not.toBeNull();
    expect(['1.0', '0.7.10p1'].sort(comparePypi)).toEqual(['0.7.10p1', '1.0']);
  });
});

describe('PEP 440 precision and white space', () => {
  it('keeps every digit of long release numbers', () => {
    expect(comparePypi('1.20220404083012001', '1.20220404083012002')).toBe(-1);
  });

  it('ignores leading and trailing white space, as the PEP says', () => {
    expect(parsePypiVersion('   v1.0\t\n')).not.toBeNull();
    expect(comparePypi('   v1.0\t\n', '1.0')).toBe(0);
  });
});
