import { systemActor, type Actor } from '../../platform/actor.js';
import { MINUTE } from '../../platform/clock.js';
import type { ServiceContext } from '../../platform/context.js';
import type { JobHandler, Schedule } from '../../platform/jobs/index.js';
import { loadOrCreateSigningKey, type SigningKey } from '../../platform/signing-key.js';
import { signCheckpoint } from './checkpoints.js';

/** The job kind that signs a checkpoint of the chain head. */
export const AUDIT_CHECKPOINT_JOB = 'audit.checkpoint';

/** Every 15 minutes, when the head moved: what a published checkpoint can vouch for is at most that old. */
export const auditSchedules: readonly Schedule[] = [{ kind: AUDIT_CHECKPOINT_JOB, everyMs: 15 * MINUTE }];

const AUDIT_SYSTEM = systemActor('audit');

/** The audit job handlers: `keyFile` is where the checkpoint key is kept (created on first use when absent). */
export function auditJobs(deps: { contextFor(actor: Actor): ServiceContext; keyFile: string }): Record<string, JobHandler> {
  let key: SigningKey | undefined;
  return {
    [AUDIT_CHECKPOINT_JOB]: async () => {
      key ??= loadOrCreateSigningKey(deps.keyFile);
      const ctx = deps.contextFor(AUDIT_SYSTEM);
      await signCheckpoint(ctx.db, ctx.clock, key);
    },
  };
}
