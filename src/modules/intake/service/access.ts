import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from '../../../platform/actor.js';
import { NotFoundError } from '../../../platform/errors.js';
import { authorize, holds, visibleTo, type Permission } from '../../identity/index.js';
import type { Visibility } from '../store/index.js';

/**
 * A finding is visible as its submission is (TLP, owner, recipients); a cluster is visible to whoever may
 * see at least one of its findings, and shows them only those.
 */
export function findingVisible(actor: Actor, findingAlias: string): Expression<SqlBool> {
  if (actor.kind === 'system') return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`exists (select 1 from intake_submission s where s.id = ${sql.ref(`${findingAlias}.submission_id`)} and ${visibleTo(actor, 's')})`;
}

/** {@link findingVisible} for the actor, as the store's queries take it (they name the alias). */
export const findingVisibility =
  (actor: Actor): Visibility =>
  (alias) =>
    findingVisible(actor, alias);

/**
 * Asked of each cluster on its own — a probe of its reports that stops at the first visible one — rather than
 * as an `exists` PostgreSQL may turn into a semi-join: it then merged the page's clusters with every report in
 * cluster order, and a page after a cursor (`c.id < k`, a bound that does not reach the reports) walked the
 * reports of every cluster before it first — 346 ms for a researcher's page at 90 % of 100,000 clusters against
 * 0.13 ms for the first (issue 14's flat pages); as a probe, 0.22 and 0.24 ms. SQLite runs both forms the same.
 */
export function clusterVisible(actor: Actor, clusterAlias: string): Expression<SqlBool> {
  if (actor.kind === 'system') return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`(select 1 from intake_finding vf where vf.cluster_id = ${sql.ref(`${clusterAlias}.id`)} and ${findingVisible(actor, 'vf')} limit 1) is not null`;
}

/** {@link clusterVisible} for the actor, as the store's queries take it. */
export const clusterVisibility =
  (actor: Actor): Visibility =>
  (alias) =>
    clusterVisible(actor, alias);

/**
 * Merging, splitting and deciding candidates is the coordinators' work (analysts and admins), by identity's
 * permission table. Call it after the records the call names were found visible (NotFoundError first).
 */
export function requireRegroup(actor: Actor, permission: Extract<Permission, 'intake.cluster.regroup' | 'intake.regroup.list'>): void {
  authorize(actor, permission);
}

/**
 * Regroups are the coordinators' own records: to anyone who may not regroup, one answers "not found", so
 * that its existence does not leak.
 */
export function requireRegroupVisible(actor: Actor, regroupId: string): void {
  if (!holds(actor, 'intake.cluster.regroup')) throw new NotFoundError(`no regroup ${regroupId}`);
}

/**
 * Facts lent to other modules as SQL conditions, so that their lists filter in the database through intake's
 * access rules (DESIGN §5): true when the actor may see the report `findingIdColumn` names…
 */
export function reportVisibleTo(actor: Actor, findingIdColumn: string): Expression<SqlBool> {
  if (actor.kind === 'system') return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`exists (select 1 from intake_finding xf where xf.id = ${sql.ref(findingIdColumn)} and ${findingVisible(actor, 'xf')})`;
}

/**
 * …when the actor may see the cluster `clusterIdColumn` names: one of its reports, or, for a cluster merged
 * away (it holds no reports any more), one of the reports of the cluster it was merged into, following the
 * chain of merges as `getCluster` does (bounded, in case undone merges ever made a loop)…
 */
export function clusterVisibleTo(actor: Actor, clusterIdColumn: string): Expression<SqlBool> {
  if (actor.kind === 'system') return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`exists (with recursive survivor(id, depth) as (
      select ${sql.ref(clusterIdColumn)}, 0
      union all
      select mc.merged_into, survivor.depth + 1 from intake_cluster mc join survivor on mc.id = survivor.id
      where mc.merged_into is not null and survivor.depth < 64)
    select 1 from survivor join intake_finding cf on cf.cluster_id = survivor.id where ${findingVisible(actor, 'cf')})`;
}

/** …and when the actor may see every report of the cluster `clusterIdColumn` names (and there is one). */
export function everyReportVisibleTo(actor: Actor, clusterIdColumn: string): Expression<SqlBool> {
  if (actor.kind === 'system') return sql<SqlBool>`1 = 1`;
  const cluster = sql.ref(clusterIdColumn);
  return sql<SqlBool>`(exists (select 1 from intake_finding ef where ef.cluster_id = ${cluster})
    and not exists (select 1 from intake_finding ef where ef.cluster_id = ${cluster} and not ${findingVisible(actor, 'ef')}))`;
}
