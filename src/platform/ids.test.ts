import { describe, expect, it } from 'vitest';
import { isId, newId, newIds, ulid } from './ids.js';

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

  it('made many at once, are those newId makes one by one within a millisecond: each the one before plus one', () => {
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    const random = (id: string) => [...id.slice(-16)].reduce((acc, ch) => acc * 32n + BigInt(alphabet.indexOf(ch)), 0n);
    const at = Date.now() + 120_000;
    const before = `dech_${ulid(at)}`;
    const many = newIds('dech', 3000, at);
    const after = `dech_${ulid(at)}`;
    const all = [before, ...many, after];
    for (const id of all) expect(isId('dech', id)).toBe(true);
    expect(all.map((id) => id.slice(5, 15))).toEqual(all.map(() => before.slice(5, 15)));
    const steps = all.slice(1).map((id, i) => random(id) - random(all[i] ?? ''));
    expect(new Set(steps)).toEqual(new Set([1n]));
    expect(newIds('dech', 0)).toEqual([]);
  });
});
