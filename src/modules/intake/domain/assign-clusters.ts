import type { VulnerabilityAlias } from './finding.js';
import { UnionFind } from './union-find.js';

/**
 * Incremental deduplication: assigns each incoming finding to the cluster that already holds one of its
 * identity keys (an alias or its fingerprint), creating clusters for what is new and merging clusters that
 * a finding shows to be one (it carries keys of both: a CVE record naming two OSV ids that arrived apart).
 *
 * The same function runs on the server, where the directory is the database, and in the offline
 * `clearinghouse dedup`, where it is a map in memory — one code path for both.
 */

/** One incoming finding, as dedup sees it. `key` is the caller's id for it. */
export interface DedupItem {
  readonly key: string;
  readonly aliases: readonly VulnerabilityAlias[];
  readonly fingerprint: string | null;
}

/** Where identity keys are remembered. Cluster ids must sort by age (ULIDs do): the oldest survives a merge. */
export interface ClusterDirectory {
  /** The clusters that hold any of these keys. */
  lookup(keys: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** A fresh, unused cluster id, later than every existing one. */
  newClusterId(): string;
}

export type IdentityKeyKind = 'alias' | 'fingerprint' | 'finding';

export interface IdentityKey {
  readonly key: string;
  readonly kind: IdentityKeyKind;
}

export interface DedupAssignment {
  readonly key: string;
  readonly clusterId: string;
  /** `new`: this finding opened the cluster; `duplicate`: the cluster existed, or an earlier finding of this batch opened it. */
  readonly outcome: 'new' | 'duplicate';
  /** Why it joined: the keys it shares with the cluster (empty for `new`). */
  readonly matchedKeys: readonly IdentityKey[];
}

export interface DedupPlan {
  readonly assignments: readonly DedupAssignment[];
  /** Clusters created by this batch, with the finding that opened each. */
  readonly created: readonly { readonly clusterId: string; readonly firstKey: string }[];
  /** Existing clusters folded into an older one because a finding carries keys of both. */
  readonly merges: readonly { readonly from: string; readonly into: string; readonly because: readonly IdentityKey[] }[];
  /** Keys not yet in the directory, with the cluster and finding that bring them. */
  readonly newKeys: readonly (IdentityKey & { readonly clusterId: string; readonly findingKey: string })[];
}

/** The identity keys of a finding: its aliases and its fingerprint; a finding with neither is only itself. */
export function identityKeys(item: DedupItem): IdentityKey[] {
  const keys: IdentityKey[] = [];
  const seen = new Set<string>();
  for (const alias of item.aliases) {
    const key = `alias:${alias.id}`;
    if (!seen.has(key)) keys.push({ key, kind: 'alias' });
    seen.add(key);
  }
  if (item.fingerprint !== null) keys.push({ key: `fp:${item.fingerprint}`, kind: 'fingerprint' });
  if (keys.length === 0) keys.push({ key: `finding:${item.key}`, kind: 'finding' });
  return keys;
}

const oldest = (ids: Iterable<string>): string => [...ids].sort()[0] as string;

/** Plans the assignment of a batch of findings, in order, against what the directory knows. */
export async function assignClusters(items: readonly DedupItem[], directory: ClusterDirectory): Promise<DedupPlan> {
  const keysOf = items.map(identityKeys);
  const known = await directory.lookup([...new Set(keysOf.flat().map((k) => k.key))]);

  // Nodes: "i:<n>" per item, "c:<id>" per existing cluster; an item joins every cluster and item sharing a key.
  const sets = new UnionFind();
  const firstItemWithKey = new Map<string, number>();
  keysOf.forEach((keys, i) => {
    sets.add(`i:${i}`);
    for (const { key } of keys) {
      const cluster = known.get(key);
      if (cluster !== undefined) sets.union(`i:${i}`, `c:${cluster}`);
      const earlier = firstItemWithKey.get(key);
      if (earlier === undefined) firstItemWithKey.set(key, i);
      else sets.union(`i:${earlier}`, `i:${i}`);
    }
  });

  const existingByRoot = new Map<string, Set<string>>();
  for (const cluster of new Set(known.values())) {
    const root = sets.find(`c:${cluster}`);
    existingByRoot.set(root, (existingByRoot.get(root) ?? new Set()).add(cluster));
  }

  const clusterOfRoot = new Map<string, string>();
  const created: { clusterId: string; firstKey: string }[] = [];
  const merges: { from: string; into: string; because: IdentityKey[] }[] = [];
  const assignments: DedupAssignment[] = [];
  const newKeys: (IdentityKey & { clusterId: string; findingKey: string })[] = [];
  const keyAssigned = new Set<string>();

  items.forEach((item, i) => {
    const root = sets.find(`i:${i}`);
    let clusterId = clusterOfRoot.get(root);
    let outcome: DedupAssignment['outcome'] = 'duplicate';
    if (clusterId === undefined) {
      const existing = existingByRoot.get(root);
      if (existing === undefined || existing.size === 0) {
        clusterId = directory.newClusterId();
        created.push({ clusterId, firstKey: item.key });
        outcome = 'new';
      } else {
        clusterId = oldest(existing);
        for (const other of [...existing].sort()) {
          if (other === clusterId) continue;
          const because = keysOf.flatMap((keys, j) => (sets.find(`i:${j}`) === root ? keys.filter((k) => known.get(k.key) === other) : []));
          merges.push({ from: other, into: clusterId, because: dedupeKeys(because) });
        }
      }
      clusterOfRoot.set(root, clusterId);
    }
    const matchedKeys = outcome === 'new' ? [] : keysOf[i]!.filter((k) => known.has(k.key) || (firstItemWithKey.get(k.key) ?? i) < i);
    assignments.push({ key: item.key, clusterId, outcome, matchedKeys });
    for (const k of keysOf[i]!) {
      if (known.has(k.key) || keyAssigned.has(k.key)) continue;
      keyAssigned.add(k.key);
      newKeys.push({ ...k, clusterId, findingKey: item.key });
    }
  });
  return { assignments, created, merges, newKeys };
}

function dedupeKeys(keys: readonly IdentityKey[]): IdentityKey[] {
  const seen = new Map<string, IdentityKey>();
  for (const k of keys) seen.set(k.key, k);
  return [...seen.values()];
}

/** A directory in memory, for offline deduplication of files. Ids are `cluster-000001`, `cluster-000002`, … */
export class MemoryClusterDirectory implements ClusterDirectory {
  readonly #keys = new Map<string, string>();
  #next = 0;

  async lookup(keys: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const out = new Map<string, string>();
    for (const key of keys) {
      const cluster = this.#keys.get(key);
      if (cluster !== undefined) out.set(key, cluster);
    }
    return out;
  }

  newClusterId(): string {
    this.#next += 1;
    return `cluster-${String(this.#next).padStart(6, '0')}`;
  }

  /** Records a plan, as the database store does. */
  apply(plan: DedupPlan): void {
    for (const merge of plan.merges) {
      for (const [key, cluster] of this.#keys) if (cluster === merge.from) this.#keys.set(key, merge.into);
    }
    for (const k of plan.newKeys) this.#keys.set(k.key, k.clusterId);
  }
}
