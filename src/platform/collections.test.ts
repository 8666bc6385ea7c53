import { describe, expect, it } from 'vitest';
import { appendTo, groupBy } from './collections.js';

describe('groupBy', () => {
  it('keeps each key’s items in their order and the keys in the order first seen', () => {
    const rows = [
      { org: 'b', id: 1 },
      { org: 'a', id: 2 },
      { org: 'b', id: 3 },
      { org: 'c', id: 4 },
      { org: 'a', id: 5 },
    ];
    const byOrg = groupBy(rows, (r) => r.org);
    expect([...byOrg.keys()]).toEqual(['b', 'a', 'c']);
    expect(byOrg.get('b')).toEqual([rows[0], rows[2]]);
    expect(byOrg.get('a')).toEqual([rows[1], rows[4]]);
    expect(byOrg.get('c')).toEqual([rows[3]]);
  });

  it('groups values drawn from the items, null keys included', () => {
    const rows = [
      { sector: null, id: 'x' },
      { sector: 'energy', id: 'y' },
      { sector: null, id: 'z' },
    ];
    expect(
      groupBy(
        rows,
        (r) => r.sector,
        (r) => r.id,
      ),
    ).toEqual(
      new Map<string | null, string[]>([
        [null, ['x', 'z']],
        ['energy', ['y']],
      ]),
    );
  });

  it('is empty for no items, and takes any iterable', () => {
    expect(groupBy([], (x: number) => x).size).toBe(0);
    const fromSet = groupBy(new Set([1, 2, 3, 4]), (n) => n % 2);
    expect(fromSet.get(1)).toEqual([1, 3]);
    expect(fromSet.get(0)).toEqual([2, 4]);
  });
});

describe('appendTo', () => {
  it('makes a key’s list on first use, then appends to that same list', () => {
    const map = new Map<string, number[]>();
    const first = appendTo(map, 'k', 1);
    expect(first).toEqual([1]);
    expect(appendTo(map, 'k', 2)).toBe(first);
    expect(map.get('k')).toEqual([1, 2]);
    expect(appendTo(map, 'j', 3)).toEqual([3]);
    expect([...map.keys()]).toEqual(['k', 'j']);
  });
});
