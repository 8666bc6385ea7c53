import { describe, expect, it } from 'vitest';
import { isId, newId, ulid } from './ids.js';

describe('ids', () => {
  it('are prefixed ULIDs', () => {
    const id = newId('org');
    expect(id).toMatch(/^org_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(isId('org', id)).toBe(true);
    expect(isId('usr', id)).toBe(false);
    expect(isId('org', 'org_not-a-ulid')).toBe(false);
  });

  it('sort in creation order, even within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => ulid(1_780_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('encode the time in the first ten characters (Crockford base32, most significant first)', () => {
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const at = Date.now() + 60_000;
    const decoded = [...ulid(at).slice(0, 10)].reduce((acc, ch) => acc * 32 + alphabet.indexOf(ch), 0);
    expect(decoded).toBe(at);
  });
});
