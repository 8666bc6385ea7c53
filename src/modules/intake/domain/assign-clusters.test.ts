import { describe, expect, it } from 'vitest';
import { MemoryClusterDirectory, assignClusters, identityKeys, type DedupItem, type ExactLookup } from './assign-clusters.js';

const item = (key: string, aliases: string[], fingerprint: string | null = null): DedupItem => ({
  key,
  aliases: aliases.map((id) => ({ id, source: 'alias', pointer: '' })),
  fingerprint,
});

async function run(directory: MemoryClusterDirectory, items: DedupItem[]) {
  const plan = await assignClusters(items, directory);
  directory.apply(plan);
  return plan;
}

describe('assignClusters', () => {
  it('opens a cluster for the first finding of a vulnerability and marks later ones duplicates', async () => {
    const dir = new MemoryClusterDirectory();
    const plan = await run(dir, [
      item('a', ['CVE-1']),
      item('b', ['CVE-1']),
      item('c', [], 'fp1:x'),
      item('d', [], 'fp1:x'),
      item('e', []),
    ]);
    expect(plan.assignments.map((a) => [a.key, a.clusterId, a.outcome])).toEqual([
      ['a', 'cluster-000001', 'new'],
      ['b', 'cluster-000001', 'duplicate'],
      ['c', 'cluster-000002', 'new'],
      ['d', 'cluster-000002', 'duplicate'],
      ['e', 'cluster-000003', 'new'],
    ]);
    expect(plan.assignments[1]?.matchedKeys).toEqual([{ key: 'alias:CVE-1', kind: 'alias' }]);
    const later = await run(dir, [item('f', ['CVE-1']), item('g', [], 'fp1:x')]);
    expect(later.assignments.map((a) => [a.clusterId, a.outcome])).toEqual([
      ['cluster-000001', 'duplicate'],
      ['cluster-000002', 'duplicate'],
    ]);
    expect(later.created).toEqual([]);
  });

  it('joins transitively within a batch: A~B by one id, B~C by another', async () => {
    const plan = await run(new MemoryClusterDirectory(), [item('a', ['CVE-1']), item('c', ['GHSA-x']), item('b', ['CVE-1', 'GHSA-x'])]);
    expect(new Set(plan.assignments.map((a) => a.clusterId)).size).toBe(1);
    expect(plan.created).toHaveLength(1);
    expect(plan.assignments.map((a) => a.outcome)).toEqual(['new', 'duplicate', 'duplicate']);
  });

  it('merges existing clusters into the oldest when a finding carries keys of both', async () => {
    const dir = new MemoryClusterDirectory();
    await run(dir, [item('a', ['CVE-1'])]);
    await run(dir, [item('b', ['GHSA-x'])]);
    const plan = await run(dir, [item('c', ['GHSA-x', 'CVE-1', 'PYSEC-9'])]);
    expect(plan.merges).toEqual([{ from: 'cluster-000002', into: 'cluster-000001', because: [{ key: 'alias:GHSA-x', kind: 'alias' }] }]);
    expect(plan.assignments[0]).toMatchObject({ clusterId: 'cluster-000001', outcome: 'duplicate' });
    expect(plan.newKeys.map((k) => k.key)).toEqual(['alias:PYSEC-9']);
    // After the merge, the old cluster's keys lead to the survivor.
    const after = await run(dir, [item('d', ['GHSA-x'])]);
    expect(after.assignments[0]?.clusterId).toBe('cluster-000001');
  });

  it('gives a finding with neither alias nor fingerprint a key of its own', () => {
    expect(identityKeys(item('z', []))).toEqual([{ key: 'finding:z', kind: 'finding' }]);
    expect(identityKeys(item('z', ['CVE-1', 'CVE-1'], 'fp1:q'))).toEqual([
      { key: 'alias:CVE-1', kind: 'alias' },
      { key: 'fp:fp1:q', kind: 'fingerprint' },
    ]);
  });

  it('tells the anchor lookup which fingerprint keys the batch asked for already, and what they found', async () => {
    const dir = new MemoryClusterDirectory();
    await run(dir, [item('a', [], 'fp2:known')]);
    const told: ExactLookup[] = [];
    const spy = {
      lookup: (keys: readonly string[]) => dir.lookup(keys),
      newClusterId: () => dir.newClusterId(),
      anchors: (keys: readonly string[], exact?: ExactLookup) => {
        if (exact !== undefined) told.push(exact);
        return dir.anchors(keys);
      },
    };
    const withAnchors = (key: string, fingerprint: string, coarser: string): DedupItem => ({
      ...item(key, [], fingerprint),
      anchors: [
        { level: 'line-hash', key: fingerprint },
        { level: 'function', key: coarser },
      ],
    });
    await assignClusters([withAnchors('b', 'fp2:new', 'fp2:coarse'), item('c', [], 'fp2:known')], spy);
    expect(told).toHaveLength(1);
    expect([...told[0]!.asked].sort()).toEqual(['fp:fp2:known', 'fp:fp2:new']);
    expect([...told[0]!.found]).toEqual([['fp:fp2:known', 'cluster-000001']]);
  });
});
