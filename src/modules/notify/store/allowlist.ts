import type { Executor } from '../../../platform/db/index.js';
import { t, type AllowlistRow } from './tables.js';

export async function listAllowlist(executor: Executor): Promise<AllowlistRow[]> {
  return t(executor).selectFrom('notify_allowlist').selectAll().orderBy('cidr').execute();
}

/** Adds an entry; answers false when the same block is listed already. */
export async function insertAllowlistEntry(executor: Executor, row: AllowlistRow): Promise<boolean> {
  const inserted = await t(executor)
    .insertInto('notify_allowlist')
    .values(row)
    .onConflict((oc) => oc.column('cidr').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findAllowlistEntry(executor: Executor, id: string): Promise<AllowlistRow | undefined> {
  return t(executor).selectFrom('notify_allowlist').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteAllowlistEntry(executor: Executor, id: string): Promise<void> {
  await t(executor).deleteFrom('notify_allowlist').where('id', '=', id).execute();
}
