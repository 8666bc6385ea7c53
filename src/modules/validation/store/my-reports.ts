import type { Actor } from '../../../platform/actor.js';
import { paginate, type Executor, type PageRequest } from '../../../platform/db/index.js';
import { reportVisibleTo } from '../../intake/index.js';
import { t } from './tables.js';

/**
 * One page of the clusters the organisation reported, newest first, with, for each, how many of its reports
 * the actor may see and when the first arrived: only reports the actor may see count (a colleague's TLP:RED
 * report is the colleague's and its named recipients').
 */
export async function reportsOfOrg(executor: Executor, actor: Actor, orgId: string, request: PageRequest) {
  const query = t(executor)
    .selectFrom('validation_triage as tr')
    .selectAll('tr')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('validation_report as r')
          .select('r.finding_id')
          .whereRef('r.cluster_id', '=', 'tr.cluster_id')
          .where('r.reporter_org_id', '=', orgId)
          .where(reportVisibleTo(actor, 'r.finding_id')),
      ),
    );
  const page = await paginate(query, request, {
    sort: 'tr.cluster_id',
    id: 'tr.cluster_id',
    sortOf: (r) => r.cluster_id,
    idOf: (r) => r.cluster_id,
    direction: 'desc',
  });
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
