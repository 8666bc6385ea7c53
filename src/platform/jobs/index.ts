export {
  claimJobs,
  completeJob,
  enqueueJob,
  enqueueJobs,
  failJob,
  finishJobByKey,
  getJob,
  type ClaimOptions,
  type EnqueueJob,
  type Job,
  type JobRow,
  type JobStatus,
} from './jobs.js';
export { JobRunner, retryDelayMs, type JobHandler, type JobRunnerOptions, type Schedule } from './job-runner.js';
