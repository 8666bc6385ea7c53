import type { Executor } from '../../../platform/db/index.js';
import { t, type CnaBlockRow, type CveRow } from './tables.js';

export async function blocksOfYear(executor: Executor, year: number): Promise<CnaBlockRow[]> {
  return t(executor).selectFrom('cases_cna_block').selectAll().where('year', '=', year).orderBy('first').execute();
}

export async function insertBlock(trx: Executor, row: CnaBlockRow): Promise<void> {
  await t(trx).insertInto('cases_cna_block').values(row).execute();
}

export async function setBlockNext(trx: Executor, id: string, next: number): Promise<void> {
  await t(trx).updateTable('cases_cna_block').set({ next }).where('id', '=', id).execute();
}

export async function quotaOf(executor: Executor, orgId: string): Promise<number | null> {
  const row = await t(executor).selectFrom('cases_cve_quota').select('quota').where('org_id', '=', orgId).executeTakeFirst();
  return row === undefined ? null : Number(row.quota);
}

export async function saveQuota(trx: Executor, orgId: string, quota: number, at: string): Promise<void> {
  await t(trx)
    .insertInto('cases_cve_quota')
    .values({ org_id: orgId, quota, updated_at: at })
    .onConflict((oc) => oc.column('org_id').doUpdateSet({ quota, updated_at: at }))
    .execute();
}

/** Ids an organisation holds that are reserved or assigned, not yet published or rejected. */
export async function heldCount(executor: Executor, orgId: string): Promise<number> {
  const row = await t(executor)
    .selectFrom('cases_cve')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .where('state', 'in', ['reserved', 'assigned'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertCves(trx: Executor, rows: readonly CveRow[]): Promise<void> {
  if (rows.length > 0) await t(trx).insertInto('cases_cve').values(rows).execute();
}

export async function findCve(executor: Executor, cveId: string): Promise<CveRow | undefined> {
  return t(executor).selectFrom('cases_cve').selectAll().where('cve_id', '=', cveId).executeTakeFirst();
}

export async function updateCve(trx: Executor, cveId: string, fields: Partial<CveRow>): Promise<void> {
  await t(trx).updateTable('cases_cve').set(fields).where('cve_id', '=', cveId).execute();
}

export async function cvesOf(executor: Executor, filter: { orgId?: string; caseId?: string }): Promise<CveRow[]> {
  let q = t(executor).selectFrom('cases_cve').selectAll();
  if (filter.orgId !== undefined) q = q.where('org_id', '=', filter.orgId);
  if (filter.caseId !== undefined) q = q.where('case_id', '=', filter.caseId);
  return q.orderBy('cve_id').limit(1000).execute();
}
