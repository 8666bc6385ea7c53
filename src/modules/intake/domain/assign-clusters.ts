import type { VulnerabilityAlias } from './finding.js';
import type { AnchorKey, AnchorLevel } from './fingerprint.js';
import { differentVulnerabilities } from './near-duplicates.js';
import { IndexUnionFind } from './union-find.js';

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
  /** Its identity at each anchor level, finest first (`findingIdentity`); the first equals `fingerprint`. */
  readonly anchors?: readonly AnchorKey[];
}

/** What the directory knows of the clusters holding some anchor keys. */
export interface AnchorLookup {
  /** Anchor key → the clusters holding it (through a finding's fingerprint or a stored anchor). */
  readonly byKey: ReadonlyMap<string, ReadonlySet<string>>;
  /** Per cluster found: its vulnerability ids, and the anchor keys its findings have stored, per level. */
  readonly clusters: ReadonlyMap<
    string,
    { readonly aliases: ReadonlySet<string>; readonly levels: ReadonlyMap<AnchorLevel, ReadonlySet<string>> }
  >;
}

/** The identity keys a batch looked up, and the clusters of those found. */
export interface ExactLookup {
  readonly asked: ReadonlySet<string>;
  readonly found: ReadonlyMap<string, string>;
}

/** Where identity keys are remembered. Cluster ids must sort by age (ULIDs do): the oldest survives a merge. */
export interface ClusterDirectory {
  /** The clusters that hold any of these keys. */
  lookup(keys: readonly string[]): Promise<ReadonlyMap<string, string>>;
  /** A fresh, unused cluster id, later than every existing one. */
  newClusterId(): string;
  /**
   * The clusters holding any of these anchor keys; a directory without it matches on exact keys only. `exact`
   * is the batch's {@link lookup}: the keys asked for and the clusters found, so that an anchor whose
   * fingerprint key was asked for already (every item's finest anchor is its fingerprint) is not asked again.
   */
  anchors?(keys: readonly string[], exact?: ExactLookup): Promise<AnchorLookup>;
}

export type IdentityKeyKind = 'alias' | 'fingerprint' | 'finding' | 'anchor';

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
  /** Anchor keys to remember, of findings with more than one anchor level that opened or joined a cluster on them. */
  readonly newAnchors: readonly (AnchorKey & { readonly clusterId: string; readonly findingKey: string })[];
  /**
   * Findings that matched several clusters at a coarser anchor level only (no finer anchor to tell them
   * apart): each opened a cluster of its own, proposed as a near duplicate of every one it matched.
   */
  readonly proposals: readonly AnchorProposal[];
}

export interface AnchorProposal {
  readonly findingKey: string;
  readonly clusterId: string;
  readonly others: readonly string[];
  readonly level: AnchorLevel;
}

/** The clusters an item matches at its finest anchor level that any cluster shares without contradiction. */
interface AnchorMatch {
  readonly level: AnchorLevel;
  readonly key: string;
  readonly clusters: readonly string[];
}

/**
 * Where an item without an exact match meets stored clusters on a coarser anchor: at each of its levels,
 * finest first, the clusters holding its key there whose other stored anchors do not contradict it (at a
 * level both have, the cluster holds none of the item's keys: another line hash, another function) and whose
 * vulnerability ids are not all different from its own. The first level with any such cluster decides.
 */
function anchorMatch(item: DedupItem, lookup: AnchorLookup): AnchorMatch | null {
  const anchors = item.anchors ?? [];
  const ids = new Set(item.aliases.map((a) => a.id));
  for (const { level, key } of anchors) {
    const clusters = [...(lookup.byKey.get(key) ?? [])].filter((id) => {
      const cluster = lookup.clusters.get(id);
      if (cluster === undefined) return true;
      if (differentVulnerabilities(ids, cluster.aliases)) return false;
      return anchors.every((other) => {
        const held = cluster.levels.get(other.level);
        return other.level === level || held === undefined || held.size === 0 || held.has(other.key);
      });
    });
    if (clusters.length > 0) return { level, key, clusters: clusters.sort() };
  }
  return null;
}

