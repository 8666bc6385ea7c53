import type { Executor } from '../../../platform/db/index.js';
import { t, type SubmissionRow } from './tables.js';

export async function findSubmissionBySha(executor: Executor, ownerOrgId: string, sha256: string): Promise<SubmissionRow | undefined> {
  return t(executor)
    .selectFrom('intake_submission')
    .selectAll()
    .where('owner_org_id', '=', ownerOrgId)
    .where('sha256', '=', sha256)
    .executeTakeFirst();
}

export async function findSubmission(executor: Executor, id: string): Promise<SubmissionRow | undefined> {
  return t(executor).selectFrom('intake_submission').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertSubmission(executor: Executor, row: SubmissionRow): Promise<void> {
  await t(executor).insertInto('intake_submission').values(row).execute();
}

export async function markSubmissionProcessed(executor: Executor, id: string, at: string, findingCount: number): Promise<void> {
  await markSubmissionProcessedStatement(executor, id, at, findingCount).execute();
}

/** {@link markSubmissionProcessed} as a statement, for `writeTogether`. */
export function markSubmissionProcessedStatement(executor: Executor, id: string, at: string, findingCount: number) {
  return t(executor)
    .updateTable('intake_submission')
    .set({ status: 'processed', processed_at: at, finding_count: findingCount })
    .where('id', '=', id);
}

/** A submission's findings in submission order, with their cluster and normalized data. */
export async function findingsOfSubmission(
  executor: Executor,
  submissionId: string,
): Promise<{ id: string; cluster_id: string; data: string }[]> {
  return t(executor)
    .selectFrom('intake_finding')
    .select(['id', 'cluster_id', 'data'])
    .where('submission_id', '=', submissionId)
    .orderBy('position')
    .execute();
}
