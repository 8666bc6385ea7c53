import { paginate, type Executor, type Page, type PageRequest } from '../../../platform/db/index.js';
import { t, type PolicyRow } from './tables.js';

/** The policy in force: the highest revision (the migration stores revision 1, the default). */
export async function currentPolicyRow(executor: Executor): Promise<PolicyRow | undefined> {
  return t(executor).selectFrom('scoring_policy').selectAll().orderBy('revision', 'desc').limit(1).executeTakeFirst();
}

export async function policyVersionTaken(executor: Executor, version: string): Promise<boolean> {
  return (
    (await t(executor).selectFrom('scoring_policy').select('revision').where('version', '=', version).executeTakeFirst()) !== undefined
  );
}

export async function insertPolicy(executor: Executor, row: PolicyRow): Promise<void> {
  await t(executor).insertInto('scoring_policy').values(row).execute();
}

/** Every revision, newest first. */
export async function listPolicies(executor: Executor, page: PageRequest): Promise<Page<PolicyRow>> {
  const query = t(executor).selectFrom('scoring_policy').selectAll();
  return paginate(query, page, {
    sort: 'scoring_policy.revision',
    id: 'scoring_policy.version',
    sortOf: (r) => r.revision,
    idOf: (r) => r.version,
    direction: 'desc',
  });
}
