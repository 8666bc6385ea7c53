import type { Kysely } from 'kysely';
import { paginate, tables, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';

/** Row shapes of the agreement tables (migrations/0002-testing-agreements.ts). */

export interface AgreementRow {
  id: string;
  developer_org_id: string;
  government_org_id: string;
  title: string;
  created_by: string;
  created_at: string;
  ended_at: string | null;
  ended_by: string | null;
  ended_by_org_id: string | null;
  end_reason: string | null;
}

export interface AgreementVersionRow {
  agreement_id: string;
  version: number;
  /** JSON: the AgreementTerms. */
  terms: string;
  note: string | null;
  status: string;
  proposed_by: string;
  proposed_by_org_id: string;
  proposed_at: string;
  policy_version: number;
  developer_signed_by: string | null;
  developer_signed_at: string | null;
  government_signed_by: string | null;
  government_signed_at: string | null;
  in_force_at: string | null;
  closed_at: string | null;
}

interface AgreementTables {
  frontier_agreement: AgreementRow;
  frontier_agreement_version: AgreementVersionRow;
}

const a = (executor: Executor): Kysely<AgreementTables> => tables<AgreementTables>(executor);

export async function insertAgreement(executor: Executor, row: AgreementRow): Promise<void> {
  await a(executor).insertInto('frontier_agreement').values(row).execute();
}

export async function findAgreement(executor: Executor, id: string): Promise<AgreementRow | undefined> {
  return a(executor).selectFrom('frontier_agreement').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function runningAgreementBetween(
  executor: Executor,
  developerOrgId: string,
  governmentOrgId: string,
): Promise<AgreementRow | undefined> {
  return a(executor)
    .selectFrom('frontier_agreement')
    .selectAll()
    .where('developer_org_id', '=', developerOrgId)
    .where('government_org_id', '=', governmentOrgId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
}

export async function endAgreementRow(
  executor: Executor,
  id: string,
  end: { at: string; by: string; orgId: string; reason: string | null },
): Promise<boolean> {
  const result = await a(executor)
    .updateTable('frontier_agreement')
    .set({ ended_at: end.at, ended_by: end.by, ended_by_org_id: end.orgId, end_reason: end.reason })
    .where('id', '=', id)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function versionsOf(executor: Executor, agreementIds: readonly string[]): Promise<AgreementVersionRow[]> {
  if (agreementIds.length === 0) return [];
  return a(executor)
    .selectFrom('frontier_agreement_version')
    .selectAll()
    .where('agreement_id', 'in', [...agreementIds])
    .orderBy('agreement_id')
    .orderBy('version')
    .execute();
}

export async function insertVersion(executor: Executor, row: AgreementVersionRow): Promise<void> {
  await a(executor).insertInto('frontier_agreement_version').values(row).execute();
}

export async function updateVersion(
  executor: Executor,
  agreementId: string,
  version: number,
  set: Partial<AgreementVersionRow>,
): Promise<void> {
  await a(executor)
    .updateTable('frontier_agreement_version')
    .set(set)
    .where('agreement_id', '=', agreementId)
    .where('version', '=', version)
    .execute();
}

/** Agreements one of whose parties is `orgId` (all of them for `orgId` null), newest first. */
export async function pageAgreements(executor: Executor, orgId: string | null, request: PageRequest): Promise<Page<AgreementRow>> {
  let query = a(executor).selectFrom('frontier_agreement').selectAll();
  if (orgId !== null) query = query.where((eb) => eb.or([eb('developer_org_id', '=', orgId), eb('government_org_id', '=', orgId)]));
  return paginate(query, request, {
    sort: 'frontier_agreement.created_at',
    id: 'frontier_agreement.id',
    sortOf: (r) => r.created_at,
    idOf: (r) => r.id,
    direction: 'desc',
  });
}

/** The in-force versions of the running agreements of a developer, newest in force first. */
export async function inForceVersionsOf(
  executor: Executor,
  developerOrgId: string,
): Promise<(AgreementVersionRow & { government_org_id: string })[]> {
  return a(executor)
    .selectFrom('frontier_agreement_version as v')
    .innerJoin('frontier_agreement as g', 'g.id', 'v.agreement_id')
    .selectAll('v')
    .select('g.government_org_id')
    .where('g.developer_org_id', '=', developerOrgId)
    .where('g.ended_at', 'is', null)
    .where('v.status', '=', 'in_force')
    .orderBy('v.in_force_at', 'desc')
    .execute();
}

export async function findVersion(executor: Executor, agreementId: string, version: number): Promise<AgreementVersionRow | undefined> {
  return a(executor)
    .selectFrom('frontier_agreement_version')
    .selectAll()
    .where('agreement_id', '=', agreementId)
    .where('version', '=', version)
    .executeTakeFirst();
}
