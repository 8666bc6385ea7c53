export { BacklogGauge, dueBacklog } from './backlog.js';
export { claimJobs, completeJob, completeJobs, failJob, releaseOrphanedLeases, type ClaimOptions, type ReleaseOptions } from './claims.js';
export {
  enqueueJob,
  enqueueJobs,
  addJobs,
  addJobsStatements,
  jobsByDedupKey,
  finishJobByKey,
  finishJobByKeyStatement,
  getJob,
  JOB_PRIORITY,
  type EnqueueJob,
  type Job,
  type JobRow,
  type JobStatus,
} from './jobs.js';
export {
  JobRunner,
  retryDelayMs,
  type GroupedJobHandler,
  type JobHandler,
  type JobKindHandler,
  type JobRunnerOptions,
  type Schedule,
} from './job-runner.js';
export {
  currentLeaseHolder,
  holderIsGone,
  instanceIdOf,
  processStartTime,
  readBootId,
  readPidNamespace,
  type LeaseHolder,
} from './lease-holder.js';
export {
  currentWork,
  findWork,
  inWork,
  jobCountsByKind,
  startWork,
  workCountsByKind,
  workJobCounts,
  workState,
  type JobStateCounts,
  type KindCounts,
  type QueuedWork,
  type WorkStatus,
  type WorkTag,
} from './work.js';