/** The identity keys of a finding: its aliases and its fingerprint; a finding with neither is only itself. */
export function identityKeys(item: DedupItem): IdentityKey[] {
  const keys: IdentityKey[] = [];
  // Most findings carry no alias or one: no set of them per finding then (a batch plans thousands).
  const seen = item.aliases.length > 1 ? new Set<string>() : null;
  for (const alias of item.aliases) {
    const key = `alias:${alias.id}`;
    if (seen === null || !seen.has(key)) keys.push({ key, kind: 'alias' });
    seen?.add(key);
  }
  if (item.fingerprint !== null) keys.push({ key: `fp:${item.fingerprint}`, kind: 'fingerprint' });
  if (keys.length === 0) keys.push({ key: `finding:${item.key}`, kind: 'finding' });
  return keys;
}

const oldest = (ids: Iterable<string>): string => [...ids].sort()[0] as string;

/** Plans the assignment of a batch of findings, in order, against what the directory knows. */
export async function assignClusters(items: readonly DedupItem[], directory: ClusterDirectory): Promise<DedupPlan> {
  const keysOf = items.map(identityKeys);
  const asked = new Set<string>();
  for (const keys of keysOf) for (const { key } of keys) asked.add(key);
  const known = await directory.lookup([...asked]);

  // Nodes: 0 … n-1 the items, n + k the k-th existing cluster found; an item joins every cluster and item
  // sharing a key.
  const clusterNodes = new Map<string, number>();
  for (const cluster of known.values()) if (!clusterNodes.has(cluster)) clusterNodes.set(cluster, items.length + clusterNodes.size);
  const sets = new IndexUnionFind(items.length + clusterNodes.size);
  const firstItemWithKey = new Map<string, number>();
  for (let i = 0; i < keysOf.length; i++) {
    for (const { key } of keysOf[i]!) {
      const cluster = known.get(key);
      if (cluster !== undefined) sets.union(i, clusterNodes.get(cluster)!);
      const earlier = firstItemWithKey.get(key);
      if (earlier === undefined) firstItemWithKey.set(key, i);
      else sets.union(earlier, i);
    }
  }

  const existingByRoot = new Map<number, Set<string>>();
  for (const [cluster, node] of clusterNodes) {
    const root = sets.find(node);
    existingByRoot.set(root, (existingByRoot.get(root) ?? new Set()).add(cluster));
  }

  // Findings that matched nothing exactly may meet a stored cluster at a coarser anchor level.
  const anchored = await matchAnchors(items, (i) => !existingByRoot.has(sets.find(i)), directory, { asked, found: known });
  const matchesByRoot = new Map<number, Set<string>>();
  for (const [i, match] of anchored) {
    const root = sets.find(i);
    matchesByRoot.set(root, new Set([...(matchesByRoot.get(root) ?? []), ...match.clusters]));
  }
  // Exactly one cluster: the findings join it; several: they open their own, proposed against each.
  for (const [root, clusters] of matchesByRoot) if (clusters.size === 1) existingByRoot.set(root, clusters);

  const clusterOfRoot = new Map<number, string>();
  const created: { clusterId: string; firstKey: string }[] = [];
  const merges: { from: string; into: string; because: IdentityKey[] }[] = [];
  const assignments: DedupAssignment[] = [];
  const newKeys: (IdentityKey & { clusterId: string; findingKey: string })[] = [];
  const newAnchors: (AnchorKey & { clusterId: string; findingKey: string })[] = [];
  const proposals: AnchorProposal[] = [];
  const keyAssigned = new Set<string>();

  items.forEach((item, i) => {
    const root = sets.find(i);
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
          const because = keysOf.flatMap((keys, j) => (sets.find(j) === root ? keys.filter((k) => known.get(k.key) === other) : []));
          merges.push({ from: other, into: clusterId, because: dedupeKeys(because) });
        }
      }
      clusterOfRoot.set(root, clusterId);
    }
    const exact = outcome === 'new' ? [] : keysOf[i]!.filter((k) => known.has(k.key) || (firstItemWithKey.get(k.key) ?? i) < i);
    const match = anchored.get(i);
    const joined = match !== undefined && match.clusters.length === 1 && match.clusters[0] === clusterId;
    const matchedKeys: IdentityKey[] = joined ? [...exact, { key: `anchor:${match.level}:${match.key}`, kind: 'anchor' }] : exact;
    assignments.push({ key: item.key, clusterId, outcome, matchedKeys });
    if (match !== undefined && !joined)
      proposals.push({ findingKey: item.key, clusterId, others: match.clusters.filter((c) => c !== clusterId), level: match.level });
    // Exact duplicates add nothing the cluster's first finding did not store; single-level anchors are the fingerprint.
    const anchors = item.anchors ?? [];
    if (anchors.length > 1 && (outcome === 'new' || joined))
      for (const anchor of anchors) newAnchors.push({ ...anchor, clusterId, findingKey: item.key });
    for (const k of keysOf[i]!) {
      if (known.has(k.key) || keyAssigned.has(k.key)) continue;
      keyAssigned.add(k.key);
      newKeys.push({ ...k, clusterId, findingKey: item.key });
    }
  });
  return { assignments, created, merges, newKeys, newAnchors, proposals };
}

