import type { ServiceContext } from '../../../platform/context.js';
import { paginate, type Page, type PageRequest } from '../../../platform/db/index.js';
import { InputError, NotAllowedError } from '../../../platform/errors.js';
import { isCoordinator } from '../../identity/index.js';
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
 * equal scores, each with why it sits there. Other parties follow their own reports through
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
  const page = await paginate(queueQuery(ctx.db.kysely, { state, reporterOrgId: query.reporter }), query, {
    sort: 'tr.queue_key',
    id: 'tr.cluster_id',
    sortOf: (row) => row.queue_key,
    idOf: (row) => row.cluster_id,
  });
  return {
    items: page.items.map((row) => presentQueueRow(row, requiredQuorum(policy.quorum, row.cvss_base).needed)),
    nextCursor: page.nextCursor,
  };
}
