import { sql } from 'kysely';
import { visibleTo } from '../../identity/index.js';
import type { Actor } from '../../../platform/actor.js';
import type { Executor } from '../../../platform/db/index.js';
import { t, type GrantRow } from './tables.js';

/** Access grants: by review and model, the ones due to expire, and an organisation's history. */

export async function grantsOfReview(executor: Executor, reviewId: string): Promise<GrantRow[]> {
  return t(executor).selectFrom('frontier_grant').selectAll().where('review_id', '=', reviewId).orderBy('id').execute();
}

/** Grants still pending or active whose expiry has passed. */
export async function grantsPastExpiry(executor: Executor, nowIso: string): Promise<GrantRow[]> {
  return t(executor)
    .selectFrom('frontier_grant')
    .selectAll()
    .where('status', 'in', ['pending', 'active'])
    .where('expires_at', '<=', nowIso)
    .orderBy('expires_at')
    .limit(500)
    .execute();
}

/** Every organisation that holds or held a grant on any review of the model. */
export async function granteeOrgsOfModel(executor: Executor, modelId: string): Promise<string[]> {
  const rows = await t(executor)
    .selectFrom('frontier_grant')
    .select('grantee_org_id')
    .distinct()
    .where('model_id', '=', modelId)
    .orderBy('grantee_org_id')
    .execute();
  return rows.map((r) => r.grantee_org_id);
}

/**
 * The grants issued under these nominations (a selected partner's automatic grants): how many under each,
 * and which of them the actor may read (the coordinator, the developer and the grantee; an agency that
 * signed off learns the count, not the grants).
 */
export async function grantsUnderNominations(
  executor: Executor,
  actor: Actor,
  nominationIds: readonly string[],
): Promise<{ counts: ReadonlyMap<string, number>; readable: GrantRow[] }> {
  if (nominationIds.length === 0) return { counts: new Map(), readable: [] };
  const counted = await t(executor)
    .selectFrom('frontier_grant')
    .select(['nomination_id', sql<number>`count(*)`.as('n')])
    .where('nomination_id', 'in', nominationIds)
    .groupBy('nomination_id')
    .execute();
  const readable = await executor
    .selectFrom('frontier_grant as x')
    .selectAll('x')
    .where('x.nomination_id', 'in', nominationIds)
    .where(visibleTo(actor, 'x'))
    .orderBy('x.id')
    .execute();
  return {
    counts: new Map(counted.map((r) => [r.nomination_id ?? '', Number(r.n)])),
    readable: readable as unknown as GrantRow[],
  };
}

/** How many grants an organisation has held, and how many of them were revoked for cause. */
export async function grantHistory(executor: Executor, orgId: string): Promise<{ total: number; revokedForCause: number }> {
  const row = await t(executor)
    .selectFrom('frontier_grant')
    .select([
      sql<number>`count(*)`.as('total'),
      sql<number>`sum(case when revocation_reason = 'for_cause' then 1 else 0 end)`.as('for_cause'),
    ])
    .where('grantee_org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return { total: Number(row.total), revokedForCause: Number(row.for_cause ?? 0) };
}

/** The grantee's grant on this review that is pending or active, if any. */
export async function liveGrantOf(executor: Executor, reviewId: string, granteeOrgId: string): Promise<GrantRow | undefined> {
  return t(executor)
    .selectFrom('frontier_grant')
    .selectAll()
    .where('review_id', '=', reviewId)
    .where('grantee_org_id', '=', granteeOrgId)
    .where('status', 'in', ['pending', 'active'])
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

/** Ends a grant that is still pending or active; false when it had ended already. */
export async function endLiveGrant(
  executor: Executor,
  id: string,
  patch: Pick<GrantRow, 'status' | 'ended_at' | 'end_reason' | 'revocation_reason' | 'updated_at'>,
): Promise<boolean> {
  const result = await t(executor)
    .updateTable('frontier_grant')
    .set(patch)
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'active'])
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
