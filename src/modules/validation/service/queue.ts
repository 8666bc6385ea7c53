import type { ServiceContext } from '../../../platform/context.js';
import { paginate, type Page, type PageRequest } from '../../../platform/db/index.js';
import { InputError, NotAllowedError } from '../../../platform/errors.js';
import { isCoordinator, isCoordinatorRecipient } from '../../identity/index.js';
import { clusterSummaries, everyReportVisibleTo } from '../../intake/index.js';
import { requiredQuorum } from '../domain/independence.js';
import { REPORT_STATES, isReportState } from '../domain/report-states.js';
import { presentQueueRow, type QueueRow } from '../presenters.js';
import { queueQuery } from '../store/triage.js';
import { currentPolicy } from './policy.js';

export interface QueueQuery extends PageRequest {
  /** Default `received`: the clusters awaiting validation. */
  readonly state?: string | undefined;
  /** Only clusters this organisation reported. */
  readonly reporter?: string | undefined;
}

/**
 * The triage queue (coordinators): clusters in one state, highest score first, the oldest first among
 * equal scores, each with why it sits there. An entry's counts and first-seen time derive from every report
 * of its cluster, so a coordinator viewer (who reads by the labels) sees only the clusters whose every
 * report it may see. Other parties follow their own reports through
 * `listMyReports` and take work through validation jobs.
 *
 * @throws NotAllowedError for non-coordinators; InputError for an unknown state.
 */
export async function listTriageQueue(ctx: ServiceContext, query: QueueQuery): Promise<Page<QueueRow>> {
  if (!isCoordinator(ctx.actor))
    throw new NotAllowedError('the triage queue is the coordinators’; follow your own reports’ verdicts under my-reports');
  const state = query.state ?? 'received';
  if (!isReportState(state))
    throw new InputError(`state must be one of ${REPORT_STATES.join(', ')}`, [
      { pointer: '/state', detail: `must be one of ${REPORT_STATES.join(', ')}` },
    ]);
  const { policy } = await currentPolicy(ctx.db.kysely);
  // Queue entries count and date every report of a cluster: listed only to those who may see every one.
  const entries = queueQuery(ctx.db.kysely, { state, reporterOrgId: query.reporter }).$if(!isCoordinatorRecipient(ctx.actor), (q) =>
    q.where(everyReportVisibleTo(ctx.actor, 'tr.cluster_id')),
  );
  const page = await paginate(entries, query, {
    sort: 'tr.queue_key',
    id: 'tr.cluster_id',
    sortOf: (row) => row.queue_key,
    idOf: (row) => row.cluster_id,
  });
  const labels = await clusterSummaries(
    ctx,
    page.items.map((row) => row.cluster_id),
  );
  return {
    items: page.items.map((row) => presentQueueRow(row, requiredQuorum(policy.quorum, row.cvss_base).needed, labels.get(row.cluster_id))),
    nextCursor: page.nextCursor,
  };
}
