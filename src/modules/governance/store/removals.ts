import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/index.js';
import { governance, type RemovalRow } from './tables.js';

/**
 * Records a removal unless one of the same organisation is queued or running (the unique `active_org_id`
 * decides, also between server processes); answers whether this row was written.
 */
export async function insertRemoval(executor: Executor, row: RemovalRow): Promise<boolean> {
  const inserted = await governance(executor)
    .insertInto('governance_removal')
    .values(row)
    .onConflict((oc) => oc.column('active_org_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findRemoval(executor: Executor, id: string): Promise<RemovalRow | undefined> {
  return governance(executor).selectFrom('governance_removal').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The organisation's removal that is queued or running, if any. */
export async function findActiveRemoval(executor: Executor, orgId: string): Promise<RemovalRow | undefined> {
  return governance(executor).selectFrom('governance_removal').selectAll().where('active_org_id', '=', orgId).executeTakeFirst();
}

export async function markRemovalRunning(executor: Executor, id: string): Promise<void> {
  await governance(executor)
    .updateTable('governance_removal')
    .set({ status: 'running' })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute();
}

/** Completes a removal in one statement (its organisation may ask again afterwards); false when it was already. */
export async function completeRemoval(
  executor: Executor,
  id: string,
  done: { runId: string; completedAt: string; summary: string },
): Promise<boolean> {
  const result = await governance(executor)
    .updateTable('governance_removal')
    .set({ status: 'completed', run_id: done.runId, completed_at: done.completedAt, summary: done.summary, active_org_id: null })
    .where('id', '=', id)
    .where('status', '!=', 'completed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * What a removal deleted so far, per data class: counted from the tombstones its runs wrote, so that a run
 * killed part-way and the run that finished it add up.
 */
export async function removalTally(executor: Executor, removalId: string): Promise<Record<string, number>> {
  const rows = await governance(executor)
    .selectFrom('governance_tombstone as t')
    .innerJoin('governance_purge_run as r', 'r.id', 't.run_id')
    .select(['t.data_class', sql<number>`count(*)`.as('n')])
    .where('r.removal_id', '=', removalId)
    .groupBy('t.data_class')
    .execute();
  return Object.fromEntries(rows.sort((a, b) => a.data_class.localeCompare(b.data_class)).map((r) => [r.data_class, Number(r.n)]));
}
