import type { Executor } from '../../../platform/db/index.js';
import { t, type ParticipantRow, type VendorScopeRow } from './tables.js';

export async function participantsOf(executor: Executor, caseId: string): Promise<ParticipantRow[]> {
  return t(executor)
    .selectFrom('cases_participant')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('org_id')
    .execute();
}

export async function insertParticipants(trx: Executor, rows: readonly ParticipantRow[]): Promise<void> {
  if (rows.length > 0) await t(trx).insertInto('cases_participant').values(rows).execute();
}

export async function updateParticipant(trx: Executor, caseId: string, orgId: string, fields: Partial<ParticipantRow>): Promise<void> {
  await t(trx).updateTable('cases_participant').set(fields).where('case_id', '=', caseId).where('org_id', '=', orgId).execute();
}

/** Records the first time anyone of the organisation opened the case; later openings change nothing. */
export async function markSeen(executor: Executor, caseId: string, orgId: string, at: string): Promise<void> {
  await t(executor)
    .updateTable('cases_participant')
    .set({ seen_at: at })
    .where('case_id', '=', caseId)
    .where('org_id', '=', orgId)
    .where('state', '=', 'active')
    .where('seen_at', 'is', null)
    .execute();
}

/** The cases in which the organisation is an active vendor. */
export async function vendorCaseIds(executor: Executor, orgId: string): Promise<string[]> {
  const rows = await t(executor)
    .selectFrom('cases_participant')
    .select('case_id')
    .where('org_id', '=', orgId)
    .where('role', '=', 'vendor')
    .where('state', '=', 'active')
    .execute();
  return rows.map((r) => r.case_id);
}

export async function scopesOf(executor: Executor, orgId: string): Promise<VendorScopeRow[]> {
  return t(executor).selectFrom('cases_vendor_scope').selectAll().where('org_id', '=', orgId).orderBy('scope').execute();
}

/** Every declared scope of the given purl types (a case's purls propose vendors only of their own types). */
export async function scopesOfTypes(executor: Executor, types: readonly string[]): Promise<VendorScopeRow[]> {
  if (types.length === 0) return [];
  return t(executor).selectFrom('cases_vendor_scope').selectAll().where('type', 'in', types).execute();
}

export async function replaceScopes(trx: Executor, orgId: string, rows: readonly VendorScopeRow[]): Promise<void> {
  await t(trx).deleteFrom('cases_vendor_scope').where('org_id', '=', orgId).execute();
  if (rows.length > 0) await t(trx).insertInto('cases_vendor_scope').values(rows).execute();
}
