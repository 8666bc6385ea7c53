import { paginate, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { t, type RegroupRow } from './tables.js';

export async function insertRegroup(executor: Executor, row: RegroupRow): Promise<void> {
  await t(executor).insertInto('intake_regroup').values(row).execute();
}

export async function findRegroup(executor: Executor, id: string): Promise<RegroupRow | undefined> {
  return t(executor).selectFrom('intake_regroup').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function markRegroupUndone(executor: Executor, id: string, at: string): Promise<void> {
  await t(executor).updateTable('intake_regroup').set({ undone_at: at }).where('id', '=', id).execute();
}

/** A page of the regroups touching a cluster, newest first. */
export async function regroupPage(executor: Executor, clusterId: string, request: PageRequest): Promise<Page<RegroupRow>> {
  const query = t(executor)
    .selectFrom('intake_regroup')
    .selectAll()
    .where((eb) => eb.or([eb('from_cluster_id', '=', clusterId), eb('into_cluster_id', '=', clusterId)]));
  return paginate(query, request, {
    sort: 'intake_regroup.id',
    id: 'intake_regroup.id',
    direction: 'desc',
    sortOf: (r) => r.id,
    idOf: (r) => r.id,
  });
}
