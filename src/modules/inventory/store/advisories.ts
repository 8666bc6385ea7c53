import { sql, type Expression, type SqlBool } from 'kysely';
import { paginate, type Executor, type Page, type PageRequest, type WriteStatement } from '../../../platform/db/index.js';
import { batches, t, type AdvisoryRow } from './tables.js';

export async function findAdvisory(executor: Executor, id: string): Promise<AdvisoryRow | undefined> {
  return t(executor).selectFrom('inventory_advisory').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findAdvisories(executor: Executor, ids: readonly string[]): Promise<AdvisoryRow[]> {
  const out: AdvisoryRow[] = [];
  for (const chunk of batches(ids))
    out.push(...(await t(executor).selectFrom('inventory_advisory').selectAll().where('id', 'in', chunk).execute()));
  return out;
}

/** Of `ids`, those of advisories for which `visible` (a condition on `inventory_advisory`) holds. */
export async function visibleAdvisoryIds(
  executor: Executor,
  ids: readonly string[],
  visible: (table: string) => Expression<SqlBool>,
): Promise<Set<string>> {
  const out = new Set<string>();
  for (const chunk of batches(ids)) {
    const rows = await t(executor)
      .selectFrom('inventory_advisory')
      .select('id')
      .where('id', 'in', chunk)
      .where(visible('inventory_advisory'))
      .execute();
    for (const row of rows) out.add(row.id);
  }
  return out;
}

/**
 * Of these advisories, what an exposure event names of each (aliases, TLP) and whether `visible` holds for
 * it: an upload's summary and its exposure events from one read.
 */
export async function advisoryLabels(
  executor: Executor,
  ids: readonly string[],
  visible: (table: string) => Expression<SqlBool>,
): Promise<AdvisoryLabel[]> {
  const out: AdvisoryLabel[] = [];
  for (const chunk of batches(ids)) {
    const rows = await t(executor)
      .selectFrom('inventory_advisory')
      .select(['id', 'aliases', 'tlp', sql<number | string>`case when ${visible('inventory_advisory')} then 1 else 0 end`.as('visible')])
      .where('id', 'in', chunk)
      .execute();
    for (const row of rows) out.push({ id: row.id, aliases: row.aliases, tlp: row.tlp, visible: Number(row.visible) === 1 });
  }
  return out;
}

export type AdvisoryLabel = Pick<AdvisoryRow, 'id' | 'aliases' | 'tlp'> & { readonly visible: boolean };

/**
 * The statements that insert or replace an advisory row and its alias rows, for `writeTogether`: no two touch
 * the same row (the aliases it no longer has are deleted, those it has inserted unless there), so on
 * PostgreSQL they may be one statement.
 */
export function saveAdvisoryStatements(executor: Executor, row: AdvisoryRow, exists: boolean): WriteStatement[] {
  const aliases = [...new Set(JSON.parse(row.aliases) as string[])].filter((a) => a !== row.id);
  const { id, created_at: _created, ...rest } = row;
  return [
    exists
      ? t(executor).updateTable('inventory_advisory').set(rest).where('id', '=', id)
      : t(executor).insertInto('inventory_advisory').values(row),
    ...(exists
      ? [
          t(executor)
            .deleteFrom('inventory_advisory_alias')
            .where('advisory_id', '=', id)
            .$if(aliases.length > 0, (q) => q.where('alias', 'not in', aliases)),
        ]
      : []),
    ...batches(aliases).map((chunk) =>
      t(executor)
        .insertInto('inventory_advisory_alias')
        .values(chunk.map((alias) => ({ alias, advisory_id: id })))
        .onConflict((oc) => oc.columns(['alias', 'advisory_id']).doNothing()),
    ),
  ];
}

/** The ids of the advisories each name (an id or alias) names, with two queries for all the names. */
export async function advisoryIdsOfEachName(executor: Executor, names: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, Set<string>>();
  const add = (name: string, id: string) => out.set(name, (out.get(name) ?? new Set()).add(id));
  for (const chunk of batches([...new Set(names)])) {
    for (const r of await t(executor).selectFrom('inventory_advisory').select('id').where('id', 'in', chunk).execute()) add(r.id, r.id);
    for (const r of await t(executor)
      .selectFrom('inventory_advisory_alias')
      .select(['alias', 'advisory_id'])
      .where('alias', 'in', chunk)
      .execute())
      add(r.alias, r.advisory_id);
  }
  return new Map([...out].map(([name, ids]) => [name, [...ids]]));
}

/** Advisories the `visible` condition lets through (the access policy's SQL twin), by id. */
export async function listAdvisories(
  executor: Executor,
  visible: (table: string) => Expression<SqlBool>,
  filter: { readonly alias?: string | undefined },
  page: PageRequest,
): Promise<Page<AdvisoryRow>> {
  const query = t(executor)
    .selectFrom('inventory_advisory')
    .selectAll()
    .where(visible('inventory_advisory'))
    .$if(filter.alias !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('id', '=', filter.alias ?? ''),
          eb.exists(
            eb
              .selectFrom('inventory_advisory_alias as al')
              .select('al.alias')
              .whereRef('al.advisory_id', '=', 'inventory_advisory.id')
              .where('al.alias', '=', filter.alias ?? ''),
          ),
        ]),
      ),
    );
  return paginate(query, page, { sort: 'inventory_advisory.id', id: 'inventory_advisory.id', sortOf: (r) => r.id, idOf: (r) => r.id });
}

/** Live (not withdrawn) advisories after `afterId`, in id order: the advisory index is built from these. */
export async function liveAdvisoriesAfter(
  executor: Executor,
  afterId: string,
  limit: number,
): Promise<Pick<AdvisoryRow, 'id' | 'record'>[]> {
  return t(executor)
    .selectFrom('inventory_advisory')
    .select(['id', 'record'])
    .where('withdrawn', 'is', null)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}
