import type { Executor } from '../../../platform/db/index.js';
import { NotFoundError } from '../../../platform/errors.js';
import * as store from '../store.js';

/**
 * What other modules need to know about a cluster's reports, for decisions rather than display: who
 * reported (organisations, users, tools, models), in order. Not access-checked — callers are services
 * deciding on the caller's behalf (independence of validators, reporter statistics), never presenters.
 */
export interface ClusterReport {
  readonly findingId: string;
  readonly submissionId: string;
  readonly reporterOrgId: string;
  readonly reporterUserId: string | null;
  readonly tool: string | null;
  readonly model: string | null;
  readonly aiGenerated: boolean | null;
  readonly outcome: 'new' | 'duplicate';
  readonly reportedAt: string;
}

export async function clusterReports(executor: Executor, clusterId: string): Promise<ClusterReport[]> {
  if ((await store.findCluster(executor, clusterId)) === undefined) throw new NotFoundError(`no cluster ${clusterId}`);
  return (await store.reportsOfCluster(executor, clusterId)).map((r) => ({
    findingId: r.id,
    submissionId: r.submission_id,
    reporterOrgId: r.owner_org_id,
    reporterUserId: r.created_by,
    tool: r.tool,
    model: r.model,
    aiGenerated: r.ai_generated === null ? null : r.ai_generated === 1,
    outcome: r.outcome,
    reportedAt: r.created_at,
  }));
}

/**
 * Records a cluster's report-management state (the validation module owns the state machine; intake keeps
 * the current value so that cluster lists filter on it). Call inside the caller's transaction.
 */
export async function recordClusterState(trx: Executor, clusterId: string, state: string, at: string): Promise<void> {
  await store.setClusterState(trx, clusterId, state, at);
}
