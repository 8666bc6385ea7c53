import type { ServiceContext } from '../../../platform/context.js';
import { requiredQuorum } from '../domain/independence.js';
import { allowedNextStates, type ReportState } from '../domain/report-states.js';
import {
  presentAttempt,
  presentTransition,
  presentVerdict,
  type Attempt,
  type Evidence,
  type Transition,
  type VerdictView,
} from '../presenters.js';
import { transitionsOf } from '../store/triage.js';
import { isCoordinatorStaff, orgOf, visibleCluster } from './access.js';
import { confirmationsOf } from './confirmations.js';
import { listEvidence } from './evidence.js';
import { currentPolicy } from './policy.js';
import { ensureTriage } from './triage-sync.js';

export interface ValidationView {
  readonly clusterId: string;
  readonly state: ReportState;
  /** The states a coordinator may move it to next. */
  readonly allowedNext: readonly ReportState[];
  /** False once merged into another cluster (`mergedInto`) or emptied. */
  readonly active: boolean;
  readonly mergedInto: string | null;
  readonly verdict: VerdictView | null;
  readonly quorum: { readonly needed: number; readonly because: string; readonly confirmations: number; readonly cvssBase: number | null };
  /** Every attempt for coordinators; the caller's own organisation's otherwise. */
  readonly attempts: Attempt[];
  /** The evidence the caller may see (TLP and recipients). */
  readonly evidence: Evidence[];
  readonly history: Transition[];
}

/**
 * A cluster's validation as the caller may see it: state, verdict and reason (reporters read why their
 * report was found invalid), quorum progress, attempts (others' only for coordinators), visible evidence
 * and history (who decided shown to coordinators only).
 *
 * @throws NotFoundError when the caller may not see the cluster.
 */
export async function getValidationView(ctx: ServiceContext, clusterId: string): Promise<ValidationView> {
  const cluster = await visibleCluster(ctx, clusterId);
  const row = await ensureTriage(ctx, cluster.id);
  const staff = isCoordinatorStaff(ctx.actor);
  const { policy } = await currentPolicy(ctx.db.kysely);
  const quorum = requiredQuorum(policy.quorum, row.cvss_base);
  const confirmations = await confirmationsOf(ctx.db.kysely, clusterId);
  const ownOrg = orgOf(ctx.actor);
  return {
    clusterId,
    state: row.state as ReportState,
    allowedNext: allowedNextStates(row.state as ReportState),
    active: row.active === 1,
    mergedInto: cluster.mergedInto,
    verdict: presentVerdict(row),
    quorum: { needed: quorum.needed, because: quorum.because, confirmations: confirmations.orgIds.length, cvssBase: row.cvss_base },
    attempts: confirmations.attempts.filter((a) => staff || a.validator_org_id === ownOrg).map(presentAttempt),
    evidence: await listEvidence(ctx, clusterId),
    history: (await transitionsOf(ctx.db.kysely, clusterId)).map((t) => presentTransition(t, staff)),
  };
}
