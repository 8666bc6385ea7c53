import { paginate, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { governance, type HoldRow } from './tables.js';

export async function insertHold(executor: Executor, row: HoldRow): Promise<void> {
  await governance(executor).insertInto('governance_hold').values(row).execute();
}

export async function findHold(executor: Executor, id: string): Promise<HoldRow | undefined> {
  return governance(executor).selectFrom('governance_hold').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function releaseHoldRow(executor: Executor, id: string, at: string, by: string, note: string | null): Promise<boolean> {
  const result = await governance(executor)
    .updateTable('governance_hold')
    .set({ released_at: at, released_by: by, release_note: note })
    .where('id', '=', id)
    .where('released_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Holds in force (not released), every one: purges read them all at once, and there are few. */
export async function activeHolds(executor: Executor): Promise<HoldRow[]> {
  return governance(executor).selectFrom('governance_hold').selectAll().where('released_at', 'is', null).orderBy('id').execute();
}

/** Holds, newest first; only those in force when `active`. */
export async function listHoldRows(executor: Executor, request: PageRequest & { active?: boolean | undefined }): Promise<Page<HoldRow>> {
  let query = governance(executor).selectFrom('governance_hold').selectAll();
  if (request.active === true) query = query.where('released_at', 'is', null);
  if (request.active === false) query = query.where('released_at', 'is not', null);
  return paginate(query, request, {
    sort: 'governance_hold.placed_at',
    id: 'governance_hold.id',
    sortOf: (r) => r.placed_at,
    idOf: (r) => r.id,
    direction: 'desc',
  });
}
