import type { Executor } from '../../../platform/db/index.js';
import { t, type StatementRow } from './tables.js';

export async function findStatement(executor: Executor, id: string): Promise<StatementRow | undefined> {
  return t(executor).selectFrom('cases_statement').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findStatementByKey(
  executor: Executor,
  key: { caseId: string; vendorOrgId: string; clusterId: string; productKey: string },
): Promise<StatementRow | undefined> {
  return t(executor)
    .selectFrom('cases_statement')
    .selectAll()
    .where('case_id', '=', key.caseId)
    .where('vendor_org_id', '=', key.vendorOrgId)
    .where('cluster_id', '=', key.clusterId)
    .where('product_key', '=', key.productKey)
    .executeTakeFirst();
}

export async function insertStatement(trx: Executor, row: StatementRow): Promise<void> {
  await t(trx).insertInto('cases_statement').values(row).execute();
}

export async function updateStatement(trx: Executor, id: string, fields: Partial<StatementRow>): Promise<void> {
  await t(trx).updateTable('cases_statement').set(fields).where('id', '=', id).execute();
}

/**
 * A case's statements a reader may see: every one (coordinators); else its own organisation's, and the
 * others' once approved and either shared before publication or disclosed.
 */
export async function statementsOf(
  executor: Executor,
  caseId: string,
  reader: { readonly all: true } | { readonly all: false; readonly orgId: string; readonly disclosed: boolean },
): Promise<StatementRow[]> {
  let query = t(executor).selectFrom('cases_statement').selectAll().where('case_id', '=', caseId);
  if (!reader.all) {
    const { orgId, disclosed } = reader;
    query = query.where((eb) =>
      eb.or([
        eb('vendor_org_id', '=', orgId),
        disclosed ? eb('approval', '=', 'approved') : eb.and([eb('approval', '=', 'approved'), eb('share_before_publication', '=', 1)]),
      ]),
    );
  }
  return query.orderBy('cluster_id').orderBy('vendor_org_id').orderBy('product_key').execute();
}
