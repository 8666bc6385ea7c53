import { versionedPolicyStore, type Executor } from '../../../platform/db/index.js';
import { t, type PolicyRow, type QuotaOverrideRow } from './tables.js';

const policies = versionedPolicyStore<PolicyRow>('validation_policy', 'version');
export const { latest: latestPolicy, insert: insertPolicy } = policies;

export async function findOverride(executor: Executor, orgId: string): Promise<QuotaOverrideRow | undefined> {
  return t(executor).selectFrom('validation_quota_override').selectAll().where('org_id', '=', orgId).executeTakeFirst();
}

export async function saveOverride(executor: Executor, row: QuotaOverrideRow): Promise<void> {
  await t(executor)
    .insertInto('validation_quota_override')
    .values(row)
    .onConflict((oc) =>
      oc.column('org_id').doUpdateSet({ daily_limit: row.daily_limit, note: row.note, set_by: row.set_by, set_at: row.set_at }),
    )
    .execute();
}

export async function deleteOverride(executor: Executor, orgId: string): Promise<void> {
  await t(executor).deleteFrom('validation_quota_override').where('org_id', '=', orgId).execute();
}

/** Forgets an organisation's submissions older than `before`: the quota only ever looks at the last 24 hours. */
export async function pruneUsage(executor: Executor, orgId: string, before: string): Promise<void> {
  await t(executor).deleteFrom('validation_quota_usage').where('org_id', '=', orgId).where('at', '<', before).execute();
}

/**
 * How many submissions the organisation made since `since`: a count within the (org_id, at) index, where
 * reading their times costs a row and a sort per submission in the window (the soak's 281 of one
 * organisation: 1.3 ms against 0.01 ms), on every submission.
 */
export async function countUsageSince(executor: Executor, orgId: string, since: string): Promise<number> {
  const row = await t(executor)
    .selectFrom('validation_quota_usage')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('org_id', '=', orgId)
    .where('at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** When the organisation's submissions since `since` were made, oldest first. */
export async function usageSince(executor: Executor, orgId: string, since: string): Promise<string[]> {
  const rows = await t(executor)
    .selectFrom('validation_quota_usage')
    .select('at')
    .where('org_id', '=', orgId)
    .where('at', '>=', since)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map((r) => r.at);
}

export async function recordUsage(executor: Executor, id: string, orgId: string, at: string): Promise<void> {
  await t(executor).insertInto('validation_quota_usage').values({ id, org_id: orgId, at }).execute();
}
