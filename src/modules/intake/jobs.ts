import { systemActor } from '../../platform/actor.js';
import type { ServiceContext } from '../../platform/context.js';
import type { Job, JobKindHandler } from '../../platform/jobs/index.js';
import { proposeNearDuplicates, proposeNearDuplicatesOfMany } from './service/near-duplicates.js';
import { REDERIVE_JOB, rederiveFingerprints } from './service/rederive.js';
import { NEAR_DUPLICATE_JOB, PROCESS_JOB, processSubmission } from './service/submissions.js';

const submissionOf = (job: Job): string => (job.payload as { submissionId: string }).submissionId;

/**
 * Background work: finishing a submission whose process died between storing and deduplicating it,
 * proposing near duplicates after each submission, and re-deriving stored fingerprints after a version bump.
 * All are idempotent. Near-duplicate jobs queued together run as one group (one transaction and commit).
 */
export function intakeJobs(deps: { contextFor(actor: ReturnType<typeof systemActor>): ServiceContext }): Record<string, JobKindHandler> {
  const ctx = () => deps.contextFor(systemActor('intake'));
  return {
    [PROCESS_JOB]: async (job) => void (await processSubmission(ctx(), (job.payload as { submissionId: string }).submissionId)),
    [NEAR_DUPLICATE_JOB]: {
      one: async (job) => void (await proposeNearDuplicates(ctx(), submissionOf(job))),
      many: async (jobs) => void (await proposeNearDuplicatesOfMany(ctx(), jobs.map(submissionOf))),
    },
    // Enqueued by the migration that bumps the fingerprint version; resumes where a killed run stopped.
    [REDERIVE_JOB]: async () => void (await rederiveFingerprints(ctx())),
  };
}
