/**
 * Validation: the triage queue, independent reproduction, verdicts on the report-management state
 * (received → valid | invalid, valid → accepted | deferred, any → closed), evidence, validation jobs for
 * partner sandboxes with leases, reporter track records and intake quotas (DESIGN §3, issue 4). See README.md.
 *
 * Reacts to intake's events (`validation.triage` consumer); emits `validation.cluster.<validated|
 * invalidated|accepted|deferred|closed>.v2` for prioritization and cases. {@link checkSubmissionQuota} is
 * intake's `beforeSubmit` hook.
 */
import type { ModuleMigrations } from '../../platform/db/index.js';
import { init } from './migrations/0001-init.js';
import { verdictIndex } from './migrations/0002-verdict-index.js';
import { reporterRecord } from './migrations/0003-reporter-record.js';
import { reportOrgClusterIndex } from './migrations/0004-report-org-cluster.js';

export { smoothedPrecision, betaCdf, betaQuantile, type BetaPrior, type Precision } from './domain/beta-precision.js';
export { requiredQuorum, type IndependenceConflict, type Quorum } from './domain/independence.js';
export { EVIDENCE_KINDS, type EvidenceKind } from './domain/inputs.js';
export { DEFAULT_VALIDATION_POLICY, type ValidationPolicy } from './domain/policy.js';
export { decideQuota, type QuotaDecision } from './domain/quota.js';
export {
  INVALID_REASONS,
  INVALID_REASON_LABELS,
  REPORT_STATES,
  allowedNextStates,
  type InvalidReason,
  type ReportState,
} from './domain/report-states.js';
export type { Attempt, AttemptOutcome, Evidence, MyReport, QueueRow, Transition, ValidationJob, VerdictView } from './presenters.js';
export { recordAttempt } from './service/attempts.js';
export { seedValidationDemo, type ValidationDemo, type ValidationDemoCast } from './service/demo.js';
export { MAX_EVIDENCE_BYTES, addEvidence, downloadEvidence, getEvidence, listEvidence, type EvidenceUpload } from './service/evidence.js';
export { claimValidationJob, listValidationJobs, releaseValidationJob, reportValidationJob, type ClaimAnswer } from './service/jobs.js';
export { getValidationPolicy, updateValidationPolicy, type PolicyVersion } from './service/policy.js';
export { listTriageQueue, type QueueQuery } from './service/queue.js';
export { checkSubmissionQuota, clearQuotaOverride, quotaStatus, setQuotaOverride, type QuotaStatus } from './service/quota.js';
export {
  getReporterRecord,
  listMyReports,
  listReporterRecords,
  listToolRecords,
  type ReporterRecord,
  type ToolRecord,
  type TrackRecord,
} from './service/track-record.js';
export { syncClusters, type SyncResult } from './service/triage-sync.js';
export { getValidationView, type ValidationView } from './service/validation-view.js';
export { setVerdict } from './service/verdicts.js';
export { validationConsumers } from './consumers.js';
export { validationJobs } from './jobs.js';
export { validationRoutes } from './routes.js';
export { registerValidationCommands } from './commands.js';

// What retention reads and deletes of this module's records (declared for governance's purge).
export { validationBlobReferences, validationRetention } from './store/retention.js';

export const validationMigrations: ModuleMigrations = {
  module: 'validation',
  migrations: [init, verdictIndex, reporterRecord, reportOrgClusterIndex],
};
export * from './pure.js';
