import { describe, expect, it } from 'vitest';
import { cwesInText, normalizeCwe, sortCwes } from './cwe.js';

describe('normalizeCwe', () => {
  it.each([
    ['CWE-79', 'CWE-79'],
    ['cwe-079', 'CWE-79'],
    ['79', 'CWE-79'],
    [' CWE_89 ', 'CWE-89'],
    [1321, 'CWE-1321'],
  ])('reads %j as %s', (input, expected) => {
    expect(normalizeCwe(input)).toBe(expected);
  });

  it.each([['NVD-CWE-Other'], ['CWE-0'], ['CWE-79 XSS'], [0], [-3], [1.5], [null], ['']])('refuses %j', (input) => {
    expect(normalizeCwe(input)).toBeNull();
  });
});

describe('cwesInText', () => {
  it('finds CodeQL tags and problem-type descriptions, but not NVD placeholders', () => {
    expect(cwesInText('external/cwe/cwe-079')).toEqual(['CWE-79']);
    expect(cwesInText('CWE-117 Improper Output Neutralization for Logs')).toEqual(['CWE-117']);
    expect(cwesInText('NVD-CWE-noinfo')).toEqual([]);
    expect(cwesInText('see CWE-22 and cwe 73')).toEqual(['CWE-22', 'CWE-73']);
  });
});

describe('sortCwes', () => {
  it('orders by number and removes repeats', () => {
    expect(sortCwes(['CWE-787', 'CWE-79', 'CWE-125', 'CWE-79'])).toEqual(['CWE-79', 'CWE-125', 'CWE-787']);
  });
});
