import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/index.js';
import { t, type Visibility } from './tables.js';

/** Per cluster: its reports, those `visible`, their organisations and the earliest of them. One query. */
export async function reportTallies(
  executor: Executor,
  visible: Visibility,
  clusterIds: readonly string[],
): Promise<{ cluster_id: string; total: number | string; visible: number | string; reporters: number | string; first: string | null }[]> {
  const marked = t(executor)
    .selectFrom('intake_finding as f')
    .select(['f.cluster_id', 'f.owner_org_id', 'f.created_at'])
    .select(sql<number>`case when ${visible('f')} then 1 else 0 end`.as('v'))
    .where('f.cluster_id', 'in', [...clusterIds]);
  return t(executor)
    .selectFrom(marked.as('x'))
    .select('x.cluster_id')
    .select(sql<number | string>`count(*)`.as('total'))
    .select(sql<number | string>`sum(x.v)`.as('visible'))
    .select(sql<number | string>`count(distinct case when x.v = 1 then x.owner_org_id end)`.as('reporters'))
    .select(sql<string | null>`min(case when x.v = 1 then x.created_at end)`.as('first'))
    .groupBy('x.cluster_id')
    .execute();
}

/** The labels of the `visible` reports in these clusters, oldest first. One query. */
export async function visibleLabelRows(
  executor: Executor,
  visible: Visibility,
  clusterIds: readonly string[],
): Promise<{ cluster_id: string; title: string | null; target_identity: string | null; cwes: string; data: string }[]> {
  return t(executor)
    .selectFrom('intake_finding as f')
    .select(['f.cluster_id', 'f.title', 'f.target_identity', 'f.cwes', 'f.data'])
    .where('f.cluster_id', 'in', [...clusterIds])
    .where(visible('f'))
    .orderBy('f.created_at')
    .orderBy('f.id')
    .execute();
}
