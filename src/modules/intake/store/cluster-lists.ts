import { sql, type Expression, type SqlBool } from 'kysely';
import {
  oneOfBytes,
  oneOfChunks,
  paginate,
  type DialectCapabilities,
  type Executor,
  type Page,
  type PageRequest,
} from '../../../platform/db/index.js';
import { clusterKeyBytes, clusterKeyHex, clusterKeyOf } from './cluster-key-bytes.js';
import { t, type ClusterRow, type FindingRow, type Visibility } from './tables.js';

/** True when a `visible` report of cluster `c` (as `rf`) meets the condition. */
function reportsHold(visible: Visibility, condition: Expression<SqlBool>): Expression<SqlBool> {
  return sql<SqlBool>`exists (select 1 from intake_finding rf where rf.cluster_id = c.id and ${condition} and ${visible('rf')})`;
}

/** The filters of a cluster list, read off the reports the caller may see. */
export interface ClusterFilters {
  /** Exact target identity, or a prefix ending in `/` or `:`. */
  readonly target?: string | undefined;
  /** A normalized CWE id. */
  readonly cwe?: string | undefined;
  /** A normalized vulnerability id. */
  readonly alias?: string | undefined;
  readonly state?: string | undefined;
  readonly since?: string | undefined;
  readonly reporter?: string | undefined;
}

/** Who reads: which clusters and reports they may see, and whether they see every report there is. */
export interface ClusterReader {
  readonly clusterVisible: Visibility;
  readonly findingVisible: Visibility;
  readonly seesEveryReport: boolean;
}

/** A page of the clusters `reader` may see, not merged away, newest first, filtered through what it may see. */
export async function clusterPage(
  executor: Executor,
  reader: ClusterReader,
  filters: ClusterFilters,
  request: PageRequest,
): Promise<Page<ClusterRow>> {
  const visible = reader.findingVisible;
  const q = t(executor)
    .selectFrom('intake_cluster as c')
    .selectAll('c')
    .where('c.merged_into', 'is', null)
    .where(reader.clusterVisible('c'))
    // Filters read what the caller may see: a report it may see on the target, with the CWE or the alias, and
    // the earliest report it may see — never a hidden report's label (DESIGN §5, derived data).
    .$if(filters.target !== undefined, (b) => {
      const target = filters.target ?? '';
      return b.where(
        reportsHold(
          visible,
          /[/:]$/.test(target)
            ? sql<SqlBool>`substr(rf.target_identity, 1, ${target.length}) = ${target}`
            : sql<SqlBool>`rf.target_identity = ${target}`,
        ),
      );
    })
    .$if(typeof filters.cwe === 'string', (b) =>
      b.where(reportsHold(visible, sql<SqlBool>`cast(rf.cwes as text) like ${`%"${filters.cwe}"%`}`)),
    )
    .$if(filters.alias !== undefined, (b) => {
      const alias = filters.alias ?? '';
      // The clusters the key names, looked up by key: as a correlated `exists`, SQLite walked every cluster
      // newest first (the page's order) testing each one, 1.4 ms at 2k clusters and growing with them, for
      // scoring's lookup of every changed advisory's aliases (issue 20's soak).
      return b
        .where((eb) =>
          eb(
            'c.id',
            'in',
            eb
              .selectFrom('intake_cluster_key as k')
              .select('k.cluster_id')
              .where('k.key', '=', clusterKeyBytes(`alias:${alias}`)),
          ),
        )
        .$if(!reader.seesEveryReport, (bb) => bb.where(reportsHold(visible, sql<SqlBool>`cast(rf.data as text) like ${`%"${alias}"%`}`)));
    })
    .$if(filters.state !== undefined, (b) => b.where('c.state', '=', filters.state ?? ''))
    .$if(filters.since !== undefined, (b) =>
      reader.seesEveryReport
        ? b.where('c.first_seen_at', '>=', filters.since ?? '')
        : b.where(sql<SqlBool>`not ${reportsHold(visible, sql<SqlBool>`rf.created_at < ${filters.since ?? ''}`)}`),
    )
    .$if(filters.reporter !== undefined, (b) => b.where(reportsHold(visible, sql<SqlBool>`rf.owner_org_id = ${filters.reporter ?? ''}`)));
  return paginate(q, request, { sort: 'c.id', id: 'c.id', sortOf: (r) => r.id, idOf: (r) => r.id, direction: 'desc' });
}

/** Of these normalized vulnerability ids, the ones some cluster holds as an alias key (merged or not). */
export async function aliasesHeld(executor: Executor, caps: DialectCapabilities, aliases: readonly string[]): Promise<Set<string>> {
  const held = new Set<string>();
  for (const chunk of oneOfChunks(
    caps,
    aliases.map((a) => clusterKeyHex(`alias:${a}`)),
  )) {
    const rows = await t(executor).selectFrom('intake_cluster_key').select('key').where('key', 'in', oneOfBytes(caps, chunk)).execute();
    for (const row of rows) held.add(clusterKeyOf(row.key).slice('alias:'.length));
  }
  return held;
}

/** Per report-management state, the clusters not merged away with a `visible` report on this target. */
export async function clusterCountsByState(
  executor: Executor,
  visible: Visibility,
  targetIdentity: string,
): Promise<{ state: string; n: number }[]> {
  return t(executor)
    .selectFrom('intake_cluster as c')
    .select('c.state')
    .select(sql<number>`count(*)`.as('n'))
    .where('c.merged_into', 'is', null)
    .where(reportsHold(visible, sql<SqlBool>`rf.target_identity = ${targetIdentity}`))
    .groupBy('c.state')
    .execute();
}

/** Of these clusters, the ids of the `visible` ones. */
export async function visibleClusterIdsOf(executor: Executor, visible: Visibility, ids: readonly string[]): Promise<string[]> {
  const rows = await t(executor)
    .selectFrom('intake_cluster as c')
    .select('c.id')
    .where('c.id', 'in', [...ids])
    .where(visible('c'))
    .execute();
  return rows.map((r) => r.id);
}

/** A cluster's `visible` reports, oldest first, at most `limit`. */
export async function visibleFindingsOfCluster(
  executor: Executor,
  visible: Visibility,
  clusterId: string,
  limit: number,
): Promise<FindingRow[]> {
  return t(executor)
    .selectFrom('intake_finding as f')
    .selectAll('f')
    .where('f.cluster_id', '=', clusterId)
    .where(visible('f'))
    .orderBy('f.created_at')
    .orderBy('f.id')
    .limit(limit)
    .execute();
}

/** A finding, if `visible`. */
export async function findVisibleFinding(executor: Executor, visible: Visibility, id: string): Promise<FindingRow | undefined> {
  return t(executor).selectFrom('intake_finding as f').selectAll('f').where('f.id', '=', id).where(visible('f')).executeTakeFirst();
}
