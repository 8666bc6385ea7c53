/**
 * Frontier: the voluntary frontier-model early-access program (DESIGN §1, issue 7) — covered models and
 * their determinations, review windows of at most the policy maximum (30 days by default) that never gate
 * a release, access grants, evaluations (Inspect logs, cyber benchmarks, risk findings), model-found
 * vulnerabilities handed to intake, jointly selected trusted partners, the review report, and the
 * versioned policy behind all of it.
 *
 * Other modules react to its events (`frontier.<noun>.<verb>`); intake consumes `frontier.finding.reported`.
 */
import type { ModuleMigrations } from '../../platform/db/index.js';
import { init } from './migrations/0001-init.js';
import { testingAgreements } from './migrations/0002-testing-agreements.js';

export { KNOWN_BENCHMARKS, normalizeBenchmark, type Measurement } from './domain/benchmarks.js';
export { GRANT_SCOPES, GRANT_TERMS, REVOCATION_REASONS, type GrantScope, type GrantStatus, type GrantTerm } from './domain/grant-rules.js';
export { readInspectLog, type InspectSummary } from './domain/inspect-log.js';
export {
  DEFAULT_POLICY,
  DEFAULT_WINDOW_MAX_DAYS,
  HARD_REQUIREMENTS,
  PARTNER_FACTORS,
  type FrontierPolicy,
  type FrontierPolicyDocument,
} from './domain/policy.js';
export { REPORT_NOTICE, type ReviewReport } from './domain/review-report.js';
export { REVIEW_STATES, type ReviewState } from './domain/review-window.js';
export type {
  AccessLogEntry,
  Determination,
  Evaluation,
  Grant,
  Material,
  Model,
  Nomination,
  Review,
  RiskFinding,
  TimelineEntry,
  Vulnerability,
} from './presenters.js';
export { addBenchmarkResults, getEvaluation, importInspectLog, listEvaluations, MAX_INSPECT_LOG_BYTES } from './service/evaluations.js';
export { acknowledgeGrant, createGrant, getGrant, listGrantAccess, listGrants, reportGrantUse, revokeGrant } from './service/grants.js';
export { addMaterial, downloadMaterial, listMaterials, listReviewAccess, MAX_MATERIAL_BYTES } from './service/materials.js';
export { programTransparency } from './service/metrics.js';
export type { Transparency } from './presenters.js';
export { TransparencySchema } from './routes/schemas.js';
export { endAgreement, getAgreement, listAgreements, proposeAgreement, signAgreement } from './service/agreements.js';
export type { Agreement, AgreementVersion } from './presenters.js';
export { AGREEMENT_TERMS_SCHEMA, GRANTEE_KINDS, MATERIAL_KINDS, type AgreementTerms } from './domain/testing-agreement.js';
export { getModel, listDeterminations, listModels, recordDetermination, registerModel, updateModel } from './service/models.js';
export { getNomination, listNominations, nominatePartner, scoreNomination, signOffNomination } from './service/partners.js';
export { getPolicy, listPolicyVersions, updatePolicy } from './service/policy.js';
export { reviewReport, reviewReportHtml } from './service/report.js';
export { endReview, extendReview, getReview, listReviews, openReview, reviewTimeline, withdrawReview } from './service/reviews.js';
export { addRiskFinding, getRiskFinding, listRiskFindings, setRiskFindingStatus } from './service/risk-findings.js';
export { sweepFrontier, type SweepResult } from './service/sweep.js';
export { getVulnerability, listVulnerabilities, reportVulnerability } from './service/vulnerabilities.js';
export { seedFrontierDemo, type FrontierDemo, type FrontierDemoCast } from './service/demo.js';
export { FRONTIER_SWEEP_JOB, frontierJobs, frontierSchedules } from './jobs.js';
export { frontierRoutes } from './routes.js';
export { registerFrontierCommands } from './commands.js';

// What retention reads and deletes of this module's records (declared for governance's purge).
export { frontierBlobReferences, frontierRetention } from './store/retention.js';

export const frontierMigrations: ModuleMigrations = { module: 'frontier', migrations: [init, testingAgreements] };
export * from './pure.js';
