import { describe, expect, it } from 'vitest';
import { estimateJaccard, minHashSignature } from './minhash.js';
import { shingles, textTokens } from './text-tokens.js';

function words(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`);
}

describe('minHashSignature', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const set = words('w', 20);
    expect(minHashSignature(set)).toEqual(minHashSignature([...set].reverse()));
    expect(minHashSignature(set, 64, 1)).not.toEqual(minHashSignature(set, 64, 2));
  });

  it('estimates the Jaccard similarity of two sets', () => {
    // 150 shared of 250 distinct words: true Jaccard 0.6. With 256 hashes the standard error is about 0.03.
    const a = [...words('shared', 150), ...words('a', 50)];
    const b = [...words('shared', 150), ...words('b', 50)];
    const estimate = estimateJaccard(minHashSignature(a, 256), minHashSignature(b, 256));
    expect(estimate).toBeGreaterThan(0.48);
    expect(estimate).toBeLessThan(0.72);
    expect(estimateJaccard(minHashSignature(a), minHashSignature(a))).toBe(1);
    expect(estimateJaccard(minHashSignature(words('x', 30)), minHashSignature(words('y', 30)))).toBeLessThan(0.15);
  });

  it('gives empty sets no similarity, even to each other', () => {
    expect(estimateJaccard(minHashSignature([]), minHashSignature([]))).toBe(0);
    expect(estimateJaccard(minHashSignature(['a']), minHashSignature(['a'], 32))).toBe(0);
  });
});

describe('textTokens and shingles', () => {
  it('keeps significant words and drops stop words, numbers and single letters', () => {
    expect(textTokens('The attacker can inject SQL into query() at line 42 in v1.2.3')).toEqual(['inject', 'sql', 'query', 'line', 'v1']);
  });

  it('adds bigrams to the words', () => {
    expect([...shingles(['heap', 'overflow', 'parser'])]).toEqual(['heap', 'overflow', 'parser', 'heap overflow', 'overflow parser']);
  });
});