/** The anchor matches of the items `open` selects, when the directory can look anchors up. */
async function matchAnchors(
  items: readonly DedupItem[],
  open: (i: number) => boolean,
  directory: ClusterDirectory,
  exact: ExactLookup,
): Promise<Map<number, AnchorMatch>> {
  const out = new Map<number, AnchorMatch>();
  const candidates = items.flatMap((item, i) => ((item.anchors ?? []).length > 0 && open(i) ? [i] : []));
  if (candidates.length === 0 || directory.anchors === undefined) return out;
  const lookup = await directory.anchors([...new Set(candidates.flatMap((i) => (items[i]!.anchors ?? []).map((a) => a.key)))], exact);
  if (lookup.byKey.size === 0) return out;
  for (const i of candidates) {
    const match = anchorMatch(items[i]!, lookup);
    if (match !== null) out.set(i, match);
  }
  return out;
}

function dedupeKeys(keys: readonly IdentityKey[]): IdentityKey[] {
  const seen = new Map<string, IdentityKey>();
  for (const k of keys) seen.set(k.key, k);
  return [...seen.values()];
}

/** A directory in memory, for offline deduplication of files. Ids are `cluster-000001`, `cluster-000002`, … */
export class MemoryClusterDirectory implements ClusterDirectory {
  readonly #keys = new Map<string, string>();
  /** Anchor key → level and the findings (by cluster) that stored it. */
  readonly #anchors = new Map<string, { level: AnchorLevel; clusters: Set<string> }>();
  #next = 0;

  async lookup(keys: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const out = new Map<string, string>();
    for (const key of keys) {
      const cluster = this.#keys.get(key);
      if (cluster !== undefined) out.set(key, cluster);
    }
    return out;
  }

  async anchors(keys: readonly string[]): Promise<AnchorLookup> {
    const byKey = new Map<string, Set<string>>();
    for (const key of keys) {
      const holders = new Set(this.#anchors.get(key)?.clusters ?? []);
      const byFingerprint = this.#keys.get(`fp:${key}`);
      if (byFingerprint !== undefined) holders.add(byFingerprint);
      if (holders.size > 0) byKey.set(key, holders);
    }
    const found = new Set([...byKey.values()].flatMap((c) => [...c]));
    const clusters = new Map([...found].map((id) => [id, { aliases: new Set<string>(), levels: new Map<AnchorLevel, Set<string>>() }]));
    for (const [key, cluster] of this.#keys) if (key.startsWith('alias:')) clusters.get(cluster)?.aliases.add(key.slice('alias:'.length));
    for (const [key, anchor] of this.#anchors) {
      for (const id of anchor.clusters) {
        const levels = clusters.get(id)?.levels;
        if (levels !== undefined) levels.set(anchor.level, (levels.get(anchor.level) ?? new Set()).add(key));
      }
    }
    return { byKey, clusters };
  }

  newClusterId(): string {
    this.#next += 1;
    return `cluster-${String(this.#next).padStart(6, '0')}`;
  }

  /** Records a plan, as the database store does. */
  apply(plan: DedupPlan): void {
    for (const merge of plan.merges) {
      for (const [key, cluster] of this.#keys) if (cluster === merge.from) this.#keys.set(key, merge.into);
      for (const anchor of this.#anchors.values()) if (anchor.clusters.delete(merge.from)) anchor.clusters.add(merge.into);
    }
    for (const k of plan.newKeys) this.#keys.set(k.key, k.clusterId);
    for (const a of plan.newAnchors) {
      const anchor = this.#anchors.get(a.key) ?? { level: a.level, clusters: new Set<string>() };
      anchor.clusters.add(a.clusterId);
      this.#anchors.set(a.key, anchor);
    }
  }
}
