import type { Executor } from '../../../platform/db/index.js';
import { governance, type RemovalRow } from './tables.js';

export async function insertRemoval(executor: Executor, row: RemovalRow): Promise<void> {
  await governance(executor).insertInto('governance_removal').values(row).execute();
}

export async function completeRemoval(
  executor: Executor,
  id: string,
  done: { runId: string; completedAt: string; summary: string },
): Promise<void> {
  await governance(executor)
    .updateTable('governance_removal')
    .set({ status: 'completed', run_id: done.runId, completed_at: done.completedAt, summary: done.summary })
    .where('id', '=', id)
    .execute();
}
