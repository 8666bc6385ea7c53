import { systemActor } from '../../platform/actor.js';
import type { ServiceContext } from '../../platform/context.js';
import type { JobHandler } from '../../platform/jobs/index.js';
import { proposeNearDuplicates } from './service/near-duplicates.js';
import { REDERIVE_JOB, rederiveFingerprints } from './service/rederive.js';
import { NEAR_DUPLICATE_JOB, PROCESS_JOB, processSubmission } from './service/submissions.js';

/**
 * Background work: finishing a submission whose process died between storing and deduplicating it,
 * proposing near duplicates after each submission, and re-deriving stored fingerprints after a version bump.
 * All are idempotent.
 */
export function intakeJobs(deps: { contextFor(actor: ReturnType<typeof systemActor>): ServiceContext }): Record<string, JobHandler> {
  const ctx = () => deps.contextFor(systemActor('intake'));
  return {
    [PROCESS_JOB]: async (job) => void (await processSubmission(ctx(), (job.payload as { submissionId: string }).submissionId)),
    [NEAR_DUPLICATE_JOB]: async (job) => void (await proposeNearDuplicates(ctx(), (job.payload as { submissionId: string }).submissionId)),
    // Enqueued by the migration that bumps the fingerprint version; resumes where a killed run stopped.
    [REDERIVE_JOB]: async () => void (await rederiveFingerprints(ctx())),
  };
}
