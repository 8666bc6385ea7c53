import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from './hash.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('gives equal text for equal values built in different orders', () => {
    const one = { x: 1, y: ['a', 'b'], z: { p: null, q: true } };
    const two = { z: { q: true, p: null }, y: ['a', 'b'], x: 1 };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('is JSON.stringify itself for values whose keys are already sorted, undefined array items and all', () => {
    const value = { a: [1, undefined, 'x', { b: null, c: [[], {}] }], d: { e: -0.5, f: '\u2028"' }, g: true };
    expect(canonicalJson(value)).toBe(JSON.stringify(value));
    expect(canonicalJson([undefined, { a: undefined }])).toBe('[null,{}]');
  });

  it('escapes strings as JSON does', () => {
    expect(canonicalJson({ 'k"': 'line\nbreak' })).toBe('{"k\\"":"line\\nbreak"}');
  });
});

describe('sha256Hex', () => {
  it('matches the FIPS 180-2 test vector for "abc"', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
