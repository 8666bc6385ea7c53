import { describeActor } from '../../../platform/actor.js';
import type { ServiceContext } from '../../../platform/context.js';
import type { Executor } from '../../../platform/db/index.js';
import { ConflictError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { enqueueJob } from '../../../platform/jobs/index.js';
import { clusterReportsDigest, recordClusterState } from '../../intake/index.js';
import type { Quorum } from '../domain/independence.js';
import type { ValidatorAssessmentInput } from '../domain/inputs.js';
import {
  INVALID_REASON_LABELS,
  TRANSITION_NAMES,
  illegalTransitionMessage,
  isLegalTransition,
  verdictAfter,
  type InvalidReason,
  type ReportState,
} from '../domain/report-states.js';
import type { TriageRow } from '../store/tables.js';
import { keepingReporterRecords } from '../store/reporter-record.js';
import { insertTransition, updateTriage } from '../store/triage.js';
import { orgOf } from './access.js';
import type { Confirmations } from './confirmations.js';
import { REPORTS_IN_TRANSITION, TRANSITION_EVENTS, type ValidatorAssessmentRecord } from '../events.js';
import { RESCORE_JOB } from './job-kinds.js';
import { reconcileWork } from './work-slots.js';

export interface TransitionDetail {
  readonly basis: 'verdict' | 'quorum';
  readonly reason: InvalidReason | null;
  readonly note: string | null;
  readonly duplicateOf: string | null;
}

/** ConflictError (409) naming the current state and the allowed next ones, unless the move is legal. */
export function requireLegalTransition(row: TriageRow, to: ReportState): void {
  const from = row.state as ReportState;
  if (!isLegalTransition(from, to))
    throw new ConflictError(illegalTransitionMessage(row.cluster_id, from, to), { code: 'illegal-transition' });
}

/** The validator assessments of the counted confirmations, in the shape prioritization reads. */
function assessments(confirmations: Confirmations): ValidatorAssessmentRecord[] {
  return confirmations.attempts
    .filter((a) => a.confirms === 1 && confirmations.orgIds.includes(a.validator_org_id))
    .map((a) => {
      const stated = Object.entries(JSON.parse(a.assessment) as ValidatorAssessmentInput).filter(([, value]) => value !== null);
      return { validator: a.validator_org_id, assessedAt: a.created_at, ...Object.fromEntries(stated) };
    });
}

/**
 * Moves a cluster to `to` inside the caller's transaction (which holds the cluster's lock): the triage
 * entry and its history, intake's copy of the state, the work slots, the audit event
 * `validation.cluster.<verb>` and the outbox event `validation.cluster.<validated|invalidated|accepted|
 * deferred|closed>.v2`, carrying what the cluster's reports say; a changed verdict re-places the reporters' other queued clusters.
 */
export async function applyTransition(
  trx: Executor,
  ctx: ServiceContext,
  row: TriageRow,
  to: Exclude<ReportState, 'received'>,
  detail: TransitionDetail,
  quorum: Quorum,
  confirmations: Confirmations,
): Promise<TriageRow> {
  requireLegalTransition(row, to);
  const from = row.state as ReportState;
  const at = ctx.clock.now().toISOString();
  const verdict = verdictAfter(to, row.verdict);
  const decided = to === 'valid' || to === 'invalid';
  const patch: Partial<TriageRow> = {
    state: to,
    verdict,
    updated_at: at,
    ...(decided
      ? {
          invalid_reason: detail.reason,
          verdict_note: detail.note,
          duplicate_of: detail.duplicateOf,
          decided_by: describeActor(ctx.actor),
          decided_at: at,
        }
      : {}),
  };
  // A new verdict moves the reporters' track record (the counters their precision is read from).
  if (verdict !== row.verdict) await keepingReporterRecords(trx, [row.cluster_id], () => updateTriage(trx, row.cluster_id, patch));
  else await updateTriage(trx, row.cluster_id, patch);
  const updated: TriageRow = { ...row, ...patch };
  await insertTransition(trx, {
    id: newId('vtr'),
    cluster_id: row.cluster_id,
    from_state: from,
    to_state: to,
    basis: detail.basis,
    reason: detail.reason,
    note: detail.note,
    actor_org_id: orgOf(ctx.actor),
    actor: describeActor(ctx.actor),
    at,
  });
  await recordClusterState(trx, row.cluster_id, to, at);
  await reconcileWork(trx, ctx, updated, quorum.needed);
  const names = TRANSITION_NAMES[to];
  await ctx.audit.record(trx, ctx.actor, {
    action: `validation.cluster.${names.verb}`,
    subject: { type: 'cluster', id: row.cluster_id },
    diff: { state: [from, to], basis: detail.basis, reason: detail.reason, note: detail.note, duplicateOf: detail.duplicateOf },
  });
  const reporterOrgIds = [...confirmations.reporterOrgIds].sort();
  await ctx.events.emit(trx, {
    type: TRANSITION_EVENTS[to],
    subjectId: row.cluster_id,
    payload: {
      clusterId: row.cluster_id,
      from,
      to,
      basis: detail.basis,
      reason: detail.reason,
      reasonLabel: detail.reason === null ? null : INVALID_REASON_LABELS[detail.reason],
      note: detail.note,
      duplicateOf: detail.duplicateOf,
      quorum: { needed: quorum.needed, because: quorum.because, cvssBase: row.cvss_base },
      confirmations: confirmations.orgIds,
      assessments: assessments(confirmations),
      reporterOrgIds,
      at,
      // As the reports stand at the move, read in its transaction.
      reports: await clusterReportsDigest(trx, row.cluster_id, REPORTS_IN_TRANSITION),
    },
  });
  if (verdict !== row.verdict && reporterOrgIds.length > 0)
    await enqueueJob(trx, ctx.clock, { kind: RESCORE_JOB, payload: { orgIds: reporterOrgIds } });
  return updated;
}
