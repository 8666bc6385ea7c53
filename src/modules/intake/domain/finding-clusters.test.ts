import { describe, expect, it } from 'vitest';
import type { VulnerabilityAlias } from './finding.js';
import { clusterFindings, type IdentityItem } from './finding-clusters.js';
import { IndexUnionFind, UnionFind } from './union-find.js';

const alias = (id: string, pointer = '/aliases/0'): VulnerabilityAlias => ({ id, source: 'alias', pointer });
const item = (key: string, ids: string[], fingerprint: string | null = null): IdentityItem => ({
  key,
  aliases: ids.map((id) => alias(id)),
  fingerprint,
});

describe('clusterFindings', () => {
  it('joins findings that share an alias transitively, and keeps the others apart', () => {
    const clusters = clusterFindings([
      item('a', ['CVE-2024-1']),
      item('b', ['CVE-2024-1', 'GHSA-aaaa-bbbb-cccc']),
      item('c', ['GHSA-aaaa-bbbb-cccc', 'PYSEC-2024-9']),
      item('d', ['CVE-2024-2']),
    ]);
    expect(clusters.map((c) => c.keys)).toEqual([['a', 'b', 'c'], ['d']]);
    expect(clusters[0]?.aliases).toEqual(['CVE-2024-1', 'GHSA-aaaa-bbbb-cccc', 'PYSEC-2024-9']);
  });

  it('records which alias joined which members, with where each read it', () => {
    const [cluster] = clusterFindings([
      { key: 'osv', aliases: [{ id: 'CVE-2024-1', source: 'alias', pointer: '/aliases/2' }], fingerprint: null },
      { key: 'cve', aliases: [{ id: 'CVE-2024-1', source: 'record', pointer: '/cveMetadata/cveId' }], fingerprint: null },
    ]);
    expect(cluster?.links).toEqual([
      {
        layer: 'alias',
        alias: 'CVE-2024-1',
        members: [
          { key: 'osv', source: 'alias', pointer: '/aliases/2' },
          { key: 'cve', source: 'record', pointer: '/cveMetadata/cveId' },
        ],
      },
    ]);
  });

  it('joins equal fingerprints unless asked not to', () => {
    const items = [item('x', [], 'fp1:1'), item('y', [], 'fp1:1'), item('z', [], 'fp1:2')];
    expect(clusterFindings(items).map((c) => c.keys)).toEqual([['x', 'y'], ['z']]);
    expect(clusterFindings(items)[0]?.links).toEqual([{ layer: 'fingerprint', fingerprint: 'fp1:1', keys: ['x', 'y'] }]);
    expect(clusterFindings(items, { useFingerprints: false }).map((c) => c.keys)).toEqual([['x'], ['y'], ['z']]);
  });

  it('bridges the layers: an alias link and a fingerprint link make one cluster', () => {
    const clusters = clusterFindings([item('sarif', [], 'fp1:9'), item('native', ['CVE-2024-5'], 'fp1:9'), item('osv', ['CVE-2024-5'])]);
    expect(clusters.map((c) => c.keys)).toEqual([['sarif', 'native', 'osv']]);
    expect(clusters[0]?.links.map((l) => l.layer)).toEqual(['alias', 'fingerprint']);
  });

  it('is independent of how the union happens to be rooted, and treats a repeated key as one finding', () => {
    const forward = clusterFindings([item('a', ['X-1']), item('b', ['X-1', 'X-2']), item('c', ['X-2']), item('a', ['X-3'])]);
    expect(forward.map((c) => c.keys)).toEqual([['a', 'b', 'c']]);
    expect(forward[0]?.aliases).toEqual(['X-1', 'X-2', 'X-3']);
  });
});

describe('UnionFind', () => {
  it('unions once and finds the same representative for every member', () => {
    const sets = new UnionFind();
    expect(sets.union('a', 'b')).toBe(true);
    expect(sets.union('c', 'd')).toBe(true);
    expect(sets.union('b', 'd')).toBe(true);
    expect(sets.union('a', 'c')).toBe(false);
    expect(new Set(['a', 'b', 'c', 'd'].map((k) => sets.find(k))).size).toBe(1);
    expect(sets.find('e')).toBe('e');
  });
});

describe('IndexUnionFind', () => {
  it('joins numbers transitively, once, and leaves the others alone', () => {
    const sets = new IndexUnionFind(6);
    expect(sets.union(0, 1)).toBe(true);
    expect(sets.union(2, 3)).toBe(true);
    expect(sets.union(1, 3)).toBe(true);
    expect(sets.union(0, 2)).toBe(false);
    expect(new Set([0, 1, 2, 3].map((n) => sets.find(n))).size).toBe(1);
    expect(sets.find(4)).toBe(4);
    expect(sets.find(5)).not.toBe(sets.find(0));
  });
});
