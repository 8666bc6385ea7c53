import { describe, expect, it } from 'vitest';
import { GenerationalCache } from './bounded-cache.js';

describe('GenerationalCache', () => {
  it('keeps the most recently used keys and forgets the rest in time', () => {
    const cache = new GenerationalCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3); // a and b move to the previous generation
    expect(cache.get('a')).toBe(1); // carried over into the current one
    cache.set('d', 4); // the current generation (c, a) is full: b is dropped with the old previous one
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.get('d')]).toEqual([1, 3, 4]);
  });
});
