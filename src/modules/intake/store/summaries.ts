import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/index.js';
import { t, type Visibility } from './tables.js';

/** Per cluster: its reports, those `visible`, their organisations and the earliest of them. One query. */
export async function reportTallies(
  executor: Executor,
  visible: Visibility,
  clusterIds: readonly string[],
): Promise<{ cluster_id: string; total: number | string; visible: number | string; reporters: number | string; first: string | null }[]> {
  // Grouped by visibility first, so that the condition (a lookup of the report's submission and its
  // recipients) is evaluated once per report: PostgreSQL flattened the plain subquery and evaluated it
  // again for each of the three aggregates that read it — the largest cost of a soak's PostgreSQL servers.
  const marked = t(executor)
    .selectFrom('intake_finding as f')
    .select(['f.cluster_id', 'f.owner_org_id'])
    .select(sql<number>`case when ${visible('f')} then 1 else 0 end`.as('v'))
    .select(sql<number | string>`count(*)`.as('n'))
    .select(sql<string>`min(f.created_at)`.as('first_at'))
    .where('f.cluster_id', 'in', [...clusterIds])
    .groupBy(['f.cluster_id', 'f.owner_org_id', sql`3`]);
  return t(executor)
    .selectFrom(marked.as('x'))
    .select('x.cluster_id')
    .select(sql<number | string>`sum(x.n)`.as('total'))
    .select(sql<number | string>`sum(case when x.v = 1 then x.n else 0 end)`.as('visible'))
    .select(sql<number | string>`count(distinct case when x.v = 1 then x.owner_org_id end)`.as('reporters'))
    .select(sql<string | null>`min(case when x.v = 1 then x.first_at end)`.as('first'))
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
