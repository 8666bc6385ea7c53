import type { ServiceContext } from '../../../platform/context.js';
import { ConflictError, NotFoundError } from '../../../platform/errors.js';
import { getCluster } from '../../intake/index.js';
import { getDecision } from '../../scoring/index.js';
import { opensCaseAutomatically } from '../domain/disclosure-policy.js';
import { casesOfClusters } from '../store/cases.js';
import { currentDisclosurePolicy } from '../store/disclosure-policy.js';
import { openCase } from './cases.js';

/** What the policy did for a cluster: opened its case, or why not. */
export type PolicyOpening =
  | { readonly opened: true; readonly caseId: string; readonly number: string }
  | {
      readonly opened: false;
      readonly reason: 'policy-off' | 'not-prioritized' | 'below-priority' | 'not-accepted' | 'in-case';
    };

/**
 * Opens a case for `clusterId` when the disclosure policy says so (`autoOpenAtPriority`): the cluster is
 * accepted, not merged, in no case yet, and its priority in force reaches the policy's level. Called whenever
 * one of these may have become true — the cluster accepted, its priority decided or changed (a KEV or EPSS
 * refresh re-scores it) — and it reads all of them afresh, so the order the triggers arrive in does not
 * matter. Idempotent: a cluster is in one case at most; two triggers at once (two server processes) open one
 * case, the other answering `in-case`, and leave no gap in the case numbers. Acts as `ctx.actor` (the
 * system, in the consumer), audited `cases.case.open` with `openedBy: policy`; an actively exploited
 * cluster gets the policy's shorter embargo.
 */
export async function openCaseByPolicy(ctx: ServiceContext, clusterId: string): Promise<PolicyOpening> {
  const { policy } = await currentDisclosurePolicy(ctx.db.kysely);
  if (policy.autoOpenAtPriority === null) return { opened: false, reason: 'policy-off' };
  if ((await casesOfClusters(ctx.db.kysely, [clusterId])).length > 0) return { opened: false, reason: 'in-case' };
  const decision = await getDecision(ctx, clusterId).catch((e: unknown) => {
    if (e instanceof NotFoundError) return null;
    throw e;
  });
  if (decision === null) return { opened: false, reason: 'not-prioritized' };
  if (!opensCaseAutomatically(decision.outcome, policy)) return { opened: false, reason: 'below-priority' };
  const cluster = await getCluster(ctx, clusterId).catch((e: unknown) => {
    if (e instanceof NotFoundError) return null;
    throw e;
  });
  if (cluster === null || cluster.state !== 'accepted' || cluster.mergedInto !== null) return { opened: false, reason: 'not-accepted' };
  try {
    const opened = await openCase(
      ctx,
      { clusterIds: [clusterId], exploited: decision.explanation.inputs.exploitation.value === 'active' },
      'policy',
    );
    return { opened: true, caseId: opened.id, number: opened.number };
  } catch (e) {
    if (e instanceof ConflictError && e.code === 'cluster-in-case') return { opened: false, reason: 'in-case' };
    throw e;
  }
}
