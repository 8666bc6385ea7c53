import type { Executor } from '../../../platform/db/index.js';
import { t, type Visibility } from './tables.js';

/**
 * Up to `limit` clusters not merged away that are `visible` (a cluster condition: service/access.ts's
 * clusterVisible, a probe per cluster that PostgreSQL cannot pull up into a merge semi-join reading every report
 * before the cursor), in id order after `afterId`.
 */
export async function clustersWithVisibleReports(
  executor: Executor,
  visible: Visibility,
  page: { readonly afterId?: string | null; readonly limit: number },
): Promise<{ id: string; state: string }[]> {
  const db = t(executor);
  let ids = db.selectFrom('intake_cluster as c').select(['c.id', 'c.state']).where('c.merged_into', 'is', null).where(visible('c'));
  if (page.afterId !== undefined && page.afterId !== null) ids = ids.where('c.id', '>', page.afterId);
  return ids.orderBy('c.id').limit(page.limit).execute();
}

/** The `visible` reports of these clusters, oldest first, with their label and content. */
export async function visibleReportsOf(
  executor: Executor,
  visible: Visibility,
  clusterIds: readonly string[],
): Promise<{ cluster_id: string; tlp: string; title: string | null; created_at: string; data: string }[]> {
  return t(executor)
    .selectFrom('intake_finding as f')
    .select(['f.cluster_id', 'f.tlp', 'f.title', 'f.created_at', 'f.data'])
    .where('f.cluster_id', 'in', [...clusterIds])
    .where(visible('f'))
    .orderBy('f.created_at')
    .orderBy('f.id')
    .execute();
}
