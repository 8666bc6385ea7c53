import type { Actor } from '../../../platform/actor.js';
import { paginate, type Executor, type PageRequest } from '../../../platform/db/index.js';
import { reportVisibleTo } from '../../intake/index.js';
import { t } from './tables.js';

/**
 * One page of the clusters the organisation reported, newest first, with, for each, how many of its reports
 * the actor may see and when the first arrived: only reports the actor may see count (a colleague's TLP:RED
 * report is the colleague's and its named recipients').
 *
 * The page is found by walking down the organisation's own reports in cluster order (the
 * `validation_report_org_cluster` index), a cluster at a time, and stops when it is full: its cost follows the
 * page, whatever share of all clusters is the organisation's. Walking the triage rows instead and asking each
 * for a report of the organisation read ~500 rows per row shown where 1 report in 500 was the organisation's.
 */
export async function reportsOfOrg(executor: Executor, actor: Actor, orgId: string, request: PageRequest) {
  const reported = t(executor)
    .selectFrom('validation_report as r')
    .select('r.cluster_id')
    .where('r.reporter_org_id', '=', orgId)
    .where(reportVisibleTo(actor, 'r.finding_id'))
    .where((eb) =>
      eb.exists(eb.selectFrom('validation_triage as tr').select('tr.cluster_id').whereRef('tr.cluster_id', '=', 'r.cluster_id')),
    )
    .groupBy('r.cluster_id');
  const clusters = await paginate(reported, request, {
    sort: 'r.cluster_id',
    id: 'r.cluster_id',
    sortOf: (r) => r.cluster_id,
    idOf: (r) => r.cluster_id,
    direction: 'desc',
  });
  const triage =
    clusters.items.length === 0
      ? []
      : await t(executor)
          .selectFrom('validation_triage')
          .selectAll()
          .where(
            'cluster_id',
            'in',
            clusters.items.map((r) => r.cluster_id),
          )
          .execute();
  const triageOf = new Map(triage.map((row) => [row.cluster_id, row]));
  // Each has a triage row (the walk asked, and triage rows are never deleted): the lookup only narrows the type.
  const page = {
    items: clusters.items.flatMap((r) => {
      const row = triageOf.get(r.cluster_id);
      return row === undefined ? [] : [row];
    }),
    nextCursor: clusters.nextCursor,
  };
  const ids = page.items.map((r) => r.cluster_id);
  const mine =
    ids.length === 0
      ? []
      : await t(executor)
          .selectFrom('validation_report as r')
          .select(['r.cluster_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('r.reported_at').as('first')])
          .where('r.reporter_org_id', '=', orgId)
          .where('r.cluster_id', 'in', ids)
          .where(reportVisibleTo(actor, 'r.finding_id'))
          .groupBy('r.cluster_id')
          .execute();
  return { page, mine };
}
