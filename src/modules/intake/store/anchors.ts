import { chunks as slices, insertMany, oneOf, oneOfChunks, type DialectCapabilities, type Executor } from '../../../platform/db/index.js';
import type { AnchorLevel, AnchorLookup, ExactLookup } from '../domain/index.js';
import { sql } from 'kysely';
import { clusterKeyHex, clusterKeyOf } from './cluster-key-bytes.js';
import { clustersOfKeys } from './clusters.js';
import { t, type AnchorRow } from './tables.js';

export async function insertAnchors(executor: Executor, caps: DialectCapabilities, rows: readonly AnchorRow[]): Promise<void> {
  if (rows.length === 0) return;
  await insertMany(
    executor,
    caps,
    'intake_anchor',
    ['key', 'level', 'finding_id', 'created_at'],
    rows.map((r) => [r.key, r.level, r.finding_id, r.created_at]),
  );
}

/**
 * The clusters holding these anchor keys: through a stored anchor of one of their findings (followed to the
 * finding's current cluster), or as the fingerprint of one of them. With each cluster, its vulnerability ids
 * and every anchor its findings stored, per level, to tell whether a match is contradicted at another level.
 * A fingerprint key in `exact` is taken from it, not asked again.
 */
export async function clustersOfAnchors(
  executor: Executor,
  caps: DialectCapabilities,
  keys: readonly string[],
  exact?: ExactLookup,
  stored?: StoredAnchors,
): Promise<AnchorLookup> {
  const byKey = new Map<string, Set<string>>();
  const hold = (key: string, cluster: string) => byKey.set(key, (byKey.get(key) ?? new Set()).add(cluster));
  const unasked: string[] = [];
  for (const key of keys) {
    if (exact === undefined || !exact.asked.has(`fp:${key}`)) unasked.push(`fp:${key}`);
    else {
      const cluster = exact.found.get(`fp:${key}`);
      if (cluster !== undefined) hold(key, cluster);
    }
  }
  const ask: string[] = [];
  for (const key of keys) {
    if (stored === undefined || !stored.asked.has(key)) ask.push(key);
    else for (const cluster of stored.found.get(key) ?? []) hold(key, cluster);
  }
  for (const chunk of oneOfChunks(caps, ask)) {
    const stored = await t(executor)
      .selectFrom('intake_anchor as a')
      .innerJoin('intake_finding as f', 'f.id', 'a.finding_id')
      .select(['a.key', 'f.cluster_id'])
      .where('a.key', 'in', oneOf(caps, chunk))
      .execute();
    for (const row of stored) hold(row.key, row.cluster_id);
  }
  for (const [key, cluster] of await clustersOfKeys(executor, caps, unasked)) hold(key.slice('fp:'.length), cluster);
  const clusters = new Map<string, { aliases: Set<string>; levels: Map<AnchorLevel, Set<string>> }>();
  if (byKey.size === 0) return { byKey, clusters };
  for (const chunk of oneOfChunks(caps, [...new Set([...byKey.values()].flatMap((c) => [...c]))])) {
    for (const row of await t(executor)
      .selectFrom('intake_cluster')
      .select(['id', 'aliases'])
      .where('id', 'in', oneOf(caps, chunk))
      .execute())
      clusters.set(row.id, { aliases: new Set(JSON.parse(row.aliases) as string[]), levels: new Map() });
    const anchors = await t(executor)
      .selectFrom('intake_anchor as a')
      .innerJoin('intake_finding as f', 'f.id', 'a.finding_id')
      .select(['a.key', 'a.level', 'f.cluster_id'])
      .where('f.cluster_id', 'in', oneOf(caps, chunk))
      .execute();
    for (const row of anchors) {
      const levels = clusters.get(row.cluster_id)?.levels;
      const level = row.level as AnchorLevel;
      if (levels !== undefined) levels.set(level, (levels.get(level) ?? new Set()).add(row.key));
    }
  }
  return { byKey, clusters };
}

/** Anchor keys asked for already, and the clusters whose findings stored each of those found. */
export interface StoredAnchors {
  readonly asked: ReadonlySet<string>;
  readonly found: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * The clusters holding these identity keys ({@link clustersOfKeys}) and, in the same statement where lists go as
 * arrays (PostgreSQL), those holding a stored anchor of `anchorKeys` (the first step of {@link clustersOfAnchors},
 * which takes them as `stored`): a batch's deduplication asks both under the lock every submission waits for,
 * the second mostly for nothing, and each statement there is a round trip (issue 14). Elsewhere, or beyond one
 * array's length, the anchors are left to be asked (`anchors` undefined).
 */
export async function clustersOfKeysAndAnchors(
  executor: Executor,
  caps: DialectCapabilities,
  keys: readonly string[],
  anchorKeys: readonly string[],
): Promise<{ clusters: Map<string, string>; anchors?: StoredAnchors }> {
  const [keyChunks, anchorChunks] = [oneOfChunks(caps, keys), oneOfChunks(caps, anchorKeys)];
  if (!caps.listsAsArrays || !caps.bytesAsHexText || keyChunks.length !== 1 || anchorChunks.length !== 1)
    return { clusters: await clustersOfKeys(executor, caps, keys) };
  const rows = await sql<{ key: string; cluster_id: string; anchor: number }>`
    select encode(key, 'hex') as key, cluster_id, 0 as anchor from intake_cluster_key
    where key in (select decode(unnest(${sql.val(keys.map(clusterKeyHex))}::text[]), 'hex'))
    union all
    select a.key, f.cluster_id, 1 as anchor from intake_anchor a join intake_finding f on f.id = a.finding_id
    where a.key in (select unnest(${sql.val([...anchorKeys])}::text[]))`.execute(executor);
  const clusters = new Map<string, string>();
  const found = new Map<string, Set<string>>();
  for (const row of rows.rows) {
    if (Number(row.anchor) === 0) clusters.set(clusterKeyOf(row.key), row.cluster_id);
    else found.set(row.key, (found.get(row.key) ?? new Set()).add(row.cluster_id));
  }
  return { clusters, anchors: { asked: new Set(anchorKeys), found } };
}

/** Forgets the anchors of deleted findings (retention). */
export async function deleteAnchorsOf(executor: Executor, findingIds: readonly string[]): Promise<void> {
  for (const chunk of slices(findingIds)) await t(executor).deleteFrom('intake_anchor').where('finding_id', 'in', chunk).execute();
}
