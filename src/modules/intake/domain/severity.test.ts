import { describe, expect, it } from 'vitest';
import { cvssSeverity, cvssVersionOf, sarifLevel } from './severity.js';

describe('cvssVersionOf', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.1'],
    ['CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', '3.0'],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', '4.0'],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', '2.0'],
    ['CVSS:3.2/AV:N', null],
    ['high', null],
  ])('%s → %s', (vector, version) => {
    expect(cvssVersionOf(vector)).toBe(version);
  });
});

describe('cvssSeverity', () => {
  it('unwraps parenthesized v2 vectors and keeps the source and score given', () => {
    expect(cvssSeverity('(AV:N/AC:L/Au:N/C:P/I:P/A:P)', 'nvd', 7.5)).toEqual({
      kind: 'cvss',
      version: '2.0',
      vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P',
      baseScore: 7.5,
      source: 'nvd',
    });
    expect(cvssSeverity('not a vector', 'x')).toBeNull();
  });
});

describe('sarifLevel', () => {
  it('accepts the four SARIF levels only', () => {
    expect(sarifLevel('note')).toBe('note');
    expect(sarifLevel('fatal')).toBeNull();
    expect(sarifLevel(3)).toBeNull();
  });
});
