import { sql } from 'kysely';
import { versionedPolicyStore, type Executor } from '../../../platform/db/index.js';
import { t, type DeterminationRow, type PolicyRow, type ReviewRow } from './tables.js';

/** Policy versions, models' determinations, and the aggregate counts behind the program metrics. */

const policies = versionedPolicyStore<PolicyRow>('frontier_policy', 'version');
export const { latest: latestPolicy, list: listPolicies, insert: insertPolicy } = policies;

export async function findModelByKey(
  executor: Executor,
  ownerOrgId: string,
  nameKey: string,
  version: string,
): Promise<{ id: string } | undefined> {
  return t(executor)
    .selectFrom('frontier_model')
    .select('id')
    .where('owner_org_id', '=', ownerOrgId)
    .where('name_key', '=', nameKey)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function determinationsOf(executor: Executor, modelId: string): Promise<DeterminationRow[]> {
  return t(executor)
    .selectFrom('frontier_determination')
    .selectAll()
    .where('model_id', '=', modelId)
    .orderBy('determined_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** The latest determination of each model, by determination time. */
export async function latestDeterminations(executor: Executor, modelIds: readonly string[]): Promise<Map<string, DeterminationRow>> {
  if (modelIds.length === 0) return new Map();
  const rows = await t(executor)
    .selectFrom('frontier_determination')
    .selectAll()
    .where('model_id', 'in', modelIds)
    .orderBy('determined_at')
    .orderBy('id')
    .execute();
  return new Map(rows.map((r) => [r.model_id, r]));
}

export interface MetricRows {
  readonly modelsEnrolled: number;
  readonly modelsCovered: number;
  readonly reviews: Pick<ReviewRow, 'model_id' | 'requested_days' | 'window_start' | 'window_end' | 'outcome' | 'closed_at'>[];
  readonly nominations: number;
  readonly selected: { model_id: string }[];
  readonly grantScopes: string[];
}

/** Everything the program metrics count, read without names or any other identifying field. */
export async function metricRows(executor: Executor): Promise<MetricRows> {
  const k = t(executor);
  const count = sql<number>`count(*)`.as('n');
  const models = await k.selectFrom('frontier_model').select(count).executeTakeFirstOrThrow();
  const determinations = await k
    .selectFrom('frontier_determination')
    .select(['model_id', 'covered', 'determined_at', 'id'])
    .orderBy('determined_at')
    .orderBy('id')
    .execute();
  const latest = new Map(determinations.map((d) => [d.model_id, d.covered]));
  const reviews = await k
    .selectFrom('frontier_review')
    .select(['model_id', 'requested_days', 'window_start', 'window_end', 'outcome', 'closed_at'])
    .execute();
  const nominations = await k.selectFrom('frontier_nomination').select(count).executeTakeFirstOrThrow();
  const selected = await k.selectFrom('frontier_nomination').select('model_id').where('status', '=', 'selected').execute();
  const grants = await k.selectFrom('frontier_grant').select('scope').execute();
  return {
    modelsEnrolled: Number(models.n),
    modelsCovered: [...latest.values()].filter((c) => c === 1).length,
    reviews,
    nominations: Number(nominations.n),
    selected,
    grantScopes: grants.map((g) => g.scope),
  };
}
