import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/index.js';
import { t, type CaseRow, type VulnerabilityRow } from './tables.js';

/**
 * The next sequence number of `year`, from its counter row, in the caller's transaction: the row stays
 * locked until the transaction ends, so concurrent openings on PostgreSQL take consecutive numbers, and a
 * rolled-back opening leaves no gap.
 */
export async function nextCaseSequence(trx: Executor, year: number): Promise<number> {
  const row = await t(trx)
    .insertInto('cases_number')
    .values({ year, last: 1 })
    .onConflict((oc) => oc.column('year').doUpdateSet({ last: sql<number>`cases_number.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return Number(row.last);
}

export async function insertCase(trx: Executor, row: CaseRow): Promise<void> {
  await t(trx).insertInto('cases_case').values(row).execute();
}

export async function findCase(executor: Executor, idOrNumber: string): Promise<CaseRow | undefined> {
  const column = idOrNumber.startsWith('CH-') ? 'number' : 'id';
  return t(executor).selectFrom('cases_case').selectAll().where(column, '=', idOrNumber).executeTakeFirst();
}

export async function updateCase(trx: Executor, id: string, fields: Partial<CaseRow>): Promise<void> {
  await t(trx).updateTable('cases_case').set(fields).where('id', '=', id).execute();
}

export async function insertVulnerabilities(trx: Executor, rows: readonly VulnerabilityRow[]): Promise<void> {
  if (rows.length > 0) await t(trx).insertInto('cases_vulnerability').values(rows).execute();
}

export async function vulnerabilitiesOf(executor: Executor, caseId: string): Promise<VulnerabilityRow[]> {
  return t(executor).selectFrom('cases_vulnerability').selectAll().where('case_id', '=', caseId).orderBy('position').execute();
}

/** The cases already coordinating any of these clusters. */
export async function casesOfClusters(
  executor: Executor,
  clusterIds: readonly string[],
): Promise<{ cluster_id: string; number: string }[]> {
  if (clusterIds.length === 0) return [];
  return t(executor)
    .selectFrom('cases_vulnerability as v')
    .innerJoin('cases_case as c', 'c.id', 'v.case_id')
    .select(['v.cluster_id', 'c.number'])
    .where('v.cluster_id', 'in', clusterIds)
    .execute();
}

/** Cases whose embargo is in force and ends before `until`: the sweep expires them or sends reminders. */
export async function casesWithEmbargoEndingBefore(executor: Executor, until: string, limit: number): Promise<CaseRow[]> {
  return t(executor)
    .selectFrom('cases_case')
    .selectAll()
    .where('embargo_state', 'in', ['active', 'revise'])
    .where('embargo_ends_at', '<=', until)
    .orderBy('embargo_ends_at')
    .limit(limit)
    .execute();
}

/**
 * The cases as a query to page: every case (`participantOrgId` null, for those who oversee cases), else those
 * the organisation takes part in; optionally only those whose embargo is in one state.
 */
export function casesQuery(executor: Executor, participantOrgId: string | null, embargoState?: string) {
  let q = t(executor).selectFrom('cases_case as c').selectAll('c');
  if (participantOrgId !== null)
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('cases_participant as p')
          .select(sql`1`.as('one'))
          .whereRef('p.case_id', '=', 'c.id')
          .where('p.org_id', '=', participantOrgId)
          .where('p.state', '=', 'active'),
      ),
    );
  return embargoState === undefined ? q : q.where('c.embargo_state', '=', embargoState);
}
