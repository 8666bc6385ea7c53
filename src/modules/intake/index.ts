/**
 * Intake: every submission, in any common format, stored raw before anything else, read into findings,
 * and deduplicated into one cluster per real vulnerability (aliases, stable fingerprints, near-duplicate
 * proposals). See README.md and FINGERPRINTS.md.
 */
import type { ModuleMigrations } from '../../platform/db/index.js';
import { init } from './migrations/0001-init.js';
import { anchors } from './migrations/0002-anchors.js';
import { fingerprintsV2 } from './migrations/0003-fingerprints-v2.js';
import { dropClusterTargetIndex } from './migrations/0004-drop-cluster-target-index.js';
import { lshStatisticsSample } from './migrations/0005-lsh-statistics-sample.js';
import { findingDataAsWritten } from './migrations/0006-finding-data-as-written.js';
import { binaryClusterKeys } from './migrations/0007-binary-cluster-keys.js';
import { clusterFillfactor } from './migrations/0008-cluster-fillfactor.js';
import { lshFindingIndex } from './migrations/0009-lsh-finding-index.js';

export {
  NATIVE_FINDINGS_SCHEMA,
  SOURCE_FORMATS,
  cpeTarget,
  packageTargetFromPurl,
  parseSubmission,
  purlVersion,
  checkOsvRecord,
  type AffectedPackage,
  type CsafProductStatus,
  type Finding,
  type ParsedDocument,
  type SourceFormat,
  type Target,
} from './domain/index.js';
export {
  clusterReports,
  clusterReportsDigest,
  clusterReportsMany,
  findingsData,
  recordClusterState,
  submissionContents,
  type ClusterReport,
  type ReportsDigest,
  type SubmissionContents,
} from './service/cluster-facts.js';
export {
  clusterCountsForTarget,
  clustersByAlias,
  clusterSummaries,
  getCluster,
  getFinding,
  listClusters,
  visibleClusterIds,
  type ClusterQuery,
} from './service/clusters.js';
export { clusterVisibleTo, everyReportVisibleTo, reportVisibleTo } from './service/access.js';
export { sharedClusters, type SharedCluster } from './service/shared-vulnerabilities.js';
export { decideCandidate, listCandidates, proposeNearDuplicates } from './service/near-duplicates.js';
export { listRegroups, mergeClusters, splitCluster, undoRegroup } from './service/regroup.js';
export { getSubmission, processSubmission, submitDocument, type SubmitInput } from './service/submissions.js';
export type {
  CandidateView,
  ClusterDetail,
  ClusterSummary,
  FindingOutcome,
  FindingView,
  RegroupView,
  SubmissionAnswer,
} from './presenters.js';
export { FORMAT_LIMITS, MAX_DOCUMENT_BYTES } from './service/upload.js';
export { stopUploadThreads, uploadThreadsBusyMs } from './service/upload-threads.js';
export { registerIntakeCommands } from './commands.js';
export { registerDedupCommand } from './commands/dedup-command.js';
export { dedupFiles, type DedupProposal, type DedupReport } from './service/dedup-files.js';
export { intakeRoutes, type IntakeRouteDeps } from './routes.js';
export { intakeJobs } from './jobs.js';
export { intakeConsumers } from './consumers.js';

// What retention reads and deletes of this module's records (declared for governance's purge).
export { intakeBlobReferences, intakeRetention } from './store/retention.js';
export { INTAKE_VALIDATOR_BUILDS } from './domain/schema-validators.js';

export const intakeMigrations: ModuleMigrations = {
  module: 'intake',
  migrations: [
    init,
    anchors,
    fingerprintsV2,
    dropClusterTargetIndex,
    lshStatisticsSample,
    findingDataAsWritten,
    binaryClusterKeys,
    clusterFillfactor,
    lshFindingIndex,
  ],
};
export * from './pure.js';
