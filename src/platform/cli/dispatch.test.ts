import { describe, expect, it } from 'vitest';
import { moreHint, pageTable } from './dispatch.js';

describe('pageTable', () => {
  const row = (n: number) => [String(n), `item ${n}`];

  it('prints the whole page as a table, and nothing under it on the last page', () => {
    const text = pageTable({ items: [1, 22], nextCursor: null }, ['N', 'NAME'], row);
    expect(text.split('\n')).toHaveLength(3);
    expect(text).toContain('item 22');
    expect(text).not.toContain('--cursor');
  });

  it('says how to see the rest when there is more', () => {
    const text = pageTable({ items: [1], nextCursor: 'abc' }, ['N', 'NAME'], row);
    expect(text.split('\n').at(-1)).toBe(moreHint(1, 'abc'));
    expect(text).toContain('--cursor abc');
  });
});
