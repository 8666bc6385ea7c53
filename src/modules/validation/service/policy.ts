import type { ServiceContext } from '../../../platform/context.js';
import {
  policyDocument,
  serializeOn,
  withTransaction,
  type Executor,
  type PolicyVersion as VersionedPolicy,
} from '../../../platform/db/index.js';
import { describeActor } from '../../../platform/actor.js';
import { enqueueJob } from '../../../platform/jobs/index.js';
import { NotAllowedError } from '../../../platform/errors.js';
import { isCoordinatorAdmin } from '../../identity/index.js';
import { DEFAULT_VALIDATION_POLICY, applyPolicyUpdate, type ValidationPolicy } from '../domain/policy.js';
import * as settings from '../store/settings.js';
import { requireUser } from './access.js';
import { RESCORE_JOB } from './job-kinds.js';

/** A version of the validation policy; 0 for the built-in defaults, never changed. */
export type PolicyVersion = VersionedPolicy<ValidationPolicy>;

/** The policy in force, read in the caller's executor (a transaction sees its own changes). */
export async function currentPolicy(executor: Executor): Promise<PolicyVersion> {
  const row = await settings.latestPolicy(executor);
  if (row === undefined) return { version: 0, policy: DEFAULT_VALIDATION_POLICY, note: null, createdBy: null, createdAt: null };
  // Spread over the defaults, so that a field added later has its default in older versions.
  const stored = policyDocument<Partial<ValidationPolicy>>(row);
  return {
    version: row.version,
    policy: { ...DEFAULT_VALIDATION_POLICY, ...stored },
    note: row.note,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

/** The validation policy in force; every signed-in party may read it (how verdicts and quotas are decided is no secret). */
export async function getValidationPolicy(ctx: ServiceContext): Promise<PolicyVersion> {
  requireUser(ctx.actor);
  return currentPolicy(ctx.db.kysely);
}

/**
 * A new version of the policy from a partial one (coordinator admins). Audited as
 * `validation.policy.update` with before and after; a changed prior or default severity re-places the queue.
 *
 * @throws NotAllowedError for anyone else; InputError naming each bad field.
 */
export async function updateValidationPolicy(ctx: ServiceContext, input: Record<string, unknown>): Promise<PolicyVersion> {
  if (!isCoordinatorAdmin(ctx.actor)) throw new NotAllowedError('only coordinator admins change the validation policy');
  return withTransaction(ctx.db, async (trx) => {
    await serializeOn(trx, ctx.db.caps, 'validation.policy');
    const current = await currentPolicy(trx);
    const policy = applyPolicyUpdate(current.policy, input);
    const note = typeof input.note === 'string' && input.note.trim() !== '' ? input.note.trim() : null;
    const row = {
      version: current.version + 1,
      document: JSON.stringify(policy),
      note,
      created_by: describeActor(ctx.actor),
      created_at: ctx.clock.now().toISOString(),
    };
    await settings.insertPolicy(trx, row);
    await ctx.audit.record(trx, ctx.actor, {
      action: 'validation.policy.update',
      subject: { type: 'validation-policy', id: String(row.version) },
      diff: { before: current.policy, after: policy, note },
    });
    if (
      JSON.stringify(policy.prior) !== JSON.stringify(current.policy.prior) ||
      policy.unknownSeverity !== current.policy.unknownSeverity
    ) {
      await enqueueJob(trx, ctx.clock, { kind: RESCORE_JOB, payload: { all: true } });
    }
    return { version: row.version, policy, note, createdBy: row.created_by, createdAt: row.created_at };
  });
}
