/**
 * Scoring: CVSS 2.0–4.0 recomputed from vectors, SSVC decision tables, the KEV and EPSS feeds, exposure,
 * and each subject's priority — the CISA level, the vendor-fix deadline from the versioned policy and an
 * explanation of every input and its source (DESIGN §3, issue 5).
 *
 * Other modules hand a subject's inputs to {@link prioritize} (from their event consumers) and react to
 * `scoring.decision.changed`. Scoring reacts to its own `scoring.kev.changed`, `scoring.epss.updated` and
 * `scoring.policy.updated` by recomputing the decisions concerned.
 */
import type { ModuleMigrations } from '../../platform/db/index.js';
import { init } from './migrations/0001-init.js';
import { decisionFillfactor } from './migrations/0002-decision-fillfactor.js';

export { readCisaAdpEnrichment, type CisaAdpEnrichment, type CisaAdpSsvc } from './domain/cisa-adp-ssvc.js';
export type { ExposedAsset } from './domain/exposure.js';
export { decideOperatorPriority, type OperatorPriorityDecision } from './domain/operator-priority.js';
export {
  ASSET_CRITICALITIES,
  DEFAULT_PRIORITIZATION_POLICY,
  type AssetCriticality,
  type PrioritizationPolicy,
} from './domain/prioritization-policy.js';
export { MAX_EXPOSED_ASSETS, parsePrioritizeInput, type PrioritizeInput } from './domain/prioritize-input.js';
export type { PriorityExplanation } from './domain/priority-decision.js';
export { comparePriority } from './domain/priority-order.js';
export type { CisaLevel, PatchPriority } from './domain/ssvc-decision-points.js';
export type { ValidatorAssessment } from './domain/ssvc-input-sources.js';
export type {
  CvssScoreRecord,
  Decision,
  DecisionChange,
  EpssImport,
  FeedSource,
  FeedStatus,
  KevImport,
  PolicyVersion,
} from './presenters.js';
export { decisionSight, redactDecision, type DecisionSight } from './service/access.js';
export {
  deployerPriorities,
  deployerPrioritiesMany,
  type DeployerPriorities,
  type DeployerPriorityRequest,
} from './service/deployer-priorities.js';
export { scoreVectors } from './service/cvss-scores.js';
export {
  getDecision,
  listDecisionHistory,
  prioritize,
  prioritizeMany,
  type BulkSummary,
  type PrioritizeResult,
} from './service/decisions.js';
export { importEpssScores, type EpssImportInput, type EpssImportResult } from './service/epss-import.js';
export { fetchFeed } from './service/feed-fetch.js';
export { FEEDS, refreshFeeds, setFeedSource, type Feed, type FeedSourceInput, type RefreshOutcome } from './service/feed-sources.js';
export { getFeedStatus, listFeedImports } from './service/feed-status.js';
export { importKevCatalog, type KevImportInput, type KevImportResult } from './service/kev-import.js';
export { getPrioritizationPolicy, listPrioritizationPolicies, updatePrioritizationPolicy, type PolicyUpdate } from './service/policy.js';
export { reprioritize, type ReprioritizeOptions } from './service/reprioritize.js';
export { reprioritizeAfterEpss, type ReprioritizeAfterEpssOptions } from './service/reprioritize-epss.js';
export { scoringConsumers } from './consumers.js';
export { FEED_REFRESH_JOB, SCORING_SYSTEM, scoringJobs, scoringSchedules } from './jobs.js';
export { scoringRoutes } from './routes.js';
export { registerScoringCommands } from './commands.js';

export const scoringMigrations: ModuleMigrations = { module: 'scoring', migrations: [init, decisionFillfactor] };
export * from './pure.js';
