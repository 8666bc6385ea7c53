export {
  claimJobs,
  completeJob,
  enqueueJob,
  enqueueJobs,
  failJob,
  finishJobByKey,
  getJob,
  releaseOrphanedLeases,
  type ClaimOptions,
  type EnqueueJob,
  type Job,
  type JobRow,
  type JobStatus,
} from './jobs.js';
export { JobRunner, retryDelayMs, type JobHandler, type JobRunnerOptions, type Schedule } from './job-runner.js';
export {
  currentLeaseHolder,
  holderIsGone,
  instanceIdOf,
  processStartTime,
  readBootId,
  readPidNamespace,
  type LeaseHolder,
} from './lease-holder.js';
