import type { AliasSource, VulnerabilityAlias } from './finding.js';
import { UnionFind } from './union-find.js';

/**
 * Identity layers 1 and 2 together: findings that share a vulnerability id (transitively: A~B by CVE, B~C by
 * GHSA puts A, B and C together) or an identical stable fingerprint are one cluster. Every cluster lists the
 * links that made it, with where each id was read, so a coordinator can see why — and split it.
 */

/** One finding as the clustering sees it; `key` is the caller's id for it (a finding id, or file + ref). */
export interface IdentityItem {
  readonly key: string;
  readonly aliases: readonly VulnerabilityAlias[];
  /** From `fingerprintFinding`; null when the finding has none. */
  readonly fingerprint: string | null;
}

export interface AliasLinkMember {
  readonly key: string;
  readonly source: AliasSource;
  readonly pointer: string;
}

/** Why findings are together: a shared alias (with where each read it) or an equal fingerprint. */
export type IdentityLink =
  | { readonly layer: 'alias'; readonly alias: string; readonly members: readonly AliasLinkMember[] }
  | { readonly layer: 'fingerprint'; readonly fingerprint: string; readonly keys: readonly string[] };

export interface IdentityCluster {
  /** Member keys, in input order; the first is the earliest the caller gave. */
  readonly keys: readonly string[];
  /** Every vulnerability id of every member, sorted. */
  readonly aliases: readonly string[];
  readonly fingerprints: readonly string[];
  /** Only links joining two or more members. */
  readonly links: readonly IdentityLink[];
}

export interface ClusterOptions {
  /** Also join findings with equal fingerprints. Default true. */
  readonly useFingerprints?: boolean;
}

/**
 * Groups findings into identity clusters. Deterministic: clusters come in the order of their first member,
 * members and links in input order. A key given twice is one finding.
 */
export function clusterFindings(items: readonly IdentityItem[], options: ClusterOptions = {}): IdentityCluster[] {
  const useFingerprints = options.useFingerprints ?? true;
  const sets = new UnionFind();
  const byAlias = new Map<string, AliasLinkMember[]>();
  const byFingerprint = new Map<string, string[]>();
  const order: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (!seen.has(item.key)) order.push(item.key);
    seen.add(item.key);
    sets.add(item.key);
    for (const alias of item.aliases) {
      const members = byAlias.get(alias.id) ?? [];
      if (!members.some((m) => m.key === item.key)) members.push({ key: item.key, source: alias.source, pointer: alias.pointer });
      byAlias.set(alias.id, members);
    }
    if (useFingerprints && item.fingerprint !== null) {
      const keys = byFingerprint.get(item.fingerprint) ?? [];
      if (!keys.includes(item.key)) keys.push(item.key);
      byFingerprint.set(item.fingerprint, keys);
    }
  }
  const links: IdentityLink[] = [];
  for (const [alias, members] of byAlias) {
    for (const m of members.slice(1)) sets.union(members[0]?.key ?? m.key, m.key);
    if (members.length > 1) links.push({ layer: 'alias', alias, members });
  }
  for (const [fingerprint, keys] of byFingerprint) {
    for (const k of keys.slice(1)) sets.union(keys[0] ?? k, k);
    if (keys.length > 1) links.push({ layer: 'fingerprint', fingerprint, keys });
  }
  return assemble(order, items, links, sets);
}

function assemble(
  order: readonly string[],
  items: readonly IdentityItem[],
  links: readonly IdentityLink[],
  sets: UnionFind,
): IdentityCluster[] {
  const byRoot = new Map<string, { keys: string[]; aliases: Set<string>; fingerprints: Set<string>; links: IdentityLink[] }>();
  for (const key of order) {
    const root = sets.find(key);
    if (!byRoot.has(root)) byRoot.set(root, { keys: [], aliases: new Set(), fingerprints: new Set(), links: [] });
    byRoot.get(root)?.keys.push(key);
  }
  for (const item of items) {
    const cluster = byRoot.get(sets.find(item.key));
    for (const alias of item.aliases) cluster?.aliases.add(alias.id);
    if (item.fingerprint !== null) cluster?.fingerprints.add(item.fingerprint);
  }
  for (const link of links) {
    const first = link.layer === 'alias' ? link.members[0]?.key : link.keys[0];
    if (first !== undefined) byRoot.get(sets.find(first))?.links.push(link);
  }
  return [...byRoot.values()].map((c) => ({
    keys: c.keys,
    aliases: [...c.aliases].sort(),
    fingerprints: [...c.fingerprints].sort(),
    links: c.links,
  }));
}
