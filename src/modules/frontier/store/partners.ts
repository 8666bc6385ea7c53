import type { Executor } from '../../../platform/db/index.js';
import { t, type NominationRow, type SignOffRow } from './tables.js';

/** Partner nominations and their sign-offs. */

export async function nominationsOf(executor: Executor, modelId: string): Promise<NominationRow[]> {
  return t(executor).selectFrom('frontier_nomination').selectAll().where('model_id', '=', modelId).orderBy('id').execute();
}

export async function nominationFor(executor: Executor, modelId: string, candidateOrgId: string): Promise<NominationRow | undefined> {
  return t(executor)
    .selectFrom('frontier_nomination')
    .selectAll()
    .where('model_id', '=', modelId)
    .where('candidate_org_id', '=', candidateOrgId)
    .executeTakeFirst();
}

/** Whether the organisation is a selected trusted partner for the model. */
export async function isSelectedPartner(executor: Executor, modelId: string, orgId: string): Promise<NominationRow | undefined> {
  return t(executor)
    .selectFrom('frontier_nomination')
    .selectAll()
    .where('model_id', '=', modelId)
    .where('candidate_org_id', '=', orgId)
    .where('status', '=', 'selected')
    .executeTakeFirst();
}

export async function signOffsOf(executor: Executor, nominationIds: readonly string[]): Promise<SignOffRow[]> {
  if (nominationIds.length === 0) return [];
  return t(executor).selectFrom('frontier_sign_off').selectAll().where('nomination_id', 'in', nominationIds).orderBy('signed_at').execute();
}
