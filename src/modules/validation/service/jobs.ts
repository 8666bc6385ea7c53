import type { ServiceContext } from '../../../platform/context.js';
import { HOUR } from '../../../platform/clock.js';
import { withTransaction } from '../../../platform/db/index.js';
import { ConflictError, InputError, NotFoundError } from '../../../platform/errors.js';
import { claimJobs, failJob, getJob } from '../../../platform/jobs/index.js';
import type { ClusterDetail } from '../../intake/index.js';
import { presentJob, type ValidationJob } from '../presenters.js';
import { claimCandidates } from '../store/triage.js';
import { findWork, updateWork, workClaimedBy } from '../store/work.js';
import { requireValidator, visibleCluster } from './access.js';
import type { AttemptOutcome } from '../presenters.js';
import { recordAttempt } from './attempts.js';
import { independenceOf, registeredModels } from './independence-facts.js';
import { currentPolicy } from './policy.js';
import { reproduceKind, workerOf } from './work-slots.js';

/** How many queued clusters a claim looks through for one the validator may take. */
const CANDIDATES = 25;

export interface ClaimAnswer {
  /** Null when no work is open for the caller's organisation. */
  readonly job: ValidationJob | null;
  /** The cluster to reproduce, with the reports the caller may see. */
  readonly cluster: ClusterDetail | null;
}

async function visibleOrNull(ctx: ServiceContext, clusterId: string): Promise<ClusterDetail | null> {
  try {
    return await visibleCluster(ctx, clusterId);
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

/**
 * Claims the next validation job the caller's organisation may take, in queue order: a received cluster it
 * can see, is independent of, has not tried and holds no lease on. The lease (policy default 24 hours,
 * `leaseHours` up to the policy maximum) belongs to the organisation; not reported within it, the job
 * returns to the pool. Audited as `validation.job.claim`.
 *
 * @throws NotAllowedError (not a validating organisation), InputError (lease out of range).
 */
export async function claimValidationJob(ctx: ServiceContext, input: { leaseHours?: number | undefined } = {}): Promise<ClaimAnswer> {
  const { policy } = await currentPolicy(ctx.db.kysely);
  const validator = requireValidator(ctx.actor, policy);
  const leaseHours = input.leaseHours ?? policy.leaseHours;
  if (!Number.isInteger(leaseHours) || leaseHours < 1 || leaseHours > policy.maxLeaseHours) {
    throw new InputError(`leaseHours must be a whole number from 1 to ${policy.maxLeaseHours}`, [
      { pointer: '/leaseHours', detail: `must be 1 to ${policy.maxLeaseHours}` },
    ]);
  }
  const registry = await registeredModels(ctx);
  for (const candidate of await claimCandidates(ctx.db.kysely, validator.orgId, ctx.clock.now().toISOString(), CANDIDATES)) {
    const cluster = await visibleOrNull(ctx, candidate.cluster_id);
    if (cluster === null || (await independenceOf(ctx, validator.orgId, candidate.cluster_id, registry)).length > 0) continue;
    const [job] = await claimJobs(ctx.db, ctx.clock, {
      worker: workerOf(validator.orgId),
      kinds: [reproduceKind(candidate.cluster_id)],
      limit: 1,
      leaseMs: leaseHours * HOUR,
    });
    if (job === undefined) continue;
    const claimedAt = ctx.clock.now().toISOString();
    const claim = {
      claimed_org_id: validator.orgId,
      claimed_user_id: validator.userId,
      claimed_at: claimedAt,
      lease_expires_at: job.leaseExpiresAt,
    };
    await withTransaction(ctx.db, async (trx) => {
      await updateWork(trx, job.id, claim);
      await ctx.audit.record(trx, ctx.actor, {
        action: 'validation.job.claim',
        subject: { type: 'validation-job', id: job.id },
        orgId: validator.orgId,
        diff: { clusterId: candidate.cluster_id, leaseExpiresAt: job.leaseExpiresAt, attempt: job.attempt },
      });
    });
    return {
      job: { id: job.id, clusterId: candidate.cluster_id, claimedBy: validator.userId, claimedAt, leaseExpiresAt: job.leaseExpiresAt },
      cluster,
    };
  }
  return { job: null, cluster: null };
}

/** Validation jobs the caller's organisation holds a live lease on, soonest expiry first. */
export async function listValidationJobs(ctx: ServiceContext): Promise<ValidationJob[]> {
  const { policy } = await currentPolicy(ctx.db.kysely);
  const validator = requireValidator(ctx.actor, policy);
  return (await workClaimedBy(ctx.db.kysely, validator.orgId, ctx.clock.now().toISOString())).map(presentJob);
}

async function visibleWork(ctx: ServiceContext, jobId: string) {
  const work = await findWork(ctx.db.kysely, jobId);
  if (work === undefined || (await visibleOrNull(ctx, work.cluster_id)) === null) throw new NotFoundError(`no validation job ${jobId}`);
  return work;
}

/**
 * Reports the outcome of a claimed job: records the attempt (see `recordAttempt`) and completes the job.
 *
 * @throws NotFoundError, ConflictError `lease-lost` when the lease expired and another validator took the
 *   job over (record the attempt on the cluster instead), and everything `recordAttempt` throws.
 */
export async function reportValidationJob(ctx: ServiceContext, jobId: string, input: Record<string, unknown>): Promise<AttemptOutcome> {
  const work = await visibleWork(ctx, jobId);
  return recordAttempt(ctx, work.cluster_id, input, { jobId });
}

/** Gives a claimed job back to the pool before its lease ends. Audited as `validation.job.release`. */
export async function releaseValidationJob(ctx: ServiceContext, jobId: string): Promise<ValidationJob> {
  const work = await visibleWork(ctx, jobId);
  const { policy } = await currentPolicy(ctx.db.kysely);
  const validator = requireValidator(ctx.actor, policy);
  const job = await getJob(ctx.db.kysely, jobId);
  if (job === undefined || job.status !== 'running' || job.lease_owner !== workerOf(validator.orgId)) {
    throw new ConflictError(`validation job ${jobId} is not leased to your organisation`, { code: 'lease-lost' });
  }
  const released = { claimed_org_id: null, claimed_user_id: null, claimed_at: null, lease_expires_at: null };
  await withTransaction(ctx.db, async (trx) => {
    await failJob(
      trx,
      ctx.clock,
      { id: jobId, leaseOwner: workerOf(validator.orgId), attempt: job.attempts, maxAttempts: job.max_attempts },
      'released by the validator',
      0,
    );
    await updateWork(trx, jobId, released);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'validation.job.release',
      subject: { type: 'validation-job', id: jobId },
      orgId: validator.orgId,
      diff: { clusterId: work.cluster_id },
    });
  });
  return presentJob({ ...work, ...released });
}
