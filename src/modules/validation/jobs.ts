import type { Actor } from '../../platform/actor.js';
import type { ServiceContext } from '../../platform/context.js';
import type { JobHandler } from '../../platform/jobs/index.js';
import { VALIDATION_SYSTEM } from './service/access.js';
import { RESCORE_JOB } from './service/job-kinds.js';
import { rescoreQueue, type RescorePayload } from './service/rescore.js';

/**
 * Background work: re-placing queued clusters after a verdict or a policy change. Validation jobs for
 * partner sandboxes live in the same jobs table but have no handler here: validators claim them.
 */
export function validationJobs(deps: { contextFor(actor: Actor): ServiceContext }): Record<string, JobHandler> {
  return {
    [RESCORE_JOB]: async (job) => void (await rescoreQueue(deps.contextFor(VALIDATION_SYSTEM), job.payload as RescorePayload)),
  };
}
