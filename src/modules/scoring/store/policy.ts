import { versionedPolicyStore, type Executor } from '../../../platform/db/index.js';
import { t, type PolicyRow } from './tables.js';

// The policy in force is the highest revision (the migration stores revision 1, the default).
const policies = versionedPolicyStore<PolicyRow>('scoring_policy', 'revision');
export const { latest: currentPolicyRow, list: listPolicies, insert: insertPolicy } = policies;

export async function policyVersionTaken(executor: Executor, version: string): Promise<boolean> {
  return (
    (await t(executor).selectFrom('scoring_policy').select('revision').where('version', '=', version).executeTakeFirst()) !== undefined
  );
}
