import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction, type Executor } from '../../../platform/db/index.js';
import { ConflictError, NotFoundError } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';
import { completeJob, getJob } from '../../../platform/jobs/index.js';
import { clusterReports } from '../../intake/index.js';
import { requiredQuorum, type IndependenceConflict } from '../domain/independence.js';
import { attemptConfirms, parseAttempt } from '../domain/inputs.js';
import type { ReportState } from '../domain/report-states.js';
import { presentAttempt, type AttemptOutcome } from '../presenters.js';
import type { AttemptRow, WorkRow } from '../store/tables.js';
import { findTriage, updateTriage } from '../store/triage.js';
import { insertAttempt, openWork, updateWork } from '../store/work.js';
import { lockCluster, requireUnmerged, requireValidator, visibleCluster } from './access.js';
import { confirmationsOf } from './confirmations.js';
import { independenceOf, registeredModels } from './independence-facts.js';
import { currentPolicy } from './policy.js';
import { applyTransition } from './transitions.js';
import { ensureTriage } from './triage-sync.js';
import { reconcileWork, workerOf } from './work-slots.js';

function notIndependent(clusterId: string, conflicts: readonly IndependenceConflict[]): ConflictError {
  return new ConflictError(
    `your organisation is not independent of cluster ${clusterId}: ${conflicts.map((c) => c.detail).join('; ')}; another organisation must validate it`,
    {
      code: 'not-independent',
    },
  );
}

/** The organisation's live slot on the cluster — the named job, or any it holds — or undefined. */
async function heldWork(
  trx: Executor,
  clusterId: string,
  orgId: string,
  jobId: string | undefined,
): Promise<{ work: WorkRow; attempt: number } | undefined> {
  const work = (await openWork(trx, clusterId)).find((w) => (jobId === undefined ? w.claimed_org_id === orgId : w.job_id === jobId));
  if (work === undefined) return undefined;
  const job = await getJob(trx, work.job_id);
  if (job === undefined || job.status !== 'running' || job.lease_owner !== workerOf(orgId)) return undefined;
  return { work, attempt: job.attempts };
}

/** Completes a held slot in the caller's transaction; false when the lease was lost to another validator meanwhile. */
async function completeHeldWork(
  trx: Executor,
  ctx: ServiceContext,
  held: { work: WorkRow; attempt: number },
  orgId: string,
  attemptId: string,
): Promise<boolean> {
  if (!(await completeJob(trx, ctx.clock, { id: held.work.job_id, leaseOwner: workerOf(orgId), attempt: held.attempt }))) return false;
  await updateWork(trx, held.work.job_id, { closed_at: ctx.clock.now().toISOString(), attempt_id: attemptId });
  return true;
}

/**
 * Records a validation attempt by an independent validator on a received cluster: what it ran against,
 * whether it reproduced on the affected build and not on the fixed one. When the attempt completes the
 * quorum of independent confirmations (policy: 1, or 2 from CVSS 9.0), the cluster becomes valid. An
 * attempt by an organisation holding a validation job on the cluster completes that job. Audited as
 * `validation.attempt.create`.
 *
 * @throws NotFoundError (cluster not visible), NotAllowedError (not a validating organisation),
 *   InputError, ConflictError `not-independent`, `not-awaiting-validation`, `cluster-merged`, `lease-lost`.
 */
export async function recordAttempt(
  ctx: ServiceContext,
  clusterId: string,
  input: Record<string, unknown>,
  via?: { readonly jobId: string },
): Promise<AttemptOutcome> {
  const parsed = parseAttempt(input);
  const cluster = await visibleCluster(ctx, clusterId);
  const { policy } = await currentPolicy(ctx.db.kysely);
  const validator = requireValidator(ctx.actor, policy);
  requireUnmerged(cluster);
  await ensureTriage(ctx, clusterId);
  const conflicts = await independenceOf(ctx, validator.orgId, clusterId, await registeredModels(ctx));
  if (conflicts.length > 0) throw notIndependent(clusterId, conflicts);
  return withTransaction(ctx.db, async (trx) => {
    await lockCluster(trx, ctx, clusterId);
    const row = await findTriage(trx, clusterId);
    if (row === undefined) throw new NotFoundError(`no cluster ${clusterId}`);
    if (row.state !== 'received') {
      throw new ConflictError(`cluster ${clusterId} is ${row.state}: validation attempts are recorded while it is received`, {
        code: 'not-awaiting-validation',
      });
    }
    // A report from the validator's organisation may have arrived since the check above.
    if ((await clusterReports(trx, clusterId)).some((r) => r.reporterOrgId === validator.orgId)) {
      throw notIndependent(clusterId, [{ rule: 'same-org', detail: 'your organisation reported this vulnerability' }]);
    }
    const held = await heldWork(trx, clusterId, validator.orgId, via?.jobId);
    const attempt: AttemptRow = {
      id: newId('vat'),
      cluster_id: clusterId,
      job_id: held?.work.job_id ?? null,
      validator_org_id: validator.orgId,
      validator_user_id: validator.userId,
      artifact: parsed.artifact,
      affected_build: parsed.affectedBuild,
      fixed_build: parsed.fixedBuild,
      environment: parsed.environment,
      reproduced_affected: parsed.reproducedOnAffected ? 1 : 0,
      reproduced_fixed: parsed.reproducedOnFixed === null ? null : parsed.reproducedOnFixed ? 1 : 0,
      confirms: attemptConfirms(parsed) ? 1 : 0,
      conflicts: '[]',
      notes: parsed.notes,
      steps: JSON.stringify(parsed.steps),
      assessment: JSON.stringify(parsed.assessment),
      created_at: ctx.clock.now().toISOString(),
    };
    await insertAttempt(trx, attempt);
    const jobCompleted = held !== undefined && (await completeHeldWork(trx, ctx, held, validator.orgId, attempt.id));
    if (via !== undefined && !jobCompleted) {
      throw new ConflictError(
        `validation job ${via.jobId} is no longer leased to your organisation: its lease expired and another validator took it, or it was closed; record the attempt on cluster ${clusterId} directly`,
        { code: 'lease-lost' },
      );
    }
    await ctx.audit.record(trx, ctx.actor, {
      action: 'validation.attempt.create',
      subject: { type: 'validation-attempt', id: attempt.id },
      orgId: validator.orgId,
      diff: {
        clusterId,
        reproducedOnAffected: parsed.reproducedOnAffected,
        reproducedOnFixed: parsed.reproducedOnFixed,
        confirms: attempt.confirms === 1,
        jobId: attempt.job_id,
        jobCompleted,
      },
    });
    const confirmations = await confirmationsOf(trx, clusterId);
    const quorum = requiredQuorum(policy.quorum, row.cvss_base);
    const counted = { ...row, confirmations: confirmations.orgIds.length };
    await updateTriage(trx, clusterId, { confirmations: counted.confirmations });
    let state = row.state as ReportState;
    if (counted.confirmations >= quorum.needed) {
      const note = `${counted.confirmations} independent confirmation(s) reached the quorum of ${quorum.needed} (${quorum.because})`;
      state = (
        await applyTransition(trx, ctx, counted, 'valid', { basis: 'quorum', reason: null, note, duplicateOf: null }, quorum, confirmations)
      ).state as ReportState;
    } else {
      await reconcileWork(trx, ctx, counted, quorum.needed);
    }
    return {
      attempt: presentAttempt(attempt),
      state,
      quorum: { needed: quorum.needed, because: quorum.because, confirmations: counted.confirmations },
      jobCompleted,
    };
  });
}
